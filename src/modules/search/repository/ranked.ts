import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { containsInsensitive, escapeLike, type Engine } from '../../../db/dialect.ts';
import { SEARCH_COUNT_CAP } from '../../../contracts/search.ts';
import { candidateIds, looksLikeInitials, type SearchKind, type TextMatch } from './match.ts';
import { inSubtreeUnits, type AnyQuery, type Group } from './group.ts';

/**
 * The plan for few candidates: every candidate is looked up in its table, re-tested and
 * ranked, the best `limit` kept — a look-up per candidate, so what it costs grows with the
 * candidates (repository/walk.ts takes over when they run to thousands).
 */

type Eb = ExpressionBuilder<Database, keyof Database>;

/**
 * Where the global search's queries find their candidate ids: `from` to start the query and
 * `has` for `column in` the text's (or the pinyin initials') candidates. On PostgreSQL the
 * candidates are materialized CTEs, computed once, first: as an `IN` subquery PostgreSQL
 * trusted its guess that few rows match the substring and scanned every contact (or deal) to
 * probe the index per row — 0.9 s at 300,000 contacts for a word in none of them, against
 * 0.4 ms when the index's ids drive the look-up. SQLite plans the `IN` subquery well and was
 * slower with the CTEs (the initials' candidates run to tens of thousands), so it keeps it.
 * PostgreSQL tests `id = any(array(…))`: with `in (select … from cte)` and more than about
 * 1,500 candidates it priced the look-ups above a scan and hash-joined every contact or deal
 * (1.0–1.5 s for "zw" at the scale set); an array is looked up by the primary key whatever its size.
 */
function candidatesOf(
  db: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  match: TextMatch,
  kinds: { text: SearchKind; initials: SearchKind },
  units: Expression<SqlBool> | null,
) {
  if (engine !== 'postgres')
    return {
      from: db,
      has: (eb: Eb, column: Expression<number>, which: 'text' | 'initials') =>
        eb(column, 'in', candidateIds(eb, workspaceId, match, kinds[which], units)),
      // Each side in its own subquery: SQLite reads `a intersect b union c intersect d` from
      // the left, ((a ∩ b) ∪ c) ∩ d, where PostgreSQL (and the intent) is (a ∩ b) ∪ (c ∩ d);
      // written bare it lost text matches outside the initials' last list when both were common.
      hasEither: (eb: Eb, column: Expression<number>) =>
        sql<SqlBool>`${column} in (select record_id from (${candidateIds(eb, workspaceId, match, kinds.text, units)}) as t union select record_id from (${candidateIds(eb, workspaceId, match, kinds.initials, units)}) as i)`,
    };
  // The CTEs' builders know the earlier CTEs too; the candidates read only search_grams.
  const ids = (kind: SearchKind) => (qb: unknown) =>
    candidateIds(qb as ExpressionBuilder<Database, never>, workspaceId, match, kind, units, 'merge');
  const text = db.with((cte) => cte('cand_text').materialized(), ids(kinds.text));
  // The initials' candidates only where the text is read as initials (a one-character text never is).
  const both = match.grams[kinds.initials]
    ? text.with((cte) => cte('cand_initials').materialized(), ids(kinds.initials))
    : text;
  return {
    from: both as unknown as Kysely<Database>,
    has: (_eb: Eb, column: Expression<number>, which: 'text' | 'initials') =>
      sql<SqlBool>`${column} = any(array(select record_id from ${sql.table(`cand_${which}`)}))`,
    hasEither: (_eb: Eb, column: Expression<number>) =>
      sql<SqlBool>`${column} = any(array(select record_id from cand_text union select record_id from cand_initials))`,
  };
}

/**
 * Whether a row matches: its text contains the query — or, for what looks like initials, the
 * initials' candidates hold it (those are not re-checked: docs/search.md). With initials it is
 * `id in (text ∪ initials) and (contains or id in initials)`, the same rows as
 * `(id in text and contains) or id in initials`, written so the candidates drive the look-up:
 * PostgreSQL could not drive from either side of the OR and scanned every deal (1.2 s for "zw").
 */
function matching(
  eb: Eb,
  candidates: ReturnType<typeof candidatesOf>,
  column: Expression<number>,
  contains: Expression<SqlBool>[],
  initials: boolean,
): Expression<SqlBool> {
  if (!initials) return eb.and([candidates.has(eb, column, 'text'), eb.or(contains)]);
  return eb.and([candidates.hasEither(eb, column), eb.or([...contains, candidates.has(eb, column, 'initials')])]);
}

/** Exact name first, then names starting with the text, then shorter names. */
export function rank(match: TextMatch, column: Expression<string>) {
  return sql<number>`case when lower(${column}) = ${match.lowered} then 0 when lower(${column}) like ${`${escapeLike(match.lowered)}%`} escape '\\' then 1 else 2 end`;
}

/** The group's order: (open deals first,) exact, prefix, shorter names, id. */
export function ordered(query: AnyQuery, group: Group, match: TextMatch): AnyQuery {
  const opened = group.openFirst ? query.orderBy(group.openKey) : query;
  return opened
    .orderBy(rank(match, group.name))
    .orderBy(sql`length(${group.name})`)
    .orderBy(group.id);
}

/** The group's order as columns, for ranking outside the query. */
export const sorted = (query: AnyQuery, group: Group, match: TextMatch) =>
  query.select([
    group.openKey.as('sort_open'),
    rank(match, group.name).as('sort_rank'),
    sql<number>`length(${group.name})`.as('sort_length'),
  ]);

/** The contains tests of the group's searched columns. */
export const containsOf = (engine: Engine, group: Group, text: string) =>
  group.columns.map((column) => containsInsensitive(engine, sql.ref(column), text));

/** The rows of the group matching via the candidates: `rows` the best `limit`, `count` up to the cap + 1. */
export function rankedPlan(
  db: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  text: string,
  match: TextMatch,
  group: Group,
) {
  // A manager's candidates are the subtree's entries only (migration 0043).
  const units = inSubtreeUnits(engine, workspaceId, group, sql.ref('g.unit_id'));
  const candidates = candidatesOf(db, engine, workspaceId, match, group.kinds, units);
  // On PostgreSQL a rep's reach is tested on each candidate's row (group.ts, Reach).
  const base = group
    .base(candidates.from, undefined, engine === 'postgres' ? 'row' : 'listed')
    .where((eb: Eb) => matching(eb, candidates, group.id, containsOf(engine, group, text), looksLikeInitials(text)));
  return {
    rows: (limit: number) => ordered(group.shown(base), group, match).limit(limit).execute(),
    /**
     * The first cap + 1 matches found (in no order) ranked, the best `limit` kept, with how many
     * there were: one pass over the candidates for both. Exact when there are at most the cap;
     * past it the caller ranks them otherwise (the walk).
     */
    firstMatches: async (limit: number) => {
      const found = db.selectFrom(
        sorted(group.shown(base), group, match)
          .limit(SEARCH_COUNT_CAP + 1)
          .as('x'),
      );
      const rows = await found
        .selectAll()
        .select(sql<number | string>`count(*) over ()`.as('sort_total'))
        .orderBy('x.sort_open')
        .orderBy('x.sort_rank')
        .orderBy('x.sort_length')
        .orderBy('x.id')
        .limit(limit)
        .execute();
      return { rows, total: rows.length ? Number(rows[0]!.sort_total) : 0 };
    },
    count: () => cappedCount(db, base, group),
  };
}

/** How many rows a group's query finds, counted up to the cap + 1 (the page shows "1000+"). */
export async function cappedCount(db: Kysely<Database>, base: AnyQuery, group: Group): Promise<number> {
  const counted = await db
    .selectFrom(
      base
        .select(group.id.as('id'))
        .limit(SEARCH_COUNT_CAP + 1)
        .as('t'),
    )
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(counted.n);
}
