import { z } from 'zod';
import { INT4_MAX, queryId, queryInt } from './common.ts';
import { PERIOD_NAME_PATTERN } from '../domain/period-name.ts';
import { periodSchema, scopeParam, scopeSchema } from './targets.ts';

/**
 * The live funnel and its health (docs/targets.md § Funnel, § Funnel health) for a scope, a
 * sales process and a period. Money in fen, probabilities in integer percent, expected deals
 * fractional. A period's funnel holds the open deals expected to close in it — and, while the
 * period is running, the open deals whose expected close has already passed (they can only
 * close now or later); `period=all` holds every open deal.
 */
/** A business line's key, or `none` for the deals of no line (docs/targets.md § Business lines). */
export const lineParam = z
  .string()
  .max(40)
  .optional()
  .describe("one business line's key (Settings → Rules), or none for the deals of no line; default every line");

export const funnelQuery = z.strictObject({
  scope: scopeParam.optional(),
  processId: queryId.optional().describe('default the active process holding the most open deals'),
  period: z
    .string()
    .regex(
      new RegExp(`^(all|${PERIOD_NAME_PATTERN.slice(1, -1)})$`),
      'must be all or a period such as FY2026, FY2026-Q3, FY2026-W05 or 2026-07',
    )
    .optional()
    .describe('all, FY2026, FY2026-Q3, FY2026-W05 or 2026-07; default the current fiscal quarter'),
  line: lineParam,
});

const figures = {
  count: z.number().int(),
  amount: z.number().int(),
  expectedAmount: z.number().int().describe("Σ amount × the stage's probability"),
  expectedDeals: z.number().describe("Σ the stage's probability"),
};

export const funnelStage = z.object({
  stageId: z.number().int(),
  name: z.string(),
  probability: z.number().int(),
  expectedDays: z.number().int(),
  ...figures,
  small: z.object({ count: z.number().int(), expectedDeals: z.number() }).describe('small projects, counted'),
  large: z
    .object({ count: z.number().int(), amount: z.number().int(), expectedAmount: z.number().int() })
    .describe('large projects, by amount'),
});

const processSchema = z.object({ id: z.number().int(), name: z.string() });

export const funnelResponse = z.object({
  scope: scopeSchema,
  process: processSchema.nullable().describe('null when the workspace has no process'),
  period: periodSchema.nullable().describe('null for period=all'),
  closeFrom: z
    .string()
    .nullable()
    .describe('the deals counted are expected to close on or after this day (null: also overdue ones)'),
  closeTo: z.string().nullable().describe('…and before this day'),
  line: z
    .string()
    .nullable()
    .describe("the business line shown as the list's line filter takes it (a key, or none); null: every line"),
  stages: z.array(funnelStage),
  total: z.object(figures),
  won: z.object({ count: z.number().int(), amount: z.number().int() }).describe('won in the period (realised)'),
  largeDealThreshold: z.number().int(),
});

/** The per-member table's sort keys: its columns; `stage:<id>` is the open deals in that stage. */
export const MEMBER_SORT_PATTERN =
  /^-?(name|unit|count|amount|expectedAmount|expectedDeals|won|quota|attainment|gap|stage:[1-9][0-9]{0,9})$/;

export const funnelMembersQuery = funnelQuery.extend({
  limit: queryInt(z.number().int().min(1).max(500)).default(50),
  offset: queryInt(z.number().int().min(0).max(INT4_MAX)).default(0),
  sort: z
    .string()
    .regex(
      MEMBER_SORT_PATTERN,
      'must be a column (name, unit, count, amount, expectedAmount, expectedDeals, won, quota, attainment, gap or stage:<id>), - first for descending',
    )
    .optional()
    .describe(
      "a column, descending with - first; default attainment (furthest behind first), for period=all -expectedAmount; people without the figure (no quota) last either way; ties by the gap, largest first, then the person's id",
    ),
  q: z.string().trim().max(100, 'must be at most 100 characters').optional().describe("part of a person's name"),
});

export const funnelMember = z.object({
  userId: z.number().int(),
  name: z.string(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  counts: z.array(z.number().int()).describe('open deals per stage, in the order of stages'),
  amounts: z.array(z.number().int()).describe('their amount per stage'),
  ...figures,
  won: z.number().int().describe('amount won in the period'),
  quota: z
    .number()
    .int()
    .nullable()
    .describe(
      "the person's own quota for the period (0 when none is set; with line, that line's part); null for period=all",
    ),
  attainment: z.number().nullable().describe('won ÷ quota; null without a quota'),
  gap: z
    .number()
    .int()
    .nullable()
    .describe('quota − won − expected amount (docs/targets.md § Opportunity gap); null for period=all'),
});
export const funnelMembersResponse = z.object({
  scope: scopeSchema,
  process: processSchema.nullable(),
  period: periodSchema.nullable(),
  stages: z.array(z.object({ stageId: z.number().int(), name: z.string(), probability: z.number().int() })),
  sort: z.string().describe('the order of the rows (the sort asked for, or the default)'),
  total: z
    .number()
    .int()
    .describe('the people matching (every person with deals or a seat in the scope, or those named like q)'),
  members: z.array(funnelMember).describe('a page of them: a row per person with deals or a seat in the scope'),
});

export const healthQuery = z.strictObject({
  scope: scopeParam.optional(),
  processId: queryId.optional(),
  period: z
    .string()
    .regex(new RegExp(PERIOD_NAME_PATTERN), 'must be a period such as FY2026, FY2026-Q3, FY2026-W05 or 2026-07')
    .optional(),
  line: lineParam,
});

export const healthResponse = z.object({
  scope: scopeSchema,
  process: processSchema.nullable(),
  period: periodSchema,
  quota: z.number().int(),
  realised: z.number().int(),
  averageDeal: z
    .number()
    .int()
    .nullable()
    .describe(
      'average won deal of the scope over the last 12 months (else of its open deals); null when there is none',
    ),
  averageDealBasis: z.enum(['won', 'open']).nullable(),
  standard: z
    .object({ dealsNeeded: z.number().int(), winsPerWeek: z.number(), newPerWeek: z.number().int() })
    .nullable()
    .describe('null without an average deal'),
  stages: z.array(
    z.object({
      stageId: z.number().int(),
      name: z.string(),
      probability: z.number().int(),
      count: z.number().int(),
      standard: z.number().int().nullable(),
      balance: z.number().nullable().describe('count ÷ standard'),
      expectedDays: z.number().int(),
      medianDays: z.number().nullable(),
      p80Days: z.number().nullable(),
      over: z
        .array(z.object({ id: z.number().int(), name: z.string(), days: z.number(), amount: z.number().int() }))
        .describe('open deals in the stage longer than expected, longest first (at most 20)'),
      overCount: z.number().int(),
    }),
  ),
  flags: z.object({ topHeavy: z.boolean(), bottomHeavy: z.boolean(), hollowMiddle: z.boolean() }),
  yield: z.object({
    expectedDeals: z.number(),
    expectedAmount: z.number().int().describe("Σ amount × probability of the period's funnel"),
    coverage: z.number().nullable().describe('(realised + expected amount) ÷ quota; null for a zero quota'),
  }),
  projection: z
    .array(z.object({ week: z.number().int(), wins: z.number(), cumulative: z.number() }))
    .describe('expected wins per remaining week from the funnel itself'),
  winsNeeded: z.number().nullable().describe('(quota − realised) ÷ average deal'),
  gap: z
    .object({
      gapAmount: z.number().int(),
      gapDeals: z.number(),
      firstStageNeeded: z.number(),
      perWeek: z
        .number()
        .nullable()
        .describe('new first-stage deals per remaining entry week; null when no entry can close in time'),
    })
    .nullable(),
});

export type FunnelResponse = z.infer<typeof funnelResponse>;
export type FunnelMembersResponse = z.infer<typeof funnelMembersResponse>;
export type FunnelMembersQuery = z.infer<typeof funnelMembersQuery>;
export type FunnelMember = z.infer<typeof funnelMember>;
export type HealthResponse = z.infer<typeof healthResponse>;
