import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BUYING_PHASES, QUALIFICATION_FACTS } from '../../domain/buying-phase.ts';
import { ROOT_CAUSES, TEAM_ROLES } from '../../domain/opportunity.ts';
import { STRATEGIES, STRATEGY_QUESTIONS } from '../../domain/win-strategy.ts';
import { errorResponses, idParam, optionalText, text, versionField } from '../../contracts/common.ts';
import { actorOf } from '../../server/request.ts';
import { opportunitySchema, permissionsSchema } from '../opportunities/routes.ts';
import * as insight from './service.ts';
import { needs } from '../../server/access.ts';

const ANSWERS = ['yes', 'partly', 'no'] as const;

const factOut = z.object({ answer: z.enum(ANSWERS), note: z.string().nullable() }).nullable();
const factIn = z.strictObject({ answer: z.enum(ANSWERS), note: optionalText(1000) }).nullable().optional();
const step = z.object({ question: z.enum(STRATEGY_QUESTIONS), answer: z.boolean() });
const answersIn = z.strictObject(Object.fromEntries(STRATEGY_QUESTIONS.map((q) => [q, z.boolean().optional()])) as Record<(typeof STRATEGY_QUESTIONS)[number], z.ZodOptional<z.ZodBoolean>>);
const answersOut = z.object(Object.fromEntries(STRATEGY_QUESTIONS.map((q) => [q, z.boolean().optional()])) as Record<(typeof STRATEGY_QUESTIONS)[number], z.ZodOptional<z.ZodBoolean>>);

/** SWOT: up to 10 points per quadrant, each one line. */
const swotPoints = z.array(text(300)).max(10, 'at most 10 points');
const swotSchema = z.object({ strengths: z.array(z.string()), weaknesses: z.array(z.string()), opportunities: z.array(z.string()), threats: z.array(z.string()) });
const competitorSchema = z.object({ name: z.string(), strengths: z.string(), weaknesses: z.string(), status: z.enum(insight.COMPETITOR_STATUSES) });

export const insightSchema = opportunitySchema.extend({
  team: z.array(z.object({ id: z.number().int(), userId: z.number().int(), userName: z.string(), teamRole: z.enum(TEAM_ROLES) })),
  permissions: permissionsSchema,
  qualification: z.object(Object.fromEntries(QUALIFICATION_FACTS.map((f) => [f, factOut])) as Record<(typeof QUALIFICATION_FACTS)[number], typeof factOut>),
  qualificationScore: z.number().int().min(0).max(100),
  weakened: z.array(z.enum(QUALIFICATION_FACTS)).describe('facts weaker than in the previous assessment'),
  qualificationAssessedAt: z.number().int().nullable(),
  qualificationAssessedByName: z.string().nullable(),
  swot: swotSchema,
  competitors: z.array(competitorSchema),
  strategy: z.object({
    strategy: z.enum(STRATEGIES),
    path: z.array(step),
    answers: answersOut,
    decidedAt: z.number().int(),
    decidedBy: z.number().int(),
    decidedByName: z.string().nullable(),
  }).nullable(),
  advantageLost: z.boolean(),
  stageBuyingPhase: z.enum(BUYING_PHASES).nullable(),
});

const reviewSchema = z.object({
  id: z.number().int(), reviewerId: z.number().int(), reviewerName: z.string().nullable(), completedStep: z.string(), evidence: z.string().nullable(),
  nextAction: z.string(), jointPlan: z.string().nullable(),
  rootCause: z.enum(ROOT_CAUSES).nullable().describe('what the reviewer sees behind the problem (docs/sales-process.md)'),
  nextActionDate: z.string().nullable().describe('when the next action is due; it became the opportunity\'s next step'),
  createdAt: z.number().int(),
});

export default async function opportunityInsightRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const tags = ['opportunities'];

  r.get('/opportunities/:id/insight', {
    config: { access: needs('opportunities.read') },
    schema: {
      tags,
      summary: 'Qualification (docs/sales-process.md § Qualification), SWOT and competitors, the win strategy (§5.6) and the buying phase of an opportunity',
      params: idParam,
      response: { 200: insightSchema, ...errorResponses },
    },
  }, async (req) => insight.getInsight(db, actorOf(req), req.params.id));

  r.put('/opportunities/:id/qualification', {
    config: { access: needs('opportunities.write') },
    schema: {
      tags,
      summary: 'Assess the six qualification facts; a fact weaker than before marks the advantage as lost (docs/sales-process.md)',
      params: idParam,
      body: z.strictObject({
        version: versionField,
        facts: z.strictObject(Object.fromEntries(QUALIFICATION_FACTS.map((f) => [f, factIn])) as Record<(typeof QUALIFICATION_FACTS)[number], typeof factIn>)
          .describe('each fact yes / partly / no with a note; null or left out when not assessed'),
      }),
      response: { 200: insightSchema, ...errorResponses },
    },
  }, async (req) => insight.saveQualification(db, actorOf(req), req.params.id, req.body));

  r.put('/opportunities/:id/analysis', {
    config: { access: needs('opportunities.write') },
    schema: {
      tags,
      summary: 'Replace the SWOT and the competitor list',
      params: idParam,
      body: z.strictObject({
        version: versionField,
        swot: z.strictObject({ strengths: swotPoints.default([]), weaknesses: swotPoints.default([]), opportunities: swotPoints.default([]), threats: swotPoints.default([]) }),
        competitors: z.array(z.strictObject({
          name: text(100),
          strengths: z.string().trim().max(1000, 'must be at most 1000 characters').default(''),
          weaknesses: z.string().trim().max(1000, 'must be at most 1000 characters').default(''),
          status: z.enum(insight.COMPETITOR_STATUSES),
        })).max(10, 'at most 10 competitors'),
      }),
      response: { 200: insightSchema, ...errorResponses },
    },
  }, async (req) => insight.saveAnalysis(db, actorOf(req), req.params.id, req.body));

  r.post('/opportunities/:id/strategy/next', {
    config: { access: needs('opportunities.read') },
    schema: {
      tags,
      summary: 'Win-strategy wizard (docs/sales-process.md § Win strategy): the next question for these answers, or the strategy they lead to; nothing is saved',
      params: idParam,
      body: z.strictObject({ answers: answersIn }),
      response: {
        200: z.object({ done: z.boolean(), next: z.enum(STRATEGY_QUESTIONS).optional(), strategy: z.enum(STRATEGIES).optional(), path: z.array(step) }),
        ...errorResponses,
      },
    },
  }, async (req) => insight.nextStrategyStep(db, actorOf(req), req.params.id, req.body.answers));

  r.put('/opportunities/:id/strategy', {
    config: { access: needs('opportunities.write') },
    schema: {
      tags,
      summary: 'Store the win strategy the answers lead to, with its path; 400 names answers.<next question> while they stop short',
      params: idParam,
      body: z.strictObject({ version: versionField, answers: answersIn }),
      response: { 200: insightSchema, ...errorResponses },
    },
  }, async (req) => insight.saveStrategy(db, actorOf(req), req.params.id, req.body));

  r.get('/opportunities/:id/reviews', {
    config: { access: needs('opportunities.read') },
    schema: { tags, summary: 'Pipeline review entries (盘问, docs/sales-process.md), newest first', params: idParam, response: { 200: z.object({ items: z.array(reviewSchema) }), ...errorResponses } },
  }, async (req) => insight.listReviews(db, actorOf(req), req.params.id));

  r.post('/opportunities/:id/reviews', {
    config: { access: needs('opportunities.write') },
    schema: {
      tags,
      summary: 'Record a pipeline review: step completed, evidence, next action, the plan made together (owner or a manager over it)',
      params: idParam,
      body: z.strictObject({
        completedStep: text(1000), evidence: optionalText(2000), nextAction: text(1000), jointPlan: optionalText(2000),
        rootCause: z.enum(ROOT_CAUSES).nullable().optional(),
        nextActionDate: z.iso.date('must be a date YYYY-MM-DD').nullable().optional().describe('a date makes the next action the opportunity\'s next step'),
      }),
      response: { 201: reviewSchema, ...errorResponses },
    },
  }, async (req, reply) => reply.code(201).send(await insight.addReview(db, actorOf(req), req.params.id, req.body)));
}
