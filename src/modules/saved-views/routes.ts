import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_SIGNED_IN } from '../../server/access.ts';
import { errorResponses, idParam, text, versionField } from '../../contracts/common.ts';
import { actorOf } from '../../server/request.ts';
import * as views from './service.ts';

const AREAS = ['accounts', 'contacts', 'opportunities'] as const;
const viewSchema = z.object({ id: z.number().int(), area: z.enum(AREAS), name: z.string(), query: z.record(z.string(), z.string()), version: z.number().int(), updatedAt: z.number().int() });
const queryField = z.record(z.string().max(40), z.string().max(200)).refine((q) => Object.keys(q).length <= 30, 'at most 30 parameters').describe('list parameters as they appear in the URL');

export default async function savedViewRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  r.get('/saved-views', {
    config: { access: ANY_SIGNED_IN },
    schema: { tags: ['saved views'], summary: "The caller's own saved list views", querystring: z.strictObject({ area: z.enum(AREAS) }), response: { 200: z.object({ items: z.array(viewSchema) }), ...errorResponses } },
  }, async (req) => ({ items: await views.listViews(db, actorOf(req), req.query.area) }));

  r.post('/saved-views', {
    config: { access: ANY_SIGNED_IN },
    schema: { tags: ['saved views'], body: z.strictObject({ area: z.enum(AREAS), name: text(60), query: queryField }), response: { 201: viewSchema, ...errorResponses } },
  }, async (req, reply) => reply.code(201).send(await views.createView(db, actorOf(req), req.body)));

  r.patch('/saved-views/:id', {
    config: { access: ANY_SIGNED_IN },
    schema: { tags: ['saved views'], params: idParam, body: z.strictObject({ version: versionField, name: text(60).optional(), query: queryField.optional() }), response: { 200: viewSchema, ...errorResponses } },
  }, async (req) => views.updateView(db, actorOf(req), req.params.id, req.body));

  r.delete('/saved-views/:id', {
    config: { access: ANY_SIGNED_IN },
    schema: { tags: ['saved views'], params: idParam, response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    await views.deleteView(db, actorOf(req), req.params.id);
    return reply.code(204).send(null);
  });
}
