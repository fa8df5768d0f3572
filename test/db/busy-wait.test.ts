import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql, type Generated, type Kysely } from 'kysely';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { isSqliteBusy } from '../../src/db/dialect.ts';
import { sqliteBusyWaitMsOf } from '../../src/config.ts';

type Notes = { notes: { id: Generated<number>; text: string } };

/**
 * The server's SQLite connection waits for another connection's write lock (an import
 * committing in its worker) without blocking its thread: the unit of work is run again after
 * asynchronous pauses, and other requests' statements run meanwhile (src/db/busy-wait.ts).
 * Ordering, not timings: the lock is released only after a read on the same Db has completed.
 */
describe('waiting for the SQLite write lock', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /** The server's kind of Db on a fresh file with one table, and a second connection to it (a worker's). */
  async function pair(
    opts: { busyWaitMs?: number } = {},
  ): Promise<{ db: Db; notes: Kysely<Notes>; other: SQLite.Database }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-busy-'));
    dirs.push(dir);
    const db = openDatabase({ sqliteFile: path.join(dir, 'keyline.db'), ...opts });
    await sql`create table notes (id integer primary key, text text not null)`.execute(db.kysely);
    return { db, notes: db.kysely as unknown as Kysely<Notes>, other: new SQLite(path.join(dir, 'keyline.db')) };
  }
  const texts = async (notes: Kysely<Notes>) =>
    (await notes.selectFrom('notes').select('text').orderBy('id').execute()).map((row) => row.text);

  it('a write waits for the lock and then succeeds, while a read on the same connection completes', async () => {
    const { db, notes, other } = await pair();
    try {
      const events: string[] = [];
      other.exec("begin immediate; insert into notes (text) values ('import')");
      const write = notes
        .insertInto('notes')
        .values({ text: 'user' })
        .execute()
        .then(() => events.push('written'));
      assert.deepEqual(await texts(notes), [], 'the read completes while the write waits');
      events.push('read');
      other.exec('commit');
      events.push('released');
      await write;
      assert.deepEqual(events, ['read', 'released', 'written']);
      assert.deepEqual(await texts(notes), ['import', 'user']);
    } finally {
      other.close();
      await db.close();
    }
  });

  it('a transaction refused busy is run again whole and commits once', async () => {
    const { db, notes, other } = await pair();
    try {
      let runs = 0;
      other.exec("begin immediate; insert into notes (text) values ('import')");
      const saved = notes.transaction().execute(async (trx) => {
        runs++;
        const before = await trx.selectFrom('notes').select('id').execute();
        await trx
          .insertInto('notes')
          .values({ text: `first of ${before.length}` })
          .execute();
        await trx
          .insertInto('notes')
          .values({ text: `second of ${before.length}` })
          .execute();
        return runs;
      });
      assert.deepEqual(await texts(notes), [], 'nothing half-saved while it waits');
      other.exec('commit');
      assert.ok((await saved) >= 2, 'the transaction ran again after its refusal');
      assert.deepEqual(await texts(notes), ['import', 'first of 1', 'second of 1']);
    } finally {
      other.close();
      await db.close();
    }
  });

  it('a transaction that read before another connection committed is run again (SQLITE_BUSY_SNAPSHOT)', async () => {
    const { db, notes, other } = await pair();
    try {
      let runs = 0;
      const seen: number[] = [];
      await notes.transaction().execute(async (trx) => {
        runs++;
        seen.push((await trx.selectFrom('notes').select('id').execute()).length);
        // Another connection commits between this transaction's read and its write.
        if (runs === 1) other.exec("insert into notes (text) values ('import')");
        await trx.insertInto('notes').values({ text: 'user' }).execute();
      });
      assert.deepEqual(seen, [0, 1], 'refused at its write, run again on the committed data');
      assert.deepEqual(await texts(notes), ['import', 'user']);
    } finally {
      other.close();
      await db.close();
    }
  });

  it('past its budget the write fails SQLITE_BUSY as before, and reads went on while it waited', async () => {
    const { db, notes, other } = await pair({ busyWaitMs: 300 });
    try {
      const events: string[] = [];
      other.exec("begin immediate; insert into notes (text) values ('import')");
      const write = notes
        .insertInto('notes')
        .values({ text: 'user' })
        .execute()
        .then(
          () => events.push('written'),
          (error: unknown) => events.push(isSqliteBusy(error) ? 'busy' : String(error)),
        );
      await texts(notes);
      events.push('read');
      await write;
      other.exec('commit');
      assert.deepEqual(events, ['read', 'busy']);
      assert.deepEqual(await texts(notes), ['import']);
    } finally {
      other.close();
      await db.close();
    }
  });

  it('a worker connection keeps its synchronous wait; KEYLINE_SQLITE_BUSY_WAIT_MS is checked', async () => {
    const { db, other } = await pair();
    const dir = path.dirname(db.sqliteFile!);
    const worker = openDatabase({ sqliteFile: path.join(dir, 'keyline.db'), busyTimeoutMs: 30_000 });
    try {
      assert.equal(worker.sqlite!.pragma('busy_timeout', { simple: true }), 30_000);
      assert.equal(db.sqlite!.pragma('busy_timeout', { simple: true }), 0, 'the server never waits on its thread');
      assert.equal(sqliteBusyWaitMsOf({}), 15_000);
      assert.equal(sqliteBusyWaitMsOf({ KEYLINE_SQLITE_BUSY_WAIT_MS: '0' }), 0);
      assert.throws(() => sqliteBusyWaitMsOf({ KEYLINE_SQLITE_BUSY_WAIT_MS: '2s' }), /KEYLINE_SQLITE_BUSY_WAIT_MS/);
    } finally {
      await worker.close();
      other.close();
      await db.close();
    }
  });
});
