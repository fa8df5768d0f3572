import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, idParam, page } from '../../contracts/common.ts';
import * as contract from '../../contracts/territories.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as territories from './service.ts';
import { needs } from '../../server/access.ts';

export default async function territoryRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/territories',
    {
      config: { access: needs('territories.read') },
      schema: {
        tags: ['territories'],
        summary:
          'Territory rules (井田, docs/organisation.md) with their rep and unit; a manager sees those of their subtree',
        querystring: contract.listTerritoriesQuery,
        response: { 200: page(contract.territorySchema), ...errorResponses },
      },
    },
    async (req) => territories.listTerritories(db, actorOf(req), req.query),
  );

  routes.get(
    '/territories/conflicts',
    {
      config: { access: needs('territories.read') },
      schema: {
        tags: ['territories'],
        summary:
          'Places that active rules of the same specificity give to different reps (reported, never resolved silently)',
        response: { 200: contract.conflictList, ...errorResponses },
      },
    },
    async (req) => territories.conflicts(db, actorOf(req)),
  );

  routes.get(
    '/territories/mismatches',
    {
      config: { access: needs('territories.read') },
      schema: {
        tags: ['territories'],
        summary:
          'Accounts in reach owned by someone other than the rep their territory names (reported, never reassigned silently)',
        querystring: contract.mismatchesQuery,
        response: { 200: contract.mismatchList, ...errorResponses },
      },
    },
    async (req) => territories.mismatches(db, actorOf(req), req.query),
  );

  routes.get(
    '/territories/preview',
    {
      config: { access: needs('territories.read') },
      schema: {
        tags: ['territories'],
        summary:
          'Who would own a new account at this place: assigned, conflict, none (the creator keeps it) or inactive (the rep is deactivated)',
        querystring: contract.previewQuery,
        response: { 200: contract.previewSchema, ...errorResponses },
      },
    },
    async (req) =>
      territories.preview(db, actorOf(req), {
        province: req.query.province ?? null,
        city: req.query.city ?? null,
        district: req.query.district ?? null,
        industry: req.query.industry ?? null,
      }),
  );

  routes.post(
    '/territories/apply',
    {
      config: { access: needs('territories.manage') },
      schema: {
        tags: ['territories'],
        summary: 'Give pool accounts to the reps their territory names; dryRun (the default) only reports',
        body: contract.applyRequest,
        response: { 200: contract.applyResult, ...errorResponses },
      },
    },
    async (req) => territories.applyToPool(db, actorOf(req), req.body.dryRun, ipOf(req)),
  );

  routes.post(
    '/territories',
    {
      config: { access: needs('territories.manage') },
      schema: {
        tags: ['territories'],
        summary: 'Add a territory rule: province, optional city and district, optional industry, the rep',
        body: contract.createTerritoryRequest,
        response: { 201: contract.territorySchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await territories.createTerritory(db, actorOf(req), req.body, ipOf(req))),
  );

  routes.get(
    '/territories/:id',
    {
      config: { access: needs('territories.read') },
      schema: {
        tags: ['territories'],
        params: idParam,
        response: { 200: contract.territorySchema, ...errorResponses },
      },
    },
    async (req) => territories.getTerritory(db, actorOf(req), req.params.id),
  );

  routes.patch(
    '/territories/:id',
    {
      config: { access: needs('territories.manage') },
      schema: {
        tags: ['territories'],
        summary: 'Change a territory rule',
        params: idParam,
        body: contract.updateTerritoryRequest,
        response: { 200: contract.territorySchema, ...errorResponses },
      },
    },
    async (req) => territories.updateTerritory(db, actorOf(req), req.params.id, req.body, ipOf(req)),
  );

  routes.delete(
    '/territories/:id',
    {
      config: { access: needs('territories.manage') },
      schema: {
        tags: ['territories'],
        summary: 'Delete a territory rule (rules are configuration)',
        params: idParam,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await territories.deleteTerritory(db, actorOf(req), req.params.id, ipOf(req));
      return reply.code(204).send(null);
    },
  );
}
