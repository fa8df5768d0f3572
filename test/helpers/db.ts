import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Engine } from '../../src/db/dialect.ts';

/**
 * Each suite runs on both engines (ARCHITECTURE.md § Testing habits, after Kysely's own
 * tests). KEYLINE_TEST_ENGINES=sqlite narrows it for a quick local run; CI runs both.
 */
export function testEngines(): Engine[] {
  const wanted = (process.env.KEYLINE_TEST_ENGINES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
  return (['sqlite', 'postgres'] as const).filter((e) => wanted.includes(e));
}

/** The PostgreSQL server the test command uses; each suite creates and drops its own database there. */
export const PG_ADMIN_URL = process.env.KEYLINE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDb extends Db {
  /** Drops the database (PostgreSQL) or deletes the file (SQLite). */
  dispose(): Promise<void>;
  /** How to connect to this same database from another process (CLI tests). */
  url: string;
}

/** A database of its own, migrated to the latest unless `migrate` is false (the upgrade tests start from none). */
export async function createTestDb(engine: Engine, { migrate = true } = {}): Promise<TestDb> {
  if (engine === 'postgres') {
    const name = `keyline_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    const db = openDatabase({ databaseUrl: url.toString() });
    if (migrate) await migrateToLatest(db);
    return {
      ...db,
      url: url.toString(),
      async dispose() {
        await db.close().catch(() => undefined);
        const client = new pg.Client({ connectionString: PG_ADMIN_URL });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-test-'));
  const file = path.join(dir, 'keyline.db');
  const db = openDatabase({ sqliteFile: file });
  if (migrate) await migrateToLatest(db);
  return {
    ...db,
    url: file,
    async dispose() {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
