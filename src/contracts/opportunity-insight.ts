import { z } from 'zod';
import { optionalText, text, versionField } from './common.ts';
import { opportunitySchema, permissionsSchema, teamMemberSchema } from './opportunities.ts';
import { BUYING_PHASES, QUALIFICATION_ANSWERS, QUALIFICATION_FACTS } from '../domain/buying-phase.ts';
import { COMPETITOR_STATUSES, ROOT_CAUSES } from '../domain/opportunity.ts';
import { STRATEGIES, STRATEGY_QUESTIONS } from '../domain/win-strategy.ts';

/**
 * The analysis of an opportunity (docs/sales-process.md § Qualification, § Win strategy):
 * qualification facts, SWOT and competitors, the win strategy, pipeline reviews.
 */

type Question = (typeof STRATEGY_QUESTIONS)[number];
type Fact = (typeof QUALIFICATION_FACTS)[number];

const factOut = z.object({ answer: z.enum(QUALIFICATION_ANSWERS), note: z.string().nullable() }).nullable();
const factIn = z
  .strictObject({ answer: z.enum(QUALIFICATION_ANSWERS), note: optionalText(1000) })
  .nullable()
  .optional();
export const strategyStepSchema = z.object({ question: z.enum(STRATEGY_QUESTIONS), answer: z.boolean() });
const answersIn = z.strictObject(
  Object.fromEntries(STRATEGY_QUESTIONS.map((q) => [q, z.boolean().optional()])) as Record<
    Question,
    z.ZodOptional<z.ZodBoolean>
  >,
);
const answersOut = z.object(
  Object.fromEntries(STRATEGY_QUESTIONS.map((q) => [q, z.boolean().optional()])) as Record<
    Question,
    z.ZodOptional<z.ZodBoolean>
  >,
);

/** SWOT: up to 10 points per quadrant, each one line. */
const swotPoints = z.array(text(300)).max(10, 'at most 10 points');
export const swotSchema = z.object({
  strengths: z.array(z.string()),
  weaknesses: z.array(z.string()),
  opportunities: z.array(z.string()),
  threats: z.array(z.string()),
});
export const competitorSchema = z.object({
  name: z.string(),
  strengths: z.string(),
  weaknesses: z.string(),
  status: z.enum(COMPETITOR_STATUSES),
});

export const insightSchema = opportunitySchema.extend({
  team: z.array(teamMemberSchema),
  permissions: permissionsSchema,
  qualification: z.object(
    Object.fromEntries(QUALIFICATION_FACTS.map((f) => [f, factOut])) as Record<Fact, typeof factOut>,
  ),
  qualificationScore: z.number().int().min(0).max(100),
  weakened: z.array(z.enum(QUALIFICATION_FACTS)).describe('facts weaker than in the previous assessment'),
  qualificationAssessedAt: z.number().int().nullable(),
  qualificationAssessedByName: z.string().nullable(),
  swot: swotSchema,
  competitors: z.array(competitorSchema),
  strategy: z
    .object({
      strategy: z.enum(STRATEGIES),
      path: z.array(strategyStepSchema),
      answers: answersOut,
      decidedAt: z.number().int(),
      decidedBy: z.number().int(),
      decidedByName: z.string().nullable(),
    })
    .nullable(),
  advantageLost: z.boolean(),
  stageBuyingPhase: z.enum(BUYING_PHASES).nullable(),
});

export const reviewSchema = z.object({
  id: z.number().int(),
  reviewerId: z.number().int(),
  reviewerName: z.string().nullable(),
  completedStep: z.string(),
  evidence: z.string().nullable(),
  nextAction: z.string(),
  jointPlan: z.string().nullable(),
  rootCause: z
    .enum(ROOT_CAUSES)
    .nullable()
    .describe('what the reviewer sees behind the problem (docs/sales-process.md)'),
  nextActionDate: z.string().nullable().describe("when the next action is due; it became the opportunity's next step"),
  createdAt: z.number().int(),
});
export const reviewList = z.object({ items: z.array(reviewSchema) });

export const qualificationRequest = z.strictObject({
  version: versionField,
  facts: z
    .strictObject(Object.fromEntries(QUALIFICATION_FACTS.map((f) => [f, factIn])) as Record<Fact, typeof factIn>)
    .describe('each fact yes / partly / no with a note; null or left out when not assessed'),
});

export const analysisRequest = z.strictObject({
  version: versionField,
  swot: z.strictObject({
    strengths: swotPoints.default([]),
    weaknesses: swotPoints.default([]),
    opportunities: swotPoints.default([]),
    threats: swotPoints.default([]),
  }),
  competitors: z
    .array(
      z.strictObject({
        name: text(100),
        strengths: z.string().trim().max(1000, 'must be at most 1000 characters').default(''),
        weaknesses: z.string().trim().max(1000, 'must be at most 1000 characters').default(''),
        status: z.enum(COMPETITOR_STATUSES),
      }),
    )
    .max(10, 'at most 10 competitors'),
});

export const strategyNextRequest = z.strictObject({ answers: answersIn });
export const strategyStepResultSchema = z.object({
  done: z.boolean(),
  next: z.enum(STRATEGY_QUESTIONS).optional(),
  strategy: z.enum(STRATEGIES).optional(),
  path: z.array(strategyStepSchema),
});
export const strategyRequest = z.strictObject({ version: versionField, answers: answersIn });

export const addReviewRequest = z.strictObject({
  completedStep: text(1000),
  evidence: optionalText(2000),
  nextAction: text(1000),
  jointPlan: optionalText(2000),
  rootCause: z.enum(ROOT_CAUSES).nullable().optional(),
  nextActionDate: z.iso
    .date('must be a date YYYY-MM-DD')
    .nullable()
    .optional()
    .describe("a date makes the next action the opportunity's next step"),
});

export type { QualificationAnswer } from '../domain/buying-phase.ts';
export type CompetitorStatus = (typeof COMPETITOR_STATUSES)[number];
export type Swot = z.infer<typeof swotSchema>;
export type Competitor = z.infer<typeof competitorSchema>;
export type Insight = z.infer<typeof insightSchema>;
export type Review = z.infer<typeof reviewSchema>;
export type QualificationRequest = z.infer<typeof qualificationRequest>;
export type QualificationInput = z.input<typeof qualificationRequest>;
export type AnalysisRequest = z.infer<typeof analysisRequest>;
export type AnalysisInput = z.input<typeof analysisRequest>;
export type StrategyStepResult = z.infer<typeof strategyStepResultSchema>;
export type StrategyRequest = z.infer<typeof strategyRequest>;
export type AddReviewRequest = z.infer<typeof addReviewRequest>;
export type AddReviewInput = z.input<typeof addReviewRequest>;
