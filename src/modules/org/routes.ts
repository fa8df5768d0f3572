import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ANY_SIGNED_IN, needs } from '../../server/access.ts';
import { errorResponses, idParam } from '../../contracts/common.ts';
import * as contract from '../../contracts/org.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as org from './service.ts';

export default async function orgRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/org-units',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['org'],
        summary: 'The org units the caller may see, in tree order (by path), flat; the whole tree for admin/executive',
        querystring: contract.listUnitsQuery,
        response: { 200: contract.orgUnitPage, ...errorResponses },
      },
    },
    async (req) => {
      const items = await org.listUnits(db, actorOf(req), { includeArchived: req.query.includeArchived ?? false });
      return { items, total: items.length };
    },
  );

  routes.get(
    '/org-units/:id',
    {
      config: { access: ANY_SIGNED_IN },
      schema: { tags: ['org'], params: idParam, response: { 200: contract.orgUnitSchema, ...errorResponses } },
    },
    async (req) => org.getUnit(db, actorOf(req), req.params.id),
  );

  routes.post(
    '/org-units',
    {
      config: { access: needs('org.administer') },
      schema: {
        tags: ['org'],
        summary: 'Add a unit under a parent',
        body: contract.createUnitRequest,
        response: { 201: contract.orgUnitSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await org.createUnit(db, actorOf(req), req.body, ipOf(req))),
  );

  routes.patch(
    '/org-units/:id',
    {
      config: { access: needs('org.administer') },
      schema: {
        tags: ['org'],
        summary: 'Rename, relabel or move a unit (moving takes its whole subtree)',
        params: idParam,
        body: contract.updateUnitRequest,
        response: { 200: contract.orgUnitSchema, ...errorResponses },
      },
    },
    async (req) => org.updateUnit(db, actorOf(req), req.params.id, req.body, ipOf(req)),
  );

  routes.post(
    '/org-units/:id/archive',
    {
      config: { access: needs('org.administer') },
      schema: {
        tags: ['org'],
        summary: 'Archive an empty unit (no active sub-units or users)',
        params: idParam,
        body: contract.versionRequest,
        response: { 200: contract.orgUnitSchema, ...errorResponses },
      },
    },
    async (req) => org.setArchived(db, actorOf(req), req.params.id, true, req.body.version, ipOf(req)),
  );

  routes.post(
    '/org-units/:id/restore',
    {
      config: { access: needs('org.administer') },
      schema: {
        tags: ['org'],
        summary: 'Restore an archived unit',
        params: idParam,
        body: contract.versionRequest,
        response: { 200: contract.orgUnitSchema, ...errorResponses },
      },
    },
    async (req) => org.setArchived(db, actorOf(req), req.params.id, false, req.body.version, ipOf(req)),
  );
}
