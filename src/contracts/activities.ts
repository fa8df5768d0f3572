import { z } from 'zod';
import { ACTIVITY_STATUSES, ACTIVITY_TYPES } from '../domain/activities.ts';
import { CALLBACK_OUTCOMES } from './callbacks.ts';
import { listQuery, optionalText, page, queryBool, queryId, recordId, text, versionField } from './common.ts';

/**
 * Activities, visit plans and reviews, cadence (docs/rhythm.md): the request and response
 * schemas the routes validate with, the services take their types from, and the web app imports
 * as types. Instants are epoch milliseconds; dates YYYY-MM-DD in the workspace's time zone.
 */
const isoDate = z.iso.date('must be a date YYYY-MM-DD');
const instant = z.number().int('must be epoch milliseconds').min(0).max(8_640_000_000_000_000);

export const REVIEW_RESULTS = ['achieved', 'partly', 'not'] as const;
export type ReviewResult = (typeof REVIEW_RESULTS)[number];

const lines = (max: number) => z.array(text(500)).max(max, `must have at most ${max} items`).default([]);

/** docs/rhythm.md § Visit plan and review: before a visit. The benefit of every FAB point is mandatory. */
export const visitPlanSchema = z.strictObject({
  objectives: z
    .array(z.strictObject({ text: text(500) }))
    .min(1, 'must name at least one objective')
    .max(10, 'must have at most 10 objectives'),
  bestTime: optionalText(200).describe(
    "the customer's preferred time: working hours or personal time, short or formal",
  ),
  objections: z
    .array(z.strictObject({ objection: text(500), answer: optionalText(1000) }))
    .max(20, 'must have at most 20 items')
    .default([]),
  materials: optionalText(1000),
  openIssues: optionalText(2000).describe('issues left open from the previous visit'),
  spin: z
    .strictObject({ situation: lines(10), problem: lines(10), implication: lines(10), needPayoff: lines(10) })
    .default({ situation: [], problem: [], implication: [], needPayoff: [] })
    .describe('SPIN questions to ask'),
  fab: z
    .array(
      z.strictObject({
        feature: optionalText(500),
        advantage: optionalText(500),
        benefit: text(500).describe('the benefit to this customer: mandatory'),
      }),
    )
    .min(1, 'must have at least one FAB point')
    .max(10, 'must have at most 10 FAB points'),
});
export type VisitPlan = z.output<typeof visitPlanSchema>;
export type VisitPlanInput = z.input<typeof visitPlanSchema>;

/** After the visit: each objective of the plan, in its order, achieved, partly or not (then why). */
export const visitReviewSchema = z.strictObject({
  objectives: z
    .array(
      z.strictObject({
        result: z.enum(REVIEW_RESULTS),
        note: optionalText(1000).describe('why not (required unless achieved)'),
      }),
    )
    .max(10, 'must have at most 10 objectives'),
  customerView: optionalText(2000).describe('how the customer saw it'),
  improve: optionalText(2000).describe('what to improve'),
  nextSteps: z
    .array(
      z.strictObject({
        title: text(300),
        dueDate: isoDate,
        assigneeId: recordId.optional().describe('default the reviewer'),
      }),
    )
    .max(20, 'must have at most 20 next steps')
    .default([])
    .describe('each becomes a task'),
});
export type VisitReview = z.output<typeof visitReviewSchema>;
export type VisitReviewInput = z.input<typeof visitReviewSchema>;

const writable = {
  type: z.enum(ACTIVITY_TYPES),
  status: z.enum(ACTIVITY_STATUSES),
  startAt: instant,
  endAt: instant.nullable().optional(),
  subject: optionalText(200),
  notes: optionalText(5000),
  outcome: optionalText(2000),
  location: optionalText(300),
  opportunityId: recordId.nullable().optional().describe('a deal of the same account'),
  contactIds: z
    .array(recordId)
    .max(20, 'must have at most 20 contacts')
    .optional()
    .describe('contacts of the same account'),
  ownerId: recordId.optional().describe('default the caller; someone else only for a manager over the account'),
};

/** POST /accounts/:id/activities: the account is the path's, so one the caller cannot see is a 404. */
export const createActivityRequest = z.strictObject({
  ...writable,
  type: writable.type.default('visit'),
  status: writable.status.default('done'),
  startAt: instant.optional().describe('default now'),
  plan: visitPlanSchema.optional().describe("a visit's plan (type visit only)"),
});
export type CreateActivityRequest = z.output<typeof createActivityRequest>;
export type CreateActivityInput = z.input<typeof createActivityRequest>;

export const updateActivityRequest = z.strictObject({
  version: versionField,
  type: writable.type.optional(),
  status: writable.status.optional().describe('planned → done or cancelled; cancelled → planned; done stays done'),
  startAt: instant.optional(),
  endAt: writable.endAt,
  subject: writable.subject,
  notes: writable.notes,
  outcome: writable.outcome,
  location: writable.location,
  opportunityId: writable.opportunityId,
  contactIds: writable.contactIds.describe('replaces the contacts'),
  ownerId: writable.ownerId,
});
export type UpdateActivityRequest = z.output<typeof updateActivityRequest>;
export type UpdateActivityInput = z.input<typeof updateActivityRequest>;

export const versionRequest = z.strictObject({ version: versionField });
export const planRequest = z.strictObject({ version: versionField, plan: visitPlanSchema });
export const reviewRequest = z.strictObject({ version: versionField, review: visitReviewSchema });
export const attachRequest = z.strictObject({
  version: versionField,
  attachmentId: recordId.describe('a file uploaded with POST /attachments'),
});

export const activityFilterShape = {
  q: z.string().trim().max(100).optional().describe('substring of the subject, notes or account name'),
  mine: queryBool.describe("only the caller's own"),
  ownerId: queryId.optional(),
  orgUnitId: queryId.optional().describe('owners in this unit and its sub-units (my team)'),
  accountId: queryId.optional(),
  opportunityId: queryId.optional(),
  type: z.enum(ACTIVITY_TYPES).optional(),
  status: z.enum(ACTIVITY_STATUSES).optional(),
  planned: queryBool.describe('only visits with a plan (plan versus result)'),
  from: isoDate.optional().describe('starting on or after this date'),
  to: isoDate.optional().describe('starting on or before this date'),
};
export const ACTIVITY_SORTS = ['startAt', 'updatedAt', 'createdAt'] as const;
export const activityListQuery = listQuery(ACTIVITY_SORTS, '-startAt', activityFilterShape);
export type ActivityListQuery = z.output<typeof activityListQuery>;
export type ActivityFilter = Omit<ActivityListQuery, 'limit' | 'offset' | 'sort'>;

export const activitySchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  accountName: z.string(),
  opportunityId: z.number().int().nullable(),
  opportunityName: z.string().nullable(),
  ownerId: z.number().int(),
  ownerName: z.string().nullable(),
  type: z.enum(ACTIVITY_TYPES),
  status: z.enum(ACTIVITY_STATUSES),
  startAt: z.number().int(),
  endAt: z.number().int().nullable(),
  subject: z.string().nullable(),
  notes: z.string().nullable(),
  outcome: z.string().nullable(),
  location: z.string().nullable(),
  contacts: z.array(z.object({ id: z.number().int(), name: z.string() })),
  qualifying: z.boolean().describe('counts as a qualifying follow-up of its account (workspace setting)'),
  hasPlan: z.boolean(),
  reviewed: z.boolean(),
  planResult: z
    .object({
      objectives: z.number().int(),
      achieved: z.number().int().nullable(),
      partly: z.number().int().nullable(),
      missed: z.number().int().nullable(),
    })
    .nullable()
    .describe("a planned visit's objectives and, once reviewed, how many were achieved, partly or not"),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  version: z.number().int(),
});
export type ActivityDto = z.infer<typeof activitySchema>;

export const attachmentItem = z.object({
  id: z.number().int(),
  fileName: z.string(),
  size: z.number().int(),
  contentType: z.string(),
  createdAt: z.number().int(),
  uploadedByName: z.string().nullable(),
});

export const reviewSchema = z.object({
  objectives: z.array(z.object({ result: z.enum(REVIEW_RESULTS), note: z.string().nullable().optional() })),
  customerView: z.string().nullable().optional(),
  improve: z.string().nullable().optional(),
  nextSteps: z.array(
    z.object({
      title: z.string(),
      dueDate: z.string(),
      assigneeId: z.number().int().optional(),
      taskId: z.number().int().nullable().optional(),
    }),
  ),
});

export const activityDetailSchema = activitySchema.extend({
  plan: visitPlanSchema.nullable(),
  plannedBy: z.number().int().nullable(),
  plannedByName: z.string().nullable(),
  review: reviewSchema.nullable(),
  reviewedAt: z.number().int().nullable(),
  reviewedByName: z.string().nullable(),
  attachments: z.array(attachmentItem),
  callback: z
    .object({
      id: z.number().int(),
      outcome: z.enum(CALLBACK_OUTCOMES),
      feedback: z.string().nullable(),
      answeredAt: z.number().int(),
    })
    .nullable()
    .describe(
      "the callback audit's answer about this visit; null until one is answered (docs/rhythm.md § Callback audit)",
    ),
  permissions: z.object({
    edit: z.boolean().describe('change it, plan it, attach files: its owner, a manager over the account, an admin'),
    review: z.boolean().describe('review the visit: who planned it, their manager, an admin'),
    archive: z.boolean().describe('archive it: a manager over the account, an admin (reps never delete activities)'),
  }),
});
export type ActivityDetail = z.infer<typeof activityDetailSchema>;

export const activityPage = page(activitySchema);
export type ActivityPage = z.infer<typeof activityPage>;

/** docs/rhythm.md § Cadence: where an account stands against its tier's follow-up interval. */
export const CADENCE_STATES = ['overdue', 'due_soon', 'on_time'] as const;
export type CadenceState = (typeof CADENCE_STATES)[number];
/** "Due soon": the next follow-up falls within this many days. */
export const DUE_SOON_DAYS = 7;

export const complianceQuery = z.strictObject({
  orgUnitId: queryId.optional().describe('owners in this unit and its sub-units; default everyone within reach'),
});
export const complianceRow = z.object({
  userId: z.number().int(),
  userName: z.string(),
  orgUnitName: z.string(),
  accounts: z.number().int().describe('owned active accounts, each with a follow-up due'),
  onTime: z.number().int().describe("followed up within their tier's interval"),
  dueSoon: z.number().int().describe('on time, but due within the next days'),
  overdue: z.number().int(),
  compliance: z.number().nullable().describe('on time ÷ accounts, percent with one decimal; null without accounts'),
});
export const complianceResponse = z.object({
  items: z.array(complianceRow),
  totals: complianceRow.omit({ userId: true, userName: true, orgUnitName: true }),
});
export type ComplianceRow = z.infer<typeof complianceRow>;
export type ComplianceResponse = z.infer<typeof complianceResponse>;

export const cadenceAccountsQuery = listQuery(['nextDue', 'name'], 'nextDue', {
  ownerId: queryId.optional(),
  orgUnitId: queryId.optional().describe('owners in this unit and its sub-units'),
  mine: queryBool.describe("only the caller's accounts"),
  state: z.enum(CADENCE_STATES).optional().describe('default all'),
});
export type CadenceAccountsQuery = z.output<typeof cadenceAccountsQuery>;
export const cadenceAccount = z.object({
  id: z.number().int(),
  name: z.string(),
  tier: z.enum(['A', 'B', 'C']),
  ownerId: z.number().int(),
  ownerName: z.string(),
  lastFollowUpAt: z.number().int().nullable(),
  nextDue: z.number().int().describe('when the next qualifying follow-up is due'),
  state: z.enum(CADENCE_STATES),
});
export const cadenceAccountsPage = page(cadenceAccount);
export type CadenceAccount = z.infer<typeof cadenceAccount>;

export const planSummaryQuery = z.strictObject({
  orgUnitId: queryId.optional().describe('owners in this unit and its sub-units'),
  from: isoDate.optional().describe('visits starting on or after this date'),
  to: isoDate.optional().describe('visits starting on or before this date'),
});
export const planSummaryRow = z.object({
  userId: z.number().int(),
  userName: z.string(),
  planned: z.number().int().describe('visits with a plan'),
  reviewed: z.number().int(),
  objectives: z.number().int().describe('objectives of the reviewed visits'),
  achieved: z.number().int(),
  partly: z.number().int(),
  missed: z.number().int(),
});
export const planSummaryResponse = z.object({ items: z.array(planSummaryRow) });
export type PlanSummaryRow = z.infer<typeof planSummaryRow>;
