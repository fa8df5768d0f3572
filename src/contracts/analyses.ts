import { z } from 'zod';
import { scopeSchema, periodSchema } from './targets.ts';

/**
 * The other analyses of docs/targets.md § Other analyses, for a scope and a period (the query
 * of src/contracts/forecasts.ts `scopedQuery`): deals by size band, win rate of new versus
 * existing customers, small versus large projects, the capability diagnosis per rep, and
 * activity productivity (src/modules/activities).
 */
const band = z.object({
  band: z.string().describe('lt20k, 20k-50k, 50k-100k, 100k-200k, ge200k (yuan)'),
  won: z.number().int(),
  wonAmount: z.number().int(),
  wonAverage: z.number().int().nullable(),
  lost: z.number().int().describe('lost or abandoned in the period'),
  winRate: z.number().nullable(),
  open: z.number().int().describe('open deals expected to close in the period'),
  openAmount: z.number().int(),
});
const customerClass = z.object({
  won: z.number().int(),
  lost: z.number().int(),
  winRate: z.number().nullable(),
  wonAmount: z.number().int(),
});
const projectClass = z.object({
  won: z.number().int(),
  wonAmount: z.number().int(),
  share: z.number().nullable().describe('of the revenue won in the period'),
  cycleDays: z.number().nullable().describe('average days from creation to win'),
  open: z.number().int(),
  openAmount: z.number().int(),
});
const activityFigures = z.object({
  activities: z.number().describe('done activities in the period'),
  visits: z.number(),
  qualifying: z.number().describe("qualifying follow-ups (the workspace's qualifying types)"),
  newAccounts: z.number(),
  won: z.number(),
  activitiesPerWeek: z.number(),
  visitsPerWeek: z.number(),
  qualifyingPerWeek: z.number(),
  newAccountsPerWeek: z.number(),
  visitsPerWon: z.number().nullable().describe('visits for each deal won; null without a win'),
});
export const DIAGNOSIS_CODES = ['too_few_new_accounts', 'low_win_rate', 'low_deal_value'] as const;

export const analysesResponse = z.object({
  scope: scopeSchema,
  period: periodSchema,
  sizeBands: z.array(band),
  newVsExisting: z
    .object({ new: customerClass, existing: customerClass })
    .describe('a customer is new for a deal when it had won nothing before the deal began'),
  projects: z.object({
    threshold: z.number().int().describe('large from this amount, fen'),
    small: projectClass,
    large: projectClass,
  }),
  diagnosis: z.array(
    z.object({
      userId: z.number().int(),
      name: z.string(),
      newAccounts: z.number().int(),
      won: z.number().int(),
      lost: z.number().int(),
      wonAmount: z.number().int(),
      winRate: z.number().nullable(),
      averageDeal: z.number().int().nullable(),
      problem: z.enum(DIAGNOSIS_CODES).nullable(),
      ratios: z.object({
        too_few_new_accounts: z.number().nullable(),
        low_win_rate: z.number().nullable(),
        low_deal_value: z.number().nullable(),
      }),
      topics: z.array(z.string()),
    }),
  ),
  activity: z
    .object({
      available: z.boolean().describe('always true since the activities area exists'),
      weeks: z.number().describe('weeks of the period elapsed (the per-week figures divide by this), at least 1'),
      qualifyingTypes: z.array(z.string()).describe("the workspace's qualifying follow-up types"),
      targets: z
        .object({
          newAccountsPerWeek: z.number().int().nullable(),
          visitsPerWeek: z.number().int().nullable(),
        })
        .describe('per rep and week, from Settings → Rules (SPEC §6.6: 5 new accounts); null = no target set'),
      team: activityFigures.describe('per rep: the average of the people below'),
      reps: z.array(activityFigures.extend({ userId: z.number().int(), name: z.string() })),
    })
    .describe('activity productivity: done activities of the period per rep and week, next to what they won'),
});

export type AnalysesResponse = z.infer<typeof analysesResponse>;
