import { z } from 'zod';
import { optionalText, versionField } from './common.ts';
import { periodSchema, scopeSchema } from './targets.ts';

/**
 * Payment plans and the expected collections of large projects (docs/targets.md § Expected
 * collections). Money in fen, dates YYYY-MM-DD in the workspace's zone.
 */
const fen = z.number().int('must be a whole number of fen').min(1, 'must be more than 0').max(1e15, 'is too large');

export const installmentSchema = z.object({
  dueDate: z.string(),
  amount: z.number().int(),
  note: z.string().nullable(),
});

export const paymentPlanSchema = z.object({
  opportunityId: z.number().int(),
  installments: z.array(installmentSchema).describe('by due date'),
  total: z.number().int().describe('Σ installments, fen'),
  version: z.number().int().nullable().describe('null while the opportunity has no plan'),
  updatedAt: z.number().int().nullable(),
  canEdit: z.boolean(),
});

export const savePaymentPlanRequest = z.strictObject({
  version: versionField.optional().describe('the version read; leave out for the first plan of the opportunity'),
  installments: z
    .array(
      z.strictObject({
        dueDate: z.iso.date('must be a date YYYY-MM-DD'),
        amount: fen,
        note: optionalText(200),
      }),
    )
    .max(60, 'must have at most 60 installments')
    .describe('the whole plan; an empty list removes it'),
});

const collectionStage = z.object({
  stageId: z.number().int(),
  name: z.string(),
  probability: z.number().int(),
  count: z.number().int().describe('open large deals of the stage expected to sign in the period'),
  amount: z.number().int(),
  expectedAmount: z.number().int(),
  planned: z.number().int().describe('of them, with a payment plan'),
  collections: z.number().int().describe('what they should bring in the period, before the realisation factor'),
});

export const collectionsResponse = z.object({
  scope: scopeSchema,
  process: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  period: periodSchema,
  largeDealThreshold: z.number().int(),
  firstPeriodShare: z.number().int().describe('percent, a workspace rule'),
  realisationPercent: z.number().int().describe('percent, a workspace rule'),
  stages: z.array(collectionStage),
  open: z.number().int().describe('Σ stages: the open large deals'),
  installments: z.number().int().describe('installments of won large deals due in the period'),
  wonUnplanned: z.number().int().describe('large deals won in the period without a plan × the first-period share'),
  total: z.number().int().describe('(open + installments + wonUnplanned) × the realisation factor'),
  deals: z
    .array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        status: z.enum(['open', 'won']),
        stageId: z.number().int().nullable(),
        amount: z.number().int(),
        dueInPeriod: z.number().int().describe('its installments due in the period'),
        expected: z.number().int().describe('what it should bring: due × probability (open), due (won)'),
      }),
    )
    .describe('the deals with a payment plan behind the figure, most expected first (at most 100)'),
});

export type PaymentPlan = z.infer<typeof paymentPlanSchema>;
export type SavePaymentPlanRequest = z.infer<typeof savePaymentPlanRequest>;
export type CollectionsResponse = z.infer<typeof collectionsResponse>;
