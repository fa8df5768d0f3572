import { z } from 'zod';
import { text } from './common.ts';

/**
 * The planning calculators (docs/targets.md): a manager types the numbers and gets the
 * standard funnel, the flow projection with the opportunity gap, the forecast and the P1–P4
 * gap. Money in fen (integers), probabilities and weights in integer percent, counts and wins
 * plain numbers (may be fractional). Every answer is computed by the same domain functions the
 * live reports use.
 */
const fen = z.number().int('must be a whole number of fen').min(0, 'must not be negative').max(1e15, 'is too large');
const positiveFen = z
  .number()
  .int('must be a whole number of fen')
  .min(1, 'must be more than 0')
  .max(1e15, 'is too large');
const percent = z
  .number()
  .int('must be a whole percent')
  .min(0, 'must be between 0 and 100')
  .max(100, 'must be between 0 and 100');
const positivePercent = z
  .number()
  .int('must be a whole percent')
  .min(1, 'must be between 1 and 100')
  .max(100, 'must be between 1 and 100');
const weeks = z.number().min(0, 'must not be negative').max(520, 'must be at most 520 weeks');
const positiveWeeks = z.number().gt(0, 'must be more than 0').max(520, 'must be at most 520 weeks');
const count = z.number().min(0, 'must not be negative').max(1e9, 'is too large');

const stage = {
  name: text(100),
  probability: percent.describe('win probability of the stage, percent'),
  weeks: positiveWeeks.optional().describe('expected time in the stage, weeks; default 1'),
};
const stages = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, 'must have at least one stage').max(30, 'must have at most 30 stages');

export const standardFunnelRequest = z.strictObject({
  quota: fen,
  averageDeal: positiveFen,
  weeks: positiveWeeks.describe('weeks in the period'),
  stages: stages(z.strictObject(stage)),
  newPerRepPerWeek: z.number().gt(0, 'must be more than 0').max(1e6, 'is too large').optional(),
});
export const standardFunnelResponse = z.object({
  dealsNeeded: z.number().int(),
  winsPerWeek: z.number(),
  newPerWeek: z.number().int(),
  repsNeeded: z.number().int().nullable(),
  stages: z.array(
    z.object({ name: z.string(), standard: z.number().int().nullable().describe('null for a 0% stage') }),
  ),
});

const projectionWeek = z.object({ week: z.number().int(), wins: z.number() });

export const funnelGapRequest = z.strictObject({
  quota: fen,
  realised: fen,
  averageDeal: positiveFen,
  stages: stages(z.strictObject({ ...stage, count: count.describe('open deals in the stage now') })),
  newPerWeek: z
    .array(count)
    .max(520, 'must cover at most 520 weeks')
    .optional()
    .describe('newPerWeek[k] deals join the first stage in week k+1'),
});
export const funnelGapResponse = z.object({
  expectedDeals: z.number(),
  expectedAmount: z.number().int(),
  gapAmount: z.number().int(),
  gapDeals: z.number(),
  firstStageNeeded: z.number(),
  weeks: z.array(projectionWeek),
});

export const forecastRequest = z.strictObject({
  quota: fen,
  realised: fen,
  commit: fen,
  possible: fen,
  weeksLeft: weeks,
  commitWeight: percent.optional(),
  possibleWeight: percent.optional(),
  unforecastRate: percent.optional(),
});
export const forecastResponse = z.object({
  forecast: z.number().int(),
  completion: z.number().nullable().describe('forecast ÷ quota as a fraction; null for a zero quota'),
  commitPart: z.number().int(),
  possiblePart: z.number().int(),
  unforecastPart: z.number().int(),
});

export const gapRequest = z.strictObject({
  quota: fen,
  finished: fen,
  commit: fen,
  nonCommit: fen,
  averageDeal: positiveFen,
  weeksLeft: weeks.optional(),
  p1: percent.optional(),
  p2: percent.optional(),
  p3: positivePercent.optional(),
});
export const gapResponse = z.object({
  gap0: z.number().int(),
  gap1: z.number().int(),
  gap2: z.number().int(),
  gap3: z.number().int(),
  newAccounts: z.number(),
  newAccountsPerWeek: z.number().nullable(),
});

export type StandardFunnelRequest = z.infer<typeof standardFunnelRequest>;
export type StandardFunnelResponse = z.infer<typeof standardFunnelResponse>;
export type FunnelGapRequest = z.infer<typeof funnelGapRequest>;
export type FunnelGapResponse = z.infer<typeof funnelGapResponse>;
export type ForecastRequest = z.infer<typeof forecastRequest>;
export type ForecastResponse = z.infer<typeof forecastResponse>;
export type GapRequest = z.infer<typeof gapRequest>;
export type GapResponse = z.infer<typeof gapResponse>;
