import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { createTestDb, testEngines, type TestDb } from '../helpers/db.ts';
import { CLI } from '../helpers/server.ts';
import { BUILDING, loadScaleSet, type ScaleSetSummary } from '../../src/demo/scale-set.ts';
import { DEMO_WORKSPACE } from '../../src/demo/company.ts';
import { createWorkspace } from '../../src/modules/workspace/service.ts';
import { companyNameKey } from '../../src/domain/company-name.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';
import { SEARCHED, backfillStatements } from '../../src/db/migrations/0018_search_index.ts';

/** The scale set's generator at a small size (the full set is for `keyline demo --scale-set` and the benches, README § Benchmarks). */
const SMALL = { accounts: 200, contactsPerAccount: 3, opportunities: 1500, activities: 6000, reps: 20 };

for (const engine of testEngines()) {
  describe(`scale set generator (${engine})`, () => {
    let db: TestDb;
    let summary: ScaleSetSummary;
    before(async () => {
      db = await createTestDb(engine);
      summary = await loadScaleSet(db, SMALL);
    });
    after(() => db.dispose());

    it('builds the asked-for numbers of rows, with the history, team and search rows they imply', () => {
      assert.equal(summary.rows.accounts, 200);
      assert.equal(summary.rows.contacts, 600);
      assert.equal(summary.rows.opportunities, 1500);
      assert.equal(summary.rows.activities, 6000);
      assert.equal(summary.users, 20 + 2 + 1 + 1 + 1 + 1 + 1);
      assert.ok(summary.rows.opportunity_stage_history! > 1500 * 2, 'several stages per deal');
      assert.ok(summary.rows.opportunity_team! >= 1500);
      assert.ok(summary.rows.search_grams! > 1500 * 10, 'the search triggers indexed the names');
    });

    it('keeps the rules: owners sell in their own unit, stages belong to the process, names key as the app keys them', async () => {
      const kysely = db.kysely;
      const misplaced = await sql<{
        n: number;
      }>`select count(*) as n from opportunities o join users u on u.id = o.owner_id
        where u.org_unit_id <> o.org_unit_id or u.role <> 'rep'`.execute(kysely);
      assert.equal(Number(misplaced.rows[0]!.n), 0);
      const wrongStage = await sql<{
        n: number;
      }>`select count(*) as n from opportunities o join process_stages s on s.id = o.stage_id
        where s.process_id <> o.process_id or (o.status = 'won') <> (s.is_won = 1)`.execute(kysely);
      assert.equal(Number(wrongStage.rows[0]!.n), 0);
      const accounts = await kysely
        .selectFrom('accounts')
        .select(['name', 'name_key', 'owner_id', 'org_unit_id'])
        .execute();
      for (const account of accounts) assert.equal(account.name_key, companyNameKey(account.name), account.name);
      assert.equal(new Set(accounts.map((a) => a.name)).size, accounts.length, 'every name once');
      // Each deal's history walks its process from the first stage to its own, the last row open unless it closed.
      const history = await sql<{ bad: number }>`select count(*) as bad from opportunities o
        where (select count(*) from opportunity_stage_history h where h.opportunity_id = o.id and h.left_at is null) <> case when o.status = 'open' then 1 else 0 end
           or not exists (select 1 from opportunity_stage_history h where h.opportunity_id = o.id and h.stage_id = o.stage_id and h.entered_at = o.stage_entered_at)`.execute(
        kysely,
      );
      assert.equal(Number(history.rows[0]!.bad), 0);
      const early = await sql<{
        n: number;
      }>`select count(*) as n from opportunity_stage_history h join opportunities o on o.id = h.opportunity_id
        where h.entered_at < o.created_at or (h.left_at is not null and h.left_at < h.entered_at)`.execute(kysely);
      assert.equal(Number(early.rows[0]!.n), 0);
    });

    it('leaves the kept aggregates as the app would have kept them', async () => {
      const kysely = db.kysely;
      const before = await kysely
        .selectFrom('funnel_totals')
        .selectAll()
        .orderBy(['process_id', 'stage_id', 'owner_id', 'status', 'close_month', 'size_class'])
        .execute();
      await rebuildFunnel(kysely, summary.workspaceId);
      const rebuilt = await kysely
        .selectFrom('funnel_totals')
        .selectAll()
        .orderBy(['process_id', 'stage_id', 'owner_id', 'status', 'close_month', 'size_class'])
        .execute();
      assert.ok(before.length > 0);
      assert.deepEqual(before, rebuilt);
      const followUps = await sql<{ bad: number }>`select count(*) as bad from accounts a
        where coalesce(a.last_follow_up_at, -1) <> coalesce((select max(start_at) from activities v where v.account_id = a.id and v.status = 'done'
          and v.type in ('visit', 'call', 'meeting', 'demo', 'technical_exchange')), -1)`.execute(kysely);
      assert.equal(Number(followUps.rows[0]!.bad), 0);
      const planned = await sql<{
        bad: number;
      }>`select count(*) as bad from activities where (status = 'planned') <> (start_at > ${Date.now() + 60_000} or (status = 'planned' and start_at > ${Date.now() - 3_600_000}))`.execute(
        kysely,
      );
      assert.equal(Number(planned.rows[0]!.bad), 0);
      const customers = await sql<{ bad: number }>`select count(*) as bad from accounts a
        where (a.status = 'customer') <> exists (select 1 from opportunities o where o.account_id = a.id and o.status = 'won')`.execute(
        kysely,
      );
      assert.equal(Number(customers.rows[0]!.bad), 0);
    });

    it("indexes exactly what the triggers index: the set-based load equals the migration's own backfill", async () => {
      const grams = () =>
        db.kysely
          .selectFrom('search_grams')
          .select(['workspace_id', 'gram', 'kind', 'sort_key', 'unit_id', 'record_id'])
          .orderBy('workspace_id')
          .orderBy('gram')
          .orderBy('kind')
          .orderBy('sort_key')
          .orderBy('record_id')
          .execute();
      const loaded = await grams();
      await db.kysely.deleteFrom('search_grams').execute();
      for (const spec of SEARCHED)
        for (const statement of backfillStatements(spec)) await sql.raw(statement).execute(db.kysely);
      const rebuilt = await grams();
      assert.equal(loaded.length, rebuilt.length);
      assert.deepEqual(loaded, rebuilt);
      assert.ok(new Set(loaded.map((g) => g.kind)).size === 6, 'every kind, the pinyin initials too');
    });

    it('puts the search triggers back: a record added afterwards is indexed', async () => {
      const unit = await db.kysely
        .selectFrom('users')
        .select(['id', 'org_unit_id'])
        .where('role', '=', 'rep')
        .executeTakeFirstOrThrow();
      const { id } = await db.kysely
        .insertInto('accounts')
        .values({
          workspace_id: summary.workspaceId,
          name: '后来客户',
          name_key: '后来客户',
          owner_id: unit.id,
          org_unit_id: unit.org_unit_id,
          created_at: 1,
          updated_at: 1,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const grams = await db.kysely
        .selectFrom('search_grams')
        .select('gram')
        .where('kind', '=', 'a')
        .where('record_id', '=', id)
        .execute();
      assert.ok(grams.some((g) => g.gram === '后来'));
    });

    it('refuses a database that already holds a workspace', async () => {
      await assert.rejects(loadScaleSet(db, SMALL), /already holds a workspace/);
    });

    it('names the workspace as being built until its last step, and says so of a build left half-done', async () => {
      const workspace = await db.kysely
        .selectFrom('workspaces')
        .select('name')
        .where('id', '=', summary.workspaceId)
        .executeTakeFirstOrThrow();
      assert.equal(workspace.name, DEMO_WORKSPACE, 'a finished set has lost the marker');
      const half = await createTestDb(engine);
      try {
        await createWorkspace(half.kysely, {
          name: DEMO_WORKSPACE + BUILDING,
          admin: { email: 'admin@demo.keyline.dev', name: '周敏', password: 'a-long-password' },
        });
        await assert.rejects(loadScaleSet(half, SMALL), /build was interrupted in this database.*drop the database/);
      } finally {
        await half.dispose();
      }
    });
  });
}

describe('keyline demo --scale-set', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-scale-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  it('builds a small set and prints its time and peak memory', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [CLI, 'demo', '--scale-set', '--accounts', '50', '--opportunities', '200', '--activities', '500', '--reps', '10'],
      { env: { ...process.env, LOG_LEVEL: 'warn', KEYLINE_DATA_DIR: dir } },
    );
    assert.match(
      stdout,
      /scale set loaded on sqlite in \d+ s, peak RSS \d+ MB: 4 org units, 16 users; accounts 50, contacts 150, opportunities 200/,
    );
  });
});
