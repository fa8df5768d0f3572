import type { Db } from '../../db/database.ts';
import { can, reachesUnit, unitReach, type Actor } from '../../domain/policy.ts';
import { canonicalProvince } from '../../domain/regions.ts';
import type { Industry } from '../../domain/accounts.ts';
import { specificity, type TerritoryRule } from '../../domain/territory.ts';
import { notFound } from '../../server/problem.ts';
import * as repo from './repository.ts';
import type * as contract from '../../contracts/territories.ts';
import type { Page } from '../../contracts/common.ts';

/** For the accounts area: the active rules a new account's owner is matched against. */
export const activeTerritoryRules = (db: Db, workspaceId: number) => repo.activeRules(db.kysely, workspaceId);

export type Row = NonNullable<Awaited<ReturnType<typeof repo.getRule>>>;

export const domainRule = (row: Row): TerritoryRule => ({
  id: row.id,
  province: row.province,
  city: row.city,
  district: row.district,
  industry: row.industry,
  userId: row.user_id,
});

/** Every write takes one of INDUSTRIES (the contract's enum), so the stored text is one. */
export const storedIndustry = (industry: string | null) => industry as Industry | null;

export function toDto(actor: Actor, row: Row): contract.Territory {
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
export function canChange(actor: Actor, repUnitPath: string): boolean {
  return can(actor, 'territories.manage') && reachesUnit(actor, repUnitPath);
}

/** Readers below the whole workspace (managers) see the rules of their subtree. */
export const subtreePath = (actor: Actor) => {
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

export async function requireRule(db: Db, actor: Actor, id: number): Promise<Row> {
  const rule = await repo.getRule(db.kysely, actor.workspaceId, id);
  if (!rule || !reachesUnit(actor, rule.unit_path)) throw notFound('Territory rule');
  return rule;
}

export async function getTerritory(db: Db, actor: Actor, id: number): Promise<contract.Territory> {
  return toDto(actor, await requireRule(db, actor, id));
}
