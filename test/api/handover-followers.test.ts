import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import { insertUser } from '../../src/modules/users/repository.ts';
import type { HandoverDetail } from '../../src/contracts/handovers.ts';
import type { ActivityDetail } from '../../src/contracts/activities.ts';
import type { TaskDto } from '../../src/contracts/tasks.ts';
import type { CalendarResponse } from '../../src/contracts/calendar.ts';
import { addDays, dateIn } from '../../src/domain/calendar.ts';

const DAY = 86_400_000;

/**
 * Handover (docs/archive.md § Handover): the leaver's open tasks and planned visits on the
 * accounts handed over are listed in the draft and go to each account's successor when it
 * completes, in the same transaction; done tasks and tasks on no account stay where they were.
 */
for (const engine of testEngines()) {
  describe(`handover of tasks and planned visits [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let colleague: number;
    let visit: ActivityDetail;
    let openTask: TaskDto;
    let doneTask: TaskDto;
    let looseTask: TaskDto;
    let handover: HandoverDetail;
    const kysely = () => testApp.db.kysely;
    const as = async (who: keyof Fixture['users'] | number): Promise<Call> =>
      client(
        testApp,
        await sessionCookie(testApp, fixture.workspaceId, typeof who === 'number' ? who : fixture.users[who].id),
      );
    const today = dateIn(Date.now(), 'Asia/Shanghai');

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'ho-followers');
      const now = Date.now();
      const { password_hash: passwordHash } = await kysely()
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', fixture.users.rep.id)
        .executeTakeFirstOrThrow();
      colleague = await insertUser(kysely(), {
        workspaceId: fixture.workspaceId,
        orgUnitId: fixture.units.sales1,
        email: `successor-${engine}-${now}@ho.test`,
        name: '接手人',
        role: 'rep',
        title: null,
        phone: null,
        passwordHash,
        locale: 'zh-CN',
        canExport: false,
        now,
      });
      // A plain account, so completing needs no handover note.
      await kysely()
        .updateTable('accounts')
        .set({ tier: 'C', named_account: 0 })
        .where('id', '=', fixture.accounts.repAccount)
        .execute();
      const rep = await as('rep');
      const made = await rep('POST', `/api/v1/accounts/${fixture.accounts.repAccount}/activities`, {
        type: 'visit',
        status: 'planned',
        startAt: now + 2 * DAY,
        subject: '季度回顾',
      });
      assert.equal(made.statusCode, 201, made.body);
      visit = json<ActivityDetail>(made);
      const task = async (title: string, accountId: number | null) => {
        const res = await rep('POST', '/api/v1/tasks', { title, dueDate: addDays(today, 1), accountId });
        assert.equal(res.statusCode, 201, res.body);
        return json<TaskDto>(res);
      };
      openTask = await task('寄送报价', fixture.accounts.repAccount);
      doneTask = await task('已完成的回访', fixture.accounts.repAccount);
      const completed = await rep('POST', `/api/v1/tasks/${doneTask.id}/complete`, { version: doneTask.version });
      assert.equal(completed.statusCode, 200, completed.body);
      looseTask = await task('整理名片', null);
    });
    after(() => testApp.close());

    it("the draft lists the leaver's open tasks and planned visits on the accounts, not done ones or those on no account", async () => {
      const res = await (await as('manager'))('POST', '/api/v1/handovers', { fromUserId: fixture.users.rep.id });
      assert.equal(res.statusCode, 201, res.body);
      handover = json<HandoverDetail>(res);
      assert.equal(handover.counts.tasks, 1);
      assert.equal(handover.counts.visits, 1);
      assert.deepEqual(
        handover.followers.map((f) => [f.kind, f.id, f.account.id, f.toUserId]),
        [
          ['visit', visit.id, fixture.accounts.repAccount, null],
          ['task', openTask.id, fixture.accounts.repAccount, null],
        ],
      );
      assert.equal(handover.followers[0]?.activityType, 'visit');
      assert.equal(handover.followers[1]?.date, addDays(today, 1));
    });

    it("choosing the account's successor shows where they go; completing moves them in the same transaction, audited", async () => {
      const manager = await as('manager');
      const assigned = await manager('PATCH', `/api/v1/handovers/${handover.id}/items`, {
        items: handover.items.map((item) => ({ itemId: item.id, toUserId: colleague })),
      });
      assert.equal(assigned.statusCode, 200, assigned.body);
      handover = json<HandoverDetail>(assigned);
      assert.deepEqual(
        handover.followers.map((f) => [f.toUserId, f.toUserName]),
        [
          [colleague, '接手人'],
          [colleague, '接手人'],
        ],
      );
      const done = await manager('POST', `/api/v1/handovers/${handover.id}/complete`, { version: handover.version });
      assert.equal(done.statusCode, 200, done.body);

      const tasks = await kysely()
        .selectFrom('tasks')
        .select(['id', 'assignee_id', 'version'])
        .where('id', 'in', [openTask.id, doneTask.id, looseTask.id])
        .orderBy('id')
        .execute();
      const assignee = new Map(tasks.map((row) => [row.id, row.assignee_id]));
      assert.equal(assignee.get(openTask.id), colleague, 'the open task follows the account');
      assert.equal(assignee.get(doneTask.id), fixture.users.rep.id, 'a done task keeps who did it');
      assert.equal(assignee.get(looseTask.id), fixture.users.rep.id, 'a task on no account handed over stays');
      const moved = await kysely()
        .selectFrom('activities')
        .select(['owner_id', 'version'])
        .where('id', '=', visit.id)
        .executeTakeFirstOrThrow();
      assert.equal(moved.owner_id, colleague);
      assert.equal(moved.version, visit.version + 1, 'a move is a change: the version moves on');

      const audit = await kysely()
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'handover.complete')
        .executeTakeFirstOrThrow();
      const detail = JSON.parse(String(audit.detail)) as { tasks: number; visits: number };
      assert.equal(detail.tasks, 1);
      assert.equal(detail.visits, 1);

      const calendar = json<CalendarResponse>(
        await (
          await as(colleague)
        )('GET', `/api/v1/calendar?from=${today}&days=7`),
      );
      assert.deepEqual(
        calendar.entries.map((e) => `${e.kind}:${e.id}`).sort(),
        [`activity:${visit.id}`, `task:${openTask.id}`].sort(),
        "the successor's calendar has them",
      );
    });
  });
}
