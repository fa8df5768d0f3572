import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../src/db/database.ts';
import { MIGRATION_NAMES, migrateToLatest } from '../../src/db/migrate.ts';
import { CLI, startServer } from '../helpers/server.ts';

const exec = promisify(execFile);
const cli = (args: string[], env: Record<string, string>) =>
  exec(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
const mode = (file: string) => fs.statSync(file).mode & 0o777;

/** A data directory whose database an earlier version wrote (up to `version`), world-readable as it used to be. */
async function olderDataDir(version: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-upgrade-cli-'));
  const file = path.join(dir, 'keyline.db');
  const db = openDatabase({ sqliteFile: file });
  await migrateToLatest(db, { to: version });
  await db.close();
  fs.chmodSync(file, 0o644);
  return dir;
}

describe('upgrading an embedded database with the keyline command', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('serve backs the database up before migrating it and says where; database and backup are readable by the owner only', async () => {
    const dir = await olderDataDir('0009_stage_evidence');
    dirs.push(dir);
    const server = await startServer({ KEYLINE_DATA_DIR: dir }, 120_000);
    let out: string;
    try {
      out = server.output();
    } finally {
      await server.stop();
    }
    const match = /backed up the database to (\S+) before applying (.+)/.exec(out);
    assert.ok(match, out);
    assert.equal(match[2], MIGRATION_NAMES.slice(MIGRATION_NAMES.indexOf('0010_password_change')).join(', '));
    const backup = match[1]!;
    assert.ok(backup.startsWith(path.join(dir, 'backups')));
    // The copy is the database as it was: at the old version, openable by that version.
    const copy = new SQLite(backup, { readonly: true });
    const applied = copy
      .prepare('select name from kysely_migration order by name')
      .all()
      .map((r) => (r as { name: string }).name);
    copy.close();
    assert.deepEqual(applied, MIGRATION_NAMES.slice(0, MIGRATION_NAMES.indexOf('0009_stage_evidence') + 1));
    assert.equal(mode(backup), 0o600);
    for (const file of ['keyline.db', 'keyline.db-wal', 'keyline.db-shm']) {
      if (fs.existsSync(path.join(dir, file))) assert.equal(mode(path.join(dir, file)), 0o600, file);
    }
    const manual = (await cli(['backup'], { KEYLINE_DATA_DIR: dir })).stdout;
    assert.equal(mode(/backup written to (\S+)/.exec(manual)![1]!), 0o600, 'the backup command too');
    // An up-to-date database is not copied again.
    const again = await startServer({ KEYLINE_DATA_DIR: dir }, 120_000);
    await again.stop();
    assert.doesNotMatch(again.output(), /backed up/);
  });

  it('refuses to open a database written by a newer version, with a clear message', async () => {
    const dir = await olderDataDir('0010_password_change');
    dirs.push(dir);
    const db = openDatabase({ sqliteFile: path.join(dir, 'keyline.db') });
    await sql`insert into kysely_migration (name, timestamp) values ('0042_from_a_newer_keyline', '2030-01-01T00:00:00.000Z')`.execute(
      db.kysely,
    );
    await db.close();
    await assert.rejects(
      cli(['migrate'], { KEYLINE_DATA_DIR: dir }),
      /newer version of Keyline .*0042_from_a_newer_keyline/,
    );
    await assert.rejects(startServer({ KEYLINE_DATA_DIR: dir }, 120_000), /exited with 1[^]*newer version of Keyline/);
    assert.ok(!fs.existsSync(path.join(dir, 'backups')), 'nothing was copied or changed');
  });
});
