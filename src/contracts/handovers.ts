import { z } from 'zod';
import { HANDOVER_CATEGORIES, HANDOVER_STATUSES } from '../domain/handover.ts';
import { ROLES } from '../domain/roles.ts';
import { ACTIVITY_TYPES } from '../domain/activities.ts';
import { OPPORTUNITY_STATUSES } from '../domain/opportunity.ts';
import { queryId, queryInt, recordId, versionField } from './common.ts';

/** Handovers of departing users (docs/organisation.md): the inventory, successors, notes of key accounts, completion. */
const countsShape = Object.fromEntries(HANDOVER_CATEGORIES.map((c) => [c, z.number().int()])) as Record<
  (typeof HANDOVER_CATEGORIES)[number],
  z.ZodNumber
>;

export const handoverNoteSchema = z.object({
  state: z.string(),
  openIssues: z.string(),
  keyContacts: z.string(),
  contactIds: z.array(z.number().int()),
});

export const handoverBase = z.object({
  id: z.number().int(),
  status: z.enum(HANDOVER_STATUSES),
  fromUser: z.object({
    id: z.number().int(),
    name: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    active: z.boolean(),
    orgUnitName: z.string(),
  }),
  createdBy: z.number().int(),
  createdByName: z.string().nullable(),
  createdAt: z.number().int(),
  completedAt: z.number().int().nullable(),
  summary: z
    .object({
      counts: z.object(countsShape),
      successors: z.array(z.object({ userId: z.number().int(), name: z.string(), count: z.number().int() })),
      completedBy: z.number().int(),
    })
    .nullable(),
  version: z.number().int(),
});

export const handoverItemSchema = z.object({
  id: z.number().int(),
  category: z.enum(HANDOVER_CATEGORIES),
  entityId: z.number().int(),
  label: z.string(),
  detail: z
    .string()
    .nullable()
    .describe('names and places as written: the account, unit, contact title or territory place'),
  role: z.string().nullable().describe('team items: the team role code; relationship items: the buying role code'),
  industry: z.string().nullable().describe('territory items: the industry code (null = any industry)'),
  accountId: z.number().int().nullable(),
  tier: z.string().nullable(),
  named: z.boolean(),
  keyAccount: z.boolean().describe('A tier or named: needs a handover note'),
  amount: z.number().int().nullable().describe('fen'),
  dealStatus: z
    .enum(OPPORTUNITY_STATUSES)
    .nullable()
    .describe("opportunity and team items: the deal's status (null for other kinds)"),
  stageName: z.string().nullable().describe("opportunity and team items: the deal's current stage"),
  probability: z.number().int().nullable().describe("opportunity and team items: the stage's probability, percent"),
  toUserId: z.number().int().nullable(),
  toUserName: z.string().nullable(),
  note: handoverNoteSchema.nullable(),
  noteGaps: z.array(z.string()),
});

export const handoverFollowerSchema = z
  .object({
    kind: z.enum(['task', 'visit']),
    id: z.number().int(),
    title: z.string().describe("a task's title; a planned activity's subject (empty when it has none)"),
    activityType: z.enum(ACTIVITY_TYPES).nullable(),
    date: z.string().describe("a task's due date; the day a planned activity starts (workspace zone)"),
    startAt: z.number().int().nullable(),
    account: z.object({ id: z.number().int(), name: z.string() }),
    itemId: z.number().int().describe('the account item it follows'),
    toUserId: z.number().int().nullable().describe("the account's successor, once chosen"),
    toUserName: z.string().nullable(),
  })
  .describe(
    "an open task or planned activity of the leaver on an account handed over: it goes to the account's successor",
  );

export const handoverDetailSchema = handoverBase.extend({
  counts: z.object({ ...countsShape, tasks: z.number().int(), visits: z.number().int() }),
  keyAccounts: z.number().int(),
  items: z.array(handoverItemSchema),
  missing: z.array(
    z.object({
      itemId: z.number().int(),
      category: z.enum(HANDOVER_CATEGORIES),
      problem: z.enum(['no_successor', 'no_note']),
    }),
  ),
  followers: z.array(handoverFollowerSchema),
  notes: z.object({ tasksAndVisits: z.string() }),
});

export const handoverListItemSchema = handoverBase.extend({
  counts: z.object(countsShape),
  itemCount: z.number().int(),
  assignedCount: z.number().int(),
});

export const handoverItemParams = z.strictObject({ id: queryId, itemId: queryId });

export const handoverListQuery = z.strictObject({
  status: z.enum(HANDOVER_STATUSES).optional(),
  limit: queryInt(z.number().int().min(1).max(200)).default(50),
  offset: queryInt(z.number().int().min(0)).default(0),
});
export const handoverPageSchema = z.object({ items: z.array(handoverListItemSchema), total: z.number().int() });
export const startHandoverRequest = z.strictObject({ fromUserId: recordId });
export const handoverContactsSchema = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      accountId: z.number().int(),
      name: z.string(),
      title: z.string().nullable(),
    }),
  ),
});
export const assignSuccessorsRequest = z.strictObject({
  items: z
    .array(z.strictObject({ itemId: recordId, toUserId: recordId.nullable() }))
    .min(1)
    .max(5000),
});
export const saveNoteRequest = z.strictObject({
  state: z.string().trim().max(5000),
  openIssues: z.string().trim().max(5000),
  keyContacts: z.string().trim().max(5000).default(''),
  contactIds: z.array(recordId).max(50).default([]),
});
export const handoverVersionRequest = z.strictObject({ version: versionField });

export type HandoverNote = z.infer<typeof handoverNoteSchema>;
export type HandoverItem = z.infer<typeof handoverItemSchema>;
export type HandoverFollower = z.infer<typeof handoverFollowerSchema>;
export type HandoverSummary = NonNullable<z.infer<typeof handoverBase>['summary']>;
export type HandoverDetail = z.infer<typeof handoverDetailSchema>;
export type HandoverListItem = z.infer<typeof handoverListItemSchema>;
export type HandoverListQuery = z.infer<typeof handoverListQuery>;
export type HandoverPage = z.infer<typeof handoverPageSchema>;
export type HandoverContacts = z.infer<typeof handoverContactsSchema>;
export type StartHandoverRequest = z.infer<typeof startHandoverRequest>;
export type AssignSuccessorsRequest = z.infer<typeof assignSuccessorsRequest>;
export type SaveNoteRequest = z.infer<typeof saveNoteRequest>;
/** The note as the web sends it: key contacts may be left out. */
export type SaveNoteInput = z.input<typeof saveNoteRequest>;
