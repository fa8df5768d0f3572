import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { addDays, startOfDay } from '../../domain/calendar.ts';
import type { ActivityStatus, ActivityType } from '../../domain/activities.ts';
import { can, canManageAccount, reachesUnit, type Actor } from '../../domain/policy.ts';
import type {
  ActivityDetail,
  ActivityDto,
  ActivityFilter,
  ActivityListQuery,
  VisitPlan,
} from '../../contracts/activities.ts';
import { forbidden, invalid, notFound, staleVersion } from '../../server/problem.ts';
import { loadRules, loadSettings } from '../workspace/service.ts';
import { answeredCallbackOf } from '../callbacks/shared.ts';
import type { CallbackOutcome } from '../../contracts/callbacks.ts';
import * as listRepo from './repository/list.ts';
import * as planRepo from './repository/plans.ts';
import * as writeRepo from './repository/writes.ts';

/**
 * Activities (docs/rhythm.md § Activities): logged or planned contact with a customer. Here: an
 * activity as the API shows it, the list, one activity and who may edit or review it, its files.
 * Logging, changing and archiving one, and the account's last follow-up they move: writes.ts;
 * visit plans and reviews: plans.ts.
 */

type Row = listRepo.ActivityRow;

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
  const contacts = await writeRepo.contactsOf(
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
export async function toFilter(db: Db, actor: Actor, filter: ActivityFilter): Promise<listRepo.ListFilter> {
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
  const { items, total } = await listRepo.listActivities(db.kysely, db.engine, actor, {
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
  const activity = await listRepo.getActivity(db.kysely, actor, id);
  if (!activity) throw notFound('Activity');
  return activity;
}

/** Change it, plan it, attach files: its owner (who may still write activities), a manager over its account, an admin. */
export const canEdit = (actor: Actor, row: Row) =>
  can(actor, 'activities.write') &&
  (row.owner_id === actor.userId || canManageAccount(actor, { unitPath: row.unit_path }));

export async function getActivity(db: Db, actor: Actor, id: number): Promise<ActivityDetail> {
  const activity = await requireActivity(db, actor, id);
  const [[dto], plan, files, callback] = await Promise.all([
    loadSettings(db.kysely, actor).then((s) => dtos(db, actor, [activity], s.qualifyingActivityTypes)),
    planRepo.planOf(db.kysely, actor.workspaceId, id),
    writeRepo.attachmentsOfActivity(db.kysely, actor.workspaceId, id),
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

/** Attaches a file the caller uploaded (POST /attachments) and has not given elsewhere. */
export async function attachFile(db: Db, actor: Actor, id: number, input: { version: number; attachmentId: number }) {
  const activity = await requireActivity(db, actor, id);
  if (!canEdit(actor, activity)) throw forbidden('Only its owner or a manager over the account attaches files');
  await inTransaction(db.kysely, async (trx) => {
    const file = await writeRepo.attachmentForLink(trx, actor.workspaceId, input.attachmentId);
    if (!file || file.uploaded_by !== actor.userId)
      throw invalid(
        'attachmentId',
        { code: 'not_found', params: { id: input.attachmentId } },
        `no file with id ${input.attachmentId} of yours`,
      );
    if (file.activity_id !== null || file.opportunity_id !== null)
      throw invalid('attachmentId', { code: 'attachment_elsewhere' }, 'the file is attached elsewhere already');
    if (!(await writeRepo.touchActivity(trx, actor.workspaceId, id, input.version, actor.now)))
      throw staleVersion('The activity', activity.version);
    await writeRepo.linkAttachment(trx, actor.workspaceId, input.attachmentId, id);
  });
  return getActivity(db, actor, id);
}
