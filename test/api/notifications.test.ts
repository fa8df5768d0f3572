import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedExtras,
  seedWorkspace,
  sessionCookie,
  type Extras,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import type { NotificationListResponse } from '../../src/contracts/notifications.ts';
import { generateNotifications, NOTIFY_JOB } from '../../src/modules/notifications/service.ts';
import { runExclusive } from '../../src/modules/jobs/lease.ts';
import { addDays, dateIn } from '../../src/domain/calendar.ts';

const DAY = 86_400_000;

/** The notification centre (docs/rhythm.md § Notifications): what the job finds, once each, and the user's list. */
for (const engine of testEngines()) {
  describe(`notifications [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    const NOW = Date.now();
    const today = dateIn(NOW, 'Asia/Shanghai');
    const as = async (who: keyof Fixture['users']) =>
      client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
    const kysely = () => testApp.db.kysely;
    const count = async () =>
      Number(
        (
          await kysely()
            .selectFrom('notifications')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('workspace_id', '=', fixture.workspaceId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const ids: Record<string, number> = {};

    async function opportunity(name: string, createdDaysAgo: number, stageDaysAgo: number) {
      const created = NOW - createdDaysAgo * DAY;
      return (
        await kysely()
          .insertInto('opportunities')
          .values({
            workspace_id: fixture.workspaceId,
            account_id: fixture.accounts.repAccount,
            name,
            owner_id: fixture.users.rep.id,
            org_unit_id: fixture.units.sales1,
            amount: 100_00,
            status: 'open',
            process_id: fixture.processes.small.id,
            stage_id: fixture.processes.small.stageIds[0]!,
            stage_entered_at: NOW - stageDaysAgo * DAY,
            created_at: created,
            updated_at: created,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }

    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'notify');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
      const task = (title: string, due: string, status = 'open') =>
        kysely()
          .insertInto('tasks')
          .values({
            workspace_id: fixture.workspaceId,
            title,
            assignee_id: fixture.users.rep.id,
            created_by: fixture.users.rep.id,
            due_date: due,
            status,
            source: 'manual',
            created_at: NOW,
            updated_at: NOW,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
      ids.dueYesterday = (await task('报价跟进', addDays(today, -1))).id;
      ids.dueToday = (await task('寄样品', today)).id;
      ids.dueLater = (await task('年度回顾', addDays(today, 5))).id;
      ids.doneTask = (await task('已完成', addDays(today, -2), 'done')).id;
      // Tier C, 30 days: the rep's seeded account was followed up 40 days ago; rep2's yesterday.
      await kysely()
        .updateTable('accounts')
        .set({ tier: 'C', last_follow_up_at: NOW - 40 * DAY })
        .where('id', '=', fixture.accounts.repAccount)
        .execute();
      await kysely()
        .updateTable('accounts')
        .set({ tier: 'C', last_follow_up_at: NOW - DAY })
        .where('id', '=', fixture.accounts.rep2Account)
        .execute();
      ids.day15 = await opportunity('十五天检查', 16, 1);
      ids.day30 = await opportunity('三十天判断', 31, 1);
      ids.ancient = await opportunity('很久以前', 400, 1);
      ids.stalled = await opportunity('停滞项目', 3, 30);
      // seedExtras's repOpp is fresh: nothing for it. Its task and reminder are not this suite's.
      await kysely().deleteFrom('notifications').where('workspace_id', '=', fixture.workspaceId).execute();
      await kysely().updateTable('tasks').set({ status: 'done' }).where('id', '=', fixture.tasks.repTask).execute();
    });
    after(() => testApp.close());

    it('finds tasks due, follow-ups overdue, checkpoints come and stalled deals — for their owner, once', async () => {
      await generateNotifications(testApp.db, NOW);
      const rows = await kysely()
        .selectFrom('notifications')
        .select(['user_id', 'kind', 'subject_type', 'subject_id'])
        .where('workspace_id', '=', fixture.workspaceId)
        .orderBy('kind')
        .orderBy('subject_id')
        .execute();
      const got = rows.map((r) => `${r.kind}:${r.subject_type}:${r.subject_id}`).sort();
      const expected = [
        `task_due:task:${ids.dueYesterday}`,
        `task_due:task:${ids.dueToday}`,
        `follow_up_overdue:account:${fixture.accounts.repAccount}`,
        `checkpoint_day15:opportunity:${ids.day15}`,
        `checkpoint_day30:opportunity:${ids.day30}`,
        `deal_stalled:opportunity:${ids.stalled}`,
      ].sort();
      // The 31-day deal's 15-day checkpoint came 16 days ago, past the 14 days a checkpoint is announced for
      // (it stays in the weekly review); the 400-day one's are long past too.
      assert.deepEqual(got, expected);
      assert.ok(rows.every((r) => r.user_id === fixture.users.rep.id));
      // Each checkpoint come is also a task for the owner, due on the checkpoint's date (announced as the checkpoint, not again as a task).
      const tasks = await kysely()
        .selectFrom('tasks')
        .select(['source_key', 'assignee_id', 'due_date', 'created_by', 'title'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('source', '=', 'checkpoint')
        .orderBy('source_key')
        .execute();
      assert.deepEqual(
        tasks.map((x) => x.source_key),
        [`checkpoint:${ids.day15}:day15`, `checkpoint:${ids.day30}:day30`].sort(),
      );
      assert.ok(
        tasks.every((x) => x.assignee_id === fixture.users.rep.id && x.created_by === null && x.due_date <= today),
      );
      // Titled in the owner's language (the seeded rep reads Chinese), never a bare deal name.
      assert.deepEqual(
        tasks.map((x) => x.title),
        [`checkpoint:${ids.day15}:day15`, `checkpoint:${ids.day30}:day30`]
          .sort()
          .map((key) => (key.endsWith('day15') ? '15 天检查：十五天检查' : '30 天判断：三十天判断')),
      );
    });

    it('is idempotent: again, and twice at once (two processes), adds nothing; under the lease it runs once per period', async () => {
      const before = await count();
      await generateNotifications(testApp.db, NOW + 60_000);
      await Promise.all([
        generateNotifications(testApp.db, NOW + 120_000),
        generateNotifications(testApp.db, NOW + 120_000),
      ]);
      assert.equal(await count(), before);
      const runs = await Promise.all([
        runExclusive(testApp.db.kysely, NOTIFY_JOB, { everyMs: 3_600_000, now: NOW }, () =>
          generateNotifications(testApp.db, NOW),
        ),
        runExclusive(testApp.db.kysely, NOTIFY_JOB, { everyMs: 3_600_000, now: NOW }, () =>
          generateNotifications(testApp.db, NOW),
        ),
      ]);
      assert.equal(runs.filter((r) => r.ran).length, 1);
      assert.equal(await count(), before);
      const checkpointTasks = await kysely()
        .selectFrom('tasks')
        .select('id')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('source', '=', 'checkpoint')
        .execute();
      assert.equal(checkpointTasks.length, 2, 'checkpoint tasks once');
    });

    it("titles a checkpoint's task in the language of the deal's owner", async () => {
      await kysely().updateTable('users').set({ locale: 'en-US' }).where('id', '=', fixture.users.rep.id).execute();
      await kysely()
        .deleteFrom('tasks')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('source', '=', 'checkpoint')
        .execute();
      try {
        await generateNotifications(testApp.db, NOW);
        const titles = await kysely()
          .selectFrom('tasks')
          .select('title')
          .where('workspace_id', '=', fixture.workspaceId)
          .where('source', '=', 'checkpoint')
          .orderBy('title')
          .execute();
        assert.deepEqual(
          titles.map((x) => x.title),
          ['15-day check: 十五天检查', '30-day judgement: 三十天判断'],
        );
      } finally {
        await kysely().updateTable('users').set({ locale: 'zh-CN' }).where('id', '=', fixture.users.rep.id).execute();
      }
    });

    it('a new occurrence is notified again: a reviewed checkpoint is not, a follow-up resets the account until it is overdue again', async () => {
      const before = await count();
      await kysely()
        .insertInto('checkpoint_reviews')
        .values({
          workspace_id: fixture.workspaceId,
          opportunity_id: ids.day15!,
          kind: 'day15',
          period: today,
          outcome: 'reviewed',
          reviewed_by: fixture.users.manager.id,
          created_at: NOW,
        })
        .execute();
      await kysely()
        .updateTable('accounts')
        .set({ last_follow_up_at: NOW - DAY })
        .where('id', '=', fixture.accounts.repAccount)
        .execute();
      await generateNotifications(testApp.db, NOW);
      assert.equal(await count(), before);
      // 31 days later that follow-up is overdue itself: one new notification for the account.
      await generateNotifications(testApp.db, NOW + 31 * DAY);
      const followUps = await kysely()
        .selectFrom('notifications')
        .select('id')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('kind', '=', 'follow_up_overdue')
        .where('subject_id', '=', fixture.accounts.repAccount)
        .execute();
      assert.equal(followUps.length, 2);
    });

    it('the user lists their own, counts unread, marks one and all read; nobody else sees or marks them', async () => {
      const rep = await as('rep');
      const list = json<NotificationListResponse>(await rep('GET', '/api/v1/notifications?limit=100'));
      assert.ok(list.items.length >= 7);
      assert.equal(list.unread, list.total);
      const first = list.items[0]!;
      const mgr = await as('manager');
      assert.equal(json<NotificationListResponse>(await mgr('GET', '/api/v1/notifications')).total, 0);
      assert.equal((await mgr('POST', `/api/v1/notifications/${first.id}/read`, {})).statusCode, 404);
      const marked = await rep('POST', `/api/v1/notifications/${first.id}/read`, {});
      assert.equal(marked.statusCode, 200, marked.body);
      assert.equal(json<{ unread: number }>(marked).unread, list.total - 1);
      assert.equal(
        json<NotificationListResponse>(await rep('GET', '/api/v1/notifications?unread=true&limit=100')).items.some(
          (n) => n.id === first.id,
        ),
        false,
      );
      assert.equal(json<{ unread: number }>(await rep('POST', '/api/v1/notifications/read-all', {})).unread, 0);
      assert.equal(json<{ unread: number }>(await rep('GET', '/api/v1/notifications/unread-count')).unread, 0);
      // The job does not bring read ones back.
      await generateNotifications(testApp.db, NOW);
      assert.equal(json<{ unread: number }>(await rep('GET', '/api/v1/notifications/unread-count')).unread, 0);
    });
  });
}
