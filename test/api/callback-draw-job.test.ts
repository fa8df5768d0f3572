import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedWorkspace,
  sessionCookie,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import type { DrawCallbacksResponse } from '../../src/contracts/callbacks.ts';
import { addDays, dateIn, periodOf, startOfDay } from '../../src/domain/calendar.ts';
import { CALLBACK_DRAW_JOB, drawLastMonths } from '../../src/modules/callbacks/scheduled.ts';
import { runExclusive } from '../../src/modules/jobs/lease.ts';
import { JOBS } from '../../src/server/housekeeping.ts';

/**
 * The monthly callback draw as a housekeeping job (docs/rhythm.md § Callback audit), on both
 * engines: it draws last month for every rep no manager drew, exactly the visits a manager's draw
 * takes, once; a later run, or a month already drawn by hand, is a no-op; it is audited, waits
 * two days into the month, and runs under the lease.
 */
const HOUR = 3_600_000;
const ZONE = 'Asia/Shanghai';

for (const engine of testEngines()) {
  describe(`callback draw job [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const cal = { timeZone: ZONE, fiscalYearStartMonth: 1 };
    // A month well in the past, so a manager may draw it by hand too.
    const thisMonth = periodOf('month', dateIn(Date.now(), ZONE), cal);
    const month = periodOf('month', addDays(thisMonth.start, -70), cal);
    const period = month.start.slice(0, 7);
    const next = periodOf('month', addDays(month.end, 1), cal);
    // The job's clock: the 3rd of the next month (drawn), or its 2nd (too early: the last days' visits may still come).
    const third = startOfDay(addDays(next.start, 2), ZONE) + 2 * HOUR;
    const second = startOfDay(addDays(next.start, 1), ZONE) + 2 * HOUR;
    const callbacks = () =>
      testApp.db.kysely
        .selectFrom('callbacks')
        .select(['rep_id', 'activity_id', 'auditor_id', 'task_id'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('period', '=', period)
        .orderBy('activity_id')
        .execute();
    const audits = () =>
      testApp.db.kysely
        .selectFrom('audit_log')
        .select(['actor_user_id', 'detail'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'callback.draw')
        .orderBy('id')
        .execute();

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'draw-job');
      const visits = [
        ...Array.from({ length: 30 }, (_, day) => [fixture.users.rep.id, fixture.accounts.repAccount, day] as const),
        ...Array.from({ length: 12 }, (_, day) => [fixture.users.rep2.id, fixture.accounts.rep2Account, day] as const),
      ];
      await testApp.db.kysely
        .insertInto('activities')
        .values(
          visits.map(([ownerId, accountId, day]) => {
            const at = month.from + 9 * HOUR + day * 20 * HOUR;
            return {
              workspace_id: fixture.workspaceId,
              account_id: accountId,
              owner_id: ownerId,
              type: 'visit',
              status: 'done',
              start_at: at,
              subject: 'visit',
              created_at: at,
              updated_at: at,
              version: 1,
            };
          }),
        )
        .execute();
    });
    after(() => testApp.close());

    it('is a housekeeping job, and does nothing before the third of the month', async () => {
      assert.ok(JOBS.some((job) => job.name === CALLBACK_DRAW_JOB));
      assert.equal(await drawLastMonths(testApp.db, second), 'nothing to draw');
      assert.equal((await callbacks()).length, 0);
      assert.equal((await audits()).length, 0);
    });

    it("draws the same visits as a manager's draw: the reps drawn by hand are skipped, the others drawn once", async () => {
      // The manager draws their subtree (rep); the sample is kept and undone, to compare with the job's.
      const manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      const res = await manager('POST', '/api/v1/callbacks/draws', { period });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        json<DrawCallbacksResponse>(res).reps.map((r) => [r.rep.id, r.sampled]),
        [[fixture.users.rep.id, 3]],
      );
      const byHand = (await callbacks()).map((c) => c.activity_id);
      const kysely = testApp.db.kysely;
      await kysely.deleteFrom('callbacks').where('workspace_id', '=', fixture.workspaceId).execute();
      await kysely
        .deleteFrom('tasks')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('source', '=', 'callback')
        .execute();
      await kysely
        .deleteFrom('audit_log')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'callback.draw')
        .execute();

      assert.match(await drawLastMonths(testApp.db, third), new RegExp(`${period}: 5 callbacks`));
      const drawn = await callbacks();
      const ofRep = (repId: number) => drawn.filter((c) => c.rep_id === repId).map((c) => c.activity_id);
      assert.deepEqual(ofRep(fixture.users.rep.id), byHand, 'the same sample whoever draws');
      assert.equal(ofRep(fixture.users.rep2.id).length, 2, '10% of 12 visits, rounded up');
      for (const row of drawn) {
        assert.equal(row.auditor_id, fixture.users.auditor.id);
        assert.ok(row.task_id !== null, 'each callback is a task of the auditor');
      }
      const tasks = await kysely
        .selectFrom('tasks')
        .select(['assignee_id', 'created_by', 'status', 'due_date'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('source', '=', 'callback')
        .execute();
      assert.equal(tasks.length, 5);
      assert.ok(tasks.every((t) => t.assignee_id === fixture.users.auditor.id && t.created_by === null));
      assert.ok(tasks.every((t) => t.status === 'open' && t.due_date === addDays(dateIn(third, ZONE), 7)));
      const [entry, ...more] = await audits();
      assert.equal(more.length, 0);
      assert.equal(entry!.actor_user_id, null);
      const detail = typeof entry!.detail === 'string' ? JSON.parse(entry!.detail) : entry!.detail;
      assert.deepEqual(detail, { period, created: 5, scheduled: true });
    });

    it('runs again as a no-op: no callbacks, no tasks, no audit entry; a manual draw after it skips every rep', async () => {
      const before = await callbacks();
      assert.equal(await drawLastMonths(testApp.db, third + 6 * HOUR), 'nothing to draw');
      assert.deepEqual(await callbacks(), before);
      assert.equal((await audits()).length, 1);
      const admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      const res = await admin('POST', '/api/v1/callbacks/draws', { period });
      assert.equal(json<DrawCallbacksResponse>(res).created, 0, res.body);
      assert.ok(json<DrawCallbacksResponse>(res).reps.every((r) => r.alreadyDrawn));
    });

    it('runs once under the lease however many processes try', async () => {
      const kysely = testApp.db.kysely;
      await kysely.deleteFrom('callbacks').where('workspace_id', '=', fixture.workspaceId).execute();
      await kysely
        .deleteFrom('tasks')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('source', '=', 'callback')
        .execute();
      const run = () =>
        runExclusive(kysely, CALLBACK_DRAW_JOB, { everyMs: 6 * HOUR, now: third }, () =>
          drawLastMonths(testApp.db, third),
        );
      const outcomes = await Promise.all([run(), run()]);
      assert.equal(outcomes.filter((o) => o.ran).length, 1);
      assert.equal((await callbacks()).length, 5);
      assert.equal((await run()).ran, false, 'not due again within its period');
    });

    it('draws the same callbacks and tasks in batches of 1, 2 and 4 rows as in one (src/db/batches.ts)', async () => {
      const kysely = testApp.db.kysely;
      const forget = async () => {
        await kysely.deleteFrom('callbacks').where('workspace_id', '=', fixture.workspaceId).execute();
        await kysely
          .deleteFrom('tasks')
          .where('workspace_id', '=', fixture.workspaceId)
          .where('source', '=', 'callback')
          .execute();
      };
      const drawnWith = async (batchRows: number | undefined) => {
        await forget();
        assert.match(await drawLastMonths(testApp.db, third, { batchRows }), /5 callbacks/);
        const rows = await callbacks();
        const taskCount = await kysely
          .selectFrom('tasks')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('workspace_id', '=', fixture.workspaceId)
          .where('source', '=', 'callback')
          .executeTakeFirstOrThrow();
        assert.ok(rows.every((row) => row.task_id !== null));
        return { callbacks: rows.map((row) => `${row.rep_id}:${row.activity_id}`), tasks: Number(taskCount.n) };
      };
      const whole = await drawnWith(undefined);
      assert.equal(whole.callbacks.length, 5);
      assert.equal(whole.tasks, 5);
      // Rep 1's three callbacks stay one batch even at one row a batch: a rep is drawn whole.
      for (const batchRows of [1, 2, 4]) assert.deepEqual(await drawnWith(batchRows), whole, `batches of ${batchRows}`);
    });

    it('says so when the workspace has no active auditor, and draws nothing', async () => {
      const kysely = testApp.db.kysely;
      await kysely.deleteFrom('callbacks').where('workspace_id', '=', fixture.workspaceId).execute();
      await kysely.updateTable('users').set({ active: 0 }).where('id', '=', fixture.users.auditor.id).execute();
      try {
        assert.match(await drawLastMonths(testApp.db, third), /no active auditor/);
        assert.equal((await callbacks()).length, 0);
      } finally {
        await kysely.updateTable('users').set({ active: 1 }).where('id', '=', fixture.users.auditor.id).execute();
      }
    });
  });
}
