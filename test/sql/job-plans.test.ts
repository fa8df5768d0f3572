import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testEngines, type TestDb } from '../helpers/db.ts';
import { createTestApp, seedWorkspace, type TestApp } from '../helpers/app.ts';
import { generateNotifications } from '../../src/modules/notifications/service.ts';
import { dueAccountIds } from '../../src/modules/pool/repository/release.ts';
import {
  explainPostgres,
  explainSqlite,
  pgIndexTables,
  realisticSqliteStats,
  recorderInto,
  type Recorded,
} from './explain.ts';

/**
 * Query plans of the background jobs' big reads (issues 8 and 10), explained as in plans.test.ts:
 * the reminders job's reads of open deals, and the nightly pool release's read of the accounts due.
 */
for (const engine of testEngines()) {
  describe(`Query plans of the jobs' reads [${engine}]`, () => {
    let testApp: TestApp;
    let db: TestDb;
    const recorded: Recorded[] = [];
    before(async () => {
      testApp = await createTestApp(engine);
      db = testApp.db;
    });
    after(() => testApp.close());

    // The reminders job's reads of open deals (migration 0047): the checkpoints that came are a
    // range of creation instants, the stalled deals a walk of the open deals' index entries alone.
    // Without the index SQLite walked every deal of the workspace by its owner, each looked up in
    // the table (8–11 s a read at the scale set).
    it('the reminders job reads the open deals by their creation or from an index alone [issue 8]', async () => {
      await seedWorkspace(testApp, 'reminder-plans');
      if (engine === 'sqlite') await realisticSqliteStats(db);
      const indexTables = engine === 'postgres' ? await pgIndexTables(db) : new Map<string, string>();
      recorded.length = 0;
      await generateNotifications({ ...db, kysely: db.kysely.withPlugin(recorderInto(recorded, db)) }, Date.now());
      const reads = recorded.filter((r) => /^\s*select\b/i.test(r.sql) && /from "opportunities"/.test(r.sql));
      assert.ok(reads.length >= 5, `the job's reads of deals: ${reads.length}`);
      const problems: string[] = [];
      for (const statement of reads) {
        const finding =
          engine === 'sqlite' ? await explainSqlite(db, statement) : await explainPostgres(db, statement, indexTables);
        if (finding.fullScans.length)
          problems.push(`full scan of ${finding.fullScans.join(', ')}\n${statement.sql}\n${finding.plan}`);
        const unbounded = finding.opportunityReads.filter(
          (how) => !/created_at>\? AND created_at<\?|^USING COVERING INDEX|rowid=/.test(how),
        );
        if (engine === 'sqlite' && unbounded.length)
          problems.push(`reads deals by ${unbounded.join(', ')}\n${statement.sql}\n${finding.plan}`);
      }
      assert.deepEqual(problems, [], problems.join('\n\n'));
    });

    // The nightly pool release's candidates on PostgreSQL (migration 0050): accounts_ws_release
    // holds the id, so they are an index-only range; before it PostgreSQL visited each one's row
    // and at the scale set read the whole table with two parallel workers beside the lists. The
    // read runs without parallel workers (withoutParallelWorkers). SQLite's index entries carry
    // the id (its rowid) already, and its plan is told (INDEXED BY).
    it('the pool release reads the accounts due from its index alone, without parallel workers [issue 10]', async (context) => {
      if (engine !== 'postgres') return context.skip('PostgreSQL only: SQLite is told the index');
      const fixture = await seedWorkspace(testApp, 'release-plans');
      // Enough accounts, with statistics and a visibility map (vacuum), that the plan is chosen as at
      // scale and not for a tiny fixture.
      const now = Date.now();
      const accounts = Array.from({ length: 3_000 }, (_, index) => ({
        workspace_id: fixture.workspaceId,
        name: `待释放客户 ${index}`,
        name_key: `待释放客户 ${index}`,
        owner_id: index % 2 ? fixture.users.rep.id : fixture.users.rep2.id,
        org_unit_id: fixture.units.sales1,
        tier: ['A', 'B', 'C'][index % 3]!,
        tier_computed: 'C',
        created_at: now,
        updated_at: now,
        version: 1,
      }));
      for (let start = 0; start < accounts.length; start += 500)
        await db.kysely
          .insertInto('accounts')
          .values(accounts.slice(start, start + 500))
          .execute();
      await sql`vacuum analyze accounts`.execute(db.kysely);
      const indexTables = await pgIndexTables(db);
      recorded.length = 0;
      const later = Date.now() + 400 * 24 * 60 * 60_000;
      await dueAccountIds(db.kysely.withPlugin(recorderInto(recorded, db)), engine, fixture.workspaceId, 'C', later);
      const read = recorded.findIndex((r) => /^select "accounts"\."id" from "accounts"/.test(r.sql));
      assert.ok(read > 0, recorded.map((r) => r.sql).join('\n'));
      assert.match(recorded[read - 1]!.sql, /^set local max_parallel_workers_per_gather = 0$/);
      const finding = await explainPostgres(db, recorded[read]!, indexTables);
      assert.match(finding.plan, /Index Only Scan accounts using accounts_ws_release/, finding.plan);
    });
  });
}
