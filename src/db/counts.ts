import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from './schema.ts';

/**
 * A list's total stops here for a workspace or a subtree (issue 8): counting every row of a
 * million-deal workspace on every page cost more than the page itself, and past ten thousand
 * nobody pages to the end — the web shows "10,000+". The count reads at most COUNT_CAP + 1
 * rows (`SELECT count(*) FROM (… LIMIT cap + 1)`), so it is bounded whatever the filter.
 */
export const COUNT_CAP = 10_000;

export interface ListTotal {
  total: number;
  /** More rows than `total` match: the count stopped at the cap. */
  totalCapped: boolean;
}

/**
 * The total of the rows `query` selects (its FROM and WHERE; no columns, order or limit yet),
 * counted up to `cap`, or exactly when `cap` is null.
 */
export async function listTotal(
  db: Kysely<Database>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any list's query, whatever it joins
  query: SelectQueryBuilder<any, any, object>,
  cap: number | null,
): Promise<ListTotal> {
  return listTotalOf(await listTotalQuery(db, query, cap).executeTakeFirstOrThrow(), cap);
}

/** The statement listTotal runs, for a caller that compiles it once (src/db/fixed-query.ts, shapedQueries). */
export function listTotalQuery(
  db: Kysely<Database>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any list's query, whatever it joins
  query: SelectQueryBuilder<any, any, object>,
  cap: number | null,
) {
  if (cap === null)
    return query.select(sql<number>`count(*)`.as('n')) as SelectQueryBuilder<Database, never, { n: number }>;
  return db
    .selectFrom(
      query
        .select(sql<number>`1`.as('one'))
        .limit(cap + 1)
        .as('capped'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'));
}

/** The total from listTotalQuery's row. */
export function listTotalOf(row: { n: unknown }, cap: number | null): ListTotal {
  const counted = Number(row.n);
  if (cap === null) return { total: counted, totalCapped: false };
  return counted > cap ? { total: cap, totalCapped: true } : { total: counted, totalCapped: false };
}
