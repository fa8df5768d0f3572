import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { needs } from '../../server/access.ts';
import { errorResponses } from '../../contracts/common.ts';
import { analysesResponse } from '../../contracts/analyses.ts';
import { scopedQuery } from '../../contracts/forecasts.ts';
import { actorOf } from '../../server/request.ts';
import { analyses } from './service.ts';

/** The other analyses of docs/targets.md § Other analyses, scoped like every live figure (403 beyond reach). */
export default async function analysesRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  typedApp.get(
    '/analyses',
    {
      config: { access: needs('forecasts.read') },
      schema: {
        tags: ['forecasts'],
        summary:
          'Deals by size band, win rate of new versus existing customers, small versus large projects, and the capability diagnosis per rep',
        querystring: scopedQuery,
        response: { 200: analysesResponse, ...errorResponses },
      },
    },
    async (req) => analyses(db, actorOf(req), req.query),
  );
}
