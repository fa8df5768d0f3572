/**
 * Funnel health beyond the arithmetic of funnel-math.ts (docs/targets.md § Funnel health):
 * the shape of a funnel against its standard, and time in a stage. Pure.
 */

/**
 * The shape flags, from each stage's balance (actual ÷ standard count), stages without a
 * standard (0%) left out. The stages split into a top, a middle and a bottom third (the middle
 * takes the remainder); a third counts as thin when its mean balance is below 60% of the
 * other's:
 *  - top-heavy: the bottom is thin against the top (many early deals, few near closing);
 *  - bottom-heavy: the top is thin against the bottom (closing now, nothing coming next);
 *  - hollow middle: the middle is thin against both ends.
 * Fewer than two stages with a standard raise no flag; fewer than three no hollow middle.
 */
export const THIN = 0.6;

export function shapeFlags(balances: readonly (number | null)[]): {
  topHeavy: boolean;
  bottomHeavy: boolean;
  hollowMiddle: boolean;
} {
  const known = balances.filter((x): x is number => x !== null);
  const none = { topHeavy: false, bottomHeavy: false, hollowMiddle: false };
  if (known.length < 2) return none;
  const third = Math.max(1, Math.floor(known.length / 3));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const top = mean(known.slice(0, third));
  const bottom = mean(known.slice(known.length - third));
  const middleStages = known.slice(third, known.length - third);
  const middle = middleStages.length ? mean(middleStages) : null;
  return {
    topHeavy: top > 0 && bottom < THIN * top,
    bottomHeavy: bottom > 0 && top < THIN * bottom,
    hollowMiddle: middle !== null && Math.min(top, bottom) > 0 && middle < THIN * Math.min(top, bottom),
  };
}

/** The q-quantile (0–1) of values, linearly interpolated; null for none. */
export function quantile(values: readonly number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * fraction;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
