import { invalid } from '../../server/problem.ts';

const total = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * How one quota splits (docs/targets.md § Quotas): its year into four quarters, and its amount
 * into shares by project size or by business line. The checks a saved item's splits pass, each
 * refusal naming the item's field (`items.<n>.…`).
 */
export function checkSplits(
  item: {
    quarterRatios?: readonly number[] | undefined;
    categories?: readonly { key: string; share: number }[] | undefined;
  },
  lineKeys: ReadonlySet<string>,
  field: string,
) {
  if (item.quarterRatios && total(item.quarterRatios) !== 100)
    throw invalid(
      `${field}.quarterRatios`,
      { code: 'must_total_100', params: { total: total(item.quarterRatios) } },
      `must add up to 100, not ${total(item.quarterRatios)}`,
    );
  const shares = item.categories?.map((c) => c.share) ?? [];
  if (shares.length && total(shares) !== 100)
    throw invalid(
      `${field}.categories`,
      { code: 'must_total_100', params: { total: total(shares) } },
      `shares must add up to 100, not ${total(shares)}`,
    );
  const keys = new Set(item.categories?.map((c) => c.key));
  if (keys.size !== shares.length) throw invalid(`${field}.categories`, { code: 'unique' }, 'each category once');
  checkCategoryKeys(item.categories ?? [], lineKeys, `${field}.categories`);
}

/**
 * A quota splits either by project size (small / large) or by the workspace's business lines,
 * never both: the shares of one split add up to 100, so a mix would count part of the quota
 * toward a size and the rest toward a line. A key that is neither names the category.
 */
function checkCategoryKeys(categories: readonly { key: string }[], lineKeys: ReadonlySet<string>, field: string) {
  const sizes = categories.filter((category) => SIZE_KEYS.has(category.key)).length;
  for (const [index, category] of categories.entries())
    if (!SIZE_KEYS.has(category.key) && !lineKeys.has(category.key))
      throw invalid(
        `${field}.${index}.key`,
        { code: 'unknown_line', params: { key: category.key } },
        `${category.key} is no business line of the workspace (Settings → Rules), nor small or large`,
      );
  if (sizes > 0 && sizes < categories.length)
    throw invalid(field, { code: 'mixed_split' }, 'split by project size or by business line, not both');
}
const SIZE_KEYS: ReadonlySet<string> = new Set(['small', 'large']);
