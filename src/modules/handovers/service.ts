import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import {
  canHandOver,
  canTakeOver,
  countByCategory,
  HANDOVER_CATEGORIES,
  isKeyAccount,
  missingForCompletion,
  noteGaps,
  parseNote,
  type HandoverCategory,
  type HandoverNote,
  type HandoverStatus,
  type Missing,
} from '../../domain/handover.ts';
import { can, reachesUnit, type Actor } from '../../domain/policy.ts';
import type { Role } from '../../domain/roles.ts';
import type { OpportunityStatus } from '../../domain/opportunity.ts';
import { AppError, conflict, forbidden, invalid, notFound, staleVersion, fieldError } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { userWithUnit, usersWithUnits } from '../users/shared.ts';
import { deleteUserSessions } from '../auth/shared.ts';
import { recordChanges, type Change } from '../history/repository.ts';
import type {
  AssignSuccessorsRequest,
  HandoverContacts,
  HandoverDetail,
  HandoverFollower,
  HandoverItem,
  HandoverListQuery,
  HandoverPage,
  HandoverSummary,
} from '../../contracts/handovers.ts';
import * as repo from './repository.ts';
import { keepingFunnel } from '../funnel/upkeep.ts';
import { loadRules } from '../workspace/service.ts';
import { dateIn } from '../../domain/calendar.ts';
import type { ActivityType } from '../../domain/activities.ts';

/**
 * Handover on departure (离职交接, docs/archive.md): a draft lists everything the departing user
 * owns or takes part in; the manager assigns successors and writes notes for key accounts;
 * completion moves it all in one transaction and deactivates the user. The record stays.
 */

function requireStarter(actor: Actor) {
  if (!can(actor, 'handover.manage')) throw forbidden('Only an administrator or a manager hands over a departing user');
}

async function requireHandover(db: Kysely<Database>, actor: Actor, id: number): Promise<repo.HandoverRow> {
  requireStarter(actor);
  const handover = await repo.getHandover(db, actor, id);
  if (!handover) throw notFound('Handover');
  return handover;
}

function requireDraft(handover: repo.HandoverRow) {
  if (handover.status !== 'draft')
    throw conflict('handover_closed', `The handover is ${handover.status}; it can no longer change`);
}

/** Brings a draft's items in line with what the user owns now: new items join, gone ones leave. */
async function syncInventory(
  db: Kysely<Database>,
  workspaceId: number,
  handover: { id: number; from_user_id: number },
  now: number,
) {
  await db.transaction().execute(async (trx) => {
    const [current, items] = await Promise.all([
      repo.currentInventory(trx, workspaceId, handover.from_user_id),
      repo.itemsOf(trx, workspaceId, handover.id),
    ]);
    const key = (c: string, id: number) => `${c}:${id}`;
    const have = new Set(items.map((i) => key(i.entity_type, i.entity_id)));
    const now_ = new Set(current.map((c) => key(c.category, c.entityId)));
    const added = current.filter((c) => !have.has(key(c.category, c.entityId)));
    const gone = items.filter((i) => !now_.has(key(i.entity_type, i.entity_id))).map((i) => i.id);
    await repo.insertItems(trx, workspaceId, handover.id, added, now);
    await repo.deleteItems(trx, workspaceId, handover.id, gone);
  });
}

export async function startHandover(
  db: Db,
  actor: Actor,
  fromUserId: number,
  ip: string | null,
): Promise<HandoverDetail> {
  requireStarter(actor);
  const user = await userWithUnit(db.kysely, actor.workspaceId, fromUserId);
  if (!user || !reachesUnit(actor, user.path))
    throw invalid(
      'fromUserId',
      { code: 'not_in_reach', params: { id: fromUserId } },
      `no user with id ${fromUserId} in your organisation`,
    );
  if (!canHandOver(actor, { id: user.id, unitPath: user.path }))
    throw invalid('fromUserId', { code: 'self' }, 'you cannot hand over yourself');
  if (!user.active) throw invalid('fromUserId', { code: 'inactive' }, 'the user is already deactivated');
  const { now } = actor;
  const id = await db.kysely.transaction().execute(async (trx) => {
    const open = await repo.openDraftFor(trx, actor.workspaceId, fromUserId);
    if (open)
      throw new AppError('handover_exists', 'A handover of this user is already in progress', {
        errors: [fieldError('fromUserId', { code: 'conflict' }, 'a handover of this user is already in progress')],
        params: { handoverId: open.id },
      });
    const hid = await repo.insertHandover(trx, {
      workspaceId: actor.workspaceId,
      fromUserId,
      createdBy: actor.userId,
      now,
    });
    await repo.insertItems(
      trx,
      actor.workspaceId,
      hid,
      await repo.currentInventory(trx, actor.workspaceId, fromUserId),
      now,
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'handover.start',
        targetType: 'user',
        targetId: fromUserId,
        ip,
        detail: { handoverId: hid },
      },
      now,
    );
    return hid;
  });
  return getHandover(db, actor, id);
}

async function loadItems(db: Kysely<Database>, workspaceId: number, handoverId: number): Promise<HandoverItem[]> {
  const items = await repo.itemsOf(db, workspaceId, handoverId);
  const ids = Object.fromEntries(
    HANDOVER_CATEGORIES.map((c) => [c, items.filter((i) => i.entity_type === c).map((i) => i.entity_id)]),
  ) as Record<HandoverCategory, number[]>;
  const descriptions = await repo.describeItems(db, workspaceId, ids);
  const acc = new Map(descriptions.accounts.map((r) => [r.id, r]));
  const opp = new Map(descriptions.opps.map((r) => [r.id, r]));
  const team = new Map(descriptions.team.map((r) => [r.id, r]));
  const rel = new Map(descriptions.roles.map((r) => [r.id, r]));
  const rule = new Map(descriptions.rules.map((r) => [r.id, r]));
  return items.map((item) => {
    const category = item.entity_type as HandoverCategory;
    const base = {
      id: item.id,
      category,
      entityId: item.entity_id,
      toUserId: item.to_user_id,
      toUserName: item.to_user_name,
      accountId: null as number | null,
      tier: null as string | null,
      named: false,
      keyAccount: false,
      amount: null as number | null,
      dealStatus: null as OpportunityStatus | null,
      stageName: null as string | null,
      probability: null as number | null,
      detail: null as string | null,
      role: null as string | null,
      industry: null as string | null,
      label: `#${item.entity_id}`,
    };
    if (category === 'account') {
      const account = acc.get(item.entity_id);
      if (account)
        Object.assign(base, {
          label: account.name,
          detail: account.org_unit_name,
          accountId: account.id,
          tier: account.tier,
          named: account.named_account === 1,
          keyAccount: isKeyAccount(account.tier, account.named_account === 1),
          amount: account.trailing_amount,
        });
    } else if (category === 'opportunity') {
      const opportunity = opp.get(item.entity_id);
      if (opportunity)
        Object.assign(base, {
          label: opportunity.name,
          detail: opportunity.account_name,
          accountId: opportunity.account_id,
          ...dealState(opportunity),
        });
    } else if (category === 'team') {
      const teamMember = team.get(item.entity_id);
      if (teamMember)
        Object.assign(base, {
          label: teamMember.opportunity_name,
          detail: teamMember.account_name,
          role: teamMember.team_role,
          accountId: teamMember.account_id,
          ...dealState(teamMember),
        });
    } else if (category === 'relationship') {
      const relationship = rel.get(item.entity_id);
      if (relationship)
        Object.assign(base, {
          label: relationship.contact_name,
          detail: relationship.contact_title
            ? `${relationship.account_name} · ${relationship.contact_title}`
            : relationship.account_name,
          role: relationship.role,
          accountId: relationship.account_id,
        });
    } else {
      const territoryRule = rule.get(item.entity_id);
      if (territoryRule) {
        const place = [territoryRule.province, territoryRule.city, territoryRule.district].filter(Boolean).join(' ');
        // An unnamed rule is labelled by its place; the detail would only repeat it.
        Object.assign(base, {
          label: territoryRule.name ?? (place || '—'),
          detail: territoryRule.name && place ? place : null,
          industry: territoryRule.industry,
        });
      }
    }
    const note = base.keyAccount ? parseNote(item.note) : null;
    return { ...base, note, noteGaps: base.keyAccount ? noteGaps(note) : [] };
  });
}

/** What the successor takes on with a deal: its amount, status and stage (the wizard's deal rows). */
const dealState = (deal: {
  amount: number | string;
  status: string;
  stage_name: string | null;
  probability: number | null;
}) => ({
  amount: Number(deal.amount),
  // opportunities.status is written only from OPPORTUNITY_STATUSES (the opportunity service).
  dealStatus: deal.status as OpportunityStatus,
  stageName: deal.stage_name,
  probability: deal.probability,
});

function toHandoverDto(handover: repo.HandoverRow) {
  return {
    id: handover.id,
    status: handover.status as HandoverStatus,
    fromUser: {
      id: handover.from_user_id,
      name: handover.from_user_name,
      email: handover.from_user_email,
      role: handover.from_user_role as Role,
      active: handover.from_user_active === 1,
      orgUnitName: handover.org_unit_name,
    },
    createdBy: handover.created_by,
    createdByName: handover.created_by_name,
    createdAt: handover.created_at,
    completedAt: handover.completed_at,
    summary: handover.summary ? (JSON.parse(handover.summary) as HandoverSummary) : null,
    version: handover.version,
  };
}

export async function getHandover(db: Db, actor: Actor, id: number): Promise<HandoverDetail> {
  let handover = await requireHandover(db.kysely, actor, id);
  if (handover.status === 'draft') {
    await syncInventory(db.kysely, actor.workspaceId, handover, actor.now);
    handover = await requireHandover(db.kysely, actor, id);
  }
  const items = await loadItems(db.kysely, actor.workspaceId, id);
  const missing = missingForCompletion(
    items.map((item) => ({
      itemId: item.id,
      category: item.category,
      toUserId: item.toUserId,
      keyAccount: item.keyAccount,
      note: item.note,
    })),
  );
  const followers =
    handover.status === 'draft' ? await loadFollowers(db.kysely, actor.workspaceId, handover, items) : [];
  return {
    ...toHandoverDto(handover),
    counts: {
      ...countByCategory(items),
      tasks: followers.filter((f) => f.kind === 'task').length,
      visits: followers.filter((f) => f.kind === 'visit').length,
    },
    keyAccounts: items.filter((i) => i.keyAccount).length,
    items,
    missing,
    followers,
    notes: {
      tasksAndVisits:
        "The leaver's open tasks and planned activities on the accounts handed over go to each account's successor.",
    },
  };
}

/** The leaver's open tasks and planned activities on the draft's accounts, each with the successor it will go to. */
async function loadFollowers(
  db: Kysely<Database>,
  workspaceId: number,
  handover: repo.HandoverRow,
  items: HandoverItem[],
): Promise<HandoverFollower[]> {
  const accountItems = new Map(items.filter((i) => i.category === 'account').map((i) => [i.entityId, i]));
  const { timeZone } = (await loadRules(db, workspaceId)).calendar;
  const { tasks, visits } = await repo.followersOf(db, workspaceId, handover.from_user_id, [...accountItems.keys()]);
  const successorOf = (accountId: number) => {
    const item = accountItems.get(accountId)!;
    return { itemId: item.id, toUserId: item.toUserId, toUserName: item.toUserName };
  };
  return [
    ...visits.map((visit) => ({
      kind: 'visit' as const,
      id: visit.id,
      title: visit.subject ?? '',
      // The activities area writes only ACTIVITY_TYPES into this column.
      activityType: visit.type as ActivityType,
      date: dateIn(Number(visit.start_at), timeZone),
      startAt: Number(visit.start_at),
      account: { id: visit.account_id, name: visit.account_name },
      ...successorOf(visit.account_id),
    })),
    ...tasks.map((task) => ({
      kind: 'task' as const,
      id: task.id,
      title: task.title,
      activityType: null,
      date: task.due_date,
      startAt: null,
      account: { id: task.account_id!, name: task.account_name },
      ...successorOf(task.account_id!),
    })),
  ];
}

export async function listHandovers(db: Db, actor: Actor, query: HandoverListQuery): Promise<HandoverPage> {
  requireStarter(actor);
  const { items, total } = await repo.listHandovers(db.kysely, actor, query);
  const counts = await repo.itemCounts(
    db.kysely,
    actor.workspaceId,
    items.map((i) => i.id),
  );
  return {
    items: items.map((handover) => {
      const mine = counts.filter((c) => c.handover_id === handover.id);
      const byCat = Object.fromEntries(
        HANDOVER_CATEGORIES.map((c) => [c, Number(mine.find((m) => m.entity_type === c)?.n ?? 0)]),
      ) as Record<HandoverCategory, number>;
      return {
        ...toHandoverDto(handover),
        counts: byCat,
        itemCount: mine.reduce((s, m) => s + Number(m.n), 0),
        assignedCount: mine.reduce((s, m) => s + Number(m.assigned), 0),
      };
    }),
    total,
  };
}

async function bump(db: Kysely<Database>, workspaceId: number, id: number) {
  if (!(await repo.touchHandover(db, workspaceId, id, null)))
    throw conflict('handover_closed', 'The handover can no longer change');
}

/** Successors for many items at once (bulk or one by one); null clears one. */
export async function assignSuccessors(
  db: Db,
  actor: Actor,
  id: number,
  assignments: AssignSuccessorsRequest['items'],
): Promise<HandoverDetail> {
  const handover = await requireHandover(db.kysely, actor, id);
  requireDraft(handover);
  const items = await repo.itemsOf(db.kysely, actor.workspaceId, id);
  const byId = new Map(items.map((i) => [i.id, i]));
  const userIds = [...new Set(assignments.map((a) => a.toUserId).filter((u): u is number => u !== null))];
  const users = new Map((await usersWithUnits(db.kysely, actor.workspaceId, userIds)).map((u) => [u.id, u]));
  assignments.forEach((assignment, index) => {
    const item = byId.get(assignment.itemId);
    if (!item)
      throw invalid(
        `items.${index}.itemId`,
        { code: 'not_found', params: { id: assignment.itemId } },
        `no item ${assignment.itemId} in this handover`,
      );
    if (assignment.toUserId === null) return;
    const user = users.get(assignment.toUserId);
    if (!user || !user.active || !reachesUnit(actor, user.path))
      throw invalid(
        `items.${index}.toUserId`,
        { code: 'not_in_reach', params: { id: assignment.toUserId } },
        `no active user with id ${assignment.toUserId} in your organisation`,
      );
    if (user.id === handover.from_user_id)
      throw invalid(`items.${index}.toUserId`, { code: 'self' }, 'the successor cannot be the departing user');
    if (!canTakeOver(item.entity_type as HandoverCategory, user.role as Role))
      throw invalid(
        `items.${index}.toUserId`,
        { code: 'cannot_take_over', params: { role: user.role, category: item.entity_type } },
        `a ${user.role} cannot take over a ${item.entity_type}`,
      );
  });
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    const groups = new Map<number | null, number[]>();
    for (const assignment of assignments)
      groups.set(assignment.toUserId, [...(groups.get(assignment.toUserId) ?? []), assignment.itemId]);
    for (const [to, ids] of groups) await repo.setSuccessor(trx, actor.workspaceId, id, ids, to, now);
    await bump(trx, actor.workspaceId, id);
  });
  return getHandover(db, actor, id);
}

export async function saveNote(
  db: Db,
  actor: Actor,
  id: number,
  itemId: number,
  note: HandoverNote,
): Promise<HandoverDetail> {
  const handover = await requireHandover(db.kysely, actor, id);
  requireDraft(handover);
  const item = (await repo.itemsOf(db.kysely, actor.workspaceId, id)).find((i) => i.id === itemId);
  if (!item) throw notFound('Handover item');
  if (item.entity_type !== 'account')
    throw invalid('itemId', { code: 'accounts_only' }, 'handover notes are written for accounts');
  if (note.contactIds.length) {
    const contacts = await repo.contactsOfAccounts(db.kysely, actor.workspaceId, [item.entity_id]);
    const known = new Set(contacts.map((c) => c.id));
    const bad = note.contactIds.findIndex((c) => !known.has(c));
    if (bad >= 0)
      throw invalid(
        `contactIds.${bad}`,
        { code: 'not_of_account' },
        `contact ${note.contactIds[bad]} is not a contact of this account`,
      );
  }
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    await repo.setNote(trx, actor.workspaceId, id, itemId, JSON.stringify(note), now);
    await bump(trx, actor.workspaceId, id);
  });
  return getHandover(db, actor, id);
}

/** The contacts of the accounts in a handover, for choosing key contacts in notes. */
export async function handoverContacts(db: Db, actor: Actor, id: number): Promise<HandoverContacts['items']> {
  await requireHandover(db.kysely, actor, id);
  const items = await repo.itemsOf(db.kysely, actor.workspaceId, id);
  const rows = await repo.contactsOfAccounts(
    db.kysely,
    actor.workspaceId,
    items.filter((i) => i.entity_type === 'account').map((i) => i.entity_id),
  );
  return rows.map((c) => ({ id: c.id, accountId: c.account_id, name: c.name, title: c.title }));
}

function incomplete(missing: Missing[]) {
  return new AppError(
    'handover_incomplete',
    `The handover is not complete: ${missing.filter((m) => m.problem === 'no_successor').length} item(s) without a successor, ${missing.filter((m) => m.problem === 'no_note').length} key account(s) without a handover note`,
    {
      errors: missing.map((missingItem) =>
        fieldError(
          `items.${missingItem.itemId}`,
          { code: missingItem.problem },
          missingItem.problem === 'no_successor' ? 'choose a successor' : 'write the handover note',
        ),
      ),
      params: { missing },
    },
  );
}

/**
 * Completes the handover in ONE transaction: every account (history reason 'handover'),
 * opportunity, team seat, relationship and territory rule moves to its successor; the user
 * is deactivated and signed out everywhere; the record keeps a summary; an audit entry.
 */
export async function completeHandover(
  db: Db,
  actor: Actor,
  id: number,
  version: number,
  ip: string | null,
): Promise<HandoverDetail> {
  let handover = await requireHandover(db.kysely, actor, id);
  requireDraft(handover);
  await syncInventory(db.kysely, actor.workspaceId, handover, actor.now);
  handover = await requireHandover(db.kysely, actor, id);
  if (handover.version !== version) throw staleVersion('Handover', handover.version);
  const items = await loadItems(db.kysely, actor.workspaceId, id);
  const missing = missingForCompletion(
    items.map((item) => ({
      itemId: item.id,
      category: item.category,
      toUserId: item.toUserId,
      keyAccount: item.keyAccount,
      note: item.note,
    })),
  );
  if (missing.length) throw incomplete(missing);
  const successors = new Map(
    (await usersWithUnits(db.kysely, actor.workspaceId, [...new Set(items.map((i) => i.toUserId!))])).map((user) => [
      user.id,
      user,
    ]),
  );
  for (const item of items) {
    const successor = successors.get(item.toUserId!);
    if (!successor || !successor.active)
      throw invalid(
        `items.${item.id}.toUserId`,
        { code: 'inactive' },
        'the successor is no longer active; choose another',
      );
  }
  const from = handover.from_user_id;
  const ws = actor.workspaceId;
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    // Only the version this reviewer saw may complete; a concurrent completion finds it closed.
    if (!(await repo.touchHandover(trx, ws, id, version))) {
      const cur = await repo.handoverVersion(trx, ws, id);
      if (cur?.status !== 'draft')
        throw conflict('handover_closed', 'The handover was completed or cancelled meanwhile');
      throw staleVersion('Handover', cur.version);
    }
    const changes: Change[] = [];
    const moved = { tasks: 0, visits: 0 };
    for (const [toId, successor] of successors) {
      const mine = (category: HandoverCategory) =>
        items.filter((i) => i.category === category && i.toUserId === toId).map((i) => i.entityId);
      const to = { id: toId, unitId: successor.org_unit_id };
      for (const accId of await repo.reassignAccounts(trx, ws, from, mine('account'), to, now)) {
        changes.push({
          workspaceId: ws,
          entityType: 'account',
          entityId: accId,
          field: 'owner',
          oldValue: from,
          newValue: toId,
          reason: 'handover',
          actorUserId: actor.userId,
        });
      }
      for (const oppId of await keepingFunnel(trx, ws, mine('opportunity'), () =>
        repo.reassignOpportunities(trx, ws, from, mine('opportunity'), to, now),
      )) {
        changes.push({
          workspaceId: ws,
          entityType: 'opportunity',
          entityId: oppId,
          field: 'owner',
          oldValue: from,
          newValue: toId,
          reason: 'handover',
          actorUserId: actor.userId,
        });
      }
      // Open tasks and planned activities on the accounts follow them (docs/archive.md § Handover).
      const followed = await repo.moveFollowers(trx, ws, from, mine('account'), toId, now);
      moved.tasks += followed.tasks;
      moved.visits += followed.visits;
      await repo.reassignTeamSeats(trx, ws, from, mine('team'), toId);
      await repo.reassignRelationships(trx, ws, from, mine('relationship'), toId, now);
      await repo.reassignTerritories(trx, ws, from, mine('territory'), toId, now);
    }
    await recordChanges(trx, changes, now);
    // Nothing may be left behind (docs/archive.md): something acquired since the inventory was read stops it.
    const left = await repo.currentInventory(trx, ws, from);
    if (left.length)
      throw conflict(
        'inventory_changed',
        `The user acquired ${left.length} new item(s) meanwhile; reload the handover and assign them`,
      );
    await repo.deactivateUser(trx, ws, from, now);
    await deleteUserSessions(trx, ws, from);
    const summary: HandoverSummary = {
      counts: countByCategory(items),
      successors: [...successors.values()].map((user) => ({
        userId: user.id,
        name: user.name,
        count: items.filter((i) => i.toUserId === user.id).length,
      })),
      completedBy: actor.userId,
    };
    await repo.completeHandover(trx, ws, id, now, JSON.stringify(summary));
    await recordAudit(
      trx,
      {
        workspaceId: ws,
        actorUserId: actor.userId,
        action: 'handover.complete',
        targetType: 'user',
        targetId: from,
        ip,
        detail: { handoverId: id, ...summary, tasks: moved.tasks, visits: moved.visits },
      },
      now,
    );
    await recordAudit(
      trx,
      {
        workspaceId: ws,
        actorUserId: actor.userId,
        action: 'user.deactivate',
        targetType: 'user',
        targetId: from,
        ip,
        detail: { via: 'handover', handoverId: id },
      },
      now,
    );
  });
  return getHandover(db, actor, id);
}

/** Abandons a draft (the user stays); the record is kept as cancelled. */
export async function cancelHandover(
  db: Db,
  actor: Actor,
  id: number,
  version: number,
  ip: string | null,
): Promise<HandoverDetail> {
  const handover = await requireHandover(db.kysely, actor, id);
  requireDraft(handover);
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.touchHandover(trx, actor.workspaceId, id, version, { status: 'cancelled' })))
      throw staleVersion('Handover', (await repo.handoverVersion(trx, actor.workspaceId, id))?.version ?? version);
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'handover.cancel',
        targetType: 'user',
        targetId: handover.from_user_id,
        ip,
        detail: { handoverId: id },
      },
      now,
    );
  });
  return getHandover(db, actor, id);
}
