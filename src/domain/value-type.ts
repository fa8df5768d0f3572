import type { Tier, ValueType } from './accounts.ts';

/**
 * The three kinds of key account (docs/archive.md 三种大客户), from the trend of the purchase
 * amount — the trailing window against the window of the same length before it — and, for
 * "most value", from the account's size (SPEC §3.1):
 *
 *  - shrinking (负增长): bought before and the amount fell by shrinkBp or more
 *    (default 10%: trailing ≤ 90% of prior), including to zero; any tier;
 *  - growth (最有增长潜力): the amount rose by growthBp or more (default 20%: trailing ≥ 120%
 *    of prior), or the account started buying in this window (prior = 0, trailing > 0); any tier;
 *  - value (最有价值): buying steadily (between the two) AND an A-tier or named account —
 *    "most value" is about size as well as trend;
 *  - null: a small steady account (B or C, not named), or no purchases in either window
 *    (a prospect: there is no trend to judge).
 * Integer arithmetic on fen; the boundaries themselves belong to shrinking and growth.
 */
export interface ValueThresholds {
  growthBp: number;
  shrinkBp: number;
}

export const DEFAULT_VALUE_THRESHOLDS: ValueThresholds = { growthBp: 2_000, shrinkBp: 1_000 };

/** What "most value" needs besides a steady trend: the effective tier and the named flag. */
export interface AccountSize {
  tier: Tier;
  named: boolean;
}

export function valueTypeOf(
  trailing: number,
  prior: number,
  size: AccountSize,
  thresholds: ValueThresholds = DEFAULT_VALUE_THRESHOLDS,
): ValueType | null {
  if (trailing <= 0 && prior <= 0) return null;
  if (prior <= 0) return 'growth';
  const scaledTrailing = BigInt(Math.max(0, trailing)) * 10_000n;
  const priorBig = BigInt(prior);
  if (scaledTrailing <= priorBig * BigInt(10_000 - thresholds.shrinkBp)) return 'shrinking';
  if (scaledTrailing >= priorBig * BigInt(10_000 + thresholds.growthBp)) return 'growth';
  return size.tier === 'A' || size.named ? 'value' : null;
}

/** The suggested strategy for each kind (the web app shows translated versions). */
export const VALUE_TYPE_STRATEGY: Record<ValueType, string> = {
  value:
    'Protect and deepen: senior relationships at every level, dedicated service, regular business reviews; never let a competitor in.',
  growth:
    'Invest: learn their plans, map the buying organisation, find the next projects and win a larger share of wallet.',
  shrinking:
    'Diagnose quickly: visit the decision maker, find out why purchases fell (competitor, budget, dissatisfaction) and agree a recovery plan.',
};
