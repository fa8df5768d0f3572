import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../contracts/common.ts';
import * as contract from '../../contracts/timeline.ts';
import { actorOf } from '../../server/request.ts';
import * as timeline from './service.ts';
import { needs } from '../../server/access.ts';
import { fastOkSerializer } from '../../server/fast-json.ts';

const response = { 200: contract.timelinePageSchema, ...errorResponses };
const serializerCompiler = fastOkSerializer(contract.timelinePageSchema);

export default async function timelineRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/accounts/:id/timeline',
    {
      config: { access: needs('accounts.read') },
      schema: {
        tags: ['accounts'],
        summary:
          'Activity timeline: the account, its contacts, and the deals you may see — created, moved, reviewed, closed — newest first',
        params: idParam,
        querystring: contract.timelineQuery,
        response,
      },
      // Opened with every account and deal: written straight from the schema (src/server/fast-json.ts).
      serializerCompiler,
    },
    async (req) => timeline.accountTimeline(db, actorOf(req), req.params.id, req.query),
  );

  routes.get(
    '/opportunities/:id/timeline',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags: ['opportunities'],
        summary:
          'Activity timeline of one deal: stage moves with their evidence, reviews, changes, files, closing — newest first',
        params: idParam,
        querystring: contract.timelineQuery,
        response,
      },
      // Opened with every account and deal: written straight from the schema (src/server/fast-json.ts).
      serializerCompiler,
    },
    async (req) => timeline.opportunityTimeline(db, actorOf(req), req.params.id, req.query),
  );
}
