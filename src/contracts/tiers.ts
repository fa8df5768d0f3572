import { z } from 'zod';
import { queryId, versionField } from './common.ts';
import { NAMED_CRITERIA, TIERS, VALUE_TYPES } from '../domain/accounts.ts';

/**
 * ABC tiers, value types and named accounts (docs/archive.md). The override and named routes
 * answer with the account (the accounts contract's detail shape).
 */
const tierCounts = z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() });

export const recomputeRequest = z.strictObject({}).optional();
export const recomputeResult = z.object({
  accounts: z.number().int(),
  updated: z.number().int().describe('accounts whose computed tier, value type or amounts changed'),
  tierChanged: z.number().int().describe('accounts whose effective tier changed (each logged in the history)'),
  byTier: tierCounts,
  window: z.object({
    from: z.number().int(),
    to: z.number().int(),
    priorFrom: z.number().int(),
    months: z.number().int(),
  }),
  computedAt: z.number().int(),
});

export const summaryQuery = z.strictObject({ orgUnitId: queryId.optional().describe('unit, including its sub-units') });
export const tierSummarySchema = z.object({
  tiers: z.array(
    z.object({
      tier: z.enum(TIERS),
      count: z.number().int(),
      trailingAmount: z.number().int(),
      priorAmount: z.number().int(),
      overridden: z.number().int(),
    }),
  ),
  valueTypes: z.array(
    z.object({
      valueType: z.enum(VALUE_TYPES).nullable().describe('null: no purchases in either window'),
      count: z.number().int(),
      trailingAmount: z.number().int(),
      priorAmount: z.number().int(),
      strategy: z.string().nullable(),
    }),
  ),
  matrix: z.array(
    z.object({
      tier: z.enum(TIERS),
      valueType: z.enum(VALUE_TYPES).nullable(),
      count: z.number().int(),
      trailingAmount: z.number().int(),
    }),
  ),
  total: z.object({ count: z.number().int(), trailingAmount: z.number().int() }),
  thresholds: z.object({
    aShareBp: z.number().int(),
    bShareBp: z.number().int(),
    windowMonths: z.number().int(),
    growthBp: z.number().int(),
    shrinkBp: z.number().int(),
  }),
  computedAt: z.number().int().nullable(),
});

export const tierOverrideRequest = z.strictObject({
  version: versionField,
  tier: z.enum(TIERS).nullable(),
  reason: z
    .string()
    .trim()
    .max(500, 'must be at most 500 characters')
    .optional()
    .describe('required when setting an override'),
});

const criteriaShape = Object.fromEntries(NAMED_CRITERIA.map((k) => [k, z.boolean().optional()])) as Record<
  (typeof NAMED_CRITERIA)[number],
  z.ZodOptional<z.ZodBoolean>
>;
export const namedRequest = z.strictObject({
  version: versionField,
  named: z.boolean().optional(),
  criteria: z.strictObject(criteriaShape).optional(),
});

export type RecomputeResult = z.infer<typeof recomputeResult>;
export type TierSummary = z.infer<typeof tierSummarySchema>;
export type TierOverrideRequest = z.infer<typeof tierOverrideRequest>;
export type TierOverrideInput = z.input<typeof tierOverrideRequest>;
export type NamedRequest = z.infer<typeof namedRequest>;
export type NamedInput = z.input<typeof namedRequest>;
