/**
 * The SQL pieces the scale set (src/demo/scale-set.ts) builds its inserts from, the same on
 * both engines: a numbers source (a recursive CTE on SQLite, generate_series on PostgreSQL), a
 * deterministic scatter of a row number into [0, n) (n a number or an SQL expression ≥ 1), and lookups into the word lists.
 * Everything here is interpolated as SQL text: only integers and names this file controls.
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../db/dialect.ts';
import type { Database } from '../db/schema.ts';
import { SCALE_WORDS, wordCount } from './scale-words.ts';

export const DAY = 86_400_000;

/** The rows 1..count as `<alias>(i)`, i a 64-bit integer on both engines. */
export function series(engine: Engine, count: number, alias: string): string {
  const total = Math.max(0, Math.floor(count));
  return engine === 'postgres'
    ? `generate_series(1::bigint, ${total}::bigint) as ${alias}(i)`
    : `(with recursive numbers(i) as (select 1 where ${total} > 0 union all select i + 1 from numbers where i < ${total}) select i from numbers) ${alias}`;
}

/**
 * A well-spread, repeatable number in [0, mod) from an integer expression and a salt: two
 * multiplicative hashes modulo primes (SQLite has no XOR). Products stay below 2^63.
 */
export function scatter(expr: string, salt: number, mod: number | string): string {
  const modulus = typeof mod === 'number' ? String(Math.max(1, mod)) : `(${mod})`;
  return `((((((${expr}) * 2654435761 + ${salt * 7919 + 1}) % 4294967291) * 40503 + ${salt * 977 + 7}) % 2147483629) % ${modulus})`;
}

/**
 * Word `index` (an SQL expression) of list `list`. SQLite: a scalar subquery, not a join —
 * joined, its planner multiplies the word lists together first and scans the numbers inside.
 * PostgreSQL: a subscript of the list as an array literal, 0.15 µs against the subquery's 3
 * (an index scan per word per row, several per row, was most of an activity's insert).
 */
export function word(engine: Engine, list: string, index: string): string {
  const words = SCALE_WORDS[list];
  if (!words) throw new Error(`no word list ${list}`);
  if (engine === 'postgres')
    return `(array[${words.map((w) => `'${w.replaceAll("'", "''")}'`).join(', ')}]::text[])[(${index}) + 1]`;
  return `(select w.word from scale_words w where w.list = '${list}' and w.k = ${index})`;
}

/** A word of list `list` at a scattered index from `expr`. */
export function pick(engine: Engine, list: string, expr: string, salt: number): string {
  return word(engine, list, scatter(expr, salt, wordCount(list)));
}

/** The calendar day (YYYY-MM-DD) `dayIndex` days after the set's first day. */
export function dayAt(dayIndex: string): string {
  return `(select x.day from scale_days x where x.d = ${dayIndex})`;
}

/** Creates the lookup tables (temporary: the caller holds one connection throughout). */
export async function createLookups(db: Kysely<Database>, firstDay: number, days: number): Promise<void> {
  await sql`create temporary table scale_words (list text not null, k integer not null, word text not null, primary key (list, k))`.execute(
    db,
  );
  const rows = Object.entries(SCALE_WORDS).flatMap(([list, words]) => words.map((text, k) => ({ list, k, text })));
  for (let i = 0; i < rows.length; i += 300)
    await sql`insert into scale_words (list, k, word) values ${sql.join(
      rows.slice(i, i + 300).map((r) => sql`(${r.list}, ${r.k}, ${r.text})`),
    )}`.execute(db);
  await sql`create temporary table scale_days (d integer primary key, day text not null)`.execute(db);
  const dayRows = Array.from({ length: days }, (_, index) => ({
    d: index,
    day: new Date(firstDay + index * DAY).toISOString().slice(0, 10),
  }));
  for (let i = 0; i < dayRows.length; i += 500)
    await sql`insert into scale_days (d, day) values ${sql.join(dayRows.slice(i, i + 500).map((r) => sql`(${r.d}, ${r.day})`))}`.execute(
      db,
    );
}

export async function run(db: Kysely<Database>, text: string): Promise<void> {
  await sql.raw(text).execute(db);
}
