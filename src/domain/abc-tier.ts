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
  const tierOf = tierRanking(amounts.values(), thresholds);
  return new Map([...amounts].map(([key, amount]) => [key, tierOf(amount)]));
}

/**
 * The same rule as a function of the amount, for a caller that decides account by account (the
 * recompute, batch by batch). A tier only falls as the amount falls, so two cut-offs decide it: the
 * least amount still A and the least still B, found from the positive amounts sorted as a typed
 * array (no comparator, no entry per account). At the scale set (100,000 accounts) sorting every
 * account's entry with a comparator and filling a map of them held the server's event loop
 * 150–460 ms in one piece (issue 8); this is ~15 ms, the rest spread over the batches.
 */
export function tierRanking(amounts: Iterable<number>, thresholds: TierThresholds): (amount: number) => Tier {
  const positive = Float64Array.from(amounts)
    .filter((amount) => amount > 0)
    .sort();
  let total = 0n;
  for (const amount of positive) total += BigInt(amount);
  const aLimit = BigInt(thresholds.aShareBp) * total;
  const bLimit = BigInt(thresholds.bShareBp) * total;
  let leastA = Infinity;
  let leastB = Infinity;
  let before = 0n; // sum of the amounts strictly greater than the current one
  for (let end = positive.length; end > 0;) {
    const amount = positive[end - 1]!;
    let start = end - 1;
    while (start > 0 && positive[start - 1] === amount) start--;
    const scaled = before * 10_000n;
    if (scaled < aLimit) leastA = amount;
    else if (scaled < bLimit) leastB = amount;
    else break; // every smaller amount is C
    before += BigInt(amount) * BigInt(end - start);
    end = start;
  }
  return (amount) => (amount > 0 && amount >= leastA ? 'A' : amount > 0 && amount >= leastB ? 'B' : 'C');
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
