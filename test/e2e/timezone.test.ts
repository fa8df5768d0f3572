/**
 * Dates in the workspace's zone, seen from a browser in another (issue 11, docs/DESIGN.md § Time
 * and the calendar): a rep of the Shanghai demo company opens Keyline in Los Angeles. An
 * activity's time on the list, the timeline and the edit form, the date a new task is due by
 * default (and the picker's "today"), and the desk's "closing this month" window are Shanghai's.
 * The browser's clock is set to a moment the two zones give different dates, so the test tells
 * them apart at any hour it runs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, browserSuite, settled, shot, signIn } from './browser.ts';

const app = browserSuite();
const REP = { email: 'rep@demo.keyline.dev', password: 'keyline-demo' };
const WORKSPACE_ZONE = 'Asia/Shanghai';
const BROWSER_ZONE = 'America/Los_Angeles';

const dayIn = (instant: number, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(instant);

/** Now, or the latest hour before it at which Shanghai and Los Angeles name different dates. */
function momentOfTwoDates(): number {
  const now = Date.now();
  for (let hours = 0; hours < 24; hours++) {
    const moment = now - hours * 3_600_000;
    if (dayIn(moment, WORKSPACE_ZONE) !== dayIn(moment, BROWSER_ZONE)) return moment;
  }
  throw new Error('the two zones never differ');
}

// 01:30 on 21 November in Shanghai, 09:30 on 20 November in Los Angeles.
const ACTIVITY_AT = Date.UTC(2026, 10, 20, 17, 30);
const SHOWN = '2026-11-21 01:30';
const BROWSER_WOULD_SHOW = '2026-11-20 09:30';

describe('Dates in the browser from another time zone', () => {
  test('a Shanghai rep in Los Angeles sees Shanghai dates and times', async () => {
    const now = momentOfTwoDates();
    const today = dayIn(now, WORKSPACE_ZONE);
    assert.notEqual(today, dayIn(now, BROWSER_ZONE), 'the test looks at a moment the zones disagree on');

    const page = await app.page({ timezoneId: BROWSER_ZONE, viewport: { width: 1440, height: 900 } });
    await page.clock.setFixedTime(now);
    // The desk asks for the deals "closing this month" from the workspace's today, in its one request.
    const asked: string[] = [];
    page.on('request', (req) => asked.push(new URL(req.url()).pathname));
    const desk = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/v1/desk', { timeout: 30_000 });
    await signIn(page, app.url, REP.email, REP.password);
    await page.waitForURL(`${app.url}/`);
    assert.equal(await page.evaluate('new Date().getTimezoneOffset() > 0'), true, 'the browser runs west of UTC');
    const me = await apiCall<{ user: { id: number }; workspace: { timeZone: string } }>(page, 'GET', '/auth/me');
    assert.equal(me.workspace.timeZone, WORKSPACE_ZONE);

    const answer = (await (await desk).json()) as { filter: { closeFrom: string } };
    // The server decides the window, from its own clock in the workspace's zone (the browser's is fixed in the past).
    assert.equal(answer.filter.closeFrom, dayIn(Date.now(), WORKSPACE_ZONE), "the desk's today is Shanghai's");
    await settled(page.getByTestId('desk-closing'));
    // One request for the whole desk: none of its cards asks its list on its own.
    assert.deepEqual(
      asked.filter((path) =>
        ['/api/v1/opportunities', '/api/v1/opportunities/attention', '/api/v1/accounts'].includes(path),
      ),
      [],
    );
    assert.equal(asked.filter((path) => path === '/api/v1/desk').length, 1);
    await shot(page, 'timezone-desk-la');

    // An activity at 01:30 Shanghai time: the list, the account's timeline and the edit form show 01:30 on the 21st.
    const accounts = await apiCall<{ items: { id: number }[] }>(page, 'GET', `/accounts?limit=1&ownerId=${me.user.id}`);
    const account = accounts.items[0]!;
    const subject = `E2E 时区 ${Date.now().toString(36)}`;
    const created = await apiCall<{ id: number }>(page, 'POST', `/accounts/${account.id}/activities`, {
      type: 'call',
      status: 'done',
      startAt: ACTIVITY_AT,
      subject,
    });

    await page.goto(`${app.url}/activities?q=${encodeURIComponent(subject)}`);
    const row = page.getByTestId('activities-table').locator('tr.ant-table-row').filter({ hasText: subject });
    await row.waitFor();
    const rowText = await row.innerText();
    assert.match(rowText, new RegExp(SHOWN), 'the list shows the Shanghai time');
    assert.doesNotMatch(rowText, new RegExp(BROWSER_WOULD_SHOW));
    await shot(page, 'timezone-activities-la');

    await row.getByTestId('activity-open').click();
    const start = page.getByTestId('activity-start');
    await start.waitFor();
    assert.equal(await start.inputValue(), SHOWN, "the edit form's picker shows the Shanghai time");
    await shot(page, 'timezone-activity-edit-la', false);
    await (await settled(page.getByTestId('activity-save'))).click();
    await start.waitFor({ state: 'hidden' });
    const saved = await apiCall<{ startAt: number }>(page, 'GET', `/activities/${created.id}`);
    assert.equal(saved.startAt, ACTIVITY_AT, 'saving the form unchanged keeps the instant');

    await page.goto(`${app.url}/accounts/${account.id}?tab=activities`);
    const event = page.getByTestId('activity-timeline').locator('[data-testid^="event-"]').filter({ hasText: subject });
    await event.waitFor();
    assert.match(await event.innerText(), new RegExp(SHOWN), 'the timeline shows the Shanghai time');
    await shot(page, 'timezone-timeline-la');

    // A new task is due on the workspace's today by default, and the picker marks that day as today.
    await page.goto(`${app.url}/tasks`);
    await (await settled(page.getByTestId('task-new'))).click();
    const title = `E2E 时区任务 ${Date.now().toString(36)}`;
    await page.getByTestId('task-title').fill(title);
    await page.getByTestId('task-due').click();
    const todayCell = page.locator('.ant-picker-dropdown:visible .ant-picker-cell-today');
    await todayCell.waitFor();
    assert.equal(await todayCell.getAttribute('title'), today, "the picker's today is Shanghai's");
    await shot(page, 'timezone-task-picker-la', false);
    await page.keyboard.press('Escape');
    await page.getByTestId('task-save').click();
    await page.getByTestId('task-table').getByText(title).waitFor();
    const tasks = await apiCall<{ items: { id: number; title: string; dueDate: string }[] }>(
      page,
      'GET',
      '/tasks?limit=200',
    );
    const task = tasks.items.find((x) => x.title === title);
    assert.equal(task?.dueDate, today, 'the task is due on the workspace date');
    const due = await page.getByTestId(`task-due-${task!.id}`).first().innerText();
    assert.ok(due === today || /今天|Today/.test(due), `the list shows the due date (${due})`);
    await shot(page, 'timezone-tasks-la');

    assert.deepEqual(app.errors, []);
  });
});
