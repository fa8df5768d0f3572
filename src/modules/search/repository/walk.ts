import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { escapeLike, type Engine } from '../../../db/dialect.ts';
import { isCandidate, looksLikeInitials, type SearchKind, type TextMatch } from './match.ts';
import type { AnyQuery, Group } from './group.ts';
import { containsOf, ordered, sorted } from './ranked.ts';

/**
 * The plans for many candidates (docs/search.md): rows are tested one by one — contains, then
 * the index probed for that row (isCandidate) — instead of every candidate being looked up.
 * - walk: the rows in the group's order by the index on (workspace, [open,] length(name), id)
 *   (migration 0033), stopping at `limit` matches; the exact and prefix matches, which come
 *   first whatever their length, found apart by the index on lower(name). Bounded: it walks at
 *   most WALK_ROWS rows, and a text whose matches are all further on gets the ranked plan.
 * - reach: a rep's (or presales') own rows, few, each tested — for a rep the candidates of a
 *   common text are nearly all out of reach.
 */

/** The most rows a walk reads before it gives up (the matches are then few or far on). */
export const WALK_ROWS = 5376;
const FIRST_SLICE = 256;

export type Sorted = {
  sort_open: number | string;
  sort_rank: number | string;
  sort_length: number | string;
  id: number;
};

/** A row matches: it contains the text and is a candidate of the text, or (initials) a candidate of the initials. */
export function rowMatches(engine: Engine, workspaceId: number, text: string, match: TextMatch, group: Group) {
  const contains = sql<SqlBool>`(${sql.join(containsOf(engine, group, text), sql` or `)})`;
  // Contains first: the probes are paid only by rows that contain the text.
  const candidate = (kind: SearchKind) => isCandidate(engine, workspaceId, match, kind, group.id, group.sortKey);
  const byText = sql<SqlBool>`(${contains} and ${candidate(group.kinds.text)})`;
  if (!looksLikeInitials(text)) return byText;
  return sql<SqlBool>`(${byText} or ${candidate(group.kinds.initials)})`;
}

/** The walk's index key, in the group's order. */
function keyOf(group: Group): RawBuilder<unknown>[] {
  const length = sql`length(${group.name})`;
  return group.openFirst ? [group.openKey, length, group.id] : [length, group.id];
}

/**
 * The ids of the rows `offset` to `offset + size` of the workspace in the walk's order (matching
 * or not): read from the index alone. The walk reads the rows in such slices, the first small,
 * because neither engine stops a scan after so many rows otherwise: a bound on the key itself
 * (`(length(name), id) <= (…)`) is used by SQLite only on its first column.
 */
function slice(workspaceId: number, group: Group, offset: number, size: number) {
  return sql`select ${group.id} from ${sql.table(group.table)} where ${sql.ref(`${group.table}.workspace_id`)} = ${workspaceId} order by ${sql.join(
    keyOf(group),
  )} limit ${size} offset ${offset}`;
}

/**
 * The row is in the slice. On PostgreSQL as `id = any(array(…))`, the slice's ids looked up by
 * the primary key: as `in (…)` it walked the deals' whole index and tested each against the
 * slice (2 minutes for "mes"), trusting the outer LIMIT to stop it early.
 */
function inSlice(engine: Engine, group: Group, ids: RawBuilder<unknown>) {
  return engine === 'postgres' ? sql<SqlBool>`${group.id} = any(array(${ids}))` : sql<SqlBool>`${group.id} in (${ids})`;
}

/** The workspace holds more than `rows` rows of the group's table. */
async function moreThan(db: Kysely<Database>, workspaceId: number, group: Group, rows: number) {
  const { rows: found } = await sql`${slice(workspaceId, group, rows, 1)}`.execute(db);
  return found.length > 0;
}

/** The smallest string greater than every string starting with `prefix` (code point order); null if none. */
export function pastPrefix(prefix: string): string | null {
  const chars = Array.from(prefix);
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogates: they are not characters of a string.
      chars.push(String.fromCodePoint(last + 1 === 0xd800 ? 0xe000 : last + 1));
      return chars.join('');
    }
  }
  return null;
}

/** The names starting with the text, by an index range on lower(name) (byte order: collate "C" on PostgreSQL). */
export function startsWith(engine: Engine, match: TextMatch, group: Group): Expression<SqlBool> {
  const lowered = engine === 'postgres' ? sql`(lower(${group.name}) collate "C")` : sql`lower(${group.name})`;
  const past = pastPrefix(match.lowered);
  const range =
    past === null ? sql`${lowered} >= ${match.lowered}` : sql`${lowered} >= ${match.lowered} and ${lowered} < ${past}`;
  return sql<SqlBool>`(${range} and lower(${group.name}) like ${`${escapeLike(match.lowered)}%`} escape '\\')`;
}

/**
 * The best `limit` by walking, or null when the walk stopped at its bound before `limit`
 * matches. Why the union of the two is the best `limit`: a row of the best that starts with the
 * text is among the best `limit` of those; one that does not is preceded in the walk's order
 * only by rows of the best, so it is among the walk's first `limit` matches.
 */
export async function walked<R>(
  db: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  text: string,
  match: TextMatch,
  group: Group,
  limit: number,
  walkRows = WALK_ROWS,
): Promise<R[] | null> {
  const matches = rowMatches(engine, workspaceId, text, match, group);
  const base = group.base(db, 'table').where(matches);
  const keys = keyOf(group);
  const walkQuery = sorted(group.shown(base), group, match).$call((query) =>
    keys.reduce((ordering: AnyQuery, key) => ordering.orderBy(key), query),
  );
  const prefixed = ordered(
    sorted(group.shown(base.where(startsWith(engine, match, group))), group, match),
    group,
    match,
  )
    .limit(limit)
    .execute() as Promise<Sorted[]>;
  const walking = async () => {
    const walkedRows: Sorted[] = [];
    // Slices of 256, 1,024, 4,096… rows: a common text is found in the first, a rarer one pays
    // for the longer ones only when it needs them.
    for (
      let offset = 0, size = FIRST_SLICE;
      walkedRows.length < limit && offset < walkRows;
      offset += size, size *= 4
    ) {
      const rows = (await walkQuery
        .where(inSlice(engine, group, slice(workspaceId, group, offset, Math.min(size, walkRows - offset))))
        .limit(limit - walkedRows.length)
        .execute()) as Sorted[];
      walkedRows.push(...rows);
    }
    return walkedRows;
  };
  const [prefixedRows, walkedRows] = await Promise.all([prefixed, walking()]);
  if (walkedRows.length < limit && (await moreThan(db, workspaceId, group, walkRows))) return null;
  return best<R>([prefixedRows, walkedRows], limit);
}

/** The best `limit` of the rows of several lists, each ranked in the group's order, as one. */
export function best<R>(lists: Sorted[][], limit: number): R[] {
  const byId = new Map<number, Sorted>();
  for (const row of lists.flat()) byId.set(row.id, row);
  const sortKey = (row: Sorted) => [Number(row.sort_open), Number(row.sort_rank), Number(row.sort_length), row.id];
  return [...byId.values()]
    .sort((left, right) => {
      const [keyA, keyB] = [sortKey(left), sortKey(right)];
      for (let at = 0; at < keyA.length; at++) if (keyA[at] !== keyB[at]) return keyA[at]! - keyB[at]!;
      return 0;
    })
    .slice(0, limit)
    .map((row) => unsorted<R>(row));
}

/** A row without the columns it was ranked by. */
export function unsorted<R>(row: object): R {
  const {
    sort_open: _open,
    sort_rank: _rank,
    sort_length: _length,
    sort_total: _total,
    ...rest
  } = row as Sorted & {
    sort_total?: unknown;
  };
  return rest as unknown as R;
}

/**
 * The reach's own rows, each tested, read once: the best `limit` with how many match
 * (`count(*) over ()`, exact: the reach's rows are few, and ranking them reads them all anyway;
 * the caller caps it). As two statements, the best and a count, a rep's rows were read twice
 * (on PostgreSQL a rep's 495 deals looked up at 0.05 ms each under load, for "zw" 30 ms a statement).
 */
export async function reachPlan<R>(
  db: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  text: string,
  match: TextMatch,
  group: Group,
  limit: number,
): Promise<{ rows: R[]; total: number }> {
  const base = group.base(db).where(rowMatches(engine, workspaceId, text, match, group));
  const rows = await ordered(
    group.shown(base).select(sql<number | string>`count(*) over ()`.as('sort_total')),
    group,
    match,
  )
    .limit(limit)
    .execute();
  return { rows: rows.map((row) => unsorted<R>(row)), total: rows.length ? Number(rows[0]!.sort_total) : 0 };
}
