/** Amounts in imported cells (purchases and opportunities). */

/**
 * An amount in yuan as people type it — 1280000, 1,280,000.00, ¥128万, 128.5 万元 — in fen;
 * null when it is not a number with at most two decimals (of yuan).
 */
export function parseAmountCell(value: string): number | null {
  const text = value
    .normalize('NFKC')
    .replace(/[\s,¥￥]/g, '')
    .replace(/元$/, '')
    .replace(/^RMB/i, '')
    .replace(/^CNY/i, '');
  const match = /^(\d+)(?:\.(\d+))?(万)?$/.exec(text);
  if (!match) return null;
  const [, whole, fraction = '', tenThousands] = match;
  // Fen exactly, in integers: 128.5万 is 1,285,000 yuan, never 1284999.99.
  const scale = tenThousands ? 6 : 2;
  if (fraction.length > scale) return null;
  return Number(whole) * 10 ** scale + Number(fraction.padEnd(scale, '0') || '0');
}
