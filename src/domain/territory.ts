/**
 * Territories (井田, SPEC §2): rules of region (province / city / district) and industry that
 * assign a new account to a rep. The most specific matching rule wins; when the most
 * specific matches name different reps, that is a conflict — reported, never silently
 * resolved.
 */
export interface TerritoryRule {
  id: number;
  province: string | null;
  city: string | null;
  district: string | null;
  industry: string | null;
  userId: number;
}

export interface Place {
  province: string | null;
  city: string | null;
  district: string | null;
  industry: string | null;
}

export type TerritoryMatch =
  | { kind: 'none' }
  | { kind: 'assigned'; userId: number; ruleIds: number[] }
  | { kind: 'conflict'; userIds: number[]; ruleIds: number[] };

const FIELDS = ['province', 'city', 'district', 'industry'] as const;

export function ruleMatches(rule: TerritoryRule, place: Place): boolean {
  return FIELDS.every((f) => rule[f] === null || rule[f] === '' || rule[f] === place[f]);
}

export function specificity(rule: TerritoryRule): number {
  return FIELDS.filter((f) => rule[f] !== null && rule[f] !== '').length;
}

export function matchTerritory(rules: readonly TerritoryRule[], place: Place): TerritoryMatch {
  const matching = rules.filter((r) => ruleMatches(r, place));
  if (matching.length === 0) return { kind: 'none' };
  const best = Math.max(...matching.map(specificity));
  const top = matching.filter((r) => specificity(r) === best);
  const userIds = [...new Set(top.map((r) => r.userId))];
  const ruleIds = top.map((r) => r.id);
  return userIds.length === 1 ? { kind: 'assigned', userId: userIds[0]!, ruleIds } : { kind: 'conflict', userIds, ruleIds };
}
