import { localityKey, provinceKey } from './regions.ts';

/**
 * Territories (井田, docs/organisation.md): rules of region (province / city / district) and industry that
 * assign a new account to a rep. The most specific matching rule wins; when the most
 * specific matches name different reps, that is a conflict — reported, never silently
 * resolved. Regions compare by key (regions.ts), so a rule for 上海市 covers an account in 上海.
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
export type PlaceField = (typeof FIELDS)[number];

/** What a field is compared by; null when it is empty (a rule's "any"). */
export function fieldKey(field: PlaceField, value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  if (field === 'province') return provinceKey(value);
  return field === 'industry' ? value : localityKey(value);
}

export function ruleMatches(rule: TerritoryRule, place: Place): boolean {
  return FIELDS.every((field) => {
    const want = fieldKey(field, rule[field]);
    return want === null || want === fieldKey(field, place[field]);
  });
}

/** The two name the same place (a duplicate rule, when the rep is the same too). */
export function samePlace(left: Place, right: Place): boolean {
  return FIELDS.every((f) => fieldKey(f, left[f]) === fieldKey(f, right[f]));
}

export function specificity(rule: TerritoryRule): number {
  return FIELDS.filter((f) => fieldKey(f, rule[f]) !== null).length;
}

export function matchTerritory(rules: readonly TerritoryRule[], place: Place): TerritoryMatch {
  const matching = rules.filter((r) => ruleMatches(r, place));
  if (matching.length === 0) return { kind: 'none' };
  const best = Math.max(...matching.map(specificity));
  const top = matching.filter((r) => specificity(r) === best);
  const userIds = [...new Set(top.map((r) => r.userId))];
  const ruleIds = top.map((r) => r.id);
  return userIds.length === 1
    ? { kind: 'assigned', userId: userIds[0]!, ruleIds }
    : { kind: 'conflict', userIds, ruleIds };
}
