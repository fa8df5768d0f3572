import type { Db } from '../../db/database.ts';
import type { Tier } from '../../domain/accounts.ts';
import { canEditAccount, type Actor } from '../../domain/policy.ts';
import type { CreditSplits, Group } from '../../contracts/groups.ts';
import { forbidden, invalid } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { recordChanges } from '../history/repository.ts';
import { factsOf, getAccount, requireAccount } from '../accounts/service.ts';
import { requireOpportunity, requireRight } from '../opportunities/service.ts';
import { updateVersioned } from '../versioned.ts';
import * as repo from './repository.ts';

/**
 * Group accounts (docs/archive.md § Group accounts): parent/subsidiary links of any depth
 * within the workspace, never a cycle; the group page rolls up what the caller may see; a
 * deal's credit split between owners adds up to 100%.
 */
export async function setParent(
  db: Db,
  actor: Actor,
  id: number,
  body: { version: number; parentAccountId: number | null },
) {
  const row = await requireAccount(db, actor, id);
  if (!canEditAccount(actor, factsOf(row))) throw forbidden('You cannot edit this account');
  const parentId = body.parentAccountId;
  let parentName: string | null = null;
  if (parentId !== null) {
    if (parentId === id)
      throw invalid('parentAccountId', { code: 'self' }, 'an account cannot be its own parent', 'group_cycle');
    // Another workspace's id, or one out of reach, reads as unknown (docs/DESIGN.md § Ids in requests).
    parentName = (
      await requireAccount(db, actor, parentId).catch(() => {
        throw invalid(
          'parentAccountId',
          { code: 'not_found', params: { id: parentId } },
          `no account with id ${parentId}`,
        );
      })
    ).name;
    if ((await repo.ancestors(db.kysely, actor.workspaceId, parentId)).some((a) => a.id === id)) {
      throw invalid(
        'parentAccountId',
        { code: 'cycle' },
        'the parent is already a subsidiary of this account',
        'group_cycle',
      );
    }
  }
  await db.kysely.transaction().execute(async (trx) => {
    await updateVersioned(
      trx,
      'accounts',
      'Account',
      { workspaceId: actor.workspaceId, id, version: body.version },
      { parent_account_id: parentId, updated_at: actor.now },
    );
    if (row.parent_account_id !== parentId) {
      // Names, not ids: the history is read by people (the old parent may be out of their sight now).
      const oldName =
        row.parent_account_id === null ? null : await repo.accountName(trx, actor.workspaceId, row.parent_account_id);
      await recordChanges(
        trx,
        [
          {
            workspaceId: actor.workspaceId,
            entityType: 'account',
            entityId: id,
            field: 'parent',
            oldValue: oldName,
            newValue: parentName,
            actorUserId: actor.userId,
          },
        ],
        actor.now,
      );
    }
  });
  return getAccount(db, actor, id);
}

const TIER_RANK: Record<Tier, number> = { A: 0, B: 1, C: 2 };

export async function group(db: Db, actor: Actor, id: number): Promise<Group> {
  await requireAccount(db, actor, id);
  const chain = await repo.ancestors(db.kysely, actor.workspaceId, id);
  const rootId = chain.at(-1)!.id;
  const tree = await repo.descendants(db.kysely, actor.workspaceId, rootId);
  const depthOf = new Map(tree.map((t) => [t.id, t.depth]));
  const rows = await repo.visibleMembers(
    db.kysely,
    actor,
    tree.map((t) => t.id),
  );
  const ids = rows.map((r) => r.id);
  const [deals, contacts] = await Promise.all([
    repo.dealFigures(db.kysely, actor, ids),
    repo.contactCounts(db.kysely, actor.workspaceId, ids),
  ]);
  const members = rows
    .map((row) => {
      const deal = deals.get(row.id) ?? { open: 0, openAmount: 0, wonAmount: 0 };
      return {
        id: row.id,
        name: row.name,
        parentAccountId: row.parent_account_id,
        depth: depthOf.get(row.id) ?? 0,
        tier: row.tier as Tier,
        named: row.named_account === 1,
        ownerId: row.owner_id,
        ownerName: row.owner_name,
        archived: row.archived_at !== null,
        trailingAmount: Number(row.trailing_amount),
        priorAmount: Number(row.prior_amount),
        openDeals: deal.open,
        openAmount: deal.openAmount,
        wonAmount: deal.wonAmount,
        contacts: contacts.get(row.id) ?? 0,
      };
    })
    .sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name, 'zh'));
  const sum = (key: 'trailingAmount' | 'priorAmount' | 'openDeals' | 'openAmount' | 'wonAmount' | 'contacts') =>
    members.reduce((s, m) => s + m[key], 0);
  const tierCounts = { A: 0, B: 0, C: 0 };
  for (const member of members) tierCounts[member.tier] += 1;
  const tier = members.reduce<Tier>((best, m) => (TIER_RANK[m.tier] < TIER_RANK[best] ? m.tier : best), 'C');
  return {
    rootId,
    members,
    hiddenMembers: tree.length - members.length,
    totals: {
      accounts: members.length,
      trailingAmount: sum('trailingAmount'),
      priorAmount: sum('priorAmount'),
      openDeals: sum('openDeals'),
      openAmount: sum('openAmount'),
      wonAmount: sum('wonAmount'),
      contacts: sum('contacts'),
    },
    tier,
    tierCounts,
  };
}

export async function creditSplits(db: Db, actor: Actor, opportunityId: number): Promise<CreditSplits> {
  // Whoever may see the deal sees how its credit is shared.
  await requireOpportunity(db, actor, opportunityId);
  const rows = await repo.creditSplits(db.kysely, actor.workspaceId, opportunityId);
  return { opportunityId, splits: rows.map((r) => ({ userId: r.user_id, userName: r.user_name, percent: r.percent })) };
}

/** Replaces the split: a manager over the deal, because it moves quota and commission between people. */
export async function setCreditSplits(
  db: Db,
  actor: Actor,
  opportunityId: number,
  splits: { userId: number; percent: number }[],
  ip: string | null,
): Promise<CreditSplits> {
  const { rights } = await requireRight(
    db,
    actor,
    opportunityId,
    'edit',
    'Only a manager over the deal splits its credit',
  );
  if (!rights.manage) throw forbidden('Only a manager over the deal splits its credit');
  const seen = new Set<number>();
  splits.forEach((split, index) => {
    if (seen.has(split.userId))
      throw invalid(
        `splits.${index}.userId`,
        { code: 'duplicate', params: { index: index } },
        'this person is listed twice',
      );
    seen.add(split.userId);
  });
  const total = splits.reduce((s, x) => s + x.percent, 0);
  if (splits.length && total !== 100)
    throw invalid('splits', { code: 'must_total_100', params: { total } }, `the shares add up to ${total}%, not 100%`);
  const active = await repo.activeUserIds(db.kysely, actor.workspaceId, [...seen]);
  splits.forEach((split, index) => {
    if (!active.has(split.userId))
      throw invalid(
        `splits.${index}.userId`,
        { code: 'not_found', params: { id: split.userId } },
        `no active user with id ${split.userId}`,
      );
  });
  await db.kysely.transaction().execute(async (trx) => {
    await repo.replaceCreditSplits(trx, actor.workspaceId, opportunityId, splits, actor.now);
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'opportunity.credit_split',
        ip,
        detail: { opportunityId, splits },
      },
      actor.now,
    );
  });
  return creditSplits(db, actor, opportunityId);
}
