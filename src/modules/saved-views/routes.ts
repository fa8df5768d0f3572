import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_SIGNED_IN } from '../../server/access.ts';
import { errorResponses, idParam } from '../../contracts/common.ts';
import * as contract from '../../contracts/saved-views.ts';
import { actorOf } from '../../server/request.ts';
import * as views from './service.ts';

export default async function savedViewRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/saved-views',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['saved views'],
        summary: "The caller's own saved list views",
        querystring: contract.listViewsQuery,
        response: { 200: contract.savedViewList, ...errorResponses },
      },
    },
    async (req) => ({ items: await views.listViews(db, actorOf(req), req.query.area) }),
  );

  routes.post(
    '/saved-views',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['saved views'],
        body: contract.createViewRequest,
        response: { 201: contract.savedViewSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await views.createView(db, actorOf(req), req.body)),
  );

  routes.patch(
    '/saved-views/:id',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['saved views'],
        params: idParam,
        body: contract.updateViewRequest,
        response: { 200: contract.savedViewSchema, ...errorResponses },
      },
    },
    async (req) => views.updateView(db, actorOf(req), req.params.id, req.body),
  );

  routes.delete(
    '/saved-views/:id',
    {
      config: { access: ANY_SIGNED_IN },
      schema: { tags: ['saved views'], params: idParam, response: { 204: z.null(), ...errorResponses } },
    },
    async (req, reply) => {
      await views.deleteView(db, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
