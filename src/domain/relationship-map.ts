import { BUYING_ROLES, type Attitude, type BuyingRoleKind, type Influence } from './accounts.ts';

/**
 * The relationship map (渔网图, docs/archive.md § Buying roles): who holds which buying role, how they feel about
 * us, how much they weigh and how close we are — and where the gaps are.
 */
export interface MapRole {
  contactId: number;
  role: BuyingRoleKind;
  attitude: Attitude;
  influence: Influence;
  /** 1 unknown … 5 ally / coach. */
  relationship: number;
  holderUserId: number | null;
}

export type MapGap =
  | { kind: 'missing_role'; role: BuyingRoleKind }
  | { kind: 'weak_high_influence'; contactId: number; role: BuyingRoleKind }
  | { kind: 'no_holder'; contactId: number; role: BuyingRoleKind }
  | { kind: 'opponent'; contactId: number; role: BuyingRoleKind; influence: Influence };

export interface MapAnalysis {
  gaps: MapGap[];
  /** 0–100: role coverage 40%, relationship strength 40%, support 20% (weighted by influence). */
  coverage: number;
  parts: { roles: number; relationships: number; support: number };
}

const WEIGHT: Record<Influence, number> = { high: 3, medium: 2, low: 1 };
const SUPPORT: Record<Attitude, number> = { supports: 1, neutral: 0.5, opposes: 0 };

export function analyseRelationshipMap(roles: readonly MapRole[]): MapAnalysis {
  const gaps: MapGap[] = [];
  // The decision maker first: "no decision maker identified" is the gap that matters most.
  for (const role of BUYING_ROLES) if (!roles.some((r) => r.role === role)) gaps.push({ kind: 'missing_role', role });
  for (const role of roles) {
    if (role.attitude === 'opposes')
      gaps.push({ kind: 'opponent', contactId: role.contactId, role: role.role, influence: role.influence });
    if (role.influence === 'high' && role.relationship <= 2)
      gaps.push({ kind: 'weak_high_influence', contactId: role.contactId, role: role.role });
    // Both can hold: a shallow relationship that, besides, nobody on our side looks after.
    if (role.influence !== 'low' && role.holderUserId === null)
      gaps.push({ kind: 'no_holder', contactId: role.contactId, role: role.role });
  }
  const covered = new Set(roles.map((r) => r.role)).size / BUYING_ROLES.length;
  const totalWeight = roles.reduce((s, r) => s + WEIGHT[r.influence], 0);
  const relationships =
    totalWeight === 0
      ? 0
      : roles.reduce((s, r) => s + WEIGHT[r.influence] * ((clamp(r.relationship) - 1) / 4), 0) / totalWeight;
  const support =
    totalWeight === 0 ? 0 : roles.reduce((s, r) => s + WEIGHT[r.influence] * SUPPORT[r.attitude], 0) / totalWeight;
  const coverage = Math.round(100 * (0.4 * covered + 0.4 * relationships + 0.2 * support));
  return {
    gaps,
    coverage,
    parts: { roles: round2(covered), relationships: round2(relationships), support: round2(support) },
  };
}

const clamp = (n: number) => Math.min(5, Math.max(1, n));
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Whether making `reportsToId` the manager of `contactId` would close a loop in the org chart. */
export function wouldCreateCycle(
  contactId: number,
  reportsToId: number | null,
  managerOf: ReadonlyMap<number, number | null>,
): boolean {
  const seen = new Set<number>();
  for (let cur = reportsToId; cur !== null && cur !== undefined; cur = managerOf.get(cur) ?? null) {
    if (cur === contactId) return true;
    if (seen.has(cur)) return false;
    seen.add(cur);
  }
  return false;
}
