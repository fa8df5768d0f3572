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
  type Call,
  type Extras,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import type { TaskDto, TaskListResponse } from '../../src/contracts/tasks.ts';
import { createTasksInTransaction } from '../../src/modules/tasks/service.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { dateIn, addDays } from '../../src/domain/calendar.ts';

/** Tasks (docs/rhythm.md § Tasks): visibility by reach, rights, links, the generator entry point. */
for (const engine of testEngines()) {
  describe(`tasks [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    let other: Fixture & Extras;
    const as = async (who: keyof Fixture['users'], fx: Fixture = fixture): Promise<Call> =>
      client(testApp, await sessionCookie(testApp, fx.workspaceId, fx.users[who].id));
    const today = dateIn(Date.now(), 'Asia/Shanghai');
    const list = async (who: keyof Fixture['users'], qs = '') =>
      json<TaskListResponse>(await (await as(who))('GET', `/api/v1/tasks${qs}`));
    const ids = (r: TaskListResponse) => r.items.map((x) => x.id).sort((a, b) => a - b);

    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'tasks');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
      const ob = await seedWorkspace(testApp, 'tasks-other');
      other = { ...ob, ...(await seedExtras(testApp, ob)) };
    });
    after(() => testApp.close());

    let repTask: TaskDto;
    let rep2Task: TaskDto;
    let managerTask: TaskDto;

    it('a rep creates a task for themselves, linked to their deal (the account follows from it)', async () => {
      const res = await (
        await as('rep')
      )('POST', '/api/v1/tasks', {
        title: '送技术方案',
        dueDate: addDays(today, -1),
        opportunityId: fixture.opportunities.repOpp,
      });
      assert.equal(res.statusCode, 201, res.body);
      repTask = json<TaskDto>(res);
      assert.equal(repTask.assignee.id, fixture.users.rep.id);
      assert.equal(repTask.account?.id, fixture.accounts.repAccount);
      assert.equal(repTask.opportunity?.id, fixture.opportunities.repOpp);
      assert.equal(repTask.status, 'open');
      assert.equal(repTask.overdue, true, 'due yesterday');
      assert.deepEqual(repTask.permissions, { edit: true, reassign: true });
      rep2Task = json<TaskDto>(
        await (
          await as('rep2')
        )('POST', '/api/v1/tasks', { title: '拜访白云电器', dueDate: today, accountId: fixture.accounts.rep2Account }),
      );
      const res3 = await (
        await as('manager')
      )('POST', '/api/v1/tasks', { title: '检查周报', dueDate: addDays(today, 10), assigneeId: fixture.users.rep.id });
      assert.equal(res3.statusCode, 201, res3.body);
      managerTask = json<TaskDto>(res3);
      assert.equal(managerTask.createdBy?.id, fixture.users.manager.id);
    });

    it('bad input: unseen account or deal, a deal of another account, someone out of reach, a non-date — 400 naming the field, nothing saved', async () => {
      const before = (
        await testApp.db.kysely
          .selectFrom('tasks')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
      const rep = await as('rep');
      const cases: [unknown, string][] = [
        [{ title: 'x', dueDate: today, accountId: fixture.accounts.rep2Account }, 'accountId'],
        [{ title: 'x', dueDate: today, accountId: other.accounts.repAccount }, 'accountId'],
        [{ title: 'x', dueDate: today, opportunityId: other.opportunities.repOpp }, 'opportunityId'],
        [
          {
            title: 'x',
            dueDate: today,
            accountId: fixture.accounts.poolAccount,
            opportunityId: fixture.opportunities.repOpp,
          },
          'opportunityId',
        ],
        [{ title: 'x', dueDate: today, assigneeId: fixture.users.rep2.id }, 'assigneeId'],
        [{ title: 'x', dueDate: today, assigneeId: other.users.rep.id }, 'assigneeId'],
        [{ title: 'x', dueDate: '2026-02-30' }, 'dueDate'],
        [{ title: '  ', dueDate: today }, 'title'],
      ];
      for (const [body, field] of cases) {
        const res = await rep('POST', '/api/v1/tasks', body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
        assert.equal(json<{ errors: { field: string }[] }>(res).errors[0]!.field, field, JSON.stringify(body));
      }
      const after = (
        await testApp.db.kysely
          .selectFrom('tasks')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
      assert.equal(Number(after), Number(before));
    });

    it('visibility: mine, my team (a manager sees the subtree), admin the workspace; never another workspace', async () => {
      const seeded = fixture.tasks.repTask;
      assert.deepEqual(
        ids(await list('rep')),
        [seeded, repTask.id, managerTask.id].sort((a, b) => a - b),
      );
      assert.deepEqual(ids(await list('rep2')), [rep2Task.id]);
      // The manager (Shanghai) created one for rep: it is rep's, and in the manager's team list, not rep2's (Guangzhou).
      assert.deepEqual(ids(await list('manager')), []);
      assert.deepEqual(
        ids(await list('manager', '?scope=team')),
        [seeded, repTask.id, managerTask.id].sort((a, b) => a - b),
      );
      assert.deepEqual(
        ids(await list('admin', '?scope=team')),
        [seeded, repTask.id, rep2Task.id, managerTask.id].sort((a, b) => a - b),
      );
      assert.deepEqual(
        ids(await list('executive', '?scope=team')),
        [seeded, repTask.id, rep2Task.id, managerTask.id].sort((a, b) => a - b),
      );
      // A rep's "team" is only what they see: their own and what they created.
      assert.deepEqual(ids(await list('rep2', '?scope=team')), [rep2Task.id]);
      assert.deepEqual(ids(await list('presales', '?scope=team')), []);
      assert.deepEqual(ids(await list('auditor', '?scope=team')), []);
      assert.equal((await (await as('finance'))('GET', '/api/v1/tasks')).statusCode, 403);
      assert.equal((await (await as('rep2'))('GET', `/api/v1/tasks/${repTask.id}`)).statusCode, 404);
      assert.equal((await (await as('admin', other))('GET', `/api/v1/tasks/${repTask.id}`)).statusCode, 404);
      assert.equal((await (await as('manager'))('GET', `/api/v1/tasks/${repTask.id}`)).statusCode, 200);
      // The manager filters the team by assignee.
      assert.deepEqual(ids(await list('admin', `?scope=team&assigneeId=${fixture.users.rep2.id}`)), [rep2Task.id]);
    });

    it("due filters follow the workspace's today", async () => {
      const overdue = await list('rep', '?due=overdue');
      assert.deepEqual(ids(overdue), [repTask.id]);
      assert.equal(overdue.today, today);
      assert.deepEqual(ids(await list('rep2', '?due=today')), [rep2Task.id]);
      // Due in ten days is always after this Monday week: "later", not "this week".
      assert.ok(ids(await list('rep', '?due=later')).includes(managerTask.id));
      assert.ok(!ids(await list('rep', '?due=week')).includes(managerTask.id));
    });

    it('complete, reopen, change and reassign: assignee, creator or a manager above; others 403/404; stale versions 409', async () => {
      const rep = await as('rep');
      const done = await rep('POST', `/api/v1/tasks/${repTask.id}/complete`, { version: repTask.version });
      assert.equal(done.statusCode, 200, done.body);
      const doneTask = json<TaskDto>(done);
      assert.equal(doneTask.status, 'done');
      assert.equal(doneTask.overdue, false);
      assert.ok(doneTask.completedAt);
      assert.equal(
        (await rep('POST', `/api/v1/tasks/${repTask.id}/complete`, { version: repTask.version })).statusCode,
        409,
      );
      const reopened = json<TaskDto>(
        await rep('POST', `/api/v1/tasks/${repTask.id}/reopen`, { version: doneTask.version }),
      );
      assert.equal(reopened.status, 'open');
      assert.equal(reopened.completedAt, null);
      // rep2 does not see it; presales (same branch, not a manager) neither.
      assert.equal(
        (await (await as('rep2'))('POST', `/api/v1/tasks/${repTask.id}/complete`, { version: reopened.version }))
          .statusCode,
        404,
      );
      // An executive reads but writes no task.
      assert.equal(
        (await (await as('executive'))('POST', `/api/v1/tasks/${repTask.id}/complete`, { version: reopened.version }))
          .statusCode,
        403,
      );
      // The manager moves the due date and gives the task to someone of the subtree; rep2 is outside the Shanghai subtree.
      const mgr = await as('manager');
      const moved = await mgr('PATCH', `/api/v1/tasks/${repTask.id}`, {
        version: reopened.version,
        dueDate: addDays(today, 3),
      });
      assert.equal(moved.statusCode, 200, moved.body);
      const movedTask = json<TaskDto>(moved);
      assert.equal(movedTask.overdue, false);
      const refused = await mgr('POST', `/api/v1/tasks/${repTask.id}/reassign`, {
        version: movedTask.version,
        assigneeId: fixture.users.rep2.id,
      });
      assert.equal(refused.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(refused).errors[0]!.field, 'assigneeId');
      const given = await mgr('POST', `/api/v1/tasks/${repTask.id}/reassign`, {
        version: movedTask.version,
        assigneeId: fixture.users.presales.id,
      });
      assert.equal(given.statusCode, 200, given.body);
      assert.equal(json<TaskDto>(given).assignee.id, fixture.users.presales.id);
      // The rep created it, so still sees it; presales now has it.
      assert.ok(ids(await list('presales')).includes(repTask.id));
      assert.ok(ids(await list('rep', '?scope=team')).includes(repTask.id));
      const audit = await testApp.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'detail'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'task.reassign')
        .execute();
      assert.equal(audit.length, 1);
    });

    it("generated tasks (a visit review, a checkpoint) are created once per source key, inside the caller's transaction", async () => {
      const actor = { workspaceId: fixture.workspaceId, userId: fixture.users.rep.id, now: Date.now() };
      const gen = [
        {
          title: '寄送报价',
          dueDate: today,
          source: 'visit_review' as const,
          sourceKey: 'review:1:0',
          accountId: fixture.accounts.repAccount,
        },
      ];
      const first = await inTransaction(testApp.db.kysely, (trx) => createTasksInTransaction(trx, actor, gen));
      assert.equal(first.length, 1);
      const again = await inTransaction(testApp.db.kysely, (trx) => createTasksInTransaction(trx, actor, gen));
      assert.deepEqual(again, []);
      // A failing transaction leaves nothing behind.
      await assert.rejects(
        inTransaction(testApp.db.kysely, async (trx) => {
          await createTasksInTransaction(trx, actor, [{ ...gen[0]!, sourceKey: 'review:1:1' }]);
          throw new Error('review refused');
        }),
      );
      const keys = await testApp.db.kysely
        .selectFrom('tasks')
        .select('source_key')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('source_key', 'like', 'review:1:%')
        .execute();
      assert.deepEqual(
        keys.map((k) => k.source_key),
        ['review:1:0'],
      );
      const dto = (await list('rep', '?due=today')).items.find((x) => x.id === first[0]);
      assert.equal(dto?.source, 'visit_review');
    });
  });
}
