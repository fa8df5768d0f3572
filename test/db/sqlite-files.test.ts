import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { loadConfig } from '../../src/config.ts';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('the embedded database on disk', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const dir = () => {
    const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-files-'));
    dirs.push(tmpDir);
    return tmpDir;
  };

  it('creates the database, its WAL and shared-memory files readable by the owner only, whatever the umask', async () => {
    const old = process.umask(0o022);
    try {
      const file = path.join(dir(), 'data', 'keyline.db');
      const db = openDatabase({ sqliteFile: file });
      await migrateToLatest(db);
      await sql`insert into workspaces (name, created_at) values ('w', 1)`.execute(db.kysely);
      for (const filePath of [file, `${file}-wal`, `${file}-shm`]) assert.equal(mode(filePath), 0o600, filePath);
      assert.equal(mode(path.dirname(file)), 0o700);
      await db.close();
    } finally {
      process.umask(old);
    }
  });

  it('narrows the modes of a database an earlier version left world-readable', async () => {
    const file = path.join(dir(), 'keyline.db');
    const first = openDatabase({ sqliteFile: file });
    await migrateToLatest(first);
    await first.close();
    fs.chmodSync(file, 0o644);
    const db = openDatabase({ sqliteFile: file });
    assert.equal(mode(file), 0o600);
    await db.close();
  });

  it('commits durably by default; KEYLINE_SQLITE_SYNCHRONOUS=normal trades the last commits for speed', async () => {
    const level = (synchronous?: 'full' | 'normal') => {
      const db = openDatabase({ sqliteFile: path.join(dir(), 'keyline.db'), ...(synchronous ? { synchronous } : {}) });
      const pragmaValue = db.sqlite!.pragma('synchronous', { simple: true });
      void db.close();
      return pragmaValue;
    };
    assert.equal(level(), 2, 'FULL');
    assert.equal(level('normal'), 1, 'NORMAL');
    assert.equal(level('full'), 2);
    assert.equal(loadConfig({ KEYLINE_SQLITE_SYNCHRONOUS: 'NORMAL' }).sqliteSynchronous, 'normal');
    assert.equal(loadConfig({}).sqliteSynchronous, 'full');
    assert.throws(
      () => loadConfig({ KEYLINE_SQLITE_SYNCHRONOUS: 'off' }),
      /KEYLINE_SQLITE_SYNCHRONOUS must be full or normal/,
    );
  });
});
