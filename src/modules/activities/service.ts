import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import { addDays, startOfDay } from '../../domain/calendar.ts';
import {
  canChangeStatus,
  followUpEffect,
  FUTURE_GRACE_MS,
  type ActivityStatus,
  type ActivityType,
  type FollowUpFacts,
} from '../../domain/activities.ts';
import { can, canEditAccount, canManageAccount, reachesUnit, type Actor } from '../../domain/policy.ts';
import type {
  ActivityDetail,
  ActivityDto,
  ActivityFilter,
  ActivityListQuery,
  CreateActivityRequest,
  UpdateActivityRequest,
  VisitPlan,
} from '../../contracts/activities.ts';
import {
  AppError,
  fieldError,
  forbidden,
  invalid,
  notFound,
  staleVersion,
  type FieldError,
} from '../../server/problem.ts';
import { updateVersioned } from '../versioned.ts';
import { factsOf, requireAccount } from '../accounts/service.ts';
import { requireOpportunity } from '../opportunities/service.ts';
import { assignableUser } from '../users/service.ts';
import { loadRules, loadSettings } from '../workspace/service.ts';
import { answeredCallbackOf } from '../callbacks/shared.ts';
import type { CallbackOutcome } from '../../contracts/callbacks.ts';
import * as repo from './repository.ts';

/**
 * Activities (docs/rhythm.md § Activities): logged or planned contact with a customer. Every
 * write that changes whether, or when, an activity follows its account up moves the account's
 * last follow-up in the same transaction (followUpEffect), never by counting again.
 */

type Row = repo.ActivityRow;

export function toActivityDto(
  row: Row,
  contacts: { id: number; name: string }[],
  qualifying: readonly string[],
): ActivityDto {
  return {
    id: row.id,
    accountId: row.account_id,
    accountName: row.account_name,
    opportunityId: row.opportunity_id,
    opportunityName: row.opportunity_name ?? null,
    ownerId: row.owner_id,
    ownerName: row.owner_name ?? null,
    type: row.type as ActivityType,
    status: row.status as ActivityStatus,
    startAt: Number(row.start_at),
    endAt: row.end_at === null ? null : Number(row.end_at),
    subject: row.subject,
    notes: row.notes,
    outcome: row.outcome,
    location: row.location,
    contacts,
    qualifying: qualifying.includes(row.type),
    hasPlan: row.planned_by !== null,
    reviewed: row.reviewed_at !== null && row.reviewed_at !== undefined,
    planResult:
      row.objective_count === null || row.objective_count === undefined
        ? null
        : {
            objectives: row.objective_count,
            achieved: row.achieved ?? null,
            partly: row.partly ?? null,
            missed: row.missed ?? null,
          },
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: row.version,
  };
}

async function dtos(db: Db, actor: Actor, rows: Row[], qualifying: readonly string[]) {
  const contacts = await repo.contactsOf(
    db.kysely,
    actor.workspaceId,
    rows.map((r) => r.id),
  );
  const by = new Map<number, { id: number; name: string }[]>();
  for (const contact of contacts)
    by.set(contact.activity_id, [...(by.get(contact.activity_id) ?? []), { id: contact.id, name: contact.name }]);
  return rows.map((r) => toActivityDto(r, by.get(r.id) ?? [], qualifying));
}

/** The list's filter as the repository takes it: "mine" is the caller, dates are instants of the workspace's days. */
export async function toFilter(db: Db, actor: Actor, filter: ActivityFilter): Promise<repo.ListFilter> {
  const { calendar } = await loadRules(db.kysely, actor);
  return {
    q: filter.q,
    ownerId: filter.mine ? actor.userId : filter.ownerId,
    orgUnitId: filter.orgUnitId,
    accountId: filter.accountId,
    opportunityId: filter.opportunityId,
    type: filter.type,
    status: filter.status,
    planned: filter.planned,
    fromAt: filter.from ? startOfDay(filter.from, calendar.timeZone) : undefined,
    toAt: filter.to ? startOfDay(addDays(filter.to, 1), calendar.timeZone) : undefined,
  };
}

export async function listActivities(db: Db, actor: Actor, query: ActivityListQuery) {
  const [filter, settings] = await Promise.all([toFilter(db, actor, query), loadSettings(db.kysely, actor)]);
  if (!mineAgrees(query, actor)) return { items: [], total: 0 };
  const { items, total } = await repo.listActivities(db.kysely, db.engine, actor, {
    ...filter,
    limit: query.limit,
    offset: query.offset,
    sort: query.sort,
  });
  return { items: await dtos(db, actor, items, settings.qualifyingActivityTypes), total };
}

/** "mine" together with someone else's ownerId finds nothing. */
const mineAgrees = (activityFilter: ActivityFilter, actor: Actor) =>
  !(activityFilter.mine && activityFilter.ownerId !== undefined && activityFilter.ownerId !== actor.userId);

export async function requireActivity(db: Db, actor: Actor, id: number) {
  const activity = await repo.getActivity(db.kysely, actor, id);
  if (!activity) throw notFound('Activity');
  return activity;
}

/** Change it, plan it, attach files: its owner (who may still write activities), a manager over its account, an admin. */
const canEdit = (actor: Actor, row: Row) =>
  can(actor, 'activities.write') &&
  (row.owner_id === actor.userId || canManageAccount(actor, { unitPath: row.unit_path }));

export async function getActivity(db: Db, actor: Actor, id: number): Promise<ActivityDetail> {
  const activity = await requireActivity(db, actor, id);
  const [[dto], plan, files, callback] = await Promise.all([
    loadSettings(db.kysely, actor).then((s) => dtos(db, actor, [activity], s.qualifyingActivityTypes)),
    repo.planOf(db.kysely, actor.workspaceId, id),
    repo.attachmentsOfActivity(db.kysely, actor.workspaceId, id),
    answeredCallbackOf(db.kysely, actor.workspaceId, id),
  ]);
  return {
    ...dto!,
    plan: plan ? (JSON.parse(plan.plan) as VisitPlan) : null,
    plannedBy: plan?.planned_by ?? null,
    plannedByName: plan?.planned_by_name ?? null,
    review: plan?.review ? (JSON.parse(plan.review) as ActivityDetail['review']) : null,
    reviewedAt: plan?.reviewed_at === null || plan?.reviewed_at === undefined ? null : Number(plan.reviewed_at),
    reviewedByName: plan?.reviewed_by_name ?? null,
    attachments: files.map((file) => ({
      id: file.id,
      fileName: file.file_name,
      size: file.size,
      contentType: file.content_type,
      createdAt: Number(file.created_at),
      uploadedByName: file.uploader_name,
    })),
    // Only once answered: a rep who saw which visits were drawn could warn the customer.
    callback:
      callback?.outcome && callback.answered_at !== null
        ? {
            id: callback.id,
            // answerCallback writes only CALLBACK_OUTCOMES.
            outcome: callback.outcome as CallbackOutcome,
            feedback: callback.feedback,
            answeredAt: Number(callback.answered_at),
          }
        : null,
    permissions: {
      edit: canEdit(actor, activity),
      review: plan !== undefined && canReview(actor, plan.planned_by, plan.planner_unit_path),
      archive: can(actor, 'activities.write') && canManageAccount(actor, { unitPath: activity.unit_path }),
    },
  };
}

/** docs/rhythm.md § Visit plan and review: who planned the visit reviews it, or a manager over them, or an admin. */
export function canReview(actor: Actor, plannedBy: number, plannerUnitPath: string | null): boolean {
  if (!can(actor, 'activities.write')) return false;
  if (plannedBy === actor.userId || actor.role === 'admin') return true;
  return actor.role === 'manager' && plannerUnitPath !== null && reachesUnit(actor, plannerUnitPath);
}

/** Times, deal and contacts checked against each other and the account; every problem named at once. */
async function checkFields(
  db: Db,
  actor: Actor,
  accountId: number,
  fields: {
    status: string;
    startAt: number;
    endAt: number | null;
    opportunityId: number | null;
    contactIds: number[] | undefined;
  },
) {
  const errors: FieldError[] = [];
  if (fields.status === 'done' && fields.startAt > actor.now + FUTURE_GRACE_MS)
    errors.push(
      fieldError('startAt', { code: 'in_future' }, 'a logged activity cannot lie in the future; plan it instead'),
    );
  if (fields.endAt !== null && fields.endAt < fields.startAt)
    errors.push(
      fieldError('endAt', { code: 'not_before', params: { other: 'startAt' } }, 'must not be before the start'),
    );
  if (fields.opportunityId !== null) {
    const opp = await requireOpportunity(db, actor, fields.opportunityId).catch(() => undefined);
    if (!opp)
      errors.push(
        fieldError(
          'opportunityId',
          { code: 'not_found', params: { id: fields.opportunityId } },
          `no opportunity with id ${fields.opportunityId}`,
        ),
      );
    else if (opp.account_id !== accountId)
      errors.push(fieldError('opportunityId', { code: 'not_of_account' }, 'is a deal of another account'));
  }
  if (fields.contactIds?.length) {
    const ids = [...new Set(fields.contactIds)];
    const ok = new Set(await repo.contactsOfAccount(db.kysely, actor.workspaceId, accountId, ids));
    const bad = ids.find((c) => !ok.has(c));
    if (bad !== undefined)
      errors.push(
        fieldError('contactIds', { code: 'not_of_account' }, `contact ${bad} is not a contact of the account`),
      );
  }
  if (errors.length)
    throw new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}

/** Moves the last follow-up of the accounts a write touched (docs/rhythm.md § Activities), inside its transaction. */
export async function applyFollowUp(
  trx: Kysely<Database>,
  db: Db,
  workspaceId: number,
  before: FollowUpFacts | null,
  after: FollowUpFacts | null,
) {
  const settings = await loadSettings(trx, workspaceId);
  const effect = followUpEffect(before, after, settings.qualifyingActivityTypes);
  for (const fallBack of effect.fallBack)
    await repo.fallBackFollowUp(
      trx,
      db.engine,
      workspaceId,
      fallBack.accountId,
      fallBack.since,
      settings.qualifyingActivityTypes,
    );
  for (const raise of effect.raise) await repo.raiseFollowUp(trx, workspaceId, raise.accountId, raise.at);
}

const factsOfRow = (row: {
  account_id: number;
  type: string;
  status: string;
  start_at: number;
  archived_at: number | null;
}): FollowUpFacts => ({
  accountId: row.account_id,
  type: row.type,
  status: row.status,
  startAt: Number(row.start_at),
  archived: row.archived_at !== null,
});

async function ownerFor(db: Db, actor: Actor, ownerId: number | undefined, unitPath: string) {
  if (ownerId === undefined || ownerId === actor.userId) return actor.userId;
  if (!canManageAccount(actor, { unitPath }))
    throw forbidden('Only a manager over the account logs an activity for someone else');
  await assignableUser(db, actor, ownerId, 'ownerId');
  return ownerId;
}

/** Logs (done) or plans an activity on an account the caller may work on; a visit may carry its plan. */
export async function createActivity(
  db: Db,
  actor: Actor,
  accountId: number,
  input: CreateActivityRequest,
  savePlan?: (trx: Kysely<Database>, activityId: number) => Promise<void>,
) {
  if (!can(actor, 'activities.write')) throw forbidden('You cannot log activities');
  const account = await requireAccount(db, actor, accountId);
  if (!canEditAccount(actor, factsOf(account)))
    throw forbidden('Only those who work on the account log activities on it');
  if (account.archived_at !== null) throw new AppError('archived', 'The account is archived');
  const startAt = input.startAt ?? actor.now;
  const endAt = input.endAt ?? null;
  const opportunityId = input.opportunityId ?? null;
  await checkFields(db, actor, accountId, {
    status: input.status,
    startAt,
    endAt,
    opportunityId,
    contactIds: input.contactIds,
  });
  if (input.plan && input.type !== 'visit') throw invalid('plan', { code: 'visit_only' }, 'only a visit has a plan');
  const ownerId = await ownerFor(db, actor, input.ownerId, account.unit_path);
  const id = await inTransaction(db.kysely, async (trx) => {
    const row = {
      workspace_id: actor.workspaceId,
      account_id: accountId,
      opportunity_id: opportunityId,
      owner_id: ownerId,
      type: input.type,
      status: input.status,
      start_at: startAt,
      end_at: endAt,
      subject: input.subject ?? null,
      notes: input.notes ?? null,
      outcome: input.outcome ?? null,
      location: input.location ?? null,
      archived_at: null,
      created_by: actor.userId,
      created_at: actor.now,
      updated_at: actor.now,
      version: 1,
    };
    const newId = await repo.insertActivity(trx, row);
    if (input.contactIds?.length) await repo.setContacts(trx, actor.workspaceId, newId, [...new Set(input.contactIds)]);
    if (savePlan) await savePlan(trx, newId);
    await applyFollowUp(trx, db, actor.workspaceId, null, factsOfRow(row));
    return newId;
  });
  return getActivity(db, actor, id);
}

export async function updateActivity(db: Db, actor: Actor, id: number, input: UpdateActivityRequest) {
  const activity = await requireActivity(db, actor, id);
  if (!canEdit(actor, activity)) throw forbidden('Only its owner or a manager over the account changes an activity');
  // The column holds only ACTIVITY_STATUSES: every write goes through the contract's enum.
  const current = activity.status as ActivityStatus;
  const status = input.status ?? current;
  if (!canChangeStatus(current, status)) {
    throw invalid(
      'status',
      { code: 'invalid_transition', params: { from: current, to: status } },
      `cannot go from ${activity.status} to ${status}`,
    );
  }
  const startAt = input.startAt ?? Number(activity.start_at);
  const endAt = input.endAt === undefined ? (activity.end_at === null ? null : Number(activity.end_at)) : input.endAt;
  const opportunityId = input.opportunityId === undefined ? activity.opportunity_id : input.opportunityId;
  const type = input.type ?? activity.type;
  await checkFields(db, actor, activity.account_id, {
    status,
    startAt,
    endAt,
    opportunityId,
    contactIds: input.contactIds,
  });
  if (type !== 'visit' && activity.planned_by !== null)
    throw invalid('type', { code: 'visit_only' }, 'a planned visit stays a visit');
  const ownerId =
    input.ownerId === undefined ? activity.owner_id : await ownerFor(db, actor, input.ownerId, activity.unit_path);
  await inTransaction(db.kysely, async (trx) => {
    const before = await repo.activityRow(trx, actor.workspaceId, id);
    if (!before) throw notFound('Activity');
    await updateVersioned(
      trx,
      'activities',
      'Activity',
      { workspaceId: actor.workspaceId, id, version: input.version },
      {
        type,
        status,
        start_at: startAt,
        end_at: endAt,
        opportunity_id: opportunityId,
        owner_id: ownerId,
        ...(input.subject !== undefined ? { subject: input.subject } : {}),
        ...(input.notes !== undefined ? { notes: input.notes } : {}),
        ...(input.outcome !== undefined ? { outcome: input.outcome } : {}),
        ...(input.location !== undefined ? { location: input.location } : {}),
        updated_at: actor.now,
      },
    );
    if (input.contactIds !== undefined)
      await repo.setContacts(trx, actor.workspaceId, id, [...new Set(input.contactIds)]);
    await applyFollowUp(trx, db, actor.workspaceId, factsOfRow(before), {
      ...factsOfRow(before),
      type,
      status,
      startAt,
    });
  });
  return getActivity(db, actor, id);
}

/** Managers archive (docs/rhythm.md: reps never delete activities); the account's follow-up falls back if it was this one. */
export async function archiveActivity(db: Db, actor: Actor, id: number, version: number) {
  const activity = await requireActivity(db, actor, id);
  if (!can(actor, 'activities.write') || !canManageAccount(actor, { unitPath: activity.unit_path }))
    throw forbidden('Only a manager over the account archives an activity');
  await inTransaction(db.kysely, async (trx) => {
    const before = await repo.activityRow(trx, actor.workspaceId, id);
    if (!before || before.archived_at !== null) throw notFound('Activity');
    if (!(await repo.archiveActivity(trx, actor.workspaceId, id, version, actor.now)))
      throw staleVersion('The activity', before.version);
    await applyFollowUp(trx, db, actor.workspaceId, factsOfRow(before), { ...factsOfRow(before), archived: true });
  });
}

/** Attaches a file the caller uploaded (POST /attachments) and has not given elsewhere. */
export async function attachFile(db: Db, actor: Actor, id: number, input: { version: number; attachmentId: number }) {
  const activity = await requireActivity(db, actor, id);
  if (!canEdit(actor, activity)) throw forbidden('Only its owner or a manager over the account attaches files');
  await inTransaction(db.kysely, async (trx) => {
    const file = await repo.attachmentForLink(trx, actor.workspaceId, input.attachmentId);
    if (!file || file.uploaded_by !== actor.userId)
      throw invalid(
        'attachmentId',
        { code: 'not_found', params: { id: input.attachmentId } },
        `no file with id ${input.attachmentId} of yours`,
      );
    if (file.activity_id !== null || file.opportunity_id !== null)
      throw invalid('attachmentId', { code: 'attachment_elsewhere' }, 'the file is attached elsewhere already');
    if (!(await repo.touchActivity(trx, actor.workspaceId, id, input.version, actor.now)))
      throw staleVersion('The activity', activity.version);
    await repo.linkAttachment(trx, actor.workspaceId, input.attachmentId, id);
  });
  return getActivity(db, actor, id);
}
