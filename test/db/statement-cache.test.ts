import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Generated } from 'kysely';
import { cachingStatements } from '../../src/db/statement-cache.ts';

/**
 * The SQLite connection's kept prepared statements (src/db/statement-cache.ts): reused by
 * their text, never shared while one is still being read, re-planned by SQLite when the schema
 * or the statistics change, and no more than the cache holds.
 */
describe('kept prepared statements (SQLite)', () => {
  const open = (size?: number) => {
    const sqlite = new SQLite(':memory:');
    sqlite.exec('create table items (id integer primary key, name text not null, kind integer not null)');
    const insert = sqlite.prepare('insert into items (name, kind) values (?, ?)');
    for (let i = 1; i <= 50; i++) insert.run(`item ${i}`, i % 3);
    return { sqlite, database: cachingStatements(sqlite, size) };
  };

  it('prepares a statement once and reuses it for the same text with other parameters', () => {
    const { database } = open();
    const first = database.prepare('select name from items where id = ?');
    assert.equal(database.prepare('select name from items where id = ?'), first);
    assert.deepEqual(first.all([2]), [{ name: 'item 2' }]);
    assert.deepEqual(database.prepare('select name from items where id = ?').all([7]), [{ name: 'item 7' }]);
    assert.notEqual(database.prepare('select name from items where id = ? '), first, 'another text, another statement');
    database.close();
  });

  it('gives a statement still being iterated to no one else: a second read of the same text gets its own', () => {
    const { database } = open();
    const text = 'select id from items where kind = ? order by id';
    const streaming = database.prepare(text);
    const rows = streaming.iterate([1]);
    const firstRow = rows.next();
    assert.equal(firstRow.done, false);
    const other = database.prepare(text);
    assert.notEqual(other, streaming, 'the busy statement is not handed out again');
    assert.equal(other.all([2]).length, 17);
    const rest = [...{ [Symbol.iterator]: () => rows }];
    assert.equal(rest.length + 1, 17, 'the first read went on undisturbed');
    assert.equal(database.prepare(text), streaming, 'once read to the end, the kept one is reused');
    database.close();
  });

  it('keeps no more than its size, the least recently used leaving first', () => {
    const { database } = open(2);
    const one = database.prepare('select 1');
    const two = database.prepare('select 2');
    assert.equal(database.prepare('select 1'), one);
    database.prepare('select 3');
    assert.equal(database.prepare('select 1'), one, 'used recently: kept');
    assert.notEqual(database.prepare('select 2'), two, 'the least recently used left');
    database.close();
  });

  it('sees schema changes and new indexes through a kept statement (SQLite re-prepares it)', () => {
    const { sqlite, database } = open();
    const text = 'select * from items where name = ?';
    assert.deepEqual(Object.keys(database.prepare(text).all(['item 3'])[0] as object), ['id', 'name', 'kind']);
    sqlite.exec("alter table items add column note text not null default 'n'");
    assert.deepEqual(database.prepare(text).all(['item 3']), [{ id: 3, name: 'item 3', kind: 0, note: 'n' }]);
    sqlite.exec('create index items_name on items (name)');
    const plan = sqlite.prepare(`explain query plan ${text}`).all('item 3') as { detail: string }[];
    assert.match(plan.map((step) => step.detail).join(' '), /items_name/);
    assert.deepEqual(database.prepare(text).all(['item 3']), [{ id: 3, name: 'item 3', kind: 0, note: 'n' }]);
    database.close();
  });

  it('serves Kysely: queries, writes, transactions, and a stream followed by the same query', async () => {
    const { database } = open();
    const kysely = new Kysely<{ items: { id: Generated<number>; name: string; kind: number } }>({
      dialect: new SqliteDialect({ database }),
    });
    const byKind = (kind: number) => kysely.selectFrom('items').select('id').where('kind', '=', kind).orderBy('id');
    assert.equal((await byKind(1).execute()).length, 17);
    await kysely.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ name: 'new', kind: 1 }).execute();
      await trx.insertInto('items').values({ name: 'newer', kind: 1 }).execute();
    });
    assert.equal((await byKind(1).execute()).length, 19);
    const streamed: number[] = [];
    for await (const row of byKind(1).stream()) streamed.push(row.id);
    assert.equal(streamed.length, 19);
    assert.deepEqual(
      (await byKind(1).execute()).map((row) => row.id),
      streamed,
      'the statement the stream read is free again',
    );
    assert.equal(Number((await sql<{ n: number }>`select count(*) as n from items`.execute(kysely)).rows[0]!.n), 52);
    await kysely.destroy();
  });
});
