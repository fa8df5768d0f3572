import type { ValueType } from './accounts.ts';

/**
 * The three kinds of key account (docs/archive.md 三种大客户), from the trend of the purchase
 * amount: the trailing window against the window of the same length before it.
 *
 *  - shrinking (负增长): bought before and the amount fell by SHRINK_BP or more
 *    (trailing ≤ 90% of prior), including to zero;
 *  - growth (最有增长潜力): the amount rose by GROWTH_BP or more (trailing ≥ 120% of prior),
 *    or the account started buying in this window (prior = 0, trailing > 0);
 *  - value (最有价值): buying steadily — within −10% … +20% of the prior window;
 *  - null: no purchases in either window (a prospect: there is no trend to judge).
 * Integer arithmetic on fen; the boundaries themselves belong to shrinking and growth.
 */
export const GROWTH_BP = 2_000;
export const SHRINK_BP = 1_000;

export function valueTypeOf(trailing: number, prior: number): ValueType | null {
  if (trailing <= 0 && prior <= 0) return null;
  if (prior <= 0) return 'growth';
  const scaledTrailing = BigInt(Math.max(0, trailing)) * 10_000n;
  const priorBig = BigInt(prior);
  if (scaledTrailing <= priorBig * BigInt(10_000 - SHRINK_BP)) return 'shrinking';
  if (scaledTrailing >= priorBig * BigInt(10_000 + GROWTH_BP)) return 'growth';
  return 'value';
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
