import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../contracts/common.ts';
import * as contract from '../../contracts/opportunity-insight.ts';
import { actorOf } from '../../server/request.ts';
import * as insight from './service.ts';
import { needs } from '../../server/access.ts';

export default async function opportunityInsightRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const tags = ['opportunities'];

  routes.get(
    '/opportunities/:id/insight',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags,
        summary:
          'Qualification (docs/sales-process.md § Qualification), SWOT and competitors, the win strategy (§5.6) and the buying phase of an opportunity',
        params: idParam,
        response: { 200: contract.insightSchema, ...errorResponses },
      },
    },
    async (req) => insight.getInsight(db, actorOf(req), req.params.id),
  );

  routes.put(
    '/opportunities/:id/qualification',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags,
        summary:
          'Assess the six qualification facts; a fact weaker than before marks the advantage as lost (docs/sales-process.md)',
        params: idParam,
        body: contract.qualificationRequest,
        response: { 200: contract.insightSchema, ...errorResponses },
      },
    },
    async (req) => insight.saveQualification(db, actorOf(req), req.params.id, req.body),
  );

  routes.put(
    '/opportunities/:id/analysis',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags,
        summary: 'Replace the SWOT and the competitor list',
        params: idParam,
        body: contract.analysisRequest,
        response: { 200: contract.insightSchema, ...errorResponses },
      },
    },
    async (req) => insight.saveAnalysis(db, actorOf(req), req.params.id, req.body),
  );

  routes.post(
    '/opportunities/:id/strategy/next',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags,
        summary:
          'Win-strategy wizard (docs/sales-process.md § Win strategy): the next question for these answers, or the strategy they lead to; nothing is saved',
        params: idParam,
        body: contract.strategyNextRequest,
        response: { 200: contract.strategyStepResultSchema, ...errorResponses },
      },
    },
    async (req) => insight.nextStrategyStep(db, actorOf(req), req.params.id, req.body.answers),
  );

  routes.put(
    '/opportunities/:id/strategy',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags,
        summary:
          'Store the win strategy the answers lead to, with its path; 400 names answers.<next question> while they stop short',
        params: idParam,
        body: contract.strategyRequest,
        response: { 200: contract.insightSchema, ...errorResponses },
      },
    },
    async (req) => insight.saveStrategy(db, actorOf(req), req.params.id, req.body),
  );

  routes.get(
    '/opportunities/:id/reviews',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags,
        summary: 'Pipeline review entries (盘问, docs/sales-process.md), newest first',
        params: idParam,
        response: { 200: contract.reviewList, ...errorResponses },
      },
    },
    async (req) => insight.listReviews(db, actorOf(req), req.params.id),
  );

  routes.post(
    '/opportunities/:id/reviews',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags,
        summary:
          'Record a pipeline review: step completed, evidence, next action, the plan made together (owner or a manager over it)',
        params: idParam,
        body: contract.addReviewRequest,
        response: { 201: contract.reviewSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await insight.addReview(db, actorOf(req), req.params.id, req.body)),
  );
}
