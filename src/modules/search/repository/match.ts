import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type QueryCreator,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
} from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Engine } from '../../../db/dialect.ts';

/**
 * Reads of the search index (migration 0018, docs/search.md). The index only narrows: every
 * caller re-checks the substring on the rows it finds, so what matches is exactly what the
 * substring scan would match; the index decides only which rows are looked at.
 */

export type SearchKind = 'a' | 'c' | 'o' | 'ap' | 'cp' | 'op';

/** A text prepared for the index: lowered by the database itself, so it lowers as the triggers did. */
export interface TextMatch {
  lowered: string;
  /** One character: every gram starting with it. */
  prefix: string | null;
  /** Two or more: per kind, the grams to require, rarest in that kind first (at most four; fewer only narrow less). */
  grams: Partial<Record<SearchKind, string[]>>;
  /** Per kind: even the rarest gram (or, for one character, its range) is common (counted to the probe's bound). */
  common: Partial<Record<SearchKind, boolean>>;
  /** Per kind: the index rows of the rarest gram (or the range), counted up to the probe's bound. */
  rarest: Partial<Record<SearchKind, number>>;
}

export const RARITY_PROBE = 2000;
const MAX_GRAMS = 4;
/** The last code point: a one-character text's range of grams is [c, c + this]. */
const TOP = '\u{10FFFF}';

/** How many index rows of `kind` hold `gram` (or, with `range`, a gram starting with it), counted up to `probe`. */
function counted(workspaceId: number, kind: SearchKind, gram: string, range: boolean, probe: number, at: number) {
  const gramTest = range ? sql`gram >= ${gram} and gram <= ${gram + TOP}` : sql`gram = ${gram}`;
  return sql`(select count(*) from (select 1 as one from search_grams where workspace_id = ${workspaceId} and ${gramTest} and kind = ${kind} limit ${probe}) as g) as ${sql.ref(`n${at}`)}`;
}

/**
 * The text lowered, and for each of `kinds` its grams from the rarest in that kind. Counted per
 * kind because a gram common in one kind can be rare in another: "me" is in every contact's
 * email and "es" in none, while a tenth of the deals hold both — counted over all kinds both
 * were "common" and the contacts' candidates were every contact with an email (0.9 s for "mes").
 */
export async function prepareMatch(
  db: Kysely<Database>,
  workspaceId: number,
  text: string,
  kinds: readonly SearchKind[] = ['a', 'c', 'o'],
  /** Counted up to this many per gram and kind; at the bound a gram is common (a test lowers it). */
  probe = RARITY_PROBE,
  /** Count a one-character text's range too (global search picks its plan by it; the lists do not). */
  countOneCharacter = false,
): Promise<TextMatch> {
  const { rows } = await sql<{ lowered: string }>`select lower(${text}) as lowered`.execute(db);
  const lowered = rows[0]!.lowered;
  const chars = Array.from(lowered);
  if (chars.length === 1) {
    const match: TextMatch = { lowered, prefix: lowered, grams: {}, common: {}, rarest: {} };
    if (!countOneCharacter) return match;
    const ranges = await sql<Record<string, number | string>>`select ${sql.join(
      kinds.map((kind, at) => counted(workspaceId, kind, lowered, true, probe, at)),
    )}`.execute(db);
    kinds.forEach((kind, at) => {
      match.rarest[kind] = Number(ranges.rows[0]![`n${at}`]);
      match.common[kind] = match.rarest[kind] >= probe;
    });
    return match;
  }
  const grams = [...new Set(chars.slice(0, -1).map((c, i) => c + chars[i + 1]))];
  // How common each gram is in each kind, counted only up to a bound so a very common one
  // ("公司") costs little, all in one statement: the rarest drives the lookup, the next few are
  // checked per candidate.
  const probes = kinds.flatMap((kind) => grams.map((gram) => ({ kind, gram })));
  const countedRows = await sql<Record<string, number | string>>`select ${sql.join(
    probes.map(({ kind, gram }, at) => counted(workspaceId, kind, gram, false, probe, at)),
  )}`.execute(db);
  const counts = countedRows.rows[0]!;
  const match: TextMatch = { lowered, prefix: null, grams: {}, common: {}, rarest: {} };
  for (const kind of kinds) {
    const ofKind = probes
      .map((probeOf, at) => ({ ...probeOf, n: Number(counts[`n${at}`]) }))
      .filter((probeOf) => probeOf.kind === kind)
      .sort((a, b) => a.n - b.n);
    match.grams[kind] = ofKind.slice(0, MAX_GRAMS).map((probeOf) => probeOf.gram);
    match.rarest[kind] = ofKind[0]!.n;
    match.common[kind] = ofKind[0]!.n >= probe;
  }
  return match;
}

/**
 * Ids of the records of `kind` whose indexed text may contain the match: a superset, to re-check.
 * `db` is the enclosing query's expression builder, so the subquery is part of that query.
 */
export function candidateIds<DB extends Database, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  workspaceId: number,
  match: TextMatch,
  kind: SearchKind,
  /** A condition on the entry's `g.unit_id` (a manager's subtree, repository/group.ts): fewer candidates, the same matches. */
  units: Expression<SqlBool> | null = null,
  /** How common grams' lists are intersected: `intersect`, or `merge` (joined in the index's order: PostgreSQL's global search). */
  lists: 'intersect' | 'merge' = 'intersect',
) {
  const db = eb as unknown as QueryCreator<Database>;
  const all = db
    .selectFrom('search_grams as g')
    .select('g.record_id')
    .where('g.workspace_id', '=', workspaceId)
    .where('g.kind', '=', kind);
  const base = units ? all.where(units) : all;
  if (match.prefix !== null) return base.where('g.gram', '>=', match.prefix).where('g.gram', '<=', match.prefix + TOP);
  const grams = match.grams[kind];
  if (!grams) throw new Error(`the match was prepared without kind ${kind}`);
  const [first, ...rest] = grams;
  let query = base.where('g.gram', '=', first!);
  if (match.common[kind]) {
    // Every gram is common (digits: "5678" is in tens of thousands of phone numbers, each of its
    // grams too): probing the others per candidate of the first costs a look-up per row of a long
    // list; reading each list once and intersecting them is several times cheaper (c1234 over
    // 300,000 contacts: 253 → 29 ms on SQLite).
    // Intersected as (sort_key, record_id), the index's own order (a record's key is the same
    // in each of its grams): SQLite merges the lists as they come; by record_id alone it sorted
    // each first (c1234: 32–68 → 77–264 ms).
    const list = (gram: string) =>
      db
        .selectFrom('search_grams as g')
        .select(['g.sort_key', 'g.record_id'])
        .where('g.workspace_id', '=', workspaceId)
        .where('g.kind', '=', kind)
        .where('g.gram', '=', gram);
    const firstList = base.clearSelect().select(['g.sort_key', 'g.record_id']).where('g.gram', '=', first!);
    if (lists === 'merge') return mergedLists(db, firstList, rest.map(list));
    let intersected = firstList;
    for (const gram of rest) intersected = intersected.intersect(list(gram));
    return db.selectFrom(intersected.as('l')).select('l.record_id');
  }
  for (const gram of rest) {
    query = query.where((expressionBuilder) =>
      expressionBuilder.exists(
        expressionBuilder
          .selectFrom('search_grams as h')
          .select('h.record_id')
          .whereRef('h.workspace_id', '=', 'g.workspace_id')
          .where('h.gram', '=', gram)
          .whereRef('h.kind', '=', 'g.kind')
          // The record's key is the same in every one of its grams: a probe of the whole key.
          .whereRef('h.sort_key', '=', 'g.sort_key')
          .whereRef('h.record_id', '=', 'g.record_id'),
      ),
    );
  }
  return query;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of `search_grams as g`, whatever it is filtered by
type GramList = SelectQueryBuilder<any, any, { sort_key: number; record_id: number }>;

/**
 * The records in every one of the lists, as a merge join in the index's order: each list read
 * once, in `(sort_key, record_id)` order, no hash of any. Each list is a subquery ordered as the
 * index gives it, which PostgreSQL keeps as a subquery (an ORDER BY is not pulled up) and whose
 * order it knows: joined on the whole key it merges them, and it cannot probe a list per row of
 * another (a join's condition is not pushed into a subquery). Its `INTERSECT` hashed every
 * list (c1234's four contact lists, 164,000 entries: 150–210 ms at load 10, the merge 70–106).
 */
function mergedLists(db: QueryCreator<Database>, first: GramList, rest: GramList[]) {
  const ordered = (list: GramList) => list.orderBy('g.sort_key').orderBy('g.record_id');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the lists' aliases are made here
  let joined: SelectQueryBuilder<any, any, object> = db.selectFrom(ordered(first).as('l0'));
  rest.forEach((list, at) => {
    const alias = `l${at + 1}`;
    joined = joined.innerJoin(ordered(list).as(alias), (join) =>
      join.onRef(`${alias}.sort_key`, '=', 'l0.sort_key').onRef(`${alias}.record_id`, '=', 'l0.record_id'),
    );
  });
  return joined.select('l0.record_id');
}

/**
 * Whether the record `id` (whose sort key, computed from the row as the triggers compute it, is
 * `key`) is among candidateIds(kind), tested on that one row: a probe of the index's primary
 * key per gram (a one-character text: the record's own grams, by search_grams_record). The same set as candidateIds, for plans that read rows rather than
 * candidates (repository/walk.ts). On PostgreSQL as scalar subqueries, which it never turns into
 * joins: it pulled `exists` up into a join of the grams' lists (44,000 and 23,000 ids merged for
 * "c1234") and drove the query from them instead of from a rep's hundred contacts.
 */
export function isCandidate(
  engine: Engine,
  workspaceId: number,
  match: TextMatch,
  kind: SearchKind,
  id: Expression<number>,
  key: Expression<number>,
) {
  if (match.prefix !== null)
    return probe(
      engine,
      sql`h.kind = ${kind} and h.record_id = ${id} and h.workspace_id = ${workspaceId} and h.gram >= ${match.prefix} and h.gram <= ${match.prefix + TOP}`,
    );
  const grams = match.grams[kind];
  if (!grams) throw new Error(`the match was prepared without kind ${kind}`);
  return holdsGrams(engine, workspaceId, grams, kind, id, key);
}

/** The record (`id`, sort key `key`) holds every one of `grams` of `kind`: a primary-key probe each. */
export function holdsGrams(
  engine: Engine,
  workspaceId: number,
  grams: readonly string[],
  kind: SearchKind,
  id: Expression<number>,
  key: Expression<number>,
) {
  if (grams.length === 0) return sql<SqlBool>`true`;
  return sql<SqlBool>`(${sql.join(
    grams.map((gram) =>
      probe(
        engine,
        sql`h.workspace_id = ${workspaceId} and h.gram = ${gram} and h.kind = ${kind} and h.sort_key = ${key} and h.record_id = ${id}`,
      ),
    ),
    sql` and `,
  )})`;
}

/** Some row of the index answers `where`. */
function probe(engine: Engine, where: RawBuilder<unknown>) {
  return engine === 'postgres'
    ? sql<SqlBool>`(select true from search_grams h where ${where} limit 1) is not null`
    : sql<SqlBool>`exists (select 1 from search_grams h where ${where})`;
}

/** Pinyin initials are matched when the typed text is two or more Latin letters. */
export const looksLikeInitials = (q: string) => /^[a-z]{2,}$/i.test(q);
