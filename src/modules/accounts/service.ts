import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import type { AccountStatus, CompanySize, Industry, LeadSource, Tier, ValueType } from '../../domain/accounts.ts';
import { followUpDueAt, followUpDueDate, isFollowUpOverdue, overdueThresholds } from '../../domain/cadence.ts';
import { canEditAccount, canManageAccount, type AccountFacts, type Actor } from '../../domain/policy.ts';
import { canonicalProvince } from '../../domain/regions.ts';
import { forbidden, notFound } from '../../server/problem.ts';
import { recordChanges } from '../history/repository.ts';
import { labelledHistory } from '../history/labelled.ts';
import { loadRules } from '../workspace/service.ts';
import * as repo from './repository/accounts.ts';
import type * as contract from '../../contracts/accounts.ts';
import type { CappedPage } from '../../contracts/common.ts';

type Rules = Awaited<ReturnType<typeof loadRules>>;

/**
 * Accounts (docs/archive.md): an account as the API shows it, the list, one account and its rights,
 * archiving and its history. A new account and its duplicate warning: create.ts, duplicates.ts; an
 * edit: update.ts; the key-account profile: profile.ts; bulk reassignment: bulk.ts.
 */

/** An account as listed: the detail adds the contact count and the caller's rights. */
export type AccountDto = Omit<contract.Account, 'contactCount'>;

export function toAccountDto(row: repo.AccountListRow, rules: Rules, now: number): AccountDto {
  const tier = row.tier as Tier;
  const { settings, calendar } = rules;
  const due = followUpDueAt(row.last_follow_up_at, row.created_at, tier, settings);
  const dueDate = followUpDueDate(row.last_follow_up_at, row.created_at, tier, settings, calendar.timeZone);
  return {
    id: row.id,
    name: row.name,
    creditCode: row.credit_code,
    industry: row.industry as Industry | null,
    province: row.province,
    city: row.city,
    district: row.district,
    address: row.address,
    size: row.size as CompanySize | null,
    website: row.website,
    phone: row.phone,
    leadSource: row.lead_source as LeadSource | null,
    referrerAccountId: row.referrer_account_id,
    parentAccountId: row.parent_account_id,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    orgUnitId: row.org_unit_id,
    orgUnitName: row.org_unit_name,
    status: row.status as AccountStatus,
    tier,
    tierComputed: row.tier_computed as Tier,
    tierOverride: row.tier_override as Tier | null,
    tierOverrideReason: row.tier_override_reason,
    valueType: row.value_type as ValueType | null,
    trailingAmount: row.trailing_amount,
    priorAmount: row.prior_amount,
    named: row.named_account === 1,
    namedCriteria: JSON.parse(row.named_criteria || '{}') as Record<string, boolean>,
    inPool: row.in_pool === 1,
    poolSince: row.pool_since,
    lastFollowUpAt: row.last_follow_up_at,
    nextFollowUpDue: due,
    followUpOverdue: row.in_pool !== 1 && isFollowUpOverdue(dueDate, now, calendar.timeZone),
    notes: row.notes,
    archived: row.archived_at !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export const factsOf = (row: repo.AccountRow): AccountFacts => ({
  ownerId: row.owner_id,
  unitPath: row.unit_path,
  inPool: row.in_pool === 1,
  onTeam: Boolean(row.on_team),
});

export type AccountListQuery = Omit<repo.AccountFilter, 'overdueBefore'> & {
  overdue?: boolean | undefined;
  limit: number;
  offset: number;
  sort: { column: repo.AccountSort; desc: boolean };
};

/** List parameters → repository filter; pass the workspace's rules when already loaded. */
export async function toFilter(
  db: Db,
  actor: Actor,
  query: Omit<AccountListQuery, 'limit' | 'offset' | 'sort'>,
  rules?: Rules,
): Promise<repo.AccountFilter> {
  const { overdue, ...q2 } = query;
  // Known provinces are stored by their full name, so 上海 finds the 上海市 accounts.
  const rest = q2.province ? { ...q2, province: canonicalProvince(q2.province) ?? q2.province } : q2;
  if (!overdue) return rest;
  const { settings, calendar } = rules ?? (await loadRules(db.kysely, actor));
  return { ...rest, inPool: false, overdueBefore: overdueThresholds(actor.now, settings, calendar.timeZone) };
}

/** The accounts a bulk action's "all N matching" covers: the list's filter within the caller's sight, at most `limit`. */
export async function matchingAccountIds(
  db: Db,
  actor: Actor,
  match: Omit<AccountListQuery, 'limit' | 'offset' | 'sort'>,
  limit: number,
): Promise<number[]> {
  return repo.matchingAccountIds(db.kysely, db.engine, actor, await toFilter(db, actor, match), limit);
}

export async function listAccounts(
  db: Db,
  actor: Actor,
  query: AccountListQuery,
): Promise<CappedPage<contract.Account>> {
  const rules = await loadRules(db.kysely, actor);
  const filter = await toFilter(db, actor, query, rules);
  const { items, total, totalCapped } = await repo.listAccounts(db.kysely, db.engine, actor, {
    ...filter,
    limit: query.limit,
    offset: query.offset,
    sort: query.sort,
  });
  const counts = await repo.contactCounts(
    db.kysely,
    actor.workspaceId,
    items.map((i) => i.id),
  );
  return {
    // The count added to the row's object, not a copy of its 37 fields (a list answers 50 at a time).
    items: items.map((r) => Object.assign(toAccountDto(r, rules, actor.now), { contactCount: counts.get(r.id) ?? 0 })),
    total,
    totalCapped,
  };
}

/** The visible account row, or 404 — never 403, so ids of other people's accounts reveal nothing. */
export async function requireAccount(db: Db, actor: Actor, id: number): Promise<repo.AccountRow> {
  const row = await repo.getAccount(db.kysely, actor, id);
  if (!row) throw notFound('Account');
  return row;
}

export async function getAccount(db: Db, actor: Actor, id: number): Promise<contract.AccountDetail> {
  const row = await requireAccount(db, actor, id);
  const [rules, counts] = await Promise.all([
    loadRules(db.kysely, actor),
    repo.contactCounts(db.kysely, actor.workspaceId, [id]),
  ]);
  const facts = factsOf(row);
  return {
    ...toAccountDto(row, rules, actor.now),
    contactCount: counts.get(id) ?? 0,
    permissions: { edit: canEditAccount(actor, facts), manage: canManageAccount(actor, facts) },
  };
}

export async function setArchived(db: Db, actor: Actor, id: number, archived: boolean, version: number) {
  const row = await requireAccount(db, actor, id);
  if (!canManageAccount(actor, factsOf(row))) throw forbidden('Only a manager can archive accounts');
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    await updateVersioned(
      trx,
      'accounts',
      'Account',
      { workspaceId: actor.workspaceId, id, version },
      { archived_at: archived ? now : null, updated_at: now },
    );
    await recordChanges(
      trx,
      [
        {
          workspaceId: actor.workspaceId,
          entityType: 'account',
          entityId: id,
          field: 'archived',
          oldValue: row.archived_at ? 'true' : 'false',
          newValue: String(archived),
          actorUserId: actor.userId,
        },
      ],
      now,
    );
  });
  return getAccount(db, actor, id);
}

export async function accountHistory(db: Db, actor: Actor, id: number): Promise<contract.HistoryEntry[]> {
  await requireAccount(db, actor, id);
  return labelledHistory(db.kysely, actor.workspaceId, 'account', id);
}
