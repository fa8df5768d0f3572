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

export const SEARCHED = [
  { table: 'accounts', kind: 'a', names: ['name'], others: ['credit_code'] },
  { table: 'contacts', kind: 'c', names: ['name'], others: ['mobile', 'phone', 'email', 'title', 'wechat'] },
  { table: 'opportunities', kind: 'o', names: ['name'], others: [] },
] as const;

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
  spec: (typeof SEARCHED)[number],
  alias: string,
  from: (col: string) => string,
): string[] {
  const put = 'insert into search_grams (workspace_id, gram, kind, record_id)';
  const raw = [...spec.names, ...spec.others].map(
    (column) =>
      `${put} select ${alias}.workspace_id, lower(substr(${alias}.${column}, p.i, 2)), '${spec.kind}', ${alias}.id ${from(column)} on conflict do nothing`,
  );
  const initial = (count: string, at: string) =>
    `coalesce(y${at}.initial, lower(substr(${alias}.${count}, p.i${at === '2' ? ' + 1' : ''}, 1)))`;
  const initials = spec.names.map(
    (column) =>
      `${put} select ${alias}.workspace_id, ${initial(column, '1')} || ${initial(column, '2')}, '${spec.kind}p', ${alias}.id ${from(
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
export function backfillStatements(spec: (typeof SEARCHED)[number], where = 'true'): string[] {
  return indexStatements(
    spec,
    'x',
    (column) =>
      `from ${spec.table} x join search_positions p on p.i <= length(x.${column}) where ${where} and x.${column} is not null`,
  );
}

const unindex = (spec: (typeof SEARCHED)[number]) =>
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

  for (const spec of SEARCHED) {
    const cols = [...spec.names, ...spec.others];
    const changed = cols.map((c) => `old.${c} is distinct from new.${c}`).join(' or ');
    // The backfill: every existing row, set-based.
    for (const statement of backfillStatements(spec)) {
      await sql.raw(statement).execute(db);
    }
    const body = indexStatements(spec, 'new', (c) => `from search_positions p where p.i <= length(new.${c})`);
    if (pg) {
      await sql
        .raw(
          `create function ${spec.table}_search_index() returns trigger language plpgsql as $$
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
          `create trigger ${spec.table}_search_update after update of ${cols.join(', ')} on ${spec.table} for each row when (${changed}) execute function ${spec.table}_search_index()`,
        )
        .execute(db);
      await sql
        .raw(
          `create trigger ${spec.table}_search_delete after delete on ${spec.table} for each row execute function ${spec.table}_search_index()`,
        )
        .execute(db);
    } else {
      const sqliteChanged = cols.map((c) => `old.${c} is not new.${c}`).join(' or ');
      await sql
        .raw(`create trigger ${spec.table}_search_insert after insert on ${spec.table} begin ${body.join('; ')}; end`)
        .execute(db);
      await sql
        .raw(
          `create trigger ${spec.table}_search_update after update of ${cols.join(', ')} on ${spec.table} when ${sqliteChanged} begin ${unindex(spec)}; ${body.join('; ')}; end`,
        )
        .execute(db);
      await sql
        .raw(`create trigger ${spec.table}_search_delete after delete on ${spec.table} begin ${unindex(spec)}; end`)
        .execute(db);
    }
  }
}
