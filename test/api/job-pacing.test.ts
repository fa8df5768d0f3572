import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testEngines } from '../helpers/db.ts';
import { createTestApp, seedWorkspace, type Fixture, type TestApp } from '../helpers/app.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { jobPacing, jobPauseOf } from '../../src/db/batches.ts';
import { generateNotifications } from '../../src/modules/notifications/service.ts';
import { recomputeAllHere, recomputeWorkspace } from '../../src/modules/tiers/recompute.ts';
import { JOBS } from '../../src/server/housekeeping.ts';
import { releaseAllHere, releaseStaleAccounts } from '../../src/modules/pool/release.ts';
import { dateIn } from '../../src/domain/calendar.ts';

/**
 * Background work yields to users (docs/DESIGN.md § Background work yields, issue 8): a job
 * pauses between its batches (src/db/batches.ts). That may not change what the jobs do: with
 * pauses on, every reminder still comes out once, and two server processes on one database,
 * pausing, still run each job once between them. No timings.
 */
const TASKS_DUE = 1_203; // three batches of BATCH_ROWS and a few: pauses between them in the servers
const MORE_ACCOUNTS = 600; // the tier recompute's writes in two batches at least

for (const engine of testEngines()) {
  describe(`background work yields [${engine}]`, { timeout: 180_000 }, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const NOW = Date.now();
    const today = dateIn(NOW, 'Asia/Shanghai');
    const kysely = () => testApp.db.kysely;
    const notified = async () =>
      (
        await kysely()
          .selectFrom('notifications')
          .select(['user_id', 'kind', 'dedupe_key'])
          .where('workspace_id', '=', fixture.workspaceId)
          .execute()
      )
        .map((row) => `${row.user_id}:${row.kind}:${row.dedupe_key}`)
        .sort();
    const forget = () => kysely().deleteFrom('notifications').where('workspace_id', '=', fixture.workspaceId).execute();

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'pacing');
      const rows = Array.from({ length: TASKS_DUE }, (_, index) => ({
        workspace_id: fixture.workspaceId,
        title: `到期任务 ${index}`,
        assignee_id: index % 2 ? fixture.users.rep.id : fixture.users.rep2.id,
        created_by: fixture.users.rep.id,
        account_id: fixture.accounts.repAccount,
        due_date: today,
        status: 'open',
        source: 'manual',
        created_at: NOW,
        updated_at: NOW,
        version: 1,
      }));
      for (let start = 0; start < rows.length; start += 200)
        await kysely()
          .insertInto('tasks')
          .values(rows.slice(start, start + 200))
          .execute();
      const accounts = Array.from({ length: MORE_ACCOUNTS }, (_, index) => ({
        workspace_id: fixture.workspaceId,
        name: `分批客户 ${index}`,
        name_key: `分批客户 ${index}`,
        owner_id: fixture.users.rep.id,
        org_unit_id: fixture.units.sales1,
        tier: 'A',
        tier_computed: 'A',
        created_at: NOW,
        updated_at: NOW,
        version: 1,
      }));
      for (let start = 0; start < accounts.length; start += 200)
        await kysely()
          .insertInto('accounts')
          .values(accounts.slice(start, start + 200))
          .execute();
    });
    after(async () => {
      jobPacing.pauseRatio = 0;
      await testApp.close();
    });

    it('KEYLINE_JOB_PAUSE is checked; pauses are on by default', () => {
      assert.equal(jobPauseOf({}), 1);
      assert.equal(jobPauseOf({ KEYLINE_JOB_PAUSE: '0.5' }), 0.5);
      assert.throws(() => jobPauseOf({ KEYLINE_JOB_PAUSE: '5' }), /KEYLINE_JOB_PAUSE/);
      assert.throws(() => jobPauseOf({ KEYLINE_JOB_PAUSE: 'fast' }), /KEYLINE_JOB_PAUSE/);
    });

    it('with pauses between batches the reminders are those of a run without, each once; a second run adds none', async () => {
      jobPacing.pauseRatio = 0;
      await forget();
      const whole = await generateNotifications(testApp.db, NOW, { batchRows: 100 });
      const expected = await notified();
      assert.equal(expected.filter((key) => key.includes(':task_due:')).length, TASKS_DUE);
      await forget();
      jobPacing.pauseRatio = 1;
      const pausesBefore = jobPacing.pauses;
      assert.equal(await generateNotifications(testApp.db, NOW, { batchRows: 100 }), whole);
      assert.ok(jobPacing.pauses - pausesBefore >= 12, 'it paused between its batches');
      assert.deepEqual(await notified(), expected);
      assert.equal(
        await generateNotifications(testApp.db, NOW + 60_000, { batchRows: 100 }),
        '0 notifications, 0 checkpoint tasks',
      );
      jobPacing.pauseRatio = 0;
    });

    it("the nightly tier recompute pauses between its batches; a manager's recompute, which they wait for, does not", async () => {
      jobPacing.pauseRatio = 1;
      try {
        let before = jobPacing.pauses;
        // What POST /tiers/recompute runs (recompute in tiers/recompute.ts), and the scale set's build.
        const byHand = await recomputeWorkspace(testApp.db, fixture.workspaceId, fixture.users.manager.id, NOW);
        assert.ok(byHand.accounts > MORE_ACCOUNTS, 'more than one batch of accounts');
        assert.equal(jobPacing.pauses - before, 0, "a manager's recompute does not pause");
        before = jobPacing.pauses;
        await recomputeAllHere(testApp.db, NOW);
        assert.ok(jobPacing.pauses - before >= 1, 'the nightly job pauses between its batches');
      } finally {
        jobPacing.pauseRatio = 0;
      }
    });

    it('two server processes pausing between batches run each job once between them, and every reminder comes out once', async () => {
      await forget();
      await kysely().deleteFrom('job_leases').execute();
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-pacing-'));
      const env = {
        ...(engine === 'postgres' ? { DATABASE_URL: testApp.db.url } : {}),
        KEYLINE_DATA_DIR: engine === 'sqlite' ? path.dirname(testApp.db.url) : dataDir,
        KEYLINE_DEMO: 'off',
        LOG_LEVEL: 'info',
        KEYLINE_JOB_PAUSE: '2',
      };
      let servers: RunningServer[] = [];
      try {
        servers = await Promise.all([startServer(env), startServer(env)]);
        const ran = () =>
          servers.flatMap((server) =>
            server
              .output()
              .split('\n')
              .filter((line) => line.includes('"job ran"'))
              .map((line) => (JSON.parse(line) as { job: string }).job),
          );
        const deadline = Date.now() + 60_000;
        while (ran().length < JOBS.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        assert.deepEqual(ran().sort(), JOBS.map((job) => job.name).sort());
        const taskReminders = (await notified()).filter((key) => key.includes(':task_due:'));
        assert.equal(taskReminders.length, TASKS_DUE);
        assert.equal(new Set(taskReminders).size, TASKS_DUE);
      } finally {
        await Promise.all(servers.map((server) => server.stop()));
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it("the nightly pool release pauses after each tier's read and between its batches; an administrator's run does not", async () => {
      jobPacing.pauseRatio = 1;
      try {
        let before = jobPacing.pauses;
        // What POST /pool/release-run runs (releaseNow in pool/service.ts): nothing is due yet.
        await releaseStaleAccounts(kysely(), engine, fixture.workspaceId, NOW);
        assert.equal(jobPacing.pauses - before, 0, "an administrator's run does not pause");
        // A year on, the batch accounts (tier C, never followed up) are due: two batches of them.
        await kysely()
          .updateTable('accounts')
          .set({ tier: 'C' })
          .where('workspace_id', '=', fixture.workspaceId)
          .where('name', 'like', '分批客户%')
          .execute();
        before = jobPacing.pauses;
        const result = await releaseAllHere(kysely(), engine, NOW + 400 * 24 * 60 * 60_000);
        const released = Number(new RegExp(`ws${fixture.workspaceId}:(\\d+)`).exec(result)?.[1] ?? 0);
        assert.ok(released >= MORE_ACCOUNTS, `released ${result}`);
        // After the reads of tiers B and C, and between C's batches.
        assert.ok(jobPacing.pauses - before >= 3, `the nightly job paused ${jobPacing.pauses - before} times`);
      } finally {
        jobPacing.pauseRatio = 0;
      }
    });
  });
}
