import { z } from 'zod';
import { optionalText, queryId, queryInt, recordId, text } from './common.ts';
import { isoDate } from './tasks.ts';

/**
 * The 1-15-30 weekly review and the weekly plan and summary (docs/rhythm.md). Weeks are named
 * by their Monday in the workspace's calendar. Pure zod: the web app imports the types.
 */
export const CHECKPOINT_KINDS = ['weekly', 'day15', 'day30'] as const;
export const CHECKPOINT_OUTCOMES = ['reviewed', 'advanced', 'disqualified'] as const;
export const REVIEW_DUE = ['any', 'checkpoints', 'day15', 'day30'] as const;

const checkpointState = z.object({
  date: z.string().describe('the checkpoint date'),
  due: z.boolean().describe('falls in the week or before it, and is not done'),
  overdue: z.boolean().describe('due before the week began'),
  done: z
    .object({ outcome: z.enum(CHECKPOINT_OUTCOMES), note: z.string().nullable(), by: z.string(), at: z.number().int() })
    .nullable(),
});

export const weeklyReviewItem = z.object({
  id: z.number().int(),
  name: z.string(),
  account: z.object({ id: z.number().int(), name: z.string() }),
  owner: z.object({ id: z.number().int(), name: z.string() }),
  amount: z.number().int(),
  stageName: z.string().nullable(),
  enteredOn: z.string().describe('the date it entered the funnel (its creation), workspace zone'),
  weekly: z.object({ done: checkpointState.shape.done }),
  day15: checkpointState,
  day30: checkpointState,
  canReview: z.boolean(),
});

export const weeklyReviewQuery = z.strictObject({
  week: isoDate.optional().describe('any date of the week; default this week'),
  due: z.enum(REVIEW_DUE).default('any').describe('checkpoints: deals with a 15- or 30-day checkpoint due'),
  ownerId: queryId.optional(),
  orgUnitId: queryId.optional(),
  limit: queryInt(z.number().int().min(1).max(200)).default(50),
  offset: queryInt(z.number().int().min(0)).default(0),
});

export const weeklyReviewResponse = z.object({
  week: z.object({ start: z.string(), end: z.string() }),
  items: z.array(weeklyReviewItem),
  total: z.number().int(),
  counts: z
    .object({ open: z.number().int(), day15: z.number().int(), day30: z.number().int() })
    .describe('open deals, and those with a 15- or 30-day checkpoint due this week'),
});

export const checkpointReviewRequest = z.strictObject({
  kind: z.enum(CHECKPOINT_KINDS),
  week: isoDate.optional().describe('the week of a weekly look; default this week'),
  outcome: z
    .enum(CHECKPOINT_OUTCOMES)
    .describe('day30: advanced (with the evidence in note) or disqualified; weekly and day15: reviewed'),
  note: optionalText(2000),
});

export const WEEKLY_REPORT_PARTS = ['plan', 'summary'] as const;

const problem = z.strictObject({ problem: text(1000), solution: optionalText(1000) });

export const weeklyReportSchema = z.object({
  id: z.number().int().nullable().describe('null: nothing written for the week yet'),
  user: z.object({ id: z.number().int(), name: z.string() }),
  weekStart: z.string(),
  plan: z.object({
    visits: z.string().nullable(),
    targets: z.string().nullable(),
    deals: z.array(z.object({ opportunityId: z.number().int(), name: z.string(), note: z.string().nullable() })),
  }),
  planSubmittedAt: z.number().int().nullable(),
  summary: z.object({
    done: z.string().nullable(),
    progress: z.string().nullable(),
    problems: z.array(z.object({ problem: z.string(), solution: z.string() })),
    help: z.string().nullable(),
  }),
  summarySubmittedAt: z.number().int().nullable(),
  comments: z.array(
    z.object({
      id: z.number().int(),
      author: z.object({ id: z.number().int(), name: z.string() }),
      body: z.string(),
      createdAt: z.number().int(),
    }),
  ),
  version: z.number().int(),
  permissions: z.object({ edit: z.boolean(), comment: z.boolean() }),
});

export const weeklyReportQuery = z.strictObject({
  week: isoDate.optional(),
  userId: queryId.optional().describe('default: me'),
});

export const savePlanRequest = z.strictObject({
  week: isoDate,
  version: z.number().int().min(0).max(2_147_483_647).describe('0 for a new report, otherwise the version read'),
  visits: optionalText(4000),
  targets: optionalText(4000),
  deals: z
    .array(z.strictObject({ opportunityId: recordId, note: optionalText(500) }))
    .max(50)
    .default([]),
  submit: z.boolean().default(false).describe('submit the plan (it counts as written); false saves a draft'),
});

export const saveSummaryRequest = z.strictObject({
  week: isoDate,
  version: z.number().int().min(0).max(2_147_483_647),
  done: optionalText(4000),
  progress: optionalText(4000),
  problems: z.array(problem).max(20).default([]).describe('each problem carries its proposed solution'),
  help: optionalText(2000),
  submit: z.boolean().default(false),
});

export const commentRequest = z.strictObject({ body: text(2000) });

export const teamReportsQuery = z.strictObject({ week: isoDate.optional(), orgUnitId: queryId.optional() });
export const teamReportsResponse = z.object({
  week: z.object({ start: z.string(), end: z.string() }),
  items: z.array(
    z.object({
      user: z.object({ id: z.number().int(), name: z.string(), orgUnitLabel: z.string() }),
      reportId: z.number().int().nullable(),
      planSubmittedAt: z.number().int().nullable(),
      summarySubmittedAt: z.number().int().nullable(),
      problems: z.number().int(),
      comments: z.number().int(),
    }),
  ),
  missing: z.object({ plan: z.number().int(), summary: z.number().int() }),
});

export type WeeklyReviewItem = z.infer<typeof weeklyReviewItem>;
export type WeeklyReviewQuery = z.infer<typeof weeklyReviewQuery>;
export type WeeklyReviewResponse = z.infer<typeof weeklyReviewResponse>;
export type CheckpointReviewRequest = z.infer<typeof checkpointReviewRequest>;
export type WeeklyReport = z.infer<typeof weeklyReportSchema>;
export type SavePlanRequest = z.infer<typeof savePlanRequest>;
export type SaveSummaryRequest = z.infer<typeof saveSummaryRequest>;
export type TeamReportsResponse = z.infer<typeof teamReportsResponse>;
