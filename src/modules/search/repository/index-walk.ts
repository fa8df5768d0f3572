import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Engine } from '../../../db/dialect.ts';
import { SEARCH_COUNT_CAP } from '../../../contracts/search.ts';
import { holdsGrams, looksLikeInitials, type SearchKind, type TextMatch } from './match.ts';
import { inSubtreeUnits, type AnyQuery, type Group } from './group.ts';
import { containsOf, ordered, sorted } from './ranked.ts';
import { best, rowMatches, startsWith, type Sorted } from './walk.ts';

/**
 * The plans for a text of two or more characters with many candidates, for a workspace or a
 * subtree (docs/search.md): the search index's lists come in the group's order (each gram
 * carries its record's sort key, migration 0034), so the rarest gram's list of the group's kind
 * is read from its start, each entry tested — the other grams probed by the whole key, then the
 * record looked up: contains the text, in reach — and the read stops when it has what it needs.
 * With initials the initials' list is read too: a row matches by either list.
 */

/** The entries the count reads before it hands over to counting the candidates' intersection. */
const COUNT_ENTRIES = [1024, 4096, 16384];
const COUNT_BUDGET = COUNT_ENTRIES.reduce((sum, size) => sum + size, 0);

interface List {
  kind: SearchKind;
  /** The text's list: its rows must contain the text (the initials' are matches as they are). */
  contains: boolean;
}

const listsOf = (text: string, group: Group): List[] =>
  looksLikeInitials(text)
    ? [
        { kind: group.kinds.text, contains: true },
        { kind: group.kinds.initials, contains: false },
      ]
    : [{ kind: group.kinds.text, contains: true }];

/**
 * The matches of a list in reach, unordered: the whole list as `g` (the walk orders it), or
 * `part` of it — on PostgreSQL as `id = any(array(…))`, the part's entries that pass the
 * probes looked up by the primary key: joined, it hash-joined the part to every deal of the
 * workspace that contains the text (1 s for a manager's "mes"), trusting its guess of the rows.
 */
function listMatches(
  db: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  text: string,
  match: TextMatch,
  group: Group,
  { kind, contains }: List,
  part?: { offset: number; size: number },
): AnyQuery {
  const [first, ...rest] = match.grams[kind] ?? [];
  if (first === undefined) throw new Error(`the match was prepared without kind ${kind}`);
  // The probes read the index only: both engines test them before the record is looked up.
  const probes = holdsGrams(engine, workspaceId, rest, kind, sql.ref('g.record_id'), sql.ref('g.sort_key'));
  // A manager's: the entries of the subtree's units only, on the index alone (migration 0043).
  const units = inSubtreeUnits(engine, workspaceId, group, sql.ref('unit_id'));
  let query: AnyQuery;
  if (!part) {
    query = group
      .base(db, 'grams')
      .where('g.workspace_id', '=', workspaceId)
      .where('g.gram', '=', first)
      .where('g.kind', '=', kind)
      .where(probes);
    const inUnits = inSubtreeUnits(engine, workspaceId, group, sql.ref('g.unit_id'));
    if (inUnits) query = query.where(inUnits);
  } else {
    // The part's entries are the subtree's: `read` counts entries in reach.
    const entries = sql`(select workspace_id, sort_key, record_id from search_grams
      where workspace_id = ${workspaceId} and gram = ${first} and kind = ${kind}${units ? sql` and ${units}` : sql``}
      order by sort_key, record_id limit ${part.size} offset ${part.offset})`;
    query =
      engine === 'postgres'
        ? group
            .base(db)
            .where(sql<SqlBool>`${group.id} = any(array(select g.record_id from ${entries} g where ${probes}))`)
        : group.base(db, entries.as('g')).where(probes);
  }
  if (contains) query = query.where(sql<SqlBool>`(${sql.join(containsOf(engine, group, text), sql` or `)})`);
  return query;
}

/**
 * Whether the group has more matches than the count's cap, found by reading the lists from
 * their start: true when one list holds more, false when its first entries say it would take
 * more than COUNT_BUDGET entries to find them (the matches are sparse: the caller counts the
 * candidates' intersection instead, as before). A list's matches more than the cap are more
 * than the cap of the group's, which unites the lists; fewer in each, the union is not known.
 */
export async function moreThanCap(
  db: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  text: string,
  match: TextMatch,
  group: Group,
): Promise<boolean> {
  for (const list of listsOf(text, group)) {
    // A list counted whole to no more than the cap cannot hold more matches than that.
    if (match.common[list.kind] !== true && (match.rarest[list.kind] ?? Infinity) <= SEARCH_COUNT_CAP) continue;
    let found = 0;
    let read = 0;
    for (const size of COUNT_ENTRIES) {
      const matches = listMatches(db, engine, workspaceId, text, match, group, list, { offset: read, size });
      const counted = await db
        .selectFrom(
          matches
            .select(group.id.as('id'))
            .limit(SEARCH_COUNT_CAP + 1 - found)
            .as('t'),
        )
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      found += Number(counted.n);
      read += size;
      if (found > SEARCH_COUNT_CAP) return true;
      // At this rate the cap is further on than the budget (or past the list's end).
      if (((SEARCH_COUNT_CAP + 1) * read) / Math.max(found, 1) > COUNT_BUDGET) break;
    }
  }
  return false;
}

/**
 * The best `limit`: each list read in the index's order until `limit` matches. The exact and
 * prefix names, ranked first whatever their length, are found apart as in the row walk
 * (walk.ts); the union is the best `limit`: a best row that starts with the text is among the
 * best of those, one that does not is preceded in its list only by rows of the best. It never
 * gives up: at worst it reads every candidate of the list, as the ranked plan would.
 */
export async function walkedByIndex<R>(
  db: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  text: string,
  match: TextMatch,
  group: Group,
  limit: number,
): Promise<R[]> {
  const walks = listsOf(text, group).map(
    (list) =>
      sorted(group.shown(listMatches(db, engine, workspaceId, text, match, group, list)), group, match)
        .orderBy('g.sort_key')
        .orderBy('g.record_id')
        .limit(limit)
        .execute() as Promise<Sorted[]>,
  );
  const base = group.base(db, 'table').where(rowMatches(engine, workspaceId, text, match, group));
  const prefixed = ordered(
    sorted(group.shown(base.where(startsWith(engine, match, group))), group, match),
    group,
    match,
  )
    .limit(limit)
    .execute() as Promise<Sorted[]>;
  return best<R>(await Promise.all([prefixed, ...walks]), limit);
}
