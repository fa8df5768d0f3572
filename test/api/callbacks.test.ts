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
import type { CallbackPage, CallbackRatesResponse, DrawCallbacksResponse } from '../../src/contracts/callbacks.ts';
import type { ActivityDetail } from '../../src/contracts/activities.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { TaskListResponse } from '../../src/contracts/tasks.ts';
import { addDays, dateIn, periodOf } from '../../src/domain/calendar.ts';
import { drawCallbackSample } from '../../src/domain/callback-sample.ts';
import { insertUser } from '../../src/modules/users/repository.ts';

/** The random callback audit (docs/rhythm.md § Callback audit, SPEC §4.6), on both engines. */
for (const engine of testEngines()) {
  describe(`callbacks [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let auditor2: number;
    const cal = { timeZone: 'Asia/Shanghai', fiscalYearStartMonth: 1 };
    const thisMonth = periodOf('month', dateIn(Date.now(), cal.timeZone), cal);
    const lastMonth = periodOf('month', addDays(thisMonth.start, -1), cal);
    const period = lastMonth.start.slice(0, 7);
    const repVisits: number[] = [];
    const rep2Visits: number[] = [];
    const as = async (who: keyof Fixture['users'] | number): Promise<Call> =>
      client(
        testApp,
        await sessionCookie(testApp, fixture.workspaceId, typeof who === 'number' ? who : fixture.users[who].id),
      );
    const list = async (who: keyof Fixture['users'] | number, qs = '') =>
      json<CallbackPage>(await (await as(who))('GET', `/api/v1/callbacks${qs}`));
    const draw = async (who: keyof Fixture['users'], body: unknown = { period }) =>
      (await as(who))('POST', '/api/v1/callbacks/draws', body);

    const visit = async (
      ownerId: number,
      accountId: number,
      at: number,
      extra: { type?: string; status?: string } = {},
    ) =>
      (
        await testApp.db.kysely
          .insertInto('activities')
          .values({
            workspace_id: fixture.workspaceId,
            account_id: accountId,
            owner_id: ownerId,
            type: extra.type ?? 'visit',
            status: extra.status ?? 'done',
            start_at: at,
            subject: 'visit',
            created_at: at,
            updated_at: at,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'callbacks');
      const hour = 3_600_000;
      // 25 logged visits of rep last month (three a day from its first day), 3 of rep2.
      for (let i = 0; i < 25; i++)
        repVisits.push(
          await visit(fixture.users.rep.id, fixture.accounts.repAccount, lastMonth.from + 9 * hour + i * 8 * hour),
        );
      for (let i = 0; i < 3; i++)
        rep2Visits.push(
          await visit(fixture.users.rep2.id, fixture.accounts.rep2Account, lastMonth.from + 10 * hour + i * 24 * hour),
        );
      // Not logged visits of the month: a call, a planned visit, one of this month, one archived.
      await visit(fixture.users.rep.id, fixture.accounts.repAccount, lastMonth.from + 2 * hour, { type: 'call' });
      await visit(fixture.users.rep.id, fixture.accounts.repAccount, lastMonth.from + 3 * hour, { status: 'planned' });
      await visit(fixture.users.rep.id, fixture.accounts.repAccount, thisMonth.from + hour);
      const archived = await visit(fixture.users.rep.id, fixture.accounts.repAccount, lastMonth.from + 4 * hour);
      await testApp.db.kysely
        .updateTable('activities')
        .set({ archived_at: Date.now() })
        .where('id', '=', archived)
        .execute();
      // The first visit names the contact to phone.
      await testApp.db.kysely
        .insertInto('activity_contacts')
        .values(
          repVisits.map((id) => ({
            activity_id: id,
            contact_id: fixture.contacts.repContact,
            workspace_id: fixture.workspaceId,
          })),
        )
        .execute();
      await testApp.db.kysely
        .updateTable('contacts')
        .set({ mobile: '13800000001' })
        .where('id', '=', fixture.contacts.repContact)
        .execute();
      auditor2 = await insertUser(testApp.db.kysely, {
        workspaceId: fixture.workspaceId,
        orgUnitId: fixture.units.root,
        email: `auditor2-${engine}@callbacks.test`,
        name: 'auditor2',
        role: 'auditor',
        title: null,
        phone: null,
        passwordHash: 'x',
        locale: 'zh-CN',
        canExport: false,
        now: Date.now(),
      });
    });
    after(() => testApp.close());

    it('bad input: a month not over, not a month, an auditor who is not one; reps do not draw — nothing drawn', async () => {
      const cases: [unknown, string][] = [
        [{ period: thisMonth.start.slice(0, 7) }, 'period'],
        [{ period: '2026-13' }, 'period'],
        [{ period: '2026-1' }, 'period'],
        [{ period, auditorId: fixture.users.rep.id }, 'auditorId'],
        [{ period, extra: 1 }, 'extra'],
      ];
      for (const [body, field] of cases) {
        const res = await draw('manager', body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
        assert.equal(json<Problem>(res).errors?.[0]?.field, field, JSON.stringify(body));
      }
      assert.equal((await draw('rep')).statusCode, 403);
      assert.equal((await draw('auditor')).statusCode, 403);
      const count = await testApp.db.kysely
        .selectFrom('callbacks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0);
    });

    it("a manager draws 10% (rounded up) of the logged visits of each rep of their subtree; the sample is the seeded one; a rep's month is drawn once", async () => {
      const res = await draw('manager');
      assert.equal(res.statusCode, 200, res.body);
      const drawn = json<DrawCallbacksResponse>(res);
      assert.equal(drawn.ratePercent, 10);
      assert.deepEqual(
        drawn.reps.map((r) => [r.rep.id, r.visits, r.sampled, r.alreadyDrawn]),
        [[fixture.users.rep.id, 25, 3, false]],
        'rep2 (Guangzhou) is out of the manager’s reach; the call, the planned, archived and this month’s visits do not count',
      );
      assert.equal(drawn.created, 3);
      const expected = drawCallbackSample({
        visitIds: repVisits,
        seed: `${fixture.workspaceId}:${period}:${fixture.users.rep.id}`,
      });
      const sampled = (await list('manager')).items.map((c) => c.visit.id).sort((a, b) => a - b);
      assert.deepEqual(sampled, expected);
      const again = json<DrawCallbacksResponse>(await draw('manager'));
      assert.equal(again.created, 0);
      assert.deepEqual(
        again.reps.map((r) => r.alreadyDrawn),
        [true],
      );
    });

    it('reproducible: drawn again from scratch, the same visits; an admin draws the whole workspace, at least one visit per rep', async () => {
      const before = (await list('admin')).items.map((c) => c.visit.id).sort((a, b) => a - b);
      await testApp.db.kysely.deleteFrom('callbacks').where('workspace_id', '=', fixture.workspaceId).execute();
      await testApp.db.kysely
        .deleteFrom('tasks')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('source', '=', 'callback')
        .execute();
      const res = json<DrawCallbacksResponse>(await draw('admin'));
      assert.deepEqual(
        res.reps.map((r) => [r.rep.id, r.visits, r.sampled]).sort((a, b) => a[0]! - b[0]!),
        [
          [fixture.users.rep.id, 25, 3],
          [fixture.users.rep2.id, 3, 1],
        ].sort((a, b) => a[0]! - b[0]!),
      );
      const all = (await list('admin')).items;
      assert.deepEqual(
        all
          .filter((c) => c.rep.id === fixture.users.rep.id)
          .map((c) => c.visit.id)
          .sort((a, b) => a - b),
        before,
      );
      assert.ok(rep2Visits.includes(all.find((c) => c.rep.id === fixture.users.rep2.id)!.visit.id));
      // Each drawn visit is an open task of the auditor.
      const tasks = json<TaskListResponse>(await (await as('auditor'))('GET', '/api/v1/tasks?scope=mine'));
      assert.equal(tasks.items.filter((t) => t.source === 'callback' && t.status === 'open').length, 4);
      const linked = await testApp.db.kysely
        .selectFrom('callbacks')
        .select('task_id')
        .where('workspace_id', '=', fixture.workspaceId)
        .execute();
      assert.ok(linked.every((row) => row.task_id !== null));
    });

    it('the auditor sees their callbacks with the account and contacts to phone — and no account, contact or activity beyond them', async () => {
      const mine = await list('auditor', `?period=${period}&state=open`);
      assert.equal(mine.total, 4);
      const repCall = mine.items.find((c) => c.rep.id === fixture.users.rep.id)!;
      assert.equal(repCall.account.id, fixture.accounts.repAccount);
      assert.deepEqual(
        repCall.contacts.map((c) => [c.id, c.mobile]),
        [[fixture.contacts.repContact, '13800000001']],
      );
      assert.equal(repCall.permissions.answer, true);
      assert.equal((await list(auditor2)).total, 0, 'another auditor sees none of them');
      const auditor = await as('auditor');
      for (const url of [
        `/api/v1/accounts/${fixture.accounts.repAccount}`,
        `/api/v1/accounts/${fixture.accounts.rep2Account}`,
        `/api/v1/contacts/${fixture.contacts.repContact}`,
        `/api/v1/activities/${repCall.visit.id}`,
        '/api/v1/accounts',
        '/api/v1/contacts',
        '/api/v1/opportunities',
        `/api/v1/accounts/${fixture.accounts.repAccount}/timeline`,
        '/api/v1/activities',
      ]) {
        const res = await auditor('GET', url);
        assert.ok(res.statusCode === 403 || res.statusCode === 404, `${url}: ${res.statusCode}`);
      }
      assert.equal((await (await as('rep'))('GET', '/api/v1/callbacks')).statusCode, 403, 'reps never see the sample');
      assert.equal((await list('manager')).total, 3, 'a manager sees their subtree’s reps’ callbacks');
    });

    it('answers: bad input, not the auditor, another auditor, twice — each refused; the task is done; a non-confirmation is flagged to the manager and shown on the visit', async () => {
      const calls = (await list('auditor', `?repId=${fixture.users.rep.id}`)).items;
      const [first, second, third] = calls;
      const auditor = await as('auditor');
      const answer = (call: Call, id: number, body: unknown) => call('POST', `/api/v1/callbacks/${id}/answer`, body);
      const bad: [unknown, string][] = [
        [{ version: 1, outcome: 'maybe' }, 'outcome'],
        [{ version: 1 }, 'outcome'],
        [{ version: 1, outcome: 'feedback' }, 'feedback'],
        [{ version: 1, outcome: 'feedback', feedback: '   ' }, 'feedback'],
      ];
      for (const [body, field] of bad) {
        const res = await answer(auditor, first!.id, body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
        assert.equal(json<Problem>(res).errors?.[0]?.field, field);
      }
      assert.equal(
        (await answer(await as('manager'), first!.id, { version: 1, outcome: 'confirmed' })).statusCode,
        403,
      );
      assert.equal((await answer(await as('admin'), first!.id, { version: 1, outcome: 'confirmed' })).statusCode, 403);
      assert.equal((await answer(await as(auditor2), first!.id, { version: 1, outcome: 'confirmed' })).statusCode, 404);

      const ok = await answer(auditor, first!.id, { version: 1, outcome: 'confirmed' });
      assert.equal(ok.statusCode, 200, ok.body);
      const twice = await answer(auditor, first!.id, { version: 2, outcome: 'not_confirmed' });
      assert.equal(twice.statusCode, 409);
      assert.equal(json<Problem>(twice).code, 'callback_answered');
      assert.equal(
        (await answer(auditor, second!.id, { version: 7, outcome: 'confirmed' })).statusCode,
        409,
        'a stale version',
      );

      const notConfirmed = await answer(auditor, second!.id, {
        version: 1,
        outcome: 'not_confirmed',
        feedback: '客户说没见过',
      });
      assert.equal(notConfirmed.statusCode, 200, notConfirmed.body);
      const fb = await answer(auditor, third!.id, { version: 1, outcome: 'feedback', feedback: '希望尽快报价' });
      assert.equal(fb.statusCode, 200, fb.body);

      const tasks = json<TaskListResponse>(await auditor('GET', '/api/v1/tasks?scope=mine'));
      assert.equal(tasks.items.filter((t) => t.source === 'callback' && t.status === 'open').length, 1);

      const notices = await testApp.db.kysely
        .selectFrom('notifications')
        .select(['user_id', 'kind', 'subject_type', 'subject_id'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('kind', '=', 'callback_unconfirmed')
        .execute();
      assert.deepEqual(notices, [
        {
          user_id: fixture.users.manager.id,
          kind: 'callback_unconfirmed',
          subject_type: 'callback',
          subject_id: second!.id,
        },
      ]);

      const managerView = json<ActivityDetail>(
        await (
          await as('manager')
        )('GET', `/api/v1/activities/${second!.visit.id}`),
      );
      assert.equal(managerView.callback?.outcome, 'not_confirmed');
      assert.equal(managerView.callback?.feedback, '客户说没见过');
      const pending = calls.find((c) => ![first, second, third].includes(c));
      assert.equal(pending, undefined, 'rep has three');
      const rep2Call = (await list('admin', `?repId=${fixture.users.rep2.id}`)).items[0]!;
      const openView = json<ActivityDetail>(await (await as('rep2'))('GET', `/api/v1/activities/${rep2Call.visit.id}`));
      assert.equal(openView.callback, null, 'an open callback is not shown on the visit');
    });

    it('confirmation rate per rep, counted in SQL: confirmed ÷ (confirmed + not confirmed), feedback and open apart', async () => {
      const manager = json<CallbackRatesResponse>(
        await (
          await as('manager')
        )('GET', `/api/v1/callbacks/rates?period=${period}`),
      );
      assert.deepEqual(
        manager.items.map((r) => [r.rep.id, r.drawn, r.open, r.confirmed, r.notConfirmed, r.feedback, r.rate]),
        [[fixture.users.rep.id, 3, 0, 1, 1, 1, 50]],
      );
      const admin = json<CallbackRatesResponse>(
        await (
          await as('admin')
        )('GET', `/api/v1/callbacks/rates?period=${period}`),
      );
      const rep2 = admin.items.find((r) => r.rep.id === fixture.users.rep2.id)!;
      assert.deepEqual([rep2.drawn, rep2.open, rep2.rate], [1, 1, null]);
      assert.deepEqual(
        [admin.totals.drawn, admin.totals.open, admin.totals.confirmed, admin.totals.notConfirmed, admin.totals.rate],
        [4, 1, 1, 1, 50],
      );
      const unconfirmed = await list('manager', `?period=${period}&state=not_confirmed`);
      assert.equal(unconfirmed.total, 1, 'the drill-down to the unconfirmed visits');
      const other = json<CallbackRatesResponse>(
        await (
          await as('admin')
        )('GET', `/api/v1/callbacks/rates?period=2020-01`),
      );
      assert.deepEqual(other.items, []);
      assert.equal(other.totals.rate, null);
      for (const who of ['rep', 'auditor'] as const)
        assert.equal((await (await as(who))('GET', `/api/v1/callbacks/rates?period=${period}`)).statusCode, 403, who);
    });
  });
}
