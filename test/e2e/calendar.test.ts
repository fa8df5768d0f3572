/**
 * The calendar in a real browser (docs/rhythm.md § Calendar): a manager's week on a desktop and
 * a day on a phone, in both languages, the team view, and the feed address made in the profile
 * and read without a session — with screenshots of each.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apiCall, browserSuite, shot as takeShot, signIn, useEnglish } from './browser.ts';

const app = browserSuite();
/** The bundled Chinese font arrives in slices as characters appear: wait for them, or a glyph shows as a box. */
async function shot(page: Page, name: string) {
  await page.evaluate('document.fonts.ready');
  await takeShot(page, name);
}
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };

describe('The calendar in the browser', () => {
  for (const view of [
    // Chinese first: switching to English is saved as the user's language for the runs after it.
    { lang: 'zh', locale: 'zh-CN', viewport: { width: 1440, height: 900 }, phone: false },
    { lang: 'zh', locale: 'zh-CN', viewport: { width: 390, height: 844 }, phone: true },
    { lang: 'en', locale: 'en-US', viewport: { width: 1440, height: 900 }, phone: false },
    { lang: 'en', locale: 'en-US', viewport: { width: 390, height: 844 }, phone: true },
  ]) {
    test(`week and team, or the day list on a phone (${view.lang}${view.phone ? ', phone' : ''})`, async () => {
      const page = await app.page({ viewport: view.viewport, locale: view.locale, phone: view.phone });
      await signIn(page, app.url, MANAGER.email, MANAGER.password);
      await page.waitForURL(`${app.url}/`);
      if (view.lang === 'en') {
        await useEnglish(page);
      }
      const me = await apiCall<{ workspace: { timeZone: string } }>(page, 'GET', '/auth/me');
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: me.workspace.timeZone }).format(new Date());
      const accounts = await apiCall<{ items: { id: number; name: string }[] }>(page, 'GET', '/accounts?limit=1');
      const account = accounts.items[0];
      assert.ok(account, 'the demo manager sees accounts');
      // Later today, so the visit is not yet past; the workspace zone's 23:00 at the latest.
      const startAt = Math.min(Date.now() + 2 * 3_600_000, Date.parse(`${today}T23:00:00+08:00`));
      const subject = `E2E 方案交流 ${Date.now().toString(36)}`;
      const visit = await apiCall<{ id: number }>(page, 'POST', `/accounts/${account.id}/activities`, {
        type: 'visit',
        status: 'planned',
        startAt,
        subject,
      });
      const task = await apiCall<{ id: number }>(page, 'POST', '/tasks', {
        title: `E2E 寄送报价 ${Date.now().toString(36)}`,
        dueDate: today,
        accountId: account.id,
      });

      await page.goto(`${app.url}/calendar`);
      // The first load fetches the page's chunk too: a busy test machine may take longer than the usual wait.
      await page.getByTestId(`calendar-activity-${visit.id}`).waitFor({ timeout: 30_000 });
      await page.getByTestId(`calendar-task-${task.id}`).waitFor();
      assert.equal(
        await page.getByRole('heading', { level: 3 }).first().innerText(),
        view.lang === 'zh' ? '日历' : 'Calendar',
      );
      if (view.phone) {
        await page.getByTestId('calendar-day').waitFor();
        assert.equal(await page.getByTestId('calendar-week').count(), 0, 'a phone shows the day list');
        await shot(page, `calendar-day-${view.lang}-390`);
        return;
      }
      await page.getByTestId('calendar-week').waitFor();
      await shot(page, `calendar-week-${view.lang}`);

      await page.getByTestId('calendar-who').click();
      await page
        .locator('.ant-select-item-option')
        .filter({ hasText: view.lang === 'zh' ? '整个团队' : 'Whole team' })
        .click();
      await page.waitForURL(/who=team/);
      await page.getByTestId(`calendar-activity-${visit.id}`).waitFor();
      await shot(page, `calendar-week-team-${view.lang}`);

      await page
        .getByTestId('calendar-view')
        .getByText(view.lang === 'zh' ? '日' : 'Day', { exact: true })
        .click();
      await page.getByTestId('calendar-day').waitFor();
      await shot(page, `calendar-day-team-${view.lang}`);

      if (view.lang === 'zh') {
        await page.goto(`${app.url}/account`);
        await page.getByTestId('calendar-feed-create').click();
        const address = await page.getByTestId('calendar-feed-address').inputValue();
        assert.match(address, /\/api\/v1\/calendar\/feed\/[A-Za-z0-9_-]{43}\.ics$/);
        await shot(page, 'calendar-feed-zh');
        const feed = await fetch(address);
        assert.equal(feed.status, 200);
        assert.match(feed.headers.get('content-type') ?? '', /^text\/calendar/);
        assert.ok((await feed.text()).includes(`activity-${visit.id}.`), "the visit is in the manager's feed");
      }
    });
  }
});
