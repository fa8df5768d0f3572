import { z } from 'zod';
import { versionField } from './common.ts';
import { ACTIVITY_TYPES } from '../domain/activities.ts';
import { QUOTA_BASES } from '../domain/quota.ts';
import { LINE_KEY_PATTERN } from '../domain/business-lines.ts';

/** The workspace rules: tier thresholds, follow-up cadence, pool release, claim limit (docs/archive.md). */
const days = (max: number) =>
  z
    .number()
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(max, `must be at most ${max} days`);
const bp = z
  .number()
  .int('must be whole basis points')
  .min(1, 'must be more than 0')
  .max(10_000, 'must be at most 10000 (100%)');

const percent = z
  .number()
  .int('must be a whole percent')
  .min(0, 'must be between 0 and 100')
  .max(100, 'must be between 0 and 100');

const perWeek = z
  .number()
  .int('must be a whole number')
  .min(0, 'must be between 0 and 1000')
  .max(1_000, 'must be between 0 and 1000');

export const businessLineSchema = z.object({
  key: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  products: z.array(z.string()),
});
const lineName = z.string().trim().min(1, 'is required').max(60, 'must be at most 60 characters');
export const businessLineInput = z.strictObject({
  key: z
    .string()
    .regex(LINE_KEY_PATTERN, 'must be lower-case letters, digits, - or _, starting with a letter (at most 40)')
    .refine((key) => key !== 'none', 'none is reserved for deals of no line'),
  nameZh: lineName,
  nameEn: lineName,
  products: z
    .array(z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'))
    .max(200, 'must have at most 200 products'),
});

const tierDays = z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() });
export const rulesSchema = z.object({
  tierAShareBp: z
    .number()
    .int()
    .describe('ABC tiers: cumulative share of the amount that makes A, basis points (docs/archive.md)'),
  tierBShareBp: z.number().int().describe('cumulative share that makes A+B, basis points'),
  tierWindowMonths: z.number().int().describe('trailing window of purchases, months'),
  forecastCommitWeight: z
    .number()
    .int()
    .describe('revenue forecast: weight of commit, percent (docs/targets.md § Revenue forecast)'),
  forecastPossibleWeight: z.number().int().describe('revenue forecast: weight of possible, percent'),
  forecastUnforecastRate: z
    .number()
    .int()
    .describe('revenue forecast: unforecast share of the quota per remaining week, percent'),
  gapP1: z.number().int().describe('gap analysis P1: share of commit expected to close, percent'),
  gapP2: z.number().int().describe('gap analysis P2: share of the other identified deals, percent'),
  gapP3: z.number().int().describe('gap analysis P3: yield of new pipeline, percent'),
  taxRatePercent: z
    .number()
    .int()
    .describe('VAT rate between net and tax-inclusive quotas, percent (docs/targets.md § Quotas: 13 for × 1.13)'),
  defaultQuotaBasis: z
    .enum(QUOTA_BASES)
    .describe('the basis a new quota gets when its setter names none (docs/targets.md § Quotas)'),
  activityNewAccountsTarget: z
    .number()
    .int()
    .describe(
      'activity productivity: new accounts each rep should open a week; 0 = no target (docs/targets.md § Other analyses)',
    ),
  activityVisitsTarget: z.number().int().describe('activity productivity: visits per rep and week; 0 = no target'),
  collectionFirstPeriodShare: z
    .number()
    .int()
    .describe(
      'expected collections: share of a large contract collected in the period it is signed, percent (docs/targets.md § Expected collections)',
    ),
  collectionRealisationPercent: z
    .number()
    .int()
    .describe('expected collections: realisation factor applied to the total, percent'),
  followUpDays: tierDays.describe(
    'maximum days between qualifying follow-ups per tier (docs/archive.md § Follow-up cadence)',
  ),
  poolReleaseDays: z
    .object({ A: z.number().int().nullable(), B: z.number().int().nullable(), C: z.number().int().nullable() })
    .describe('days without follow-up before release to the pool; null = never (docs/archive.md)'),
  claimLimit: z.number().int().describe('most private accounts a rep may hold when claiming from the pool'),
  largeDealThreshold: z
    .number()
    .int()
    .describe('opportunity size class threshold, fen (docs/sales-process.md § The opportunity)'),
  qualifyingActivityTypes: z
    .array(z.enum(ACTIVITY_TYPES))
    .describe('activity types that count as a qualifying follow-up (docs/rhythm.md § Activities)'),
  stalledFactorPercent: z
    .number()
    .int()
    .describe("a deal is stalled after its stage's expected days × this / 100 (docs/sales-process.md § Problems)"),
  valueGrowthBp: z
    .number()
    .int()
    .describe(
      'value types: rise over the prior window that makes "growth", basis points (docs/archive.md § Value types)',
    ),
  valueShrinkBp: z
    .number()
    .int()
    .describe('value types: fall over the prior window that makes "shrinking", basis points'),
  callbackRatePercent: z
    .number()
    .int()
    .describe("callback audit: share of each rep's visits of a month drawn for callbacks, percent (docs/rhythm.md)"),
  businessLines: z
    .array(businessLineSchema)
    .describe(
      'business lines and the products each sells; a deal counts toward the line of its products (docs/targets.md § Business lines)',
    ),
  version: z.number().int().describe('the workspace version'),
});

export const updateRulesRequest = z.strictObject({
  version: versionField,
  tierAShareBp: bp.optional(),
  tierBShareBp: bp.optional(),
  tierWindowMonths: z
    .number()
    .int('must be whole months')
    .min(1, 'must be at least 1 month')
    .max(60, 'must be at most 60 months')
    .optional(),
  forecastCommitWeight: percent.optional(),
  forecastPossibleWeight: percent.optional(),
  forecastUnforecastRate: percent.optional(),
  gapP1: percent.optional(),
  gapP2: percent.optional(),
  gapP3: percent.min(1, 'must be between 1 and 100').optional(),
  taxRatePercent: percent.optional(),
  defaultQuotaBasis: z.enum(QUOTA_BASES).optional(),
  activityNewAccountsTarget: perWeek.optional(),
  activityVisitsTarget: perWeek.optional(),
  collectionFirstPeriodShare: percent.optional(),
  collectionRealisationPercent: percent.optional(),
  followUpDays: z
    .strictObject({ A: days(365).optional(), B: days(365).optional(), C: days(365).optional() })
    .optional(),
  poolReleaseDays: z
    .strictObject({
      A: days(3650).nullable().optional(),
      B: days(3650).nullable().optional(),
      C: days(3650).nullable().optional(),
    })
    .optional(),
  claimLimit: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100_000, 'must be at most 100000')
    .optional(),
  largeDealThreshold: z
    .number()
    .int('must be whole fen')
    .min(1, 'must be more than 0')
    .max(1e15, 'is too large')
    .optional(),
  qualifyingActivityTypes: z
    .array(z.enum(ACTIVITY_TYPES))
    .min(1, 'must name at least one type')
    .max(ACTIVITY_TYPES.length)
    .refine((a) => new Set(a).size === a.length, 'must not repeat a type')
    .optional()
    .describe('which activity types count as a qualifying follow-up; applies to activities written from now on'),
  stalledFactorPercent: z
    .number()
    .int('must be a whole percent')
    .min(100, 'must be at least 100 (the expected days themselves)')
    .max(1_000, 'must be at most 1000 (ten times the expected days)')
    .optional(),
  valueGrowthBp: z
    .number()
    .int('must be whole basis points')
    .min(1, 'must be more than 0')
    .max(100_000, 'must be at most 100000 (1000%)')
    .optional(),
  valueShrinkBp: bp.optional(),
  callbackRatePercent: percent.min(1, 'must be between 1 and 100').optional(),
  businessLines: z
    .array(businessLineInput)
    .max(20, 'must have at most 20 lines')
    .optional()
    .describe('the whole list of lines (replaces the one stored); every deal is re-sorted by its products'),
});

export type Rules = z.infer<typeof rulesSchema>;
export type UpdateRulesRequest = z.infer<typeof updateRulesRequest>;
export type UpdateRulesInput = z.input<typeof updateRulesRequest>;
