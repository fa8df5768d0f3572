import { fieldKey, specificity, type Place, type TerritoryRule } from './territory.ts';

/**
 * The conflicts report of the territories (docs/organisation.md: "conflicts are reported, not silently
 * resolved"). matchTerritory gives a new account to the most specific matching rule; two
 * rules of the same specificity naming different reps conflict wherever both match. The
 * places both match form a pattern (each field: the one rule's value, or the other's when
 * the first has none). That overlap is a real conflict unless a more specific rule covers
 * the whole pattern (then that rule wins everywhere inside it). Regions compare by key, as in
 * matching: 上海市 and 上海 are one place.
 *
 * One entry per overlap pattern, listing every same-specificity rule that matches all of it.
 */
export interface TerritoryConflict {
  /** The places where the rules collide (null = any). */
  place: Place;
  specificity: number;
  ruleIds: number[];
  userIds: number[];
}

const FIELDS = ['province', 'city', 'district', 'industry'] as const;
const val = (v: string | null) => (v === null || v === '' ? null : v);

/** The places both rules match, or null when they have none in common. */
export function overlap(left: TerritoryRule, right: TerritoryRule): Place | null {
  const out: Place = { province: null, city: null, district: null, industry: null };
  for (const field of FIELDS) {
    const leftKey = fieldKey(field, left[field]);
    const rightKey = fieldKey(field, right[field]);
    if (leftKey !== null && rightKey !== null && leftKey !== rightKey) return null;
    out[field] = val(left[field]) ?? val(right[field]);
  }
  return out;
}

/** The rule matches every place of the pattern (it is equal or more general on each field). */
function covers(rule: TerritoryRule, place: Place): boolean {
  return FIELDS.every((field) => {
    const key = fieldKey(field, rule[field]);
    return key === null || key === fieldKey(field, place[field]);
  });
}

const placeKey = (p: Place) => FIELDS.map((f) => fieldKey(f, p[f]) ?? '*').join('\u0001');

export function findConflicts(rules: readonly TerritoryRule[]): TerritoryConflict[] {
  // Rules of different provinces never overlap; a rule without a province overlaps any.
  const byProvince = new Map<string, TerritoryRule[]>();
  const anyProvince: TerritoryRule[] = [];
  for (const rule of rules) {
    const province = fieldKey('province', rule.province);
    if (province === null) anyProvince.push(rule);
    else byProvince.set(province, [...(byProvince.get(province) ?? []), rule]);
  }
  const seen = new Map<string, TerritoryConflict>();
  const consider = (left: TerritoryRule, right: TerritoryRule) => {
    if (left.userId === right.userId) return;
    const level = specificity(left);
    if (specificity(right) !== level) return;
    const sharedPlace = overlap(left, right);
    if (!sharedPlace) return;
    const key = `${level}|${placeKey(sharedPlace)}`;
    if (seen.has(key)) return;
    if (rules.some((r) => specificity(r) > level && covers(r, sharedPlace))) return;
    const members = rules.filter((r) => specificity(r) === level && covers(r, sharedPlace));
    seen.set(key, {
      place: sharedPlace,
      specificity: level,
      ruleIds: members.map((r) => r.id).sort((x, y) => x - y),
      userIds: [...new Set(members.map((r) => r.userId))].sort((x, y) => x - y),
    });
  };
  const groups = [...byProvince.values()];
  for (const group of groups) {
    const pool = [...group, ...anyProvince];
    for (let i = 0; i < pool.length; i++) for (let j = i + 1; j < pool.length; j++) consider(pool[i]!, pool[j]!);
  }
  if (groups.length === 0)
    for (let i = 0; i < anyProvince.length; i++)
      for (let j = i + 1; j < anyProvince.length; j++) consider(anyProvince[i]!, anyProvince[j]!);
  return [...seen.values()].sort((x, y) => (x.ruleIds[0] ?? 0) - (y.ruleIds[0] ?? 0));
}
