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
import type { ActivityDetail, ActivityPage, CreateActivityInput } from '../../src/contracts/activities.ts';
import type { TimelinePage } from '../../src/contracts/timeline.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Activities (docs/rhythm.md § Activities): logging, the account's last follow-up, visibility by role, bad input. */
for (const engine of testEngines()) {
  describe(`activities [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    let as: (who: keyof Fixture['users']) => Promise<Call>;
    const NOW = Date.now();
    const kysely = () => testApp.db.kysely;

    before(async () => {
      testApp = await createTestApp(engine);
      const seeded = await seedWorkspace(testApp, 'activities');
      fixture = { ...seeded, ...(await seedExtras(testApp, seeded)) };
      as = async (who) => client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
    });
    after(() => testApp.close());

    const lastFollowUp = async (id: number) => {
      const row = await kysely()
        .selectFrom('accounts')
        .select('last_follow_up_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return row.last_follow_up_at === null ? null : Number(row.last_follow_up_at);
    };
    async function newAccount(
      name: string,
      options: { tier?: 'A' | 'B' | 'C'; ownerId?: number; base?: number | null; createdDaysAgo?: number } = {},
    ) {
      const created = NOW - (options.createdDaysAgo ?? 400) * DAY;
      return (
        await kysely()
          .insertInto('accounts')
          .values({
            workspace_id: fixture.workspaceId,
            name,
            name_key: name,
            owner_id: options.ownerId ?? fixture.users.rep.id,
            org_unit_id: fixture.units.sales1,
            tier: options.tier ?? 'C',
            tier_computed: options.tier ?? 'C',
            last_follow_up_at: options.base ?? null,
            follow_up_base_at: options.base ?? null,
            created_at: created,
            updated_at: created,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }
    async function log(who: keyof Fixture['users'], accountId: number, body: CreateActivityInput) {
      const res = await (await as(who))('POST', `/api/v1/accounts/${accountId}/activities`, body);
      assert.equal(res.statusCode, 201, res.body);
      return json<ActivityDetail>(res);
    }

    it("logging a qualifying activity sets the account's last follow-up; an older one does not lower it; an email does not count", async () => {
      const acc = await newAccount('跟进测试一');
      assert.equal(await lastFollowUp(acc), null);
      const visit = await log('rep', acc, {
        type: 'visit',
        startAt: NOW - 2 * DAY,
        endAt: NOW - 2 * DAY + HOUR,
        subject: '需求调研',
        contactIds: [],
      });
      assert.equal(visit.status, 'done');
      assert.equal(visit.qualifying, true);
      assert.equal(visit.ownerId, fixture.users.rep.id);
      assert.equal(await lastFollowUp(acc), NOW - 2 * DAY);
      await log('rep', acc, { type: 'call', startAt: NOW - 5 * DAY });
      assert.equal(await lastFollowUp(acc), NOW - 2 * DAY, 'later-dated wins');
      const mail = await log('rep', acc, { type: 'email', startAt: NOW - HOUR });
      assert.equal(mail.qualifying, false);
      assert.equal(await lastFollowUp(acc), NOW - 2 * DAY, 'an email is not a qualifying follow-up');
      const planned = await log('rep', acc, { type: 'visit', status: 'planned', startAt: NOW + 3 * DAY });
      assert.equal(planned.status, 'planned');
      assert.equal(await lastFollowUp(acc), NOW - 2 * DAY, 'a planned visit is not a follow-up yet');
      // The default: a visit, now.
      const quick = await log('rep', acc, {});
      assert.equal(quick.type, 'visit');
      assert.ok(quick.startAt >= NOW);
      assert.equal(await lastFollowUp(acc), quick.startAt);
    });

    it('editing or archiving the newest follow-up falls back to the next newest, then to the follow-up known without activities', async () => {
      const base = NOW - 40 * DAY;
      const acc = await newAccount('跟进测试二', { base });
      const older = await log('rep', acc, { type: 'meeting', startAt: NOW - 10 * DAY });
      const newest = await log('rep', acc, { type: 'visit', startAt: NOW - DAY });
      assert.equal(await lastFollowUp(acc), NOW - DAY);
      const rep = await as('rep');
      // Moved earlier than the other: the other is now the newest.
      let res = await rep('PATCH', `/api/v1/activities/${newest.id}`, {
        version: newest.version,
        startAt: NOW - 20 * DAY,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(await lastFollowUp(acc), NOW - 10 * DAY);
      // Moved later again: it wins again.
      res = await rep('PATCH', `/api/v1/activities/${newest.id}`, {
        version: newest.version + 1,
        startAt: NOW - 2 * DAY,
      });
      assert.equal(await lastFollowUp(acc), NOW - 2 * DAY);
      // Becomes an email: no longer a follow-up.
      res = await rep('PATCH', `/api/v1/activities/${newest.id}`, { version: newest.version + 2, type: 'email' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(await lastFollowUp(acc), NOW - 10 * DAY);
      // Editing an activity that is not the newest changes nothing else.
      res = await rep('PATCH', `/api/v1/activities/${older.id}`, { version: older.version, notes: '补充纪要' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(await lastFollowUp(acc), NOW - 10 * DAY);
      // Reps never delete activities; a manager archives, and the account falls back to its base.
      res = await rep('POST', `/api/v1/activities/${older.id}/archive`, { version: older.version + 1 });
      assert.equal(res.statusCode, 403, res.body);
      res = await (
        await as('manager')
      )('POST', `/api/v1/activities/${older.id}/archive`, { version: older.version + 1 });
      assert.equal(res.statusCode, 204, res.body);
      assert.equal(await lastFollowUp(acc), base);
      assert.equal(
        (await rep('GET', `/api/v1/activities/${older.id}`)).statusCode,
        404,
        'archived activities are gone',
      );
      // A stale version is a 409 and changes nothing.
      res = await rep('PATCH', `/api/v1/activities/${newest.id}`, { version: 1, type: 'visit' });
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(await lastFollowUp(acc), base);
    });

    it('a done activity stays done; planned becomes done (counting then) or cancelled', async () => {
      const acc = await newAccount('跟进测试三');
      const rep = await as('rep');
      const plannedVisit = await log('rep', acc, { type: 'visit', status: 'planned', startAt: NOW - HOUR });
      let res = await rep('PATCH', `/api/v1/activities/${plannedVisit.id}`, {
        version: plannedVisit.version,
        status: 'done',
        outcome: '客户同意试点',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(await lastFollowUp(acc), NOW - HOUR);
      res = await rep('PATCH', `/api/v1/activities/${plannedVisit.id}`, {
        version: plannedVisit.version + 1,
        status: 'planned',
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(
        json<{ errors: { field: string; code: string }[] }>(res).errors.map((e) => [e.field, e.code]),
        [['status', 'invalid_transition']],
      );
    });

    it('refuses bad input naming the field, and saves nothing', async () => {
      const acc = await newAccount('坏输入测试');
      const rep = await as('rep');
      const count = async () =>
        Number(
          (
            await kysely()
              .selectFrom('activities')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('account_id', '=', acc)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const fields = (res: { body: string }) =>
        (JSON.parse(res.body) as { errors: { field: string; code: string }[] }).errors.map(
          (e) => `${e.field}:${e.code}`,
        );
      let res = await rep('POST', `/api/v1/accounts/${acc}/activities`, { type: 'visit', startAt: NOW + 2 * DAY });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(fields(res), ['startAt:in_future']);
      res = await rep('POST', `/api/v1/accounts/${acc}/activities`, {
        type: 'visit',
        startAt: NOW - DAY,
        endAt: NOW - 2 * DAY,
      });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(fields(res), ['endAt:not_before']);
      res = await rep('POST', `/api/v1/accounts/${acc}/activities`, {
        type: 'visit',
        status: 'planned',
        startAt: NOW + DAY,
        plan: { objectives: [{ text: '推动签约' }], fab: [{ feature: 'MES 实时采集', advantage: '无需人工录入' }] },
      });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(fields(res), ['plan.fab.0.benefit:required']);
      res = await rep('POST', `/api/v1/accounts/${acc}/activities`, {
        type: 'visit',
        contactIds: [fixture.contacts.repContact],
      });
      assert.equal(res.statusCode, 400, 'a contact of another account');
      assert.deepEqual(fields(res), ['contactIds:not_of_account']);
      res = await rep('POST', `/api/v1/accounts/${acc}/activities`, {
        type: 'visit',
        opportunityId: fixture.opportunities.repOpp,
      });
      assert.equal(res.statusCode, 400, 'a deal of another account');
      assert.deepEqual(fields(res), ['opportunityId:not_of_account']);
      res = await rep('POST', `/api/v1/accounts/${acc}/activities`, {
        type: 'call',
        plan: { objectives: [{ text: 'x' }], fab: [{ benefit: 'y' }] },
      });
      assert.deepEqual(fields(res), ['plan:visit_only']);
      assert.equal(await count(), 0, 'nothing saved');
      assert.equal(await lastFollowUp(acc), null);
      // An account the caller cannot see: 404, as for its own routes.
      res = await rep('POST', `/api/v1/accounts/${fixture.accounts.rep2Account}/activities`, { type: 'visit' });
      assert.equal(res.statusCode, 404);
      // A pool account is claimed before it is worked.
      res = await rep('POST', `/api/v1/accounts/${fixture.accounts.poolAccount}/activities`, { type: 'visit' });
      assert.equal(res.statusCode, 403);
    });

    it('refuses the same bad input on an edit and on the plan route, naming the field, and changes nothing', async () => {
      const acc = await newAccount('坏输入编辑测试');
      const rep = await as('rep');
      const visit = await log('rep', acc, { type: 'visit', startAt: NOW - DAY, endAt: NOW - DAY + 3_600_000 });
      const planned = await log('rep', acc, { type: 'visit', status: 'planned', startAt: NOW + DAY });
      const fields = (res: { statusCode: number; body: string }) => {
        assert.equal(res.statusCode, 400, res.body);
        return (JSON.parse(res.body) as { errors: { field: string; code: string }[] }).errors.map(
          (e) => `${e.field}:${e.code}`,
        );
      };
      const edit = (id: number, body: Record<string, unknown>) => rep('PATCH', `/api/v1/activities/${id}`, body);
      assert.deepEqual(
        fields(await edit(visit.id, { version: visit.version, startAt: NOW + 2 * DAY, endAt: NOW + 3 * DAY })),
        ['startAt:in_future'],
      );
      assert.deepEqual(fields(await edit(visit.id, { version: visit.version, endAt: NOW - 2 * DAY })), [
        'endAt:not_before',
      ]);
      // A planned visit in the future is fine until it is marked done while still ahead.
      assert.deepEqual(fields(await edit(planned.id, { version: planned.version, status: 'done' })), [
        'startAt:in_future',
      ]);
      const plan = await rep('PUT', `/api/v1/activities/${planned.id}/plan`, {
        version: planned.version,
        plan: { objectives: [{ text: '确认预算' }], fab: [{ feature: '能耗监测', advantage: '实时' }] },
      });
      assert.deepEqual(fields(plan), ['plan.fab.0.benefit:required']);
      const rows = await kysely()
        .selectFrom('activities')
        .select(['id', 'start_at', 'end_at', 'status', 'version'])
        .where('account_id', '=', acc)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.id, Number(r.start_at), r.end_at === null ? null : Number(r.end_at), r.status, r.version]),
        [
          [visit.id, NOW - DAY, NOW - DAY + 3_600_000, 'done', visit.version],
          [planned.id, NOW + DAY, null, 'planned', planned.version],
        ],
        'nothing changed',
      );
      const plans = await kysely()
        .selectFrom('visit_plans')
        .select('activity_id')
        .where('activity_id', '=', planned.id)
        .execute();
      assert.equal(plans.length, 0, 'no plan half-saved');
      assert.equal(await lastFollowUp(acc), NOW - DAY);
    });

    it('each role sees the activities of the accounts it sees, and its own', async () => {
      const mine = await log('rep', fixture.accounts.repAccount, {
        type: 'visit',
        subject: '可见性-rep',
        opportunityId: fixture.opportunities.repOpp,
        contactIds: [fixture.contacts.repContact],
      });
      assert.deepEqual(
        mine.contacts.map((c) => c.id),
        [fixture.contacts.repContact],
      );
      const theirs = await log('rep2', fixture.accounts.rep2Account, { type: 'call', subject: '可见性-rep2' });
      const seen = async (who: keyof Fixture['users']) => {
        const res = await (await as(who))('GET', '/api/v1/activities?q=%E5%8F%AF%E8%A7%81%E6%80%A7&limit=500');
        if (res.statusCode !== 200) return res.statusCode;
        return json<ActivityPage>(res)
          .items.map((i) => i.id)
          .sort((x, y) => x - y);
      };
      const both = [mine.id, theirs.id].sort((x, y) => x - y);
      assert.deepEqual(await seen('admin'), both);
      assert.deepEqual(await seen('executive'), both);
      assert.deepEqual(await seen('manager'), [mine.id], 'the Shanghai manager sees Shanghai, not Guangzhou');
      assert.deepEqual(await seen('rep'), [mine.id]);
      assert.deepEqual(await seen('rep2'), [theirs.id]);
      assert.deepEqual(await seen('presales'), [], 'presales sees the accounts of the deals they are on: none yet');
      assert.equal(await seen('auditor'), 403);
      assert.equal(await seen('finance'), 403);
      for (const who of ['rep2', 'presales', 'auditor'] as const) {
        assert.ok(
          [403, 404].includes((await (await as(who))('GET', `/api/v1/activities/${mine.id}`)).statusCode),
          `${who} cannot read it`,
        );
      }
      // Filters: per account, per deal, mine, my team (unit subtree).
      const admin = await as('admin');
      const ids = async (qs: string) =>
        json<ActivityPage>(await admin('GET', `/api/v1/activities?q=%E5%8F%AF%E8%A7%81%E6%80%A7&${qs}`)).items.map(
          (i) => i.id,
        );
      assert.deepEqual(await ids(`accountId=${fixture.accounts.rep2Account}`), [theirs.id]);
      assert.deepEqual(await ids(`opportunityId=${fixture.opportunities.repOpp}`), [mine.id]);
      assert.deepEqual(await ids(`orgUnitId=${fixture.units.shanghai}`), [mine.id]);
      assert.deepEqual(await ids('type=call'), [theirs.id]);
      const rep = await as('rep');
      assert.deepEqual(
        json<ActivityPage>(await rep('GET', '/api/v1/activities?mine=true&q=%E5%8F%AF%E8%A7%81%E6%80%A7')).items.map(
          (i) => i.id,
        ),
        [mine.id],
      );
      // Another person's activity: changed by a manager over the account, not by a colleague.
      assert.equal(
        (await (await as('rep2'))('PATCH', `/api/v1/activities/${mine.id}`, { version: mine.version, notes: 'x' }))
          .statusCode,
        404,
      );
      assert.equal(
        (
          await (
            await as('manager')
          )('PATCH', `/api/v1/activities/${mine.id}`, { version: mine.version, notes: '经理补充' })
        ).statusCode,
        200,
      );
      assert.equal(
        (
          await (
            await as('executive')
          )('PATCH', `/api/v1/activities/${mine.id}`, { version: mine.version + 1, notes: 'x' })
        ).statusCode,
        403,
      );
    });

    it('shows activities in the account and opportunity timelines', async () => {
      const demo = await log('rep', fixture.accounts.repAccount, {
        type: 'demo',
        subject: '时间线演示',
        opportunityId: fixture.opportunities.repOpp,
        startAt: NOW - 30_000,
        endAt: NOW - 30_000 + 90 * 60_000,
        notes: '演示了看板',
      });
      const rep = await as('rep');
      for (const url of [
        `/api/v1/accounts/${fixture.accounts.repAccount}/timeline?groups=activities`,
        `/api/v1/opportunities/${fixture.opportunities.repOpp}/timeline?groups=activities`,
      ]) {
        const res = await rep('GET', url);
        assert.equal(res.statusCode, 200, res.body);
        const entry = json<TimelinePage>(res).items.find((i) => i.id === `activity:${demo.id}`);
        assert.ok(entry, url);
        assert.deepEqual(
          [entry.kind, entry.subject, entry.field, entry.to, entry.amount, entry.detail],
          ['activity', '时间线演示', 'demo', 'done', 90, '演示了看板'],
        );
      }
    });

    it('attaches a file its owner uploaded, downloadable by who sees the activity', async () => {
      const acc = await newAccount('附件测试');
      const activity = await log('rep', acc, { type: 'visit' });
      const rep = await as('rep');
      const up = await rep(
        'POST',
        '/api/v1/attachments?fileName=%E6%8B%9C%E8%AE%BF%E7%BA%AA%E8%A6%81.txt',
        'notes of the visit',
        { 'content-type': 'text/plain' },
      );
      assert.equal(up.statusCode, 201, up.body);
      const fileId = json<{ id: number }>(up).id;
      const res = await rep('POST', `/api/v1/activities/${activity.id}/attachments`, {
        version: activity.version,
        attachmentId: fileId,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        json<ActivityDetail>(res).attachments.map((f) => f.fileName),
        ['拜访纪要.txt'],
      );
      assert.equal((await (await as('manager'))('GET', `/api/v1/attachments/${fileId}`)).statusCode, 200);
      assert.equal((await (await as('rep2'))('GET', `/api/v1/attachments/${fileId}`)).statusCode, 404);
      const again = await rep('POST', `/api/v1/activities/${activity.id}/attachments`, {
        version: activity.version + 1,
        attachmentId: fileId,
      });
      assert.equal(again.statusCode, 400, 'attached already');
    });

    it('exports the list with the export permission, audited', async () => {
      assert.equal((await (await as('rep'))('GET', '/api/v1/activities/export')).statusCode, 403);
      const res = await (await as('admin'))('GET', '/api/v1/activities/export?lang=en-US&type=demo');
      assert.equal(res.statusCode, 200, res.body);
      const lines = res.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n');
      assert.match(lines[0]!, /^Date,Time,Type,Status,Account/);
      assert.ok(
        lines.slice(1).every((l) => l.includes(',Demo,')),
        res.body,
      );
      const audit = await kysely()
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'export.activities')
        .executeTakeFirstOrThrow();
      assert.equal((JSON.parse(audit.detail!) as { rows: number }).rows, lines.length - 1);
    });
  });
}
