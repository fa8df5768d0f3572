import { z } from 'zod';
import { INT4_MAX, optionalText, queryInt, recordId, versionField } from './common.ts';
import { periodParam, periodSchema, scopeParam, scopeSchema } from './targets.ts';
import { lineParam } from './funnel.ts';

/**
 * The revenue forecast and the analyses beside it (docs/targets.md § Revenue forecast, § Gap
 * analysis P1–P4): reps' weekly submissions, managers' adjusted figures, the rolling history,
 * accuracy afterwards and the live P1–P4 gap. Money in fen, weights in integer percent. Every
 * read takes a scope and a period (src/contracts/targets.ts) and answers 403 for a scope out of reach.
 */
export const FORECAST_SUBMIT_CATEGORIES = ['commit', 'possible'] as const;
export type SubmitCategory = (typeof FORECAST_SUBMIT_CATEGORIES)[number];

const fen = z.number().int('must be a whole number of fen').min(0, 'must not be negative').max(1e15, 'is too large');
const percent = z
  .number()
  .int('must be a whole percent')
  .min(0, 'must be between 0 and 100')
  .max(100, 'must be between 0 and 100');
const queryPercent = queryInt(percent);

export const scopedQuery = z.strictObject({ scope: scopeParam.optional(), period: periodParam.optional() });
export const periodQuery = z.strictObject({ period: periodParam.optional() });
/** The forecast of a scope, with a business line's own figures beside it when `line` names one. */
export const forecastQuery = scopedQuery.extend({ line: lineParam });

/** One deal of the caller's as the submission form shows it: the deal's own category unless this week's submission says otherwise. */
export const draftDeal = z.object({
  opportunityId: z.number().int(),
  name: z.string(),
  accountName: z.string(),
  stageName: z.string().nullable(),
  probability: z.number().int().nullable(),
  expectedCloseDate: z.string().nullable(),
  dealAmount: z.number().int().describe("the deal's amount today, fen"),
  dealCategory: z.string().describe("the deal's own forecast category"),
  category: z
    .enum([...FORECAST_SUBMIT_CATEGORIES, 'none'])
    .describe("pre-filled: this week's submission, else the deal's category"),
  amount: z.number().int().describe('pre-filled amount, fen'),
});

export const submissionSummary = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  userName: z.string(),
  orgUnitId: z.number().int(),
  period: z.string(),
  weekStart: z.string().describe('Monday of the week submitted for'),
  commit: z.number().int(),
  possible: z.number().int(),
  quota: z.number().int(),
  realised: z.number().int(),
  forecast: z.number().int().describe('the forecast as it came to when submitted'),
  note: z.string().nullable(),
  submittedAt: z.number().int(),
  supersededAt: z.number().int().nullable().describe('set when a later submission of the same week replaced it'),
});
export const submissionDetail = submissionSummary.extend({
  deals: z.array(
    z.object({
      opportunityId: z.number().int(),
      name: z.string(),
      category: z.enum(FORECAST_SUBMIT_CATEGORIES),
      amount: z.number().int(),
    }),
  ),
});

export const draftResponse = z.object({
  period: periodSchema,
  weekStart: z.string(),
  quota: z.number().int(),
  realised: z.number().int(),
  current: submissionSummary.nullable().describe("this week's submission so far, if any"),
  deals: z.array(draftDeal),
});

export const submitRequest = z.strictObject({
  period: periodParam.optional(),
  deals: z
    .array(
      z.strictObject({
        opportunityId: recordId,
        category: z.enum(FORECAST_SUBMIT_CATEGORIES),
        amount: fen.describe('what the rep expects to collect from the deal in the period, fen'),
      }),
    )
    .max(2000, 'must name at most 2000 deals'),
  note: optionalText(1000),
});

export const submissionsQuery = scopedQuery.extend({
  history: z.enum(['true', 'false']).optional().describe('true: the replaced submissions too'),
  limit: queryInt(z.number().int().min(1).max(500)).optional(),
  offset: queryInt(z.number().int().min(0).max(INT4_MAX)).optional(),
});

export const adjustmentSchema = z.object({
  id: z.number().int(),
  orgUnitId: z.number().int(),
  period: z.string(),
  weekStart: z.string(),
  amount: z.number().int(),
  note: z.string().nullable(),
  adjustedBy: z.number().int(),
  adjustedByName: z.string(),
  updatedAt: z.number().int(),
  version: z.number().int(),
});
export const adjustRequest = z.strictObject({
  unitId: recordId.describe("the unit whose figure this is: the manager's own or one below it"),
  period: periodParam.optional(),
  amount: fen.describe("the manager's forecast for the unit, fen"),
  note: optionalText(1000),
  version: versionField.optional().describe('the version read; omit only when the week has no adjustment yet'),
});

export const forecastWeights = z.object({
  commitWeight: z.number().int(),
  possibleWeight: z.number().int(),
  unforecastRate: z.number().int(),
});

export const forecastView = z.object({
  scope: scopeSchema,
  period: periodSchema,
  weekStart: z.string(),
  weights: forecastWeights,
  quota: z.number().int(),
  realised: z.number().int().describe('won in the period'),
  commit: z.number().int().describe("Σ of each member's latest submission in the period"),
  possible: z.number().int(),
  forecast: z.number().int(),
  completion: z.number().nullable(),
  commitPart: z.number().int(),
  possiblePart: z.number().int(),
  unforecastPart: z.number().int(),
  objective: z
    .object({ expectedAmount: z.number().int(), amount: z.number().int(), deals: z.number().int() })
    .describe(
      "the funnel's objective figure: open deals expected to close in the period, Σ amount × stage probability",
    ),
  line: z
    .object({
      key: z.string().describe('the line asked for: a key, or none'),
      quota: z.number().int().describe("the line's part of the quota (its category); no line: 0"),
      realised: z.number().int().describe("the line's deals won in the period"),
      objective: z
        .object({ expectedAmount: z.number().int(), amount: z.number().int(), deals: z.number().int() })
        .describe("the funnel's objective figure of the line's deals"),
    })
    .nullable()
    .describe(
      'with line=…: the figures a business line has of its own; the submissions (commit, possible, forecast) stay per rep, of every line',
    ),
  adjustment: adjustmentSchema.nullable().describe("a unit's manager-set figure for this week"),
  submitted: z.number().int().describe('members who submitted this week'),
  members: z.number().int().describe('reps and managers in the scope'),
  people: z.array(
    z.object({
      userId: z.number().int(),
      name: z.string(),
      weekStart: z.string().nullable(),
      submittedAt: z.number().int().nullable(),
      commit: z.number().int(),
      possible: z.number().int(),
      forecast: z.number().int().nullable(),
      realised: z.number().int(),
    }),
  ),
  weeks: z
    .array(
      z.object({
        weekStart: z.string(),
        submissions: z.number().int(),
        commit: z.number().int(),
        possible: z.number().int(),
        forecast: z.number().int(),
        adjusted: z.number().int().nullable(),
      }),
    )
    .describe('the rolling forecast: each week of the period so far'),
});

export const accuracyRow = z.object({
  kind: z.enum(['user', 'unit']),
  id: z.number().int(),
  name: z.string(),
  firstForecast: z.number().int().nullable().describe("the first week's submitted forecast"),
  lastForecast: z.number().int().nullable().describe('the latest submitted forecast'),
  actual: z.number().int().describe('won in the period'),
  accuracy: z.number().nullable().describe('actual ÷ latest forecast'),
  error: z.number().int().nullable().describe('latest forecast − actual'),
});
export const accuracyResponse = z.object({ scope: scopeSchema, period: periodSchema, rows: z.array(accuracyRow) });

export const gapQuery = scopedQuery.extend({
  line: lineParam,
  p1: queryPercent.optional(),
  p2: queryPercent.optional(),
  p3: queryInt(
    z.number().int('must be a whole percent').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100'),
  ).optional(),
});
export const gapView = z.object({
  scope: scopeSchema,
  period: periodSchema,
  line: z
    .string()
    .nullable()
    .describe(
      'the business line the gap is of (a key, or none): its part of the quota, its deals won and open; null: every line',
    ),
  quota: z.number().int(),
  finished: z.number().int().describe('won in the period'),
  commit: z.number().int().describe('open deals of the commit category expected to close in the period'),
  nonCommit: z.number().int().describe('the other open deals expected to close in the period'),
  averageDeal: z
    .number()
    .int()
    .describe('average won deal of the scope over the last 12 months (open deals when none)'),
  weeksLeft: z.number().int(),
  factors: z.object({ p1: z.number().int(), p2: z.number().int(), p3: z.number().int() }),
  gap0: z.number().int(),
  gap1: z.number().int(),
  gap2: z.number().int(),
  gap3: z.number().int(),
  newAccounts: z.number().nullable().describe('null while the scope has no deal to take an average from'),
  newAccountsPerWeek: z.number().nullable(),
});

/** The members of a scope furthest behind their quota: the units one level down, or the people of a unit without sub-units. */
export const behindResponse = z.object({
  scope: scopeSchema,
  period: periodSchema,
  items: z
    .array(
      z.object({
        kind: z.enum(['user', 'unit']),
        id: z.number().int(),
        name: z.string(),
        quota: z.number().int(),
        realised: z.number().int(),
        attainment: z.number().nullable().describe('realised ÷ quota'),
        gap: z.number().int().describe('quota − realised'),
      }),
    )
    .describe('furthest behind first (lowest attainment), at most `limit`; those without a quota are left out'),
});
export const behindQuery = scopedQuery.extend({ limit: queryInt(z.number().int().min(1).max(50)).optional() });

export type ScopedQuery = z.infer<typeof scopedQuery>;
export type ForecastQuery = z.infer<typeof forecastQuery>;
export type DraftResponse = z.infer<typeof draftResponse>;
export type DraftDeal = z.infer<typeof draftDeal>;
export type SubmitRequest = z.infer<typeof submitRequest>;
export type SubmissionSummary = z.infer<typeof submissionSummary>;
export type SubmissionDetail = z.infer<typeof submissionDetail>;
export type SubmissionsQuery = z.infer<typeof submissionsQuery>;
export type Adjustment = z.infer<typeof adjustmentSchema>;
export type AdjustRequest = z.infer<typeof adjustRequest>;
export type ForecastView = z.infer<typeof forecastView>;
export type AccuracyRow = z.infer<typeof accuracyRow>;
export type AccuracyResponse = z.infer<typeof accuracyResponse>;
export type GapQuery = z.infer<typeof gapQuery>;
export type GapView = z.infer<typeof gapView>;
export type BehindResponse = z.infer<typeof behindResponse>;
