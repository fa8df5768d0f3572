/**
 * Business lines (docs/targets.md § Business lines; SPEC §6.1: "quotas may be set per business
 * line … deals count toward the line of their products"). A workspace names its lines —
 * software, services, distribution — and the products each one sells; a deal belongs to the
 * line of its products. Pure: the rules service stores the lines, the funnel's upkeep stamps
 * each deal with its line.
 */
export interface BusinessLine {
  /** Short stable key (quota categories and the funnel's filter name a line by it). */
  key: string;
  nameZh: string;
  nameEn: string;
  /** The product names that belong to the line, as deals list them. */
  products: string[];
}

/** The key a deal of no line carries ('' in the data; the funnel's filter calls it `none`). */
export const NO_LINE = '';
export const NO_LINE_PARAM = 'none';
export const LINE_KEY_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;

/** Products match whatever their case and surrounding spaces. */
export const productKey = (product: string) => product.trim().toLowerCase();

/**
 * The line a deal counts toward, from its products: the line most of its products belong to;
 * a tie goes to the line of the product listed first (the main one). A deal none of whose
 * products belongs to a line — or without products — is of no line (''): it still counts in
 * every total, under "no line", and toward no line's quota. A deal is never split between
 * lines: a deal carries one amount and no amount per product, so its whole amount counts once,
 * and the lines with "no line" add up to the whole funnel.
 */
export function lineOfProducts(products: readonly string[], lines: readonly BusinessLine[]): string {
  if (lines.length === 0 || products.length === 0) return NO_LINE;
  const owner = new Map<string, string>();
  for (const line of lines) for (const product of line.products) owner.set(productKey(product), line.key);
  const counts = new Map<string, { count: number; first: number }>();
  products.forEach((product, index) => {
    const key = owner.get(productKey(product));
    if (key === undefined) return;
    const have = counts.get(key) ?? { count: 0, first: index };
    have.count += 1;
    counts.set(key, have);
  });
  let best: { key: string; count: number; first: number } | null = null;
  for (const [key, { count, first }] of counts)
    if (!best || count > best.count || (count === best.count && first < best.first)) best = { key, count, first };
  return best?.key ?? NO_LINE;
}

/** What is wrong with a set of lines (each key and product once), each naming its field (`businessLines.<i>.<field>`). */
export function businessLineProblems(lines: readonly BusinessLine[]): [field: string, message: string][] {
  const out: [string, string][] = [];
  const keys = new Map<string, number>();
  const products = new Map<string, number>();
  lines.forEach((line, index) => {
    if (keys.has(line.key)) out.push([`businessLines.${index}.key`, `the same key as line ${keys.get(line.key)}`]);
    else keys.set(line.key, index);
    line.products.forEach((product, productIndex) => {
      const key = productKey(product);
      const other = products.get(key);
      if (other !== undefined)
        out.push([
          `businessLines.${index}.products.${productIndex}`,
          other === index
            ? `${product} is listed twice`
            : `${product} already belongs to line ${lines[other]!.key}: a product is of one line`,
        ]);
      else products.set(key, index);
    });
  });
  return out;
}
