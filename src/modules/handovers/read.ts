import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import {
  countByCategory,
  HANDOVER_CATEGORIES,
  isKeyAccount,
  missingForCompletion,
  noteGaps,
  parseNote,
  type HandoverCategory,
  type HandoverStatus,
} from '../../domain/handover.ts';
import { can, type Actor } from '../../domain/policy.ts';
import type { Role } from '../../domain/roles.ts';
import type { OpportunityStatus } from '../../domain/opportunity.ts';
import { conflict, forbidden, notFound } from '../../server/problem.ts';
import type {
  HandoverDetail,
  HandoverFollower,
  HandoverItem,
  HandoverListQuery,
  HandoverPage,
  HandoverSummary,
} from '../../contracts/handovers.ts';
import * as inventoryRepo from './repository/inventory.ts';
import * as itemRepo from './repository/items.ts';
import * as recordRepo from './repository/record.ts';
import * as transferRepo from './repository/transfer.ts';
import { loadRules } from '../workspace/service.ts';
import { dateIn } from '../../domain/calendar.ts';
import type { ActivityType } from '../../domain/activities.ts';

/**
 * A handover read (the wizard's detail and the list), with the checks every use case starts
 * with; a draft's inventory is brought up to date whenever it is read. Starting and editing a
 * draft: draft.ts; completing or cancelling it: close.ts.
 */

export function requireStarter(actor: Actor) {
  if (!can(actor, 'handover.manage')) throw forbidden('Only an administrator or a manager hands over a departing user');
}

export async function requireHandover(db: Kysely<Database>, actor: Actor, id: number): Promise<recordRepo.HandoverRow> {
  requireStarter(actor);
  const handover = await recordRepo.getHandover(db, actor, id);
  if (!handover) throw notFound('Handover');
  return handover;
}

export function requireDraft(handover: recordRepo.HandoverRow) {
  if (handover.status !== 'draft')
    throw conflict('handover_closed', `The handover is ${handover.status}; it can no longer change`);
}

/** Brings a draft's items in line with what the user owns now: new items join, gone ones leave. */
export async function syncInventory(
  db: Kysely<Database>,
  workspaceId: number,
  handover: { id: number; from_user_id: number },
  now: number,
) {
  await db.transaction().execute(async (trx) => {
    const [current, items] = await Promise.all([
      inventoryRepo.currentInventory(trx, workspaceId, handover.from_user_id),
      itemRepo.itemsOf(trx, workspaceId, handover.id),
    ]);
    const key = (c: string, id: number) => `${c}:${id}`;
    const have = new Set(items.map((i) => key(i.entity_type, i.entity_id)));
    const now_ = new Set(current.map((c) => key(c.category, c.entityId)));
    const added = current.filter((c) => !have.has(key(c.category, c.entityId)));
    const gone = items.filter((i) => !now_.has(key(i.entity_type, i.entity_id))).map((i) => i.id);
    await itemRepo.insertItems(trx, workspaceId, handover.id, added, now);
    await itemRepo.deleteItems(trx, workspaceId, handover.id, gone);
  });
}

export async function loadItems(
  db: Kysely<Database>,
  workspaceId: number,
  handoverId: number,
): Promise<HandoverItem[]> {
  const items = await itemRepo.itemsOf(db, workspaceId, handoverId);
  const ids = Object.fromEntries(
    HANDOVER_CATEGORIES.map((c) => [c, items.filter((i) => i.entity_type === c).map((i) => i.entity_id)]),
  ) as Record<HandoverCategory, number[]>;
  const descriptions = await itemRepo.describeItems(db, workspaceId, ids);
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

function toHandoverDto(handover: recordRepo.HandoverRow) {
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
  handover: recordRepo.HandoverRow,
  items: HandoverItem[],
): Promise<HandoverFollower[]> {
  const accountItems = new Map(items.filter((i) => i.category === 'account').map((i) => [i.entityId, i]));
  const { timeZone } = (await loadRules(db, workspaceId)).calendar;
  const { tasks, visits } = await transferRepo.followersOf(db, workspaceId, handover.from_user_id, [
    ...accountItems.keys(),
  ]);
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
  const { items, total } = await recordRepo.listHandovers(db.kysely, actor, query);
  const counts = await recordRepo.itemCounts(
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
