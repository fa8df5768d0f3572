import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import type { VersionedValues } from '../../db/versioned.ts';
import type { AccountTable } from '../../db/schema.ts';
import type { AccountStatus, CompanySize, Industry, LeadSource, Tier, ValueType } from '../../domain/accounts.ts';
import { followUpDueAt, followUpDueDate, isFollowUpOverdue, overdueThresholds } from '../../domain/cadence.ts';
import { companyNameKey, nameSimilarity, SIMILAR_NAME_THRESHOLD } from '../../domain/company-name.ts';
import { creditCodeFault, creditCodeProblem } from '../../domain/credit-code.ts';
import {
  can,
  canEditAccount,
  canManageAccount,
  reachesUnit,
  type AccountFacts,
  type Actor,
} from '../../domain/policy.ts';
import { canonicalProvince, storedProvince } from '../../domain/regions.ts';
import { matchTerritory } from '../../domain/territory.ts';
import { AppError, conflict, forbidden, invalid, notFound, fieldError } from '../../server/problem.ts';
import { recordChanges } from '../history/repository.ts';
import { labelledHistory } from '../history/labelled.ts';
import { loadRules } from '../workspace/service.ts';

type Rules = Awaited<ReturnType<typeof loadRules>>;
import { assignableUser } from '../users/service.ts';
import { userWithUnit } from '../users/shared.ts';
import { activeTerritoryRules } from '../territories/service.ts';
import { keyAccountTeamWithinReach } from '../org/service.ts';
import * as repo from './repository.ts';
import type * as contract from '../../contracts/accounts.ts';
import type { CappedPage } from '../../contracts/common.ts';

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
    items: items.map((r) => ({ ...toAccountDto(r, rules, actor.now), contactCount: counts.get(r.id) ?? 0 })),
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

export interface AccountInput {
  name: string;
  creditCode?: string | null | undefined;
  industry?: string | null | undefined;
  province?: string | null | undefined;
  city?: string | null | undefined;
  district?: string | null | undefined;
  address?: string | null | undefined;
  size?: string | null | undefined;
  website?: string | null | undefined;
  phone?: string | null | undefined;
  leadSource?: string | null | undefined;
  referrerAccountId?: number | null | undefined;
  status?: AccountStatus | undefined;
  notes?: string | null | undefined;
  ownerId?: number | null | undefined;
  allowSimilarName?: boolean | undefined;
  /** A named (key) account from the start (SPEC §2): it goes to the key-account team. Managers only. */
  named?: boolean | undefined;
}

function checkCreditCode(code: string | null | undefined) {
  if (code) {
    const reason = creditCodeFault(code);
    if (reason)
      throw invalid(
        'creditCode',
        { code: 'invalid_credit_code', params: { reason } },
        creditCodeProblem(code)!,
        'invalid_credit_code',
      );
  }
}

export type DuplicateMatch = contract.DuplicateMatch;

/**
 * Accounts that look like the one about to be created (docs/archive.md). The whole workspace is
 * checked, since a duplicate hidden from this user is still a duplicate; for those the
 * user sees the name but not the id or owner.
 */
export async function findDuplicates(
  db: Db,
  actor: Actor,
  name: string,
  creditCode?: string | null,
  exceptId?: number,
): Promise<DuplicateMatch[]> {
  const key = companyNameKey(name);
  const candidates = await repo.similarNameCandidates(db.kysely, actor.workspaceId, key, exceptId);
  if (creditCode) {
    const same = await repo.creditCodeOwner(db.kysely, actor.workspaceId, creditCode, exceptId);
    if (same && !candidates.some((c) => c.id === same.id))
      candidates.push({
        id: same.id,
        name: same.name,
        name_key: companyNameKey(same.name),
        owner_id: null,
        credit_code: creditCode,
      });
  }
  const scored = candidates
    .map((candidate) => ({
      c: candidate,
      similarity: nameSimilarity(key, candidate.name_key),
      sameCreditCode: !!creditCode && candidate.credit_code === creditCode,
    }))
    .filter((x) => x.sameCreditCode || x.similarity >= SIMILAR_NAME_THRESHOLD)
    .sort((a, b) => Number(b.sameCreditCode) - Number(a.sameCreditCode) || b.similarity - a.similarity)
    .slice(0, 10);
  if (scored.length === 0) return [];
  const visible = await repo
    .visibleAccounts(db.kysely, actor)
    .select(['accounts.id', 'owner.name as owner_name'])
    .where(
      'accounts.id',
      'in',
      scored.map((x) => x.c.id),
    )
    .execute();
  const seen = new Map(visible.map((v) => [v.id, v.owner_name]));
  return scored.map(({ c: candidate, similarity, sameCreditCode }) => ({
    id: seen.has(candidate.id) ? candidate.id : null,
    name: candidate.name,
    ownerName: seen.get(candidate.id) ?? null,
    similarity: Math.round(similarity * 100) / 100,
    visible: seen.has(candidate.id),
    sameCreditCode,
  }));
}

/** The owner of a new account: given (a manager or admin within reach), the territory's rep, or the creator. */
async function resolveOwner(
  db: Db,
  actor: Actor,
  input: AccountInput,
): Promise<{ ownerId: number; unitId: number; unitPath: string; via: string }> {
  if (input.ownerId !== undefined && input.ownerId !== null && input.ownerId !== actor.userId) {
    if (!can(actor, 'accounts.manage')) throw forbidden('Only a manager can create an account for someone else');
    const user = await assignableUser(db, actor, input.ownerId, 'ownerId');
    return { ownerId: user.id, unitId: user.org_unit_id, unitPath: user.path, via: 'chosen' };
  }
  if (input.ownerId === undefined && can(actor, 'accounts.manage')) {
    const rules = await activeTerritoryRules(db, actor.workspaceId);
    const match = matchTerritory(
      rules.map((r) => ({ ...r, userId: r.user_id })),
      {
        province: input.province ?? null,
        city: input.city ?? null,
        district: input.district ?? null,
        industry: input.industry ?? null,
      },
    );
    if (match.kind === 'conflict') {
      throw new AppError(
        'territory_conflict',
        `Territory rules ${match.ruleIds.join(', ')} assign this account to different reps; choose an owner`,
        {
          errors: [fieldError('ownerId', { code: 'territory_conflict' }, 'territory rules conflict; choose an owner')],
          params: { ruleIds: match.ruleIds, userIds: match.userIds },
        },
      );
    }
    if (match.kind === 'assigned') {
      // Within the creator's reach only: a Shanghai manager's new account in a Guangzhou rep's
      // territory stays theirs (it would otherwise vanish from their view the moment it is made);
      // the territory's own managers bring it over with "apply rules".
      const user = await userWithUnit(db.kysely, actor.workspaceId, match.userId);
      if (user?.active && reachesUnit(actor, user.path))
        return { ownerId: user.id, unitId: user.org_unit_id, unitPath: user.path, via: 'territory' };
    }
  }
  return { ownerId: actor.userId, unitId: actor.orgUnitId, unitPath: actor.unitPath, via: 'creator' };
}

/** A referrer is an account of this workspace the caller can see; another's id reads as unknown. */
async function checkReferrer(db: Db, actor: Actor, referrerAccountId: number | null | undefined) {
  if (referrerAccountId === null || referrerAccountId === undefined) return;
  if (!(await repo.getAccount(db.kysely, actor, referrerAccountId)))
    throw invalid(
      'referrerAccountId',
      { code: 'not_found', params: { id: referrerAccountId } },
      `no account with id ${referrerAccountId}`,
    );
}

export async function createAccount(db: Db, actor: Actor, input: AccountInput, ip: string | null) {
  if (!can(actor, 'accounts.create')) throw forbidden('Your role cannot create accounts');
  if (input.named && !can(actor, 'accounts.manage'))
    throw forbidden('Only a manager can make an account a named account');
  checkCreditCode(input.creditCode);
  await checkReferrer(db, actor, input.referrerAccountId);
  // Bad input first (400), then the duplicate warning (409).
  const owner = await resolveOwner(db, actor, input);
  if (!input.allowSimilarName) {
    const matches = await findDuplicates(db, actor, input.name, input.creditCode);
    const blocking = matches.filter((m) => !m.sameCreditCode);
    if (blocking.length) {
      throw new AppError(
        'possible_duplicate',
        `Similar accounts exist: ${blocking.map((m) => m.name).join(', ')}. Confirm to create anyway.`,
        {
          errors: [fieldError('name', { code: 'similar_exists' }, 'similar accounts exist')],
          params: { matches: blocking },
        },
      );
    }
  }
  const { now } = actor;
  const id = await db.kysely.transaction().execute(async (trx) => {
    if (input.creditCode && (await repo.creditCodeOwner(trx, actor.workspaceId, input.creditCode))) {
      throw conflict(
        'duplicate_credit_code',
        `credit code ${input.creditCode} belongs to another account`,
        'creditCode',
      );
    }
    // A named account goes to the key-account team (SPEC §2, docs/organisation.md § Sales modes): the
    // nearest one within reach of the unit it would have joined, into that team's pool; a non-named one
    // stays with the owner found above (chosen, by territory, or its creator).
    const team = input.named ? await keyAccountTeamWithinReach(trx, actor, owner.unitPath) : null;
    const newId = await repo.insertAccount(trx, {
      workspace_id: actor.workspaceId,
      name: input.name,
      name_key: companyNameKey(input.name),
      credit_code: input.creditCode ?? null,
      industry: input.industry ?? null,
      province: storedProvince(input.province),
      city: input.city ?? null,
      district: input.district ?? null,
      address: input.address ?? null,
      size: input.size ?? null,
      website: input.website ?? null,
      phone: input.phone ?? null,
      lead_source: input.leadSource ?? null,
      referrer_account_id: input.referrerAccountId ?? null,
      owner_id: team ? null : owner.ownerId,
      org_unit_id: team ? team.id : owner.unitId,
      ...(input.named ? { named_account: 1 } : {}),
      ...(team ? { in_pool: 1, pool_since: now } : {}),
      status: input.status ?? 'prospect',
      notes: input.notes ?? null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      version: 1,
    });
    await recordChanges(
      trx,
      [
        {
          workspaceId: actor.workspaceId,
          entityType: 'account',
          entityId: newId,
          field: 'owner',
          oldValue: null,
          newValue: team ? null : owner.ownerId,
          reason: team ? 'key_account_team' : owner.via,
          actorUserId: actor.userId,
        },
      ],
      now,
    );
    return newId;
  });
  void ip;
  return getAccount(db, actor, id);
}

export type AccountPatch = Omit<AccountInput, 'name' | 'allowSimilarName'> & {
  name?: string | undefined;
  version: number;
  ownerReason?: string | undefined;
};

export async function updateAccount(db: Db, actor: Actor, id: number, patch: AccountPatch) {
  const row = await requireAccount(db, actor, id);
  const facts = factsOf(row);
  if (!canEditAccount(actor, facts)) throw forbidden('You cannot edit this account');
  checkCreditCode(patch.creditCode);
  if (patch.referrerAccountId === id)
    throw invalid('referrerAccountId', { code: 'self' }, 'an account cannot refer itself');
  if (patch.referrerAccountId !== row.referrer_account_id) await checkReferrer(db, actor, patch.referrerAccountId);
  const ownerChange = patch.ownerId !== undefined && patch.ownerId !== row.owner_id;
  let newUnitId: number | undefined;
  if (ownerChange) {
    if (!canManageAccount(actor, facts)) throw forbidden('Only a manager can reassign an account');
    if (patch.ownerId === null)
      throw invalid('ownerId', { code: 'owner_required' }, 'an account needs an owner; release it to the pool instead');
    if (!patch.ownerReason) throw invalid('ownerReason', { code: 'required' }, 'say why the owner changes');
    const user = await assignableUser(db, actor, patch.ownerId!, 'ownerId');
    newUnitId = user.org_unit_id;
  }
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    if (
      patch.creditCode &&
      patch.creditCode !== row.credit_code &&
      (await repo.creditCodeOwner(trx, actor.workspaceId, patch.creditCode, id))
    ) {
      throw conflict(
        'duplicate_credit_code',
        `credit code ${patch.creditCode} belongs to another account`,
        'creditCode',
      );
    }
    const set: VersionedValues<'accounts'> = { updated_at: now };
    const map: [keyof AccountPatch, keyof AccountTable][] = [
      ['name', 'name'],
      ['creditCode', 'credit_code'],
      ['industry', 'industry'],
      ['province', 'province'],
      ['city', 'city'],
      ['district', 'district'],
      ['address', 'address'],
      ['size', 'size'],
      ['website', 'website'],
      ['phone', 'phone'],
      ['leadSource', 'lead_source'],
      ['referrerAccountId', 'referrer_account_id'],
      ['status', 'status'],
      ['notes', 'notes'],
    ];
    for (const [key, col] of map) if (patch[key] !== undefined) (set as Record<string, unknown>)[col] = patch[key];
    if (patch.province !== undefined) set.province = storedProvince(patch.province);
    if (patch.name !== undefined) set.name_key = companyNameKey(patch.name);
    if (ownerChange) {
      set.owner_id = patch.ownerId;
      set.org_unit_id = newUnitId;
      set.in_pool = 0;
      set.pool_since = null;
    }
    await updateVersioned(
      trx,
      'accounts',
      'Account',
      { workspaceId: actor.workspaceId, id, version: patch.version },
      set,
    );
    if (ownerChange) {
      await recordChanges(
        trx,
        [
          {
            workspaceId: actor.workspaceId,
            entityType: 'account',
            entityId: id,
            field: 'owner',
            oldValue: row.owner_id,
            newValue: patch.ownerId!,
            reason: patch.ownerReason!,
            actorUserId: actor.userId,
          },
        ],
        now,
      );
    }
  });
  return getAccount(db, actor, id);
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
