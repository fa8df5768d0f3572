import { z } from 'zod';
import {
  cappedPage,
  listQuery,
  optionalText,
  page,
  queryId,
  queryInt,
  recordId,
  text,
  versionField,
} from './common.ts';
import { stageSchema } from './sales-processes.ts';
import { BUYING_PHASES } from '../domain/buying-phase.ts';
import { FORECAST_CATEGORIES, LOSS_REASONS, OPPORTUNITY_STATUSES, TEAM_ROLES } from '../domain/opportunity.ts';
import { LEAD_SOURCES } from '../domain/accounts.ts';
import { OPPORTUNITY_PROBLEMS } from '../domain/stage-gate.ts';
import { LINE_KEY_PATTERN } from '../domain/business-lines.ts';

/** Opportunities (docs/sales-process.md): the deal, its stage gate, team, board and history. */
export const SIZE_CLASSES = ['small', 'large'] as const;
export const CLOSE_OUTCOMES = ['won', 'lost', 'abandoned'] as const;
export const OPPORTUNITY_SORTS = ['name', 'amount', 'expectedCloseDate', 'updatedAt', 'stageEnteredAt'] as const;

/** Money in fen: a non-negative integer (¥1,234.50 is 123450). */
const fen = z
  .number({ message: 'must be a number (fen)' })
  .int('must be whole fen')
  .min(0, 'must not be negative')
  .max(1e15);
const isoDate = z.iso.date('must be a date YYYY-MM-DD');

/** Filters of GET /opportunities, shared with its export and saved views. */
export const opportunityFilterShape = {
  q: z.string().trim().max(100).optional().describe('substring of the opportunity or account name'),
  status: z.enum(OPPORTUNITY_STATUSES).optional(),
  ownerId: queryId.optional(),
  orgUnitId: queryId.optional().describe('unit, including its sub-units'),
  accountId: queryId.optional(),
  processId: queryId.optional(),
  stageId: queryId.optional(),
  closeFrom: isoDate.optional().describe('expected close date on or after'),
  closeTo: isoDate.optional().describe('expected close date on or before'),
  minProbability: queryInt(z.number().int().min(0).max(100))
    .optional()
    .describe('current stage probability at least this percent: "closing soon" leaves out the long shots'),
  sizeClass: z
    .enum(SIZE_CLASSES)
    .optional()
    .describe("small or large projects, by the workspace's large-deal threshold (what the funnel drills down by)"),
  line: z
    .string()
    .regex(LINE_KEY_PATTERN, "must be a business line's key or none")
    .optional()
    .describe(
      "the deals of one business line, by its key (Settings → Rules), or none for the deals of no line — the funnel's rule: the line stamped on the deal from its products; a key that is no line matches nothing",
    ),
};
export const opportunityListQuery = listQuery(OPPORTUNITY_SORTS, '-updatedAt', opportunityFilterShape);

export const gatheredItemSchema = z.object({
  stageId: z.number().int(),
  key: z.string(),
  note: z.string().nullable(),
  attachmentId: z.number().int().nullable(),
});
export const evidenceStatusSchema = z.object({
  given: z.number().int().describe('items complete'),
  required: z.number().int().describe('items the current stage asks for'),
});

export const opportunitySchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  accountName: z.string(),
  name: z.string(),
  ownerId: z.number().int(),
  ownerName: z.string().nullable(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  amount: z.number().int().describe('fen'),
  sizeClass: z.enum(SIZE_CLASSES),
  status: z.enum(OPPORTUNITY_STATUSES),
  expectedCloseDate: z.string().nullable(),
  closedAt: z.number().int().nullable(),
  processId: z.number().int().nullable(),
  processName: z.string().nullable(),
  stageId: z.number().int().nullable(),
  stageName: z.string().nullable(),
  probability: z.number().int().nullable(),
  expectedAmount: z.number().int().nullable().describe('amount × stage probability, fen'),
  stageEnteredAt: z.number().int().nullable(),
  daysInStage: z.number().int().nullable(),
  leadSource: z.string().nullable(),
  buyingPhase: z.enum(BUYING_PHASES).nullable(),
  stageAheadOfBuyer: z.boolean(),
  forecastCategory: z.enum(FORECAST_CATEGORIES),
  nextStep: z.string().nullable(),
  nextStepDate: z.string().nullable(),
  problems: z.array(z.enum(OPPORTUNITY_PROBLEMS)),
  advantageMarked: z
    .boolean()
    .describe('a manager marked the advantage as lost (one cause of the advantage_lost problem)'),
  closeReason: z.string().nullable(),
  closeCompetitor: z.string().nullable(),
  contractAmount: z.number().int().nullable(),
  description: z.string().nullable(),
  products: z.array(z.string()),
  evidence: z
    .array(gatheredItemSchema)
    .describe(
      'the evidence gathered so far for the current stage of an open opportunity (docs/sales-process.md); emptied when the stage changes',
    ),
  evidenceStatus: evidenceStatusSchema.nullable().describe("how far the current stage's evidence is; null when closed"),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  version: z.number().int(),
});

/** What the caller may do with the opportunity (docs/organisation.md, §5.2); the rule is domain/policy.ts opportunityRights. */
export const permissionsSchema = z.object({
  edit: z
    .boolean()
    .describe(
      'lead the deal: amount, close date, forecast, owner, name, lead source; stage moves, close, reopen, the team',
    ),
  contribute: z
    .boolean()
    .describe(
      'the analysis: qualification, buying phase, SWOT and competitors, win strategy, next step, products, description',
    ),
  manage: z.boolean().describe('a manager over it: override missing evidence, mark an advantage lost'),
});

export const teamMemberSchema = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  userName: z.string(),
  teamRole: z.enum(TEAM_ROLES),
});
export const opportunityDetailSchema = opportunitySchema.extend({
  team: z.array(teamMemberSchema),
  suggestedRoles: z
    .array(z.enum(TEAM_ROLES))
    .describe(
      "the current stage's roles to involve that nobody on the team holds yet (docs/sales-process.md § Sales processes and stages)",
    ),
  permissions: permissionsSchema,
});

/** Evidence given for a stage gate (docs/sales-process.md): only items of the stages left or skipped. */
export const evidenceGivenSchema = z.strictObject({
  stageId: recordId,
  key: z.string().max(40),
  note: z.string().trim().max(2000).nullable().optional(),
  attachmentId: recordId.nullable().optional(),
});
const evidenceList = z.array(evidenceGivenSchema).max(100);
const gateReason = z.string().trim().max(1000).optional();
const gateOverride = z.boolean().optional().describe('a manager overrides missing evidence (reason required)');

const editable = {
  amount: fen.optional(),
  expectedCloseDate: isoDate.optional(),
  ownerId: recordId.optional(),
  leadSource: z.enum(LEAD_SOURCES).nullable().optional(),
  buyingPhase: z.enum(BUYING_PHASES).nullable().optional(),
  forecastCategory: z.enum(FORECAST_CATEGORIES).optional(),
  nextStep: optionalText(500),
  nextStepDate: isoDate.nullable().optional(),
  description: optionalText(5000),
  products: z.array(text(100)).max(20, 'at most 20 products').optional().describe('what is being sold'),
};

export const createOpportunityRequest = z.strictObject({
  accountId: recordId,
  name: text(200),
  processId: recordId,
  stageId: recordId.optional().describe('defaults to the first stage'),
  ...editable,
  amount: fen,
  expectedCloseDate: isoDate,
  evidence: evidenceList.optional().describe('the evidence of the stages skipped when starting past the first'),
  reason: gateReason,
  override: gateOverride,
});

export const boardQuery = z.strictObject({
  processId: queryId
    .optional()
    .describe('one sales process; omitted: every process at once, a lane of its own stages per process'),
  ownerId: queryId.optional(),
  orgUnitId: queryId.optional().describe('unit, including its sub-units'),
  closeFrom: isoDate.optional().describe('open: expected close on or after; won column: won on or after'),
  closeTo: isoDate.optional().describe('open: expected close on or before; won column: won on or before'),
  q: z.string().trim().max(100).optional().describe('substring of the opportunity or account name'),
  line: opportunityFilterShape.line,
});
export const boardCardSchema = opportunitySchema.extend({
  permissions: z.object({
    edit: z.boolean().describe('may move it (drag the card)'),
    manage: z.boolean().describe('may override missing evidence when moving it'),
  }),
});
export const boardColumnSchema = z.object({
  stage: stageSchema,
  count: z.number().int(),
  amount: z.number().int().describe('fen'),
  expectedAmount: z.number().int().describe('Σ amount × stage probability, fen'),
  cards: z.array(boardCardSchema),
  more: z.number().int().describe('opportunities in the column beyond the cards shown'),
});
const boardProcessSchema = z.object({ id: z.number().int(), name: z.string(), active: z.boolean() });
export const boardSchema = z.object({
  process: boardProcessSchema.nullable().describe('the process asked for; null on the board of every process'),
  processes: z
    .array(boardProcessSchema)
    .describe(
      "the board's lanes in order: the process asked for, or every active process and any inactive one still holding deals in view",
    ),
  columns: z.array(boardColumnSchema).describe("every lane's stages, lane by lane, each in its order"),
});

/** The list's page with the totals of the whole filtered set (not just the page), in one aggregate. */
export const opportunityListTotalsSchema = z.object({
  count: z.number().int(),
  amount: z.number().int().describe('Σ amount, fen'),
  expectedAmount: z.number().int().describe('Σ amount × stage probability, fen (rounded once, on the sum)'),
});
export const opportunityListPageSchema = page(opportunitySchema).extend({ totals: opportunityListTotalsSchema });

export const attentionQuery = listQuery(OPPORTUNITY_SORTS, 'stageEnteredAt', {
  ownerId: queryId.optional(),
  orgUnitId: queryId.optional().describe('unit, including its sub-units'),
  problem: z.enum(OPPORTUNITY_PROBLEMS).optional().describe('only this problem; default any'),
});
const problemCounts = <T extends z.ZodType>(count: T) =>
  z.object({ stalled: count, no_plan: count, advantage_lost: count });
/** A workspace's or a subtree's total and counts stop at 10,000, as a list's total does (src/db/counts.ts). */
export const attentionPageSchema = cappedPage(opportunitySchema).extend({
  counts: problemCounts(z.number().int()),
  countsCapped: problemCounts(z.boolean()).describe(
    'per problem, true: more deals have it than its count, where the count stopped',
  ),
});

export const updateOpportunityRequest = z.strictObject({
  version: versionField,
  name: text(200).optional(),
  ...editable,
  ownerReason: text(500).optional(),
  advantageLost: z.boolean().optional(),
  advantageReason: text(500)
    .optional()
    .describe('why the advantage is lost: required when marking it (advantageLost true), optional when clearing'),
});

export const moveStageRequest = z.strictObject({
  version: versionField
    .optional()
    .describe('the version you read: a move decided on a stale card gets 409 (the board always sends it)'),
  stageId: recordId,
  evidence: evidenceList.default([]),
  reason: gateReason,
  override: gateOverride,
  contractAmount: fen.optional().describe('required when the target is the won stage'),
});

export const saveEvidenceRequest = z.strictObject({ version: versionField, evidence: evidenceList });

export const stageHistoryEntrySchema = z.object({
  id: z.number().int(),
  stageId: z.number().int(),
  stageName: z.string(),
  probability: z.number().int(),
  enteredAt: z.number().int(),
  enteredByName: z.string().nullable(),
  leftAt: z.number().int().nullable(),
  leftByName: z.string().nullable(),
  daysInStage: z.number(),
  exitDirection: z.string().nullable(),
  exitEvidence: z.array(
    z.object({
      stageId: z.number().int(),
      key: z.string(),
      note: z.string().nullable().optional(),
      attachmentId: z.number().int().nullable().optional(),
    }),
  ),
  exitReason: z.string().nullable(),
  exitOverridden: z.array(z.unknown()),
});
export const stageHistorySchema = z.object({ items: z.array(stageHistoryEntrySchema) });

export const addTeamMemberRequest = z.strictObject({ userId: recordId, teamRole: z.enum(TEAM_ROLES) });
export const memberParams = z.strictObject({ id: queryId, memberId: queryId });

export const closeOpportunityRequest = z.strictObject({
  version: versionField,
  outcome: z.enum(CLOSE_OUTCOMES),
  contractAmount: z
    .number({ message: 'must be a number (fen)' })
    .int('must be whole fen')
    .positive('must be more than 0')
    .max(1e15)
    .optional()
    .describe('required when won'),
  reason: z.enum(LOSS_REASONS).optional().describe('required when lost or abandoned'),
  competitor: text(200).optional().describe('required when lost or abandoned: who won, or "none"'),
  note: z.string().trim().max(2000).optional().describe("won: a manager's override reason goes here"),
  evidence: evidenceList
    .optional()
    .describe(
      'won: the evidence of the stage left and of every stage skipped (the gathered evidence counts too); 422 lists what is missing',
    ),
  override: gateOverride.describe('won: a manager waives missing evidence, with the note as the reason'),
});

export const reopenRequest = z.strictObject({ version: versionField, reason: text(1000) });

export const historyItemSchema = z.object({
  field: z.string(),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  oldLabel: z.string().nullable(),
  newLabel: z.string().nullable(),
  reason: z.string().nullable(),
  actorName: z.string().nullable(),
  createdAt: z.number().int(),
});
export const historySchema = z.object({ items: z.array(historyItemSchema) });

export const opportunityAttachmentSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  size: z.number().int(),
  contentType: z.string(),
  createdAt: z.number().int(),
  uploadedByName: z.string().nullable(),
});
export const opportunityAttachmentList = z.object({ items: z.array(opportunityAttachmentSchema) });

/** The `missing` member of a 422 evidence_required: the items a stage move, a creation or a win still lacks. */
export const missingEvidenceSchema = z.object({
  stageId: z.number().int(),
  stageName: z.string(),
  key: z.string(),
  label: z.string(),
  problem: z.enum(['missing', 'note_required', 'attachment_required']),
});

export type { OpportunityProblem } from '../domain/stage-gate.ts';
export type Opportunity = z.infer<typeof opportunitySchema>;
export type OpportunityDetail = z.infer<typeof opportunityDetailSchema>;
export type OpportunityPermissions = z.infer<typeof permissionsSchema>;
export type TeamMember = z.infer<typeof teamMemberSchema>;
export type GatheredItem = z.infer<typeof gatheredItemSchema>;
export type EvidenceStatus = z.infer<typeof evidenceStatusSchema>;
export type EvidenceGiven = z.input<typeof evidenceGivenSchema>;
export type OpportunityListQuery = z.infer<typeof opportunityListQuery>;
export type OpportunityFilterQuery = Omit<OpportunityListQuery, 'limit' | 'offset' | 'sort'>;
export type CreateOpportunityRequest = z.infer<typeof createOpportunityRequest>;
export type CreateOpportunityInput = z.input<typeof createOpportunityRequest>;
export type BoardQuery = z.infer<typeof boardQuery>;
export type BoardCard = z.infer<typeof boardCardSchema>;
export type BoardColumn = z.infer<typeof boardColumnSchema>;
export type Board = z.infer<typeof boardSchema>;
export type AttentionQuery = z.infer<typeof attentionQuery>;
export type AttentionPage = z.infer<typeof attentionPageSchema>;
export type OpportunityListTotals = z.infer<typeof opportunityListTotalsSchema>;
export type OpportunityListPage = z.infer<typeof opportunityListPageSchema>;
export type UpdateOpportunityRequest = z.infer<typeof updateOpportunityRequest>;
export type UpdateOpportunityInput = z.input<typeof updateOpportunityRequest>;
export type MoveStageRequest = z.infer<typeof moveStageRequest>;
export type MoveStageInput = z.input<typeof moveStageRequest>;
export type SaveEvidenceRequest = z.infer<typeof saveEvidenceRequest>;
export type StageHistoryEntry = z.infer<typeof stageHistoryEntrySchema>;
export type AddTeamMemberRequest = z.infer<typeof addTeamMemberRequest>;
export type CloseOpportunityRequest = z.infer<typeof closeOpportunityRequest>;
export type CloseOpportunityInput = z.input<typeof closeOpportunityRequest>;
export type ReopenRequest = z.infer<typeof reopenRequest>;
export type HistoryItem = z.infer<typeof historyItemSchema>;
export type OpportunityAttachment = z.infer<typeof opportunityAttachmentSchema>;
export type MissingEvidence = z.infer<typeof missingEvidenceSchema>;
export type SaveEvidenceInput = z.input<typeof saveEvidenceRequest>;
