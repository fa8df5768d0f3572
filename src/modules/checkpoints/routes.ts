import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, idParam } from '../../contracts/common.ts';
import {
  CHECKPOINT_KINDS,
  CHECKPOINT_OUTCOMES,
  checkpointReviewRequest,
  weeklyReviewQuery,
  weeklyReviewResponse,
} from '../../contracts/rhythm.ts';
import { needs } from '../../server/access.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as checkpoints from './service.ts';

/** The 1-15-30 weekly review (docs/rhythm.md § 1-15-30): open deals within reach with their checkpoints, and the record of each look. */
export default async function checkpointRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  typedApp.get(
    '/weekly-review',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags: ['rhythm'],
        summary:
          'The weekly review of a week: every open deal within reach, its 15- and 30-day checkpoints due (or overdue and not done) and what was recorded',
        querystring: weeklyReviewQuery,
        response: { 200: weeklyReviewResponse, ...errorResponses },
      },
    },
    async (req) => checkpoints.weeklyReview(db, actorOf(req), req.query),
  );

  typedApp.post(
    '/opportunities/:id/checkpoints',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags: ['rhythm'],
        summary:
          'Record the weekly look, the 15-day check or the 30-day judgement of a deal; 409 checkpoint_recorded when it is recorded',
        params: idParam,
        body: checkpointReviewRequest,
        response: {
          201: z.object({
            opportunityId: z.number().int(),
            kind: z.enum(CHECKPOINT_KINDS),
            period: z.string(),
            outcome: z.enum(CHECKPOINT_OUTCOMES),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await checkpoints.recordCheckpoint(db, actorOf(req), req.params.id, req.body, ipOf(req))),
  );
}
