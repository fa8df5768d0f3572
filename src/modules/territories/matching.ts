import type { Db } from '../../db/database.ts';
import { reachesUnit, type Actor } from '../../domain/policy.ts';
import { matchTerritory, type Place } from '../../domain/territory.ts';
import { findConflicts } from '../../domain/territory-conflicts.ts';
import * as repo from './repository.ts';
import type * as contract from '../../contracts/territories.ts';
import { domainRule, storedIndustry, toDto } from './read.ts';
import { norm } from './edit.ts';

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
