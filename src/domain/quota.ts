import { weeksIn, type Period } from './calendar.ts';

/**
 * Quotas (docs/targets.md § Quotas): an annual amount per person or org unit, split into the
 * four fiscal quarters by ratios that add up to 100, and optionally into categories (small and
 * large projects, or business lines) by shares that add up to 100, on a tax-inclusive or net
 * basis. Pure: the quotas service loads the rows and the tree.
 *
 * Every split keeps whole fen and adds up exactly (largest remainder), so the quarters of a
 * year, the months of a quarter and the categories of a quarter always sum to what they split.
 */
export const QUOTA_BASES = ['tax_inclusive', 'net'] as const;
export type QuotaBasis = (typeof QUOTA_BASES)[number];

export const DEFAULT_QUARTER_RATIOS = [25, 25, 25, 25] as const;

export interface QuotaCategoryShare {
  key: string;
  /** Integer percent of the quota. */
  share: number;
}

/** One stored quota: the annual amount and how it splits. */
export interface QuotaSetting {
  amount: number;
  quarterRatios: readonly number[];
  categories: readonly QuotaCategoryShare[];
  basis: QuotaBasis;
}

/** A quota as amounts, in one basis: what sums across people and units. */
export interface QuotaFigure {
  /** Fen per fiscal quarter, Q1 first; the year is their sum. */
  quarters: number[];
  /** Fen per category per quarter (only the categories someone in the sum split by). */
  categories: Record<string, number[]>;
}

export const emptyFigure = (): QuotaFigure => ({ quarters: [0, 0, 0, 0], categories: {} });

/** Splits whole fen by integer weights; the parts add up to the total exactly. */
export function splitByWeights(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i: index } of order) {
    if (left <= 0) break;
    parts[index]! += 1;
    left -= 1;
  }
  return parts;
}

/**
 * A tax-inclusive amount is the net one × (1 + rate). Deal amounts are tax-inclusive (the
 * contract price), so a net quota is compared with the deals after converting it.
 */
export function convertBasis(amount: number, from: QuotaBasis, to: QuotaBasis, taxRatePercent: number): number {
  if (from === to) return amount;
  return from === 'net'
    ? Math.round((amount * (100 + taxRatePercent)) / 100)
    : Math.round((amount * 100) / (100 + taxRatePercent));
}

/** The amounts of one stored quota, in the basis asked for. */
export function figureOf(quota: QuotaSetting, basis: QuotaBasis, taxRatePercent: number): QuotaFigure {
  const quarters = splitByWeights(convertBasis(quota.amount, quota.basis, basis, taxRatePercent), quota.quarterRatios);
  const categories: Record<string, number[]> = {};
  const shares = quota.categories.map((c) => c.share);
  const perQuarter = quarters.map((amount) => splitByWeights(amount, shares));
  quota.categories.forEach((c, i) => (categories[c.key] = perQuarter.map((parts) => parts[i]!)));
  return { quarters, categories };
}

export function addFigures(left: QuotaFigure, right: QuotaFigure): QuotaFigure {
  const categories: Record<string, number[]> = {};
  for (const [key, qs] of [...Object.entries(left.categories), ...Object.entries(right.categories)]) {
    const have = categories[key] ?? [0, 0, 0, 0];
    categories[key] = have.map((x, i) => x + qs[i]!);
  }
  return { quarters: left.quarters.map((x, i) => x + right.quarters[i]!), categories };
}

export const yearOf = (f: QuotaFigure): number => f.quarters.reduce((a, b) => a + b, 0);

/**
 * The quota of a period of the fiscal year: the year, a quarter, a month (a third of its
 * quarter, whole fen) or a week (its quarter ÷ the weeks the quarter counts). `quarterIndex`
 * is the fiscal quarter holding the period (a month's, or a week's Thursday's).
 */
export function amountIn(
  amounts: readonly number[],
  period: Pick<Period, 'kind' | 'start' | 'index'>,
  quarterIndex: number,
  monthInQuarter: number,
  quarter: Pick<Period, 'start' | 'end'>,
): number {
  if (period.kind === 'fiscalYear') return amounts.reduce((a, b) => a + b, 0);
  const quarterAmount = amounts[quarterIndex - 1] ?? 0;
  if (period.kind === 'quarter') return quarterAmount;
  if (period.kind === 'month') return splitByWeights(quarterAmount, [1, 1, 1])[monthInQuarter]!;
  return Math.round(quarterAmount / weeksIn(quarter));
}

export interface TreeUnit {
  id: number;
  parentId: number | null;
}

export interface UnitQuota {
  /** The unit's own quota when one is set, else null. */
  set: QuotaFigure | null;
  /** The sum of its members' quotas: the people in it and its sub-units (theirs set or summed). */
  members: QuotaFigure;
  /** What counts: the set quota, else the members' sum. */
  effective: QuotaFigure;
}

/**
 * Rolls quotas up the org tree (docs/targets.md § Quotas): a unit's quota defaults to the sum of
 * its members' — the people directly in it and the effective quotas of its sub-units — and a
 * unit set otherwise keeps its own figure (the difference is shown, not forced away).
 */
export function rollUp(
  units: readonly TreeUnit[],
  people: readonly { unitId: number; figure: QuotaFigure }[],
  unitSet: ReadonlyMap<number, QuotaFigure>,
): Map<number, UnitQuota> {
  const children = new Map<number | null, number[]>();
  for (const unit of units) children.set(unit.parentId, [...(children.get(unit.parentId) ?? []), unit.id]);
  const direct = new Map<number, QuotaFigure>();
  for (const person of people)
    direct.set(person.unitId, addFigures(direct.get(person.unitId) ?? emptyFigure(), person.figure));
  const out = new Map<number, UnitQuota>();
  const visit = (id: number, depth: number): QuotaFigure => {
    // The tree has no cycles (org moves refuse them); the depth guard keeps bad data from looping.
    if (depth > 100) return emptyFigure();
    let members = direct.get(id) ?? emptyFigure();
    for (const child of children.get(id) ?? []) members = addFigures(members, visit(child, depth + 1));
    const set = unitSet.get(id) ?? null;
    const effective = set ?? members;
    out.set(id, { set, members, effective });
    return effective;
  };
  const ids = new Set(units.map((u) => u.id));
  for (const unit of units) if (unit.parentId === null || !ids.has(unit.parentId)) visit(unit.id, 0);
  return out;
}
