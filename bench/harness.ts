/**
 * What every latency benchmark shares: a fresh database (SQLite in a temporary directory, or a
 * fresh PostgreSQL database when DATABASE_URL is set) holding the demo company at a scale, the
 * real app answering injected requests as demo users, and a median-of-N timer. Each benchmark
 * states its baseline — bare SQL for a comparable page — and reports ratios to it, so the
 * numbers mean something on any machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/server/app.ts';
import { loadDemo } from '../src/demo/load.ts';
import { createTestDb } from '../test/helpers/db.ts';
import { sessionIdOf } from '../src/modules/auth/service.ts';
import { insertSession } from '../src/modules/auth/repository.ts';

export type Sign = 'admin' | 'manager' | 'rep';

export interface Bench {
  db: Db;
  workspaceId: number;
  cookies: Record<Sign, string>;
  /** A GET as that user; throws unless it answers 200. */
  get(who: Sign, url: string): () => Promise<void>;
  /** Median milliseconds of `iterations` runs after five warm-up runs. */
  time(fn: () => Promise<unknown>): Promise<number>;
  /** Times the baseline, then prints each case as a markdown row with its ratio to it. */
  report(
    baselineName: string,
    baseline: () => Promise<unknown>,
    cases: [string, () => Promise<unknown>][],
  ): Promise<void>;
  close(): Promise<void>;
}

export async function startBench(defaultScale: number): Promise<Bench> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: String(defaultScale) },
      iterations: { type: 'string', default: '40' },
    },
  });
  const scale = Number(values.scale);
  const iterations = Number(values.iterations);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-bench-'));
  const db = process.env.DATABASE_URL
    ? await createTestDb('postgres')
    : openDatabase({ sqliteFile: path.join(dir, 'keyline.db') });
  await migrateToLatest(db);
  const t0 = performance.now();
  const summary = await loadDemo(db, { scale });
  console.log(
    `engine ${db.engine}; demo at scale ${scale}: ${summary.accounts} accounts, ${summary.contacts} contacts, ${summary.opportunities} opportunities (loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );

  const app = await buildApp(db, { ...loadConfig({ KEYLINE_DATA_DIR: dir }), logLevel: 'silent' }, { logger: false });
  await app.ready();
  const kysely = db.kysely;
  const cookieFor = async (email: string) => {
    const user = await kysely
      .selectFrom('users')
      .select(['id', 'workspace_id'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    const token = `bench-${email}`;
    await insertSession(kysely, {
      id: sessionIdOf(token),
      workspaceId: user.workspace_id,
      userId: user.id,
      now: Date.now(),
      expiresAt: Date.now() + 3_600_000,
      ip: null,
      userAgent: 'bench',
    });
    return `keyline_session=${token}`;
  };
  const cookies = {
    admin: await cookieFor('admin@demo.keyline.dev'),
    manager: await cookieFor('manager@demo.keyline.dev'),
    rep: await cookieFor('rep@demo.keyline.dev'),
  };
  const workspaceId = (await kysely.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;

  const time = async (fn: () => Promise<unknown>) => {
    for (let i = 0; i < 5; i++) await fn();
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const start = performance.now();
      await fn();
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)]!;
  };

  return {
    db,
    workspaceId,
    cookies,
    get: (who, url) => async () => {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: cookies[who] } });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    },
    time,
    async report(baselineName, baseline, cases) {
      const base = await time(baseline);
      console.log(`\nbaseline (${baselineName}): ${base.toFixed(2)} ms median of ${iterations}\n`);
      console.log('| case | median ms | × baseline |\n|---|---:|---:|');
      for (const [name, fn] of cases) {
        const ms = await time(fn);
        console.log(`| ${name} | ${ms.toFixed(2)} | ${(ms / base).toFixed(1)} |`);
      }
    },
    async close() {
      await app.close();
      if ('dispose' in db) await (db as { dispose(): Promise<void> }).dispose();
      else await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
