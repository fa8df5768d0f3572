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
import type { CalendarResponse, CreatedFeed, CalendarFeed } from '../../src/contracts/calendar.ts';
import type { ActivityDetail } from '../../src/contracts/activities.ts';
import type { TaskDto } from '../../src/contracts/tasks.ts';
import type { Problem } from '../../src/contracts/common.ts';
import { addDays, dateIn, startOfDay } from '../../src/domain/calendar.ts';

const HOUR = 3_600_000;
const ZONE = 'Asia/Shanghai';

/** The calendar and its iCalendar feed (docs/rhythm.md § Calendar): whose calendar by reach, days of the zone, the feed's token. */
for (const engine of testEngines()) {
  describe(`calendar [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    const as = async (who: keyof Fixture['users']): Promise<Call> =>
      client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
    const today = dateIn(Date.now(), ZONE);
    const tomorrow = addDays(today, 1);
    // 09:30 tomorrow in Shanghai: the same calendar day whatever zone the test machine is in.
    const visitAt = startOfDay(tomorrow, ZONE) + 9.5 * HOUR;
    let visit: ActivityDetail;
    let rep2Visit: ActivityDetail;
    let task: TaskDto;
    const week = async (who: keyof Fixture['users'], qs = '') =>
      (await as(who))('GET', `/api/v1/calendar?from=${today}&days=7${qs}`);

    before(async () => {
      testApp = await createTestApp(engine);
      const seeded = await seedWorkspace(testApp, 'calendar');
      fixture = { ...seeded, ...(await seedExtras(testApp, seeded)) };
      const rep = await as('rep');
      const made = await rep('POST', `/api/v1/accounts/${fixture.accounts.repAccount}/activities`, {
        type: 'visit',
        status: 'planned',
        startAt: visitAt,
        endAt: visitAt + HOUR,
        subject: '方案交流',
        location: '上海市浦东新区',
      });
      assert.equal(made.statusCode, 201, made.body);
      visit = json<ActivityDetail>(made);
      await rep('POST', `/api/v1/accounts/${fixture.accounts.repAccount}/activities`, {
        type: 'call',
        status: 'done',
        startAt: Date.now() - HOUR,
      });
      const taskRes = await rep('POST', '/api/v1/tasks', {
        title: '寄送报价单; 附件, 两份',
        dueDate: tomorrow,
        accountId: fixture.accounts.repAccount,
      });
      assert.equal(taskRes.statusCode, 201, taskRes.body);
      task = json<TaskDto>(taskRes);
      const other = await (
        await as('rep2')
      )('POST', `/api/v1/accounts/${fixture.accounts.rep2Account}/activities`, {
        type: 'meeting',
        status: 'planned',
        startAt: visitAt,
      });
      assert.equal(other.statusCode, 201, other.body);
      rep2Visit = json<ActivityDetail>(other);
    });
    after(() => testApp.close());

    it("a rep's week: the planned visit at its time and the task on its day; a logged call is not on it", async () => {
      const res = await week('rep');
      assert.equal(res.statusCode, 200, res.body);
      const body = json<CalendarResponse>(res);
      assert.equal(body.from, today);
      assert.equal(body.to, addDays(today, 6));
      assert.equal(body.today, today);
      assert.equal(body.truncated, false);
      assert.deepEqual(
        body.entries.map((e) => [e.kind, e.id, e.date]),
        [
          ['activity', visit.id, tomorrow],
          ['task', task.id, tomorrow],
        ],
      );
      const [visitEntry] = body.entries;
      assert.equal(visitEntry?.startAt, visitAt);
      assert.equal(visitEntry?.activityType, 'visit');
      assert.equal(visitEntry?.account?.id, fixture.accounts.repAccount);
      assert.equal(visitEntry?.person.id, fixture.users.rep.id);
      assert.equal(visitEntry?.overdue, false);
    });

    it('a day outside the range shows nothing; a range is at most 42 days and starts on a real date', async () => {
      const rep = await as('rep');
      const empty = json<CalendarResponse>(await rep('GET', `/api/v1/calendar?from=${addDays(today, 2)}&days=1`));
      assert.deepEqual(empty.entries, []);
      const tooLong = await rep('GET', `/api/v1/calendar?from=${today}&days=43`);
      assert.equal(tooLong.statusCode, 400);
      assert.equal(json<Problem>(tooLong).errors?.[0]?.field, 'query.days');
      const badDate = await rep('GET', '/api/v1/calendar?from=2026-02-30');
      assert.equal(badDate.statusCode, 400);
      assert.equal(json<Problem>(badDate).errors?.[0]?.field, 'query.from');
    });

    it("a manager sees a member's calendar and the whole team's, not someone outside the subtree", async () => {
      const member = json<CalendarResponse>(await week('manager', `&userId=${fixture.users.rep.id}`));
      assert.deepEqual(member.entries.map((e) => e.id).sort(), [visit.id, task.id].sort());
      const team = json<CalendarResponse>(await week('manager', '&team=true'));
      const ids = team.entries.map((e) => `${e.kind}:${e.id}`);
      assert.ok(ids.includes(`activity:${visit.id}`));
      assert.ok(ids.includes(`task:${task.id}`));
      assert.ok(!ids.includes(`activity:${rep2Visit.id}`), "rep2 sits in sales3, outside the manager's subtree");
      assert.equal((await week('manager', `&userId=${fixture.users.rep2.id}`)).statusCode, 404);
      const admin = json<CalendarResponse>(await week('admin', '&team=true'));
      assert.ok(
        admin.entries.some((e) => e.kind === 'activity' && e.id === rep2Visit.id),
        'an admin sees the workspace',
      );
    });

    it("a rep has no team calendar and cannot read a colleague's", async () => {
      assert.equal((await week('rep', '&team=true')).statusCode, 403);
      assert.equal((await week('rep', `&userId=${fixture.users.rep2.id}`)).statusCode, 404);
      assert.equal((await week('rep', `&userId=${fixture.users.manager.id}`)).statusCode, 404);
      const own = json<CalendarResponse>(await week('rep', `&userId=${fixture.users.rep.id}`));
      assert.equal(own.entries.length, 2);
    });

    it('the feed: created once, read without a session, stored as a hash, replaced and revoked; both audited', async () => {
      const rep = await as('rep');
      assert.deepEqual(json<CalendarFeed>(await rep('GET', '/api/v1/calendar/feed')), {
        active: false,
        createdAt: null,
        lastUsedAt: null,
      });
      const created = await rep('POST', '/api/v1/calendar/feed');
      assert.equal(created.statusCode, 201, created.body);
      const { path } = json<CreatedFeed>(created);
      assert.match(path, /^\/api\/v1\/calendar\/feed\/[A-Za-z0-9_-]{43}\.ics$/);
      const token = path.slice(path.lastIndexOf('/') + 1, -4);
      const stored = await testApp.db.kysely.selectFrom('calendar_feeds').select('token_hash').execute();
      assert.equal(stored.length, 1);
      assert.notEqual(stored[0]?.token_hash, token, 'only the hash is kept');
      assert.ok(!stored[0]?.token_hash.includes(token));

      const anon = client(testApp);
      const feed = await anon('GET', path);
      assert.equal(feed.statusCode, 200, feed.body);
      assert.match(String(feed.headers['content-type']), /^text\/calendar/);
      const text = feed.body;
      assert.match(text, /^BEGIN:VCALENDAR\r\n/);
      assert.ok(text.includes(`UID:activity-${visit.id}.ws${fixture.workspaceId}@keyline`));
      assert.ok(text.includes(`UID:task-${task.id}.ws${fixture.workspaceId}@keyline`));
      assert.ok(text.includes('BEGIN:VTODO'));
      assert.ok(text.includes(`DUE;VALUE=DATE:${tomorrow.replaceAll('-', '')}`));
      assert.ok(text.includes('SUMMARY:寄送报价单\\; 附件\\, 两份'), 'text is escaped by the library');
      assert.ok(!text.includes(`activity-${rep2Visit.id}.`), "only the token's user's own");
      const again = await anon('GET', path);
      assert.ok(again.body.includes(`UID:activity-${visit.id}.`), 'UIDs are stable between reads');
      const status = json<CalendarFeed>(await rep('GET', '/api/v1/calendar/feed'));
      assert.equal(status.active, true);
      assert.notEqual(status.lastUsedAt, null);

      const replaced = json<CreatedFeed>(await rep('POST', '/api/v1/calendar/feed'));
      assert.equal((await anon('GET', path)).statusCode, 404, 'a new address revokes the old one');
      assert.equal((await anon('GET', replaced.path)).statusCode, 200);
      assert.equal((await rep('DELETE', '/api/v1/calendar/feed')).statusCode, 204);
      assert.equal((await anon('GET', replaced.path)).statusCode, 404);
      assert.equal(json<CalendarFeed>(await rep('GET', '/api/v1/calendar/feed')).active, false);
      const unknown = await anon('GET', `/api/v1/calendar/feed/${'A'.repeat(43)}.ics`);
      assert.equal(unknown.statusCode, 404);
      assert.equal((await anon('GET', '/api/v1/calendar/feed/short.ics')).statusCode, 400);

      const audit = await testApp.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', 'like', 'calendar.%')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((r) => r.action),
        ['calendar.feed_create', 'calendar.feed_create', 'calendar.feed_revoke'],
      );
    });

    it("a deactivated user's feed stops answering", async () => {
      const rep2 = await as('rep2');
      const { path } = json<CreatedFeed>(await rep2('POST', '/api/v1/calendar/feed'));
      const anon = client(testApp);
      assert.equal((await anon('GET', path)).statusCode, 200);
      await testApp.db.kysely.updateTable('users').set({ active: 0 }).where('id', '=', fixture.users.rep2.id).execute();
      assert.equal((await anon('GET', path)).statusCode, 404);
      await testApp.db.kysely.updateTable('users').set({ active: 1 }).where('id', '=', fixture.users.rep2.id).execute();
    });
  });
}
