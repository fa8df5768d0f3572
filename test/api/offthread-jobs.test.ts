import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, seedWorkspace, sessionCookie, type Fixture, type TestApp } from '../helpers/app.ts';
import { releaseAllWorkspaces } from '../../src/modules/pool/release.ts';
import { recomputeAll } from '../../src/modules/tiers/recompute.ts';
import { offThread, offThreadRuns, type JobTask } from '../../src/modules/jobs/off-thread.ts';
import { DAY_MS } from '../../src/domain/pool.ts';
import type { Actor } from '../../src/domain/policy.ts';
import { exportRowCount } from '../../src/modules/exports/service.ts';

/**
 * Heavy nightly work (issue 8) must not stall other users: while the pool release or the tier
 * recompute is held up mid-run — on SQLite by another connection holding the write lock, which the
 * job (in its worker thread, on its own connection) waits for; on PostgreSQL by a row lock on the
 * account it must release — a list request is answered, and the job still finishes with its
 * result once the lock goes. On the server's own SQLite connection the job's statements would
 * instead have held every request while they ran; in the worker it waits its turn.
 */
for (const engine of testEngines()) {
  describe(`heavy jobs off the request thread [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const NOW = Date.now();

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'offthread');
    });
    after(() => testApp.close());

    /** An account of the rep's, tier C, last followed up 45 days ago: due for the release. */
    async function staleAccount(name: string) {
      const created = NOW - 400 * DAY_MS;
      return (
        await testApp.db.kysely
          .insertInto('accounts')
          .values({
            workspace_id: fixture.workspaceId,
            name,
            name_key: name,
            owner_id: fixture.users.rep.id,
            org_unit_id: fixture.units.sales1,
            tier: 'C',
            tier_computed: 'C',
            in_pool: 0,
            last_follow_up_at: NOW - 45 * DAY_MS,
            created_at: created,
            updated_at: created,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }

    /** Holds a lock the job needs until `release` is called: the SQLite write lock, or the account's row lock. */
    async function holdLock(accountId: number): Promise<() => Promise<void>> {
      if (engine === 'sqlite') {
        const other = new SQLite(testApp.db.sqliteFile!);
        other.exec('begin immediate');
        return async () => {
          other.exec('rollback');
          other.close();
        };
      }
      const other = new pg.Client({ connectionString: testApp.db.url });
      await other.connect();
      await other.query('begin');
      await other.query('select id from accounts where id = $1 for update', [accountId]);
      return async () => {
        await other.query('rollback');
        await other.end();
      };
    }

    async function whileHeldUp<T>(accountId: number, job: () => Promise<T>): Promise<T> {
      const call = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      const runsBefore = offThreadRuns.count;
      const release = await holdLock(accountId);
      let settled = false;
      const running = job().finally(() => (settled = true));
      try {
        // Time for the worker to start and reach the lock; the job cannot finish before the lock goes either way.
        await new Promise((resolve) => setTimeout(resolve, 500));
        const list = await call('GET', '/api/v1/accounts?limit=5');
        assert.equal(list.statusCode, 200, list.body);
        assert.equal(settled, false, 'the job is still waiting for the lock while the list is answered');
        assert.equal(
          offThreadRuns.count - runsBefore,
          engine === 'sqlite' ? 1 : 0,
          'on a SQLite file the job runs in the worker thread; on PostgreSQL in process',
        );
      } finally {
        await release();
      }
      return running;
    }

    it('the nightly pool release: a list is answered while it runs; it releases the due account once', async () => {
      const id = await staleAccount('Stale while held up');
      const result = await whileHeldUp(id, () => releaseAllWorkspaces(testApp.db, NOW));
      assert.match(result, new RegExp(`ws${fixture.workspaceId}:1\\b`));
      const account = await testApp.db.kysely
        .selectFrom('accounts')
        .select(['in_pool', 'owner_id', 'pool_since'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(account, { in_pool: 1, owner_id: null, pool_since: NOW });
      const rows = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['reason', 'old_value', 'new_value', 'created_at'])
        .where('entity_type', '=', 'account')
        .where('entity_id', '=', id)
        .execute();
      assert.deepEqual(rows, [
        { reason: 'pool_release', old_value: String(fixture.users.rep.id), new_value: null, created_at: NOW },
      ]);
      assert.equal(await releaseAllWorkspaces(testApp.db, NOW + 1), 'nothing to release');
    });

    it('the tier recompute: a list is answered while it runs; it corrects the account and stamps the workspace', async () => {
      const id = await staleAccount('Recomputed while held up');
      // A value the recompute corrects, so it writes this account (it leaves unchanged ones alone).
      await testApp.db.kysely.updateTable('accounts').set({ trailing_amount: 1 }).where('id', '=', id).execute();
      const at = NOW + 1000;
      const result = await whileHeldUp(id, () => recomputeAll(testApp.db, at));
      assert.match(result, /workspaces, \d+ accounts, \d+ tier changes/);
      const account = await testApp.db.kysely
        .selectFrom('accounts')
        .select('trailing_amount')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(account.trailing_amount), 0);
      const workspace = await testApp.db.kysely
        .selectFrom('workspaces')
        .select('tiers_computed_at')
        .where('id', '=', fixture.workspaceId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(workspace.tiers_computed_at), at);
    });

    /** The administrator as an export's actor. */
    async function adminActor(): Promise<Actor> {
      const admin = await testApp.db.kysely
        .selectFrom('users')
        .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
        .select(['users.id', 'users.org_unit_id', 'org_units.path'])
        .where('users.id', '=', fixture.users.admin.id)
        .executeTakeFirstOrThrow();
      return {
        workspaceId: fixture.workspaceId,
        userId: admin.id,
        role: 'admin',
        orgUnitId: admin.org_unit_id,
        unitPath: admin.path,
        now: NOW,
        exportGranted: true,
      };
    }

    it("an export's row count past the lists' cap is counted exactly, in the worker on a SQLite file", async () => {
      const actor = await adminActor();
      const live = (ownerId?: number) =>
        testApp.db.kysely
          .selectFrom('accounts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('workspace_id', '=', fixture.workspaceId)
          .where('archived_at', 'is', null)
          .$if(ownerId !== undefined, (query) => query.where('owner_id', '=', ownerId!))
          .executeTakeFirstOrThrow()
          .then((row) => Number(row.n));
      const accounts = await live();
      assert.ok(accounts >= 2, 'the fixture has accounts to count');
      const count = { area: 'accounts', actor, filter: {} } as const;
      const runsBefore = offThreadRuns.count;
      assert.equal(await exportRowCount(testApp.db, count), accounts, 'under the cap: counted here');
      assert.equal(offThreadRuns.count, runsBefore);
      // A cap of one stands for the ten thousand: the exact count goes to the worker (SQLite file) and agrees.
      assert.equal(await exportRowCount(testApp.db, count, 1), accounts);
      assert.equal(offThreadRuns.count - runsBefore, engine === 'sqlite' ? 1 : 0);
      const repOwns = await live(fixture.users.rep.id);
      assert.ok(repOwns >= 1 && repOwns < accounts, 'the filter leaves some out');
      const filtered = { area: 'accounts', actor, filter: { ownerId: fixture.users.rep.id } } as const;
      assert.equal(await exportRowCount(testApp.db, filtered, 0), repOwns, "the worker applies the list's filter");
    });

    it('jobs share one worker thread, one after another, and a failed job leaves the next one working', async (context) => {
      if (engine !== 'sqlite') return context.skip('PostgreSQL runs jobs in process');
      const count = { area: 'accounts', actor: await adminActor(), filter: {} } as const;
      const expected = await exportRowCount(testApp.db, count);
      const started = offThreadRuns.workers;
      const counts = await Promise.all([0, 1, 2].map(() => exportRowCount(testApp.db, count, 0)));
      assert.deepEqual(counts, [expected, expected, expected]);
      assert.ok(offThreadRuns.workers - started <= 1, 'three jobs at once started at most one worker');
      await assert.rejects(
        offThread(testApp.db, { job: 'no.such.job' } as unknown as JobTask, async () => null),
        /no such job: no\.such\.job/,
      );
      assert.equal(await exportRowCount(testApp.db, count, 0), expected, 'the worker still answers');
      assert.ok(offThreadRuns.workers - started <= 1, 'and it is still the same one');
    });
  });
}
