import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, seedExtras, seedWorkspace, sessionCookie, type Call, type Extras, type Fixture, type TestApp } from '../helpers/app.ts';
import type { TaskDto, TaskListResponse } from '../../src/contracts/tasks.ts';
import { createTasksInTransaction } from '../../src/modules/tasks/service.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { dateIn, addDays } from '../../src/domain/calendar.ts';

/** Tasks (docs/rhythm.md § Tasks): visibility by reach, rights, links, the generator entry point. */
for (const engine of testEngines()) {
  describe(`tasks [${engine}]`, () => {
    let t: TestApp;
    let f: Fixture & Extras;
    let other: Fixture & Extras;
    const as = async (who: keyof Fixture['users'], fx: Fixture = f): Promise<Call> => client(t, await sessionCookie(t, fx.workspaceId, fx.users[who].id));
    const today = dateIn(Date.now(), 'Asia/Shanghai');
    const list = async (who: keyof Fixture['users'], qs = '') => json<TaskListResponse>(await (await as(who))('GET', `/api/v1/tasks${qs}`));
    const ids = (r: TaskListResponse) => r.items.map((x) => x.id).sort((a, b) => a - b);

    before(async () => {
      t = await createTestApp(engine);
      const base = await seedWorkspace(t, 'tasks');
      f = { ...base, ...(await seedExtras(t, base)) };
      const ob = await seedWorkspace(t, 'tasks-other');
      other = { ...ob, ...(await seedExtras(t, ob)) };
    });
    after(() => t.close());

    let repTask: TaskDto;
    let rep2Task: TaskDto;
    let managerTask: TaskDto;

    it('a rep creates a task for themselves, linked to their deal (the account follows from it)', async () => {
      const res = await (await as('rep'))('POST', '/api/v1/tasks', { title: '送技术方案', dueDate: addDays(today, -1), opportunityId: f.opportunities.repOpp });
      assert.equal(res.statusCode, 201, res.body);
      repTask = json<TaskDto>(res);
      assert.equal(repTask.assignee.id, f.users.rep.id);
      assert.equal(repTask.account?.id, f.accounts.repAccount);
      assert.equal(repTask.opportunity?.id, f.opportunities.repOpp);
      assert.equal(repTask.status, 'open');
      assert.equal(repTask.overdue, true, 'due yesterday');
      assert.deepEqual(repTask.permissions, { edit: true, reassign: true });
      rep2Task = json<TaskDto>(await (await as('rep2'))('POST', '/api/v1/tasks', { title: '拜访白云电器', dueDate: today, accountId: f.accounts.rep2Account }));
      const res3 = await (await as('manager'))('POST', '/api/v1/tasks', { title: '检查周报', dueDate: addDays(today, 10), assigneeId: f.users.rep.id });
      assert.equal(res3.statusCode, 201, res3.body);
      managerTask = json<TaskDto>(res3);
      assert.equal(managerTask.createdBy?.id, f.users.manager.id);
    });

    it('bad input: unseen account or deal, a deal of another account, someone out of reach, a non-date — 400 naming the field, nothing saved', async () => {
      const before = (await t.db.kysely.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      const rep = await as('rep');
      const cases: [unknown, string][] = [
        [{ title: 'x', dueDate: today, accountId: f.accounts.rep2Account }, 'accountId'],
        [{ title: 'x', dueDate: today, accountId: other.accounts.repAccount }, 'accountId'],
        [{ title: 'x', dueDate: today, opportunityId: other.opportunities.repOpp }, 'opportunityId'],
        [{ title: 'x', dueDate: today, accountId: f.accounts.poolAccount, opportunityId: f.opportunities.repOpp }, 'opportunityId'],
        [{ title: 'x', dueDate: today, assigneeId: f.users.rep2.id }, 'assigneeId'],
        [{ title: 'x', dueDate: today, assigneeId: other.users.rep.id }, 'assigneeId'],
        [{ title: 'x', dueDate: '2026-02-30' }, 'dueDate'],
        [{ title: '  ', dueDate: today }, 'title'],
      ];
      for (const [body, field] of cases) {
        const res = await rep('POST', '/api/v1/tasks', body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
        assert.equal(json<{ errors: { field: string }[] }>(res).errors[0]!.field, field, JSON.stringify(body));
      }
      const after = (await t.db.kysely.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      assert.equal(Number(after), Number(before));
    });

    it('visibility: mine, my team (a manager sees the subtree), admin the workspace; never another workspace', async () => {
      const seeded = f.tasks.repTask;
      assert.deepEqual(ids(await list('rep')), [seeded, repTask.id, managerTask.id].sort((a, b) => a - b));
      assert.deepEqual(ids(await list('rep2')), [rep2Task.id]);
      // The manager (Shanghai) created one for rep: it is rep's, and in the manager's team list, not rep2's (Guangzhou).
      assert.deepEqual(ids(await list('manager')), []);
      assert.deepEqual(ids(await list('manager', '?scope=team')), [seeded, repTask.id, managerTask.id].sort((a, b) => a - b));
      assert.deepEqual(ids(await list('admin', '?scope=team')), [seeded, repTask.id, rep2Task.id, managerTask.id].sort((a, b) => a - b));
      assert.deepEqual(ids(await list('executive', '?scope=team')), [seeded, repTask.id, rep2Task.id, managerTask.id].sort((a, b) => a - b));
      // A rep's "team" is only what they see: their own and what they created.
      assert.deepEqual(ids(await list('rep2', '?scope=team')), [rep2Task.id]);
      assert.deepEqual(ids(await list('presales', '?scope=team')), []);
      assert.deepEqual(ids(await list('auditor', '?scope=team')), []);
      assert.equal((await (await as('finance'))('GET', '/api/v1/tasks')).statusCode, 403);
      assert.equal((await (await as('rep2'))('GET', `/api/v1/tasks/${repTask.id}`)).statusCode, 404);
      assert.equal((await (await as('admin', other))('GET', `/api/v1/tasks/${repTask.id}`)).statusCode, 404);
      assert.equal((await (await as('manager'))('GET', `/api/v1/tasks/${repTask.id}`)).statusCode, 200);
      // The manager filters the team by assignee.
      assert.deepEqual(ids(await list('admin', `?scope=team&assigneeId=${f.users.rep2.id}`)), [rep2Task.id]);
    });

    it('due filters follow the workspace\'s today', async () => {
      const r = await list('rep', '?due=overdue');
      assert.deepEqual(ids(r), [repTask.id]);
      assert.equal(r.today, today);
      assert.deepEqual(ids(await list('rep2', '?due=today')), [rep2Task.id]);
      // Due in ten days is always after this Monday week: "later", not "this week".
      assert.ok(ids(await list('rep', '?due=later')).includes(managerTask.id));
      assert.ok(!ids(await list('rep', '?due=week')).includes(managerTask.id));
    });

    it('complete, reopen, change and reassign: assignee, creator or a manager above; others 403/404; stale versions 409', async () => {
      const rep = await as('rep');
      const done = await rep('POST', `/api/v1/tasks/${repTask.id}/complete`, { version: repTask.version });
      assert.equal(done.statusCode, 200, done.body);
      const d = json<TaskDto>(done);
      assert.equal(d.status, 'done');
      assert.equal(d.overdue, false);
      assert.ok(d.completedAt);
      assert.equal((await rep('POST', `/api/v1/tasks/${repTask.id}/complete`, { version: repTask.version })).statusCode, 409);
      const reopened = json<TaskDto>(await rep('POST', `/api/v1/tasks/${repTask.id}/reopen`, { version: d.version }));
      assert.equal(reopened.status, 'open');
      assert.equal(reopened.completedAt, null);
      // rep2 does not see it; presales (same branch, not a manager) neither.
      assert.equal((await (await as('rep2'))('POST', `/api/v1/tasks/${repTask.id}/complete`, { version: reopened.version })).statusCode, 404);
      // An executive reads but writes no task.
      assert.equal((await (await as('executive'))('POST', `/api/v1/tasks/${repTask.id}/complete`, { version: reopened.version })).statusCode, 403);
      // The manager moves the due date and gives the task to someone of the subtree; rep2 is outside the Shanghai subtree.
      const mgr = await as('manager');
      const moved = await mgr('PATCH', `/api/v1/tasks/${repTask.id}`, { version: reopened.version, dueDate: addDays(today, 3) });
      assert.equal(moved.statusCode, 200, moved.body);
      const m = json<TaskDto>(moved);
      assert.equal(m.overdue, false);
      const refused = await mgr('POST', `/api/v1/tasks/${repTask.id}/reassign`, { version: m.version, assigneeId: f.users.rep2.id });
      assert.equal(refused.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(refused).errors[0]!.field, 'assigneeId');
      const given = await mgr('POST', `/api/v1/tasks/${repTask.id}/reassign`, { version: m.version, assigneeId: f.users.presales.id });
      assert.equal(given.statusCode, 200, given.body);
      assert.equal(json<TaskDto>(given).assignee.id, f.users.presales.id);
      // The rep created it, so still sees it; presales now has it.
      assert.ok(ids(await list('presales')).includes(repTask.id));
      assert.ok(ids(await list('rep', '?scope=team')).includes(repTask.id));
      const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'detail']).where('workspace_id', '=', f.workspaceId).where('action', '=', 'task.reassign').execute();
      assert.equal(audit.length, 1);
    });

    it('generated tasks (a visit review, a checkpoint) are created once per source key, inside the caller\'s transaction', async () => {
      const actor = { workspaceId: f.workspaceId, userId: f.users.rep.id, now: Date.now() };
      const gen = [{ title: '寄送报价', dueDate: today, source: 'visit_review' as const, sourceKey: 'review:1:0', accountId: f.accounts.repAccount }];
      const first = await inTransaction(t.db.kysely, (trx) => createTasksInTransaction(trx, actor, gen));
      assert.equal(first.length, 1);
      const again = await inTransaction(t.db.kysely, (trx) => createTasksInTransaction(trx, actor, gen));
      assert.deepEqual(again, []);
      // A failing transaction leaves nothing behind.
      await assert.rejects(inTransaction(t.db.kysely, async (trx) => {
        await createTasksInTransaction(trx, actor, [{ ...gen[0]!, sourceKey: 'review:1:1' }]);
        throw new Error('review refused');
      }));
      const keys = await t.db.kysely.selectFrom('tasks').select('source_key').where('workspace_id', '=', f.workspaceId).where('source_key', 'like', 'review:1:%').execute();
      assert.deepEqual(keys.map((k) => k.source_key), ['review:1:0']);
      const dto = (await list('rep', '?due=today')).items.find((x) => x.id === first[0]);
      assert.equal(dto?.source, 'visit_review');
    });
  });
}
