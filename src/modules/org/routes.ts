import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_SIGNED_IN, needs } from '../../server/access.ts';
import { errorResponses, idParam, queryBool, text, versionField, recordId } from '../../contracts/common.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import { ORG_UNIT_TYPES } from '../../domain/roles.ts';
import * as org from './service.ts';

export const orgUnitSchema = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  name: z.string(),
  type: z.string(),
  path: z.string().describe('ids from the top unit down, "/1/4/9/"'),
  depth: z.number().int(),
  sortOrder: z.number().int(),
  archived: z.boolean(),
  memberCount: z.number().int().optional().describe('active users directly in the unit'),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  version: z.number().int(),
});

const versionBody = z.strictObject({ version: versionField });

export default async function orgRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  r.get('/org-units', {
    config: { access: ANY_SIGNED_IN },
    schema: {
      tags: ['org'],
      summary: 'The org units the caller may see, in tree order (by path), flat; the whole tree for admin/executive',
      querystring: z.strictObject({ includeArchived: queryBool }),
      response: { 200: z.object({ items: z.array(orgUnitSchema), total: z.number().int() }), ...errorResponses },
    },
  }, async (req) => {
    const items = await org.listUnits(db, actorOf(req), { includeArchived: req.query.includeArchived ?? false });
    return { items, total: items.length };
  });

  r.get('/org-units/:id', {
    config: { access: ANY_SIGNED_IN },
    schema: { tags: ['org'], params: idParam, response: { 200: orgUnitSchema, ...errorResponses } },
  }, async (req) => org.getUnit(db, actorOf(req), req.params.id));

  r.post('/org-units', {
    config: { access: needs('org.administer') },
    schema: {
      tags: ['org'],
      summary: 'Add a unit under a parent',
      body: z.strictObject({
        parentId: recordId,
        name: text(100),
        type: z.enum(ORG_UNIT_TYPES),
        sortOrder: z.number().int().min(0).max(100_000).optional().describe('place among its siblings; by default after the last of them'),
      }),
      response: { 201: orgUnitSchema, ...errorResponses },
    },
  }, async (req, reply) => reply.code(201).send(await org.createUnit(db, actorOf(req), req.body, ipOf(req))));

  r.patch('/org-units/:id', {
    config: { access: needs('org.administer') },
    schema: {
      tags: ['org'],
      summary: 'Rename, relabel or move a unit (moving takes its whole subtree)',
      params: idParam,
      body: z.strictObject({
        version: versionField,
        name: text(100).optional(),
        type: z.enum(ORG_UNIT_TYPES).optional(),
        parentId: recordId.optional(),
        sortOrder: z.number().int().min(0).max(100_000).optional(),
      }),
      response: { 200: orgUnitSchema, ...errorResponses },
    },
  }, async (req) => org.updateUnit(db, actorOf(req), req.params.id, req.body, ipOf(req)));

  r.post('/org-units/:id/archive', {
    config: { access: needs('org.administer') },
    schema: { tags: ['org'], summary: 'Archive an empty unit (no active sub-units or users)', params: idParam, body: versionBody, response: { 200: orgUnitSchema, ...errorResponses } },
  }, async (req) => org.setArchived(db, actorOf(req), req.params.id, true, req.body.version, ipOf(req)));

  r.post('/org-units/:id/restore', {
    config: { access: needs('org.administer') },
    schema: { tags: ['org'], summary: 'Restore an archived unit', params: idParam, body: versionBody, response: { 200: orgUnitSchema, ...errorResponses } },
  }, async (req) => org.setArchived(db, actorOf(req), req.params.id, false, req.body.version, ipOf(req)));
}
