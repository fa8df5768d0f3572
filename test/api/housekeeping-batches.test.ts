import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testEngines } from '../helpers/db.ts';
import { createTestApp, seedExtras, seedWorkspace, type Extras, type Fixture, type TestApp } from '../helpers/app.ts';
import { generateNotifications } from '../../src/modules/notifications/service.ts';
import { deleteExpiredSessions } from '../../src/modules/auth/sessions-cleanup.ts';
import { insertSession } from '../../src/modules/auth/repository.ts';
import { offThreadRuns } from '../../src/modules/jobs/off-thread.ts';
import { JOBS, offThreadJobRuns } from '../../src/server/housekeeping.ts';
import { addDays, dateIn } from '../../src/domain/calendar.ts';

const DAY = 86_400_000;

/**
 * Every housekeeping job off the server's thread on a SQLite file, writing in short batches
 * (src/server/housekeeping.ts, src/db/batches.ts; issue 8): the worker path is taken for each
 * job, and the reminders come out the same, once each, however small the batch, wherever a batch
 * boundary falls within one account's reminders, and after a run that stopped half-way.
 */
for (const engine of testEngines()) {
  describe(`housekeeping in short batches [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    const NOW = Date.now();
    const today = dateIn(NOW, 'Asia/Shanghai');
    const kysely = () => testApp.db.kysely;
    const deals: number[] = [];

    /** The workspace's notifications as user:kind:key, sorted; and its checkpoint tasks by source key. */
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
    const checkpointTasks = async () =>
      (
        await kysely()
          .selectFrom('tasks')
          .select('source_key')
          .where('workspace_id', '=', fixture.workspaceId)
          .where('source', '=', 'checkpoint')
          .execute()
      )
        .map((row) => row.source_key)
        .sort();
    const forget = async () => {
      await kysely().deleteFrom('notifications').where('workspace_id', '=', fixture.workspaceId).execute();
      await kysely()
        .deleteFrom('tasks')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('source', '=', 'checkpoint')
        .execute();
    };

    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'batches');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
      // One account with five open deals: each stalled, three of them at their 15-day checkpoint;
      // and four tasks due, so a batch of 2 or 3 ends in the middle of the account's reminders.
      for (let i = 0; i < 5; i++) {
        const created = NOW - (i < 3 ? 16 : 3) * DAY;
        deals.push(
          (
            await kysely()
              .insertInto('opportunities')
              .values({
                workspace_id: fixture.workspaceId,
                account_id: fixture.accounts.repAccount,
                name: `批量项目 ${i}`,
                owner_id: fixture.users.rep.id,
                org_unit_id: fixture.units.sales1,
                amount: 100_00,
                status: 'open',
                process_id: fixture.processes.small.id,
                stage_id: fixture.processes.small.stageIds[0]!,
                stage_entered_at: NOW - (30 + i) * DAY,
                created_at: created,
                updated_at: created,
                version: 1,
              })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
        );
      }
      for (let i = 0; i < 4; i++)
        await kysely()
          .insertInto('tasks')
          .values({
            workspace_id: fixture.workspaceId,
            title: `到期任务 ${i}`,
            assignee_id: i % 2 ? fixture.users.rep.id : fixture.users.rep2.id,
            created_by: fixture.users.rep.id,
            account_id: fixture.accounts.repAccount,
            due_date: addDays(today, -i),
            status: 'open',
            source: 'manual',
            created_at: NOW,
            updated_at: NOW,
            version: 1,
          })
          .execute();
      await kysely()
        .updateTable('accounts')
        .set({ tier: 'C', last_follow_up_at: NOW - 40 * DAY })
        .where('id', 'in', [fixture.accounts.repAccount, fixture.accounts.rep2Account])
        .execute();
      await forget();
    });
    after(() => testApp.close());

    it('reminders in batches of 1, 2 and 3 are those of one batch, each once; a second run adds none', async () => {
      const whole = await generateNotifications(testApp.db, NOW);
      const expected = await notified();
      const expectedTasks = await checkpointTasks();
      // The five deals stalled, three at their checkpoint, four tasks due, two accounts overdue.
      for (const deal of deals) assert.ok(expected.some((key) => key.includes(`:deal_stalled:stalled:${deal}:`)));
      assert.equal(expected.filter((key) => key.includes(':checkpoint_day15:')).length, 3);
      assert.equal(expected.filter((key) => key.includes(':task_due:')).length, 4);
      assert.equal(expected.filter((key) => key.includes(':follow_up_overdue:')).length, 2);
      assert.equal(expectedTasks.length, 3);
      assert.match(whole, new RegExp(`^${expected.length} notifications, 3 checkpoint tasks$`));
      for (const batchRows of [1, 2, 3]) {
        await forget();
        const result = await generateNotifications(testApp.db, NOW, { batchRows });
        assert.equal(result, whole, `batches of ${batchRows}`);
        assert.deepEqual(await notified(), expected, `batches of ${batchRows}: the same reminders, none twice`);
        assert.deepEqual(await checkpointTasks(), expectedTasks, `batches of ${batchRows}: the same checkpoint tasks`);
        assert.equal(
          await generateNotifications(testApp.db, NOW + 60_000, { batchRows }),
          '0 notifications, 0 checkpoint tasks',
        );
      }
    });

    it('a run stopped half-way (a batch failed) is completed by the next: nothing dropped, nothing twice', async () => {
      await forget();
      await generateNotifications(testApp.db, NOW);
      const expected = await notified();
      await forget();
      // The third stalled deal's reminder cannot be written: its batch fails and the run stops there.
      const poisoned = deals[2]!;
      if (engine === 'sqlite')
        await sql
          .raw(
            `create trigger poison before insert on notifications when new.subject_id = ${poisoned} and new.kind = 'deal_stalled' begin select raise(abort, 'poisoned'); end`,
          )
          .execute(kysely());
      else {
        await sql
          .raw(
            `create function poison() returns trigger language plpgsql as $$ begin if new.subject_id = ${poisoned} and new.kind = 'deal_stalled' then raise exception 'poisoned'; end if; return new; end $$`,
          )
          .execute(kysely());
        await sql
          .raw('create trigger poison before insert on notifications for each row execute function poison()')
          .execute(kysely());
      }
      try {
        await assert.rejects(generateNotifications(testApp.db, NOW, { batchRows: 2 }), /poisoned/);
      } finally {
        await sql.raw('drop trigger poison' + (engine === 'postgres' ? ' on notifications' : '')).execute(kysely());
        if (engine === 'postgres') await sql.raw('drop function poison()').execute(kysely());
      }
      const partial = await notified();
      assert.ok(partial.length > 0 && partial.length < expected.length, 'the batches before the failed one stayed');
      assert.ok(partial.every((key) => expected.includes(key)));
      const rest = await generateNotifications(testApp.db, NOW + 60_000, { batchRows: 2 });
      assert.match(rest, new RegExp(`^${expected.length - partial.length} notifications`));
      assert.deepEqual(await notified(), expected);
    });

    it('expired sessions are deleted in batches; a live one stays', async () => {
      const session = async (id: string, lastSeen: number, expiresAt: number) => {
        await insertSession(kysely(), {
          id,
          workspaceId: fixture.workspaceId,
          userId: fixture.users.rep.id,
          now: lastSeen,
          expiresAt,
          ip: null,
          userAgent: 'test',
        });
      };
      const idle = testApp.config.sessionIdleMs;
      await session('batch-expired-1', NOW - 2 * DAY, NOW - DAY);
      await session('batch-expired-2', NOW - idle - 1, NOW + DAY);
      await session('batch-expired-3', NOW - 3 * DAY, NOW - 1);
      await session('batch-live', NOW - 1000, NOW + DAY);
      const deleted = await deleteExpiredSessions(testApp.db, { now: NOW, sessionIdleMs: idle, batchRows: 2 });
      assert.ok(deleted >= 3);
      const left = await kysely().selectFrom('sessions').select('id').where('id', 'like', 'batch-%').execute();
      assert.deepEqual(
        left.map((row) => row.id),
        ['batch-live'],
      );
    });

    it('every housekeeping job runs in the job worker on a SQLite file, in process on PostgreSQL', async () => {
      for (const [index, job] of JOBS.entries()) {
        const before = { runs: offThreadRuns.count, named: offThreadJobRuns.get(job.name) ?? 0 };
        const result = await job.run(testApp.db, testApp.config, NOW + (index + 1) * 60_000);
        assert.doesNotMatch(result, /^error/, job.name);
        const expected = engine === 'sqlite' ? 1 : 0;
        assert.equal(offThreadRuns.count - before.runs, expected, `${job.name}: the worker path`);
        assert.equal((offThreadJobRuns.get(job.name) ?? 0) - before.named, expected, job.name);
      }
    });
  });
}
