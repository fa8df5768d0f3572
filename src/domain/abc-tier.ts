import type { Tier } from './accounts.ts';

/**
 * ABC tiers (docs/archive.md, Pareto): accounts ranked by purchase amount over the trailing
 * window. A = the accounts that together make the top `aShareBp` of the amount (default
 * 80%), B = the next ones up to `bShareBp` cumulative (default 95%), C = the rest and every
 * account with no purchases (prospects).
 *
 * The boundary, precisely. Let `before(x)` be the sum of the amounts strictly greater than
 * x's amount. An account with amount > 0 is
 *   A  when before(x) <  aShare × total   — the account that crosses 80% still belongs to A,
 *   B  when before(x) <  bShare × total   — likewise the one that crosses 95% belongs to B,
 *   C  otherwise.
 * Because `before` counts only strictly greater amounts, tied accounts always share a tier
 * (ranking among equals is arbitrary, so it must not decide a tier). Zero amounts are C; an
 * all-zero workspace is all C; a single buying account is A.
 * Comparison in BigInt: sums of fen times 10 000 exceed 2^53.
 */
export interface TierThresholds {
  /** Cumulative share for A, basis points (0 < a < b). */
  aShareBp: number;
  /** Cumulative share for A+B, basis points (b ≤ 10 000). */
  bShareBp: number;
}

export function computeTiers<K>(amounts: ReadonlyMap<K, number>, thresholds: TierThresholds): Map<K, Tier> {
  const out = new Map<K, Tier>();
  let total = 0n;
  for (const amount of amounts.values()) if (amount > 0) total += BigInt(amount);
  const sorted = [...amounts.entries()].sort((x, y) => y[1] - x[1]);
  const aLimit = BigInt(thresholds.aShareBp) * total;
  const bLimit = BigInt(thresholds.bShareBp) * total;
  let before = 0n; // sum of amounts strictly greater than the current group
  let index = 0;
  while (index < sorted.length) {
    const amount = sorted[index]![1];
    let groupEnd = index;
    let group = 0n;
    while (groupEnd < sorted.length && sorted[groupEnd]![1] === amount) {
      if (amount > 0) group += BigInt(amount);
      groupEnd++;
    }
    const scaled = before * 10_000n;
    const tier: Tier = amount <= 0 || total === 0n ? 'C' : scaled < aLimit ? 'A' : scaled < bLimit ? 'B' : 'C';
    for (let k = index; k < groupEnd; k++) out.set(sorted[k]![0], tier);
    before += group;
    index = groupEnd;
  }
  return out;
}

/** The tier that counts: the manager's override when there is one (docs/archive.md), else the computed one. */
export function effectiveTier(computed: Tier, override: Tier | null): Tier {
  return override ?? computed;
}

/** Validates thresholds; returns [field, message] pairs (empty when fine). */
type Bound =
  | { code: 'too_small'; params: { min: number; origin: 'number' } }
  | { code: 'too_big'; params: { max: number; origin: 'number' } };
/** Each problem: the field, what is wrong (a field-error code of the problems table and its params), an English line. */
export function thresholdProblems(thresholds: TierThresholds): [keyof TierThresholds, Bound, string][] {
  const out: [keyof TierThresholds, Bound, string][] = [];
  if (!Number.isInteger(thresholds.aShareBp) || thresholds.aShareBp <= 0)
    out.push([
      'aShareBp',
      { code: 'too_small', params: { min: 1, origin: 'number' } },
      'must be a positive whole number of basis points',
    ]);
  if (!Number.isInteger(thresholds.bShareBp) || thresholds.bShareBp > 10_000)
    out.push([
      'bShareBp',
      { code: 'too_big', params: { max: 10_000, origin: 'number' } },
      'must be at most 10000 basis points (100%)',
    ]);
  if (out.length === 0 && thresholds.aShareBp >= thresholds.bShareBp)
    out.push([
      'aShareBp',
      { code: 'too_big', params: { max: thresholds.bShareBp - 1, origin: 'number' } },
      'must be less than the B share',
    ]);
  return out;
}

/**
 * The trailing window and the window before it, ending at `now`: [priorFrom, from) and
 * [from, now). Whole calendar months back from `now` (UTC calendar; a day that does not
 * exist in the shorter month clamps to its last day, as accountants count months).
 */
export function tierWindows(now: number, months: number): { priorFrom: number; from: number; to: number } {
  return { priorFrom: monthsBefore(now, 2 * months), from: monthsBefore(now, months), to: now };
}

export function monthsBefore(instant: number, months: number): number {
  const date = new Date(instant);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() - months;
  const targetY = year + Math.floor(month / 12);
  const targetM = ((month % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetY, targetM + 1, 0)).getUTCDate();
  return Date.UTC(
    targetY,
    targetM,
    Math.min(date.getUTCDate(), lastDay),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
}
