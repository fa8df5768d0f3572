/**
 * The SQL pieces the scale set (src/demo/scale-set.ts) builds its inserts from, the same on
 * both engines: a numbers source (a recursive CTE on SQLite, generate_series on PostgreSQL), a
 * deterministic scatter of a row number into [0, n) (n a number or an SQL expression ≥ 1), and the words of the lists as literals.
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
 * Word `index` (an SQL expression) of list `list`, as a literal picked by the index: on
 * PostgreSQL a subscript of an array, on SQLite a CASE (the lists are short). Both cost a
 * twentieth of the scalar subquery into a word table they replace (0.04–0.15 µs against
 * 0.7–3 µs), which was most of an activity's insert at several words a row.
 */
export function word(engine: Engine, list: string, index: string): string {
  const words = SCALE_WORDS[list];
  if (!words) throw new Error(`no word list ${list}`);
  const literals = words.map((w) => `'${w.replaceAll("'", "''")}'`);
  if (engine === 'postgres') return `(array[${literals.join(', ')}]::text[])[(${index}) + 1]`;
  return `(case ${index} ${literals.map((literal, k) => `when ${k} then ${literal}`).join(' ')} end)`;
}

/** A word of list `list` at a scattered index from `expr`. */
export function pick(engine: Engine, list: string, expr: string, salt: number): string {
  return word(engine, list, scatter(expr, salt, wordCount(list)));
}

/** The calendar day (YYYY-MM-DD) `dayIndex` days after the set's first day. */
export function dayAt(dayIndex: string): string {
  return `(select x.day from scale_days x where x.d = ${dayIndex})`;
}

/** Creates the calendar lookup (temporary: the caller holds one connection throughout). */
export async function createLookups(db: Kysely<Database>, firstDay: number, days: number): Promise<void> {
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
