import { sql, type Kysely } from 'kysely';
import { pinyin } from 'pinyin-pro';
import type { Engine } from '../dialect.ts';

/**
 * The search index (docs/search.md): every bigram of the searched text of accounts, contacts
 * and opportunities, and every bigram of the pinyin initials of their names, in one table
 * kept by triggers — so every writer (the API, imports, handovers, merges, the demo, raw SQL
 * of a bench) keeps it in the same transaction without knowing it exists.
 *
 * Bigrams rather than SQLite's FTS5 trigram tokenizer or PostgreSQL's pg_trgm: Chinese words
 * are mostly two characters, and neither trigram index can answer a one- or two-character
 * substring without reading everything. A row per (workspace, gram, kind, record); the last
 * character of a text is a one-character gram, so a one-character query is a range scan of
 * the grams starting with it. The index only narrows: the query re-checks the substring on
 * the candidates, so results are exactly the substring scan's (test/api/search.test.ts).
 *
 * Kinds: a/c/o the account, contact and opportunity text; ap/cp/op the initials of their
 * names. Texts are lowered by the database's lower(), the same function the query lowers the
 * typed text with. Only the first POSITIONS characters of a text are indexed; every indexed
 * column is shorter (names ≤ 200, emails ≤ 254).
 */
export const POSITIONS = 1000;

/**
 * `sortKey`: the record's place in its group's order after the exact and prefix names (open
 * deals first, then shorter names), written with each gram since migration 0034 (`$` is the
 * row's alias); `keyColumns` the other columns it reads. Open is 0 and closed 2^30 added to
 * the name's length, which is under 2^30 (a PostgreSQL text is at most 1 GB).
 * `unit`: the org unit whose subtree sees the record (a contact: its account's), written with
 * each gram since migration 0043; `unitColumns` the record's columns it reads.
 */
export const SEARCHED = [
  {
    table: 'accounts',
    kind: 'a',
    names: ['name'],
    others: ['credit_code'],
    sortKey: 'length($.name)',
    keyColumns: [],
    unit: '$.org_unit_id',
    unitColumns: ['org_unit_id'],
  },
  {
    table: 'contacts',
    kind: 'c',
    names: ['name'],
    others: ['mobile', 'phone', 'email', 'title', 'wechat'],
    sortKey: 'length($.name)',
    keyColumns: [],
    unit: '(select unit_of.org_unit_id from accounts unit_of where unit_of.id = $.account_id)',
    unitColumns: ['account_id'],
  },
  {
    table: 'opportunities',
    kind: 'o',
    names: ['name'],
    others: [],
    sortKey: "case when $.status = 'open' then 0 else 1073741824 end + length($.name)",
    keyColumns: ['status'],
    unit: '$.org_unit_id',
    unitColumns: ['org_unit_id'],
  },
] as const;

export type Searched = (typeof SEARCHED)[number];

/** The record's sort key over `alias` (migration 0034). */
export const sortKeyOf = (spec: Searched, alias: string) => spec.sortKey.replaceAll('$', alias);

/** The record's unit over `alias` (migration 0043). */
export const unitOf = (spec: Searched, alias: string) => spec.unit.replaceAll('$', alias);

/**
 * The index's columns a statement writes: as this migration made them (`false`), with 0034's
 * sort key (`true`), with 0043's unit too (`'unit'`, the table as it is now).
 */
export type IndexColumns = boolean | 'unit';

/** The column list and the values before record_id, over `alias`, of `columns`. */
export function columnsOf(spec: Searched, alias: string, columns: IndexColumns) {
  if (columns === false) return { names: '', values: '' };
  if (columns === true) return { names: 'sort_key, ', values: `${sortKeyOf(spec, alias)}, ` };
  return { names: 'sort_key, unit_id, ', values: `${sortKeyOf(spec, alias)}, ${unitOf(spec, alias)}, ` };
}

/** Initial letters of every reading of each CJK unified ideograph (长 → c and z); computed once per process. */
let initialsTable: { ch: string; initial: string }[] | undefined;
function pinyinInitials(): { ch: string; initial: string }[] {
  if (initialsTable) return initialsTable;
  const rows: { ch: string; initial: string }[] = [];
  for (let cp = 0x4e00; cp <= 0x9fff; cp++) {
    const ch = String.fromCodePoint(cp);
    const initials = new Set(
      pinyin(ch, { pattern: 'first', toneType: 'none', multiple: true, type: 'array' }).map((s) => s.toLowerCase()),
    );
    for (const initial of initials) if (/^[a-z]$/.test(initial)) rows.push({ ch, initial });
  }
  initialsTable = rows;
  return rows;
}

/** The statements that index one row: `x` is `new` in a trigger, the table's alias in the backfill. */
export function indexStatements(
  spec: Searched,
  alias: string,
  from: (col: string) => string,
  /** The table as it is now by default; the earlier migrations write their own columns. */
  columns: IndexColumns = 'unit',
): string[] {
  const { names, values: key } = columnsOf(spec, alias, columns);
  const put = `insert into search_grams (workspace_id, gram, kind, ${names}record_id)`;
  const raw = [...spec.names, ...spec.others].map(
    (column) =>
      `${put} select ${alias}.workspace_id, lower(substr(${alias}.${column}, p.i, 2)), '${spec.kind}', ${key}${alias}.id ${from(column)} on conflict do nothing`,
  );
  const initial = (count: string, at: string) =>
    `coalesce(y${at}.initial, lower(substr(${alias}.${count}, p.i${at === '2' ? ' + 1' : ''}, 1)))`;
  const initials = spec.names.map(
    (column) =>
      `${put} select ${alias}.workspace_id, ${initial(column, '1')} || ${initial(column, '2')}, '${spec.kind}p', ${key}${alias}.id ${from(
        column,
      ).replace(
        ' where ',
        ` left join search_pinyin y1 on y1.ch = substr(${alias}.${column}, p.i, 1) left join search_pinyin y2 on y2.ch = substr(${alias}.${column}, p.i + 1, 1) where `,
      )} on conflict do nothing`,
  );
  return [...raw, ...initials];
}

/**
 * The set-based backfill of a table's rows matching `where` (over alias x): the migration's
 * own, and the scale set's (src/demo/scale-search.ts), which loads with the triggers off.
 */
export function backfillStatements(spec: Searched, where = 'true', columns: IndexColumns = 'unit'): string[] {
  return indexStatements(
    spec,
    'x',
    (column) =>
      `from ${spec.table} x join search_positions p on p.i <= length(x.${column}) where ${where} and x.${column} is not null`,
    columns,
  );
}

const unindex = (spec: Searched) =>
  `delete from search_grams where workspace_id = old.workspace_id and kind in ('${spec.kind}', '${spec.kind}p') and record_id = old.id`;

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const pg = engine === 'postgres';
  // Byte order on PostgreSQL too, so a one-character query's range [c, c || U+10FFFF] holds every gram starting with c.
  const gramType = pg ? sql.raw('text collate "C"') : sql.raw('text');
  await sql`create table search_positions (i integer primary key)`.execute(db);
  await sql`create table search_pinyin (ch text not null, initial text not null, primary key (ch, initial))`.execute(
    db,
  );
  await sql`create table search_grams (
    workspace_id integer not null, gram ${gramType} not null, kind text not null, record_id integer not null,
    primary key (workspace_id, gram, kind, record_id))${sql.raw(pg ? '' : ' without rowid')}`.execute(db);
  await sql`create index search_grams_record on search_grams (kind, record_id)`.execute(db);
  for (let i = 1; i <= POSITIONS; i += 500) {
    const values = Array.from({ length: Math.min(500, POSITIONS - i + 1) }, (_, k) => `(${i + k})`).join(',');
    await sql`insert into search_positions (i) values ${sql.raw(values)}`.execute(db);
  }
  const initials = pinyinInitials();
  for (let i = 0; i < initials.length; i += 400) {
    const chunk = initials.slice(i, i + 400);
    await sql`insert into search_pinyin (ch, initial) values ${sql.join(chunk.map((r) => sql`(${r.ch}, ${r.initial})`))}`.execute(
      db,
    );
  }

  // Without statistics PostgreSQL guesses a third of the positions for `i <= length(name)` and
  // sorts the whole pinyin table for every indexed row (11 ms an insert instead of 0.1).
  if (pg) await sql`analyze search_positions, search_pinyin`.execute(db);

  for (const spec of SEARCHED)
    for (const statement of backfillStatements(spec, 'true', false)) await sql.raw(statement).execute(db);
  await createSearchTriggers(db, engine, false);
}

/**
 * The triggers that keep the index: on insert, on a change of a searched column (or, keyed, of
 * a column the sort key reads: a deal closed or reopened moves in its group's order) and on
 * delete. Each re-indexes the whole record. With the unit (migration 0043) a change of the
 * record's unit (an account or a deal reassigned, a contact moved to another account) sets it
 * on the record's grams, and an account's on its contacts' too: one UPDATE each, no re-index.
 * A unit moved in the tree keeps its id, so its records' grams stay as they are.
 */
export async function createSearchTriggers(
  db: Kysely<unknown>,
  engine: Engine,
  columns: IndexColumns = 'unit',
): Promise<void> {
  const keyed = columns !== false;
  for (const spec of SEARCHED) {
    const cols = [...spec.names, ...spec.others];
    const watched = keyed ? [...cols, ...spec.keyColumns] : cols;
    const keyChanged = (differ: string) =>
      keyed && spec.keyColumns.length > 0
        ? ` or (${sortKeyOf(spec, 'old')}) ${differ} (${sortKeyOf(spec, 'new')})`
        : '';
    const body = indexStatements(spec, 'new', (c) => `from search_positions p where p.i <= length(new.${c})`, columns);
    const unitChanged = (differ: string) => spec.unitColumns.map((c) => `old.${c} ${differ} new.${c}`).join(' or ');
    if (engine === 'postgres') {
      const changed =
        cols.map((c) => `old.${c} is distinct from new.${c}`).join(' or ') + keyChanged('is distinct from');
      await sql
        .raw(
          `create or replace function ${spec.table}_search_index() returns trigger language plpgsql as $$
        begin
          if tg_op <> 'INSERT' then ${unindex(spec)}; end if;
          if tg_op <> 'DELETE' then ${body.join('; ')}; end if;
          return null;
        end $$`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger ${spec.table}_search_insert after insert on ${spec.table} for each row execute function ${spec.table}_search_index()`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger ${spec.table}_search_update after update of ${watched.join(', ')} on ${spec.table} for each row when (${changed}) execute function ${spec.table}_search_index()`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger ${spec.table}_search_delete after delete on ${spec.table} for each row execute function ${spec.table}_search_index()`,
        )
        .execute(db);
      if (columns === 'unit') {
        await sql
          .raw(
            `create or replace function ${spec.table}_search_unit() returns trigger language plpgsql as $$
          begin ${reunit(spec).join('; ')}; return null; end $$`,
          )
          .execute(db);
        await sql
          .raw(
            `create trigger ${spec.table}_search_unit after update of ${spec.unitColumns.join(', ')} on ${spec.table} for each row when (${unitChanged('is distinct from')}) execute function ${spec.table}_search_unit()`,
          )
          .execute(db);
      }
    } else {
      const sqliteChanged = cols.map((c) => `old.${c} is not new.${c}`).join(' or ') + keyChanged('is not');
      await sql
        .raw(`create trigger ${spec.table}_search_insert after insert on ${spec.table} begin ${body.join('; ')}; end`)
        .execute(db);
      await sql
        .raw(
          `create trigger ${spec.table}_search_update after update of ${watched.join(', ')} on ${spec.table} when ${sqliteChanged} begin ${unindex(spec)}; ${body.join('; ')}; end`,
        )
        .execute(db);
      await sql
        .raw(`create trigger ${spec.table}_search_delete after delete on ${spec.table} begin ${unindex(spec)}; end`)
        .execute(db);
      if (columns === 'unit')
        await sql
          .raw(
            `create trigger ${spec.table}_search_unit after update of ${spec.unitColumns.join(', ')} on ${spec.table} when ${unitChanged('is not')} begin ${reunit(spec).join('; ')}; end`,
          )
          .execute(db);
    }
  }
}

/** The statements that set a record's new unit on its grams (and an account's on its contacts'). */
function reunit(spec: Searched): string[] {
  const set = (kind: string, ids: string) =>
    `update search_grams set unit_id = ${unitOf(spec, 'new')} where workspace_id = new.workspace_id and kind in ('${kind}', '${kind}p') and record_id ${ids}`;
  const own = set(spec.kind, '= new.id');
  if (spec.table !== 'accounts') return [own];
  return [own, set('c', 'in (select id from contacts where workspace_id = new.workspace_id and account_id = new.id)')];
}

/** The triggers of createSearchTriggers, dropped (migrations 0034 and 0043 re-create them). */
export async function dropSearchTriggers(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const pg = engine === 'postgres';
  for (const spec of SEARCHED) {
    for (const event of ['insert', 'update', 'delete', 'unit'])
      await sql.raw(`drop trigger if exists ${spec.table}_search_${event}${pg ? ` on ${spec.table}` : ''}`).execute(db);
    if (pg) {
      await sql.raw(`drop function ${spec.table}_search_index()`).execute(db);
      await sql.raw(`drop function if exists ${spec.table}_search_unit()`).execute(db);
    }
  }
}
