import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import { can, reachesUnit, unitReach, type Actor } from '../../domain/policy.ts';
import { canOwnAccounts } from '../../domain/pool.ts';
import { canonicalProvince, tidyText } from '../../domain/regions.ts';
import type { Role } from '../../domain/roles.ts';
import type { Industry } from '../../domain/accounts.ts';
import { matchTerritory, samePlace, specificity, type Place, type TerritoryRule } from '../../domain/territory.ts';
import { findConflicts } from '../../domain/territory-conflicts.ts';
import { conflict, forbidden, invalid, notFound } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { recordChanges } from '../history/repository.ts';
import * as repo from './repository.ts';
import type * as contract from '../../contracts/territories.ts';
import type { Page } from '../../contracts/common.ts';

/** For the accounts area: the active rules a new account's owner is matched against. */
export const activeTerritoryRules = (db: Db, workspaceId: number) => repo.activeRules(db.kysely, workspaceId);

type Row = NonNullable<Awaited<ReturnType<typeof repo.getRule>>>;

const domainRule = (row: Row): TerritoryRule => ({
  id: row.id,
  province: row.province,
  city: row.city,
  district: row.district,
  industry: row.industry,
  userId: row.user_id,
});

/** Every write takes one of INDUSTRIES (the contract's enum), so the stored text is one. */
const storedIndustry = (industry: string | null) => industry as Industry | null;

function toDto(actor: Actor, row: Row): contract.Territory {
  return {
    id: row.id,
    name: row.name,
    province: row.province,
    city: row.city,
    district: row.district,
    industry: storedIndustry(row.industry),
    userId: row.user_id,
    userName: row.user_name,
    userActive: row.user_active === 1,
    orgUnitId: row.org_unit_id,
    orgUnitName: row.org_unit_name,
    active: row.active === 1,
    specificity: specificity(domainRule(row)),
    editable: canChange(actor, row.unit_path),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** Admins change every rule; a manager the rules of reps in their subtree (docs/organisation.md). */
function canChange(actor: Actor, repUnitPath: string): boolean {
  return can(actor, 'territories.manage') && reachesUnit(actor, repUnitPath);
}

/** Readers below the whole workspace (managers) see the rules of their subtree. */
const subtreePath = (actor: Actor) => {
  const reach = unitReach(actor);
  return reach.kind === 'workspace' ? undefined : reach.path;
};

export async function listTerritories(
  db: Db,
  actor: Actor,
  query: Omit<repo.RuleFilter, 'unitPath'>,
): Promise<Page<contract.Territory>> {
  // Rules store the full name; a filter may say 上海 or Shanghai.
  const province = query.province ? (canonicalProvince(query.province) ?? query.province) : undefined;
  const { items, total } = await repo.listRules(db.kysely, actor, { ...query, province, unitPath: subtreePath(actor) });
  return { items: items.map((r) => toDto(actor, r)), total };
}

async function requireRule(db: Db, actor: Actor, id: number): Promise<Row> {
  const rule = await repo.getRule(db.kysely, actor.workspaceId, id);
  if (!rule || !reachesUnit(actor, rule.unit_path)) throw notFound('Territory rule');
  return rule;
}

export async function getTerritory(db: Db, actor: Actor, id: number): Promise<contract.Territory> {
  return toDto(actor, await requireRule(db, actor, id));
}

const norm = (s: string | null | undefined) => (s === undefined || s === null || s.trim() === '' ? null : tidyText(s));

/**
 * A rule's place as stored: the province's full name (上海 → 上海市), so rules list, filter
 * and compare alike; an unknown province is refused rather than left to match nothing.
 */
function placeOf(
  input: { province: string | null; city: string | null; district: string | null; industry: string | null },
  stored?: string | null,
): repo.RulePlace {
  const given = norm(input.province);
  if (!given) throw invalid('province', { code: 'required' }, 'is required');
  // A rule saved before provinces were checked keeps its text until someone changes it (it can still be switched off).
  const province = canonicalProvince(given) ?? (given === stored ? given : null);
  if (!province)
    throw invalid(
      'province',
      { code: 'unknown_province', params: { value: given } },
      `"${given}" is not a province-level division of China; write it as 上海市 or 上海, 广西壮族自治区 or 广西`,
    );
  const place = { province, city: norm(input.city), district: norm(input.district), industry: norm(input.industry) };
  if (place.district && !place.city) throw invalid('city', { code: 'needs_city' }, 'a district needs its city');
  return place;
}

async function isDuplicate(
  db: Db['kysely'],
  workspaceId: number,
  place: repo.RulePlace,
  userId: number,
  exceptId?: number,
) {
  return (await repo.rulesOfRep(db, workspaceId, userId)).some((r) => r.id !== exceptId && samePlace(r, place));
}

async function checkRep(db: Db, actor: Actor, userId: number) {
  const user = await repo.userForRule(db.kysely, actor.workspaceId, userId);
  if (!user || !user.active || !canOwnAccounts(user.role as Role))
    throw invalid('userId', { code: 'owner_role' }, `no active rep or manager with id ${userId}`);
  if (!canChange(actor, user.path))
    throw invalid('userId', { code: 'not_in_reach', params: { id: userId } }, 'the rep must be in your organisation');
  return user;
}

export async function createTerritory(db: Db, actor: Actor, input: contract.CreateTerritoryRequest, ip: string | null) {
  const place = placeOf({
    province: input.province,
    city: input.city ?? null,
    district: input.district ?? null,
    industry: input.industry ?? null,
  });
  await checkRep(db, actor, input.userId);
  const { now } = actor;
  const id = await db.kysely.transaction().execute(async (trx) => {
    if (await isDuplicate(trx, actor.workspaceId, place, input.userId))
      throw conflict('duplicate_territory', 'this rep already has a rule for exactly this place', 'province');
    const newId = await repo.insertRule(trx, {
      workspaceId: actor.workspaceId,
      name: norm(input.name),
      place,
      userId: input.userId,
      active: input.active ?? true,
      now,
    });
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'territory.create',
        targetType: 'territory',
        targetId: newId,
        ip,
        detail: { ...place, userId: input.userId },
      },
      now,
    );
    return newId;
  });
  return getTerritory(db, actor, id);
}

export async function updateTerritory(
  db: Db,
  actor: Actor,
  id: number,
  patch: contract.UpdateTerritoryRequest,
  ip: string | null,
) {
  const row = await requireRule(db, actor, id);
  if (!canChange(actor, row.unit_path)) throw forbidden('You can change only the rules of reps in your organisation');
  const place = placeOf(
    {
      province: patch.province !== undefined ? patch.province : row.province,
      city: patch.city !== undefined ? patch.city : row.city,
      district: patch.district !== undefined ? patch.district : row.district,
      industry: patch.industry !== undefined ? patch.industry : row.industry,
    },
    row.province,
  );
  const userId = patch.userId ?? row.user_id;
  if (patch.userId !== undefined && patch.userId !== row.user_id) await checkRep(db, actor, patch.userId);
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    if (await isDuplicate(trx, actor.workspaceId, place, userId, id))
      throw conflict('duplicate_territory', 'this rep already has a rule for exactly this place', 'province');
    await updateVersioned(
      trx,
      'territory_rules',
      'Territory rule',
      { workspaceId: actor.workspaceId, id, version: patch.version },
      {
        ...place,
        user_id: userId,
        ...(patch.name !== undefined ? { name: norm(patch.name) } : {}),
        ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
        updated_at: now,
      },
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'territory.update',
        targetType: 'territory',
        targetId: id,
        ip,
        detail: { ...patch },
      },
      now,
    );
  });
  return getTerritory(db, actor, id);
}

export async function deleteTerritory(db: Db, actor: Actor, id: number, ip: string | null) {
  const row = await requireRule(db, actor, id);
  if (!canChange(actor, row.unit_path)) throw forbidden('You can delete only the rules of reps in your organisation');
  await db.kysely.transaction().execute(async (trx) => {
    await repo.deleteRule(trx, actor.workspaceId, id);
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'territory.delete',
        targetType: 'territory',
        targetId: id,
        ip,
        detail: { ...domainRule(row) },
      },
      actor.now,
    );
  });
}

/**
 * Every overlap of active rules at the same specificity naming different reps. A manager
 * sees the conflicts that involve at least one rule of their subtree — with the other
 * side shown, since that is what they must resolve.
 */
export async function conflicts(db: Db, actor: Actor): Promise<contract.ConflictList> {
  const rules = await repo.activeRules(db.kysely, actor.workspaceId);
  const byId = new Map(rules.map((r) => [r.id, r]));
  const found = findConflicts(rules.map(domainRule)).filter((conflict) =>
    conflict.ruleIds.some((id) => reachesUnit(actor, byId.get(id)!.unit_path)),
  );
  return {
    items: found.map((foundItem) => ({
      place: { ...foundItem.place, industry: storedIndustry(foundItem.place.industry) },
      specificity: foundItem.specificity,
      rules: foundItem.ruleIds.map((id) => toDto(actor, byId.get(id)!)),
    })),
    total: found.length,
  };
}

/**
 * Accounts owned by someone other than the rep their territory names (docs/organisation.md: conflicts are
 * reported, not silently resolved) — e.g. a rep's own new account in a colleague's slice. Rule
 * matching (region keys, specificity) is the domain's, so it runs here over one query of the
 * accounts in reach and one of the rules; the page is cut after.
 */
export async function mismatches(
  db: Db,
  actor: Actor,
  query: contract.MismatchesQuery,
): Promise<contract.MismatchList> {
  const [rules, accounts] = await Promise.all([
    repo.activeRules(db.kysely, actor.workspaceId),
    repo.ownedAccountsInReach(db.kysely, actor),
  ]);
  const live = rules.filter((r) => r.user_active === 1);
  const byId = new Map(live.map((r) => [r.id, r]));
  const domain = live.map(domainRule);
  const found: {
    accountId: number;
    accountName: string;
    province: string | null;
    city: string | null;
    industry: string | null;
    ownerId: number;
    ownerName: string | null;
    territoryUserId: number;
    territoryUserName: string;
    ruleId: number;
  }[] = [];
  for (const account of accounts) {
    const match = matchTerritory(domain, account);
    if (match.kind !== 'assigned' || match.userId === account.owner_id) continue;
    const rule = byId.get(match.ruleIds[0]!)!;
    found.push({
      accountId: account.id,
      accountName: account.name,
      province: account.province,
      city: account.city,
      industry: account.industry,
      ownerId: account.owner_id!,
      ownerName: account.owner_name,
      territoryUserId: rule.user_id,
      territoryUserName: rule.user_name,
      ruleId: rule.id,
    });
  }
  return { items: found.slice(query.offset, query.offset + query.limit), total: found.length };
}

/** Who would own a new account at this place (the same rule resolveOwner applies on create). */
export async function preview(db: Db, actor: Actor, place: Place): Promise<contract.Preview> {
  const rules = await repo.activeRules(db.kysely, actor.workspaceId);
  const match = matchTerritory(rules.map(domainRule), {
    province: norm(place.province),
    city: norm(place.city),
    district: norm(place.district),
    industry: norm(place.industry),
  });
  const byId = new Map(rules.map((r) => [r.id, r]));
  const matched = match.kind === 'none' ? [] : match.ruleIds.map((id) => toDto(actor, byId.get(id)!));
  if (match.kind === 'assigned') {
    const rule = byId.get(match.ruleIds[0]!)!;
    return {
      result: rule.user_active === 1 ? ('assigned' as const) : ('inactive' as const),
      user: { id: rule.user_id, name: rule.user_name, orgUnitName: rule.org_unit_name },
      rules: matched,
    };
  }
  return { result: match.kind, user: null, rules: matched };
}

/**
 * Gives pool accounts to the reps their territory names (optional companion to docs/organisation.md):
 * conflicts and places without a rule stay in the pool. One transaction, one UPDATE per
 * rep, an owner history row per account. dryRun reports without changing anything.
 */
export async function applyToPool(
  db: Db,
  actor: Actor,
  dryRun: boolean,
  ip: string | null,
): Promise<contract.ApplyResult> {
  const rules = await repo.activeRules(db.kysely, actor.workspaceId);
  const usable = rules.filter((r) => r.user_active === 1 && canChange(actor, r.unit_path));
  const owners = new Map(
    usable.map((r) => [r.user_id, { userId: r.user_id, unitId: r.org_unit_id, name: r.user_name }]),
  );
  const { now } = actor;
  return db.kysely.transaction().execute(async (trx) => {
    const pool = await repo.poolAccounts(trx, actor, subtreePath(actor) ?? null);
    const plan = new Map<number, number[]>();
    let conflicted = 0;
    let unmatched = 0;
    const sample: { accountId: number; accountName: string; userId: number; userName: string }[] = [];
    for (const account of pool) {
      const match = matchTerritory(usable.map(domainRule), account);
      if (match.kind === 'conflict') conflicted++;
      else if (match.kind === 'none') unmatched++;
      else {
        plan.set(match.userId, [...(plan.get(match.userId) ?? []), account.id]);
        if (sample.length < 50)
          sample.push({
            accountId: account.id,
            accountName: account.name,
            userId: match.userId,
            userName: owners.get(match.userId)!.name,
          });
      }
    }
    let assigned = 0;
    if (!dryRun) {
      for (const [userId, ids] of plan) {
        const owner = owners.get(userId)!;
        const done = await repo.assignPoolAccounts(trx, actor.workspaceId, ids, owner, now);
        assigned += done.length;
        await recordChanges(
          trx,
          done.map((id) => ({
            workspaceId: actor.workspaceId,
            entityType: 'account' as const,
            entityId: id,
            field: 'owner',
            oldValue: null,
            newValue: userId,
            reason: 'territory',
            actorUserId: actor.userId,
          })),
          now,
        );
      }
      await recordAudit(
        trx,
        {
          workspaceId: actor.workspaceId,
          actorUserId: actor.userId,
          action: 'territory.apply',
          targetType: 'workspace',
          targetId: actor.workspaceId,
          ip,
          detail: { assigned, conflicted, unmatched },
        },
        now,
      );
    } else {
      assigned = [...plan.values()].reduce((n, ids) => n + ids.length, 0);
    }
    return { dryRun, poolAccounts: pool.length, assigned, conflicted, unmatched, sample };
  });
}
