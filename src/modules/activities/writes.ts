import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import {
  canChangeStatus,
  followUpEffect,
  FUTURE_GRACE_MS,
  type ActivityStatus,
  type FollowUpFacts,
} from '../../domain/activities.ts';
import { can, canEditAccount, canManageAccount, type Actor } from '../../domain/policy.ts';
import type { CreateActivityRequest, UpdateActivityRequest } from '../../contracts/activities.ts';
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
import { loadSettings } from '../workspace/service.ts';
import * as writeRepo from './repository/writes.ts';
import { canEdit, getActivity, requireActivity } from './service.ts';

/**
 * Activities logged, planned, changed and archived (docs/rhythm.md § Activities). Every write that
 * changes whether, or when, an activity follows its account up moves the account's last follow-up
 * in the same transaction (followUpEffect), never by counting again.
 */

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
    const ok = new Set(await writeRepo.contactsOfAccount(db.kysely, actor.workspaceId, accountId, ids));
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
    await writeRepo.fallBackFollowUp(
      trx,
      db.engine,
      workspaceId,
      fallBack.accountId,
      fallBack.since,
      settings.qualifyingActivityTypes,
    );
  for (const raise of effect.raise) await writeRepo.raiseFollowUp(trx, workspaceId, raise.accountId, raise.at);
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
    const newId = await writeRepo.insertActivity(trx, row);
    if (input.contactIds?.length)
      await writeRepo.setContacts(trx, actor.workspaceId, newId, [...new Set(input.contactIds)]);
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
    const before = await writeRepo.activityRow(trx, actor.workspaceId, id);
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
      await writeRepo.setContacts(trx, actor.workspaceId, id, [...new Set(input.contactIds)]);
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
    const before = await writeRepo.activityRow(trx, actor.workspaceId, id);
    if (!before || before.archived_at !== null) throw notFound('Activity');
    if (!(await writeRepo.archiveActivity(trx, actor.workspaceId, id, version, actor.now)))
      throw staleVersion('The activity', before.version);
    await applyFollowUp(trx, db, actor.workspaceId, factsOfRow(before), { ...factsOfRow(before), archived: true });
  });
}
