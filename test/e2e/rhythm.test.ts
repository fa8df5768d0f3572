/**
 * The follow-up rhythm in a real browser (docs/rhythm.md): a manager's tasks page with a task
 * due today, the reminders under the bell, and the 1-15-30 weekly review of the team — in
 * Chinese on a desktop and in English on a phone, with screenshots of each.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, browserSuite, shot, signIn, useEnglish } from './browser.ts';

const app = browserSuite();
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };

describe('Tasks, reminders and the weekly review in the browser', () => {
  for (const view of [
    { lang: 'zh', locale: 'zh-CN', viewport: { width: 1440, height: 900 }, phone: false },
    { lang: 'en', locale: 'en-US', viewport: { width: 390, height: 844 }, phone: true },
  ]) {
    test(`tasks, the bell and the weekly review (${view.lang}${view.phone ? ', phone' : ''})`, async () => {
      const page = await app.page({ viewport: view.viewport, locale: view.locale, phone: view.phone });
      await signIn(page, app.url, MANAGER.email, MANAGER.password);
      await page.waitForURL(`${app.url}/`);
      if (view.lang === 'en') {
        await useEnglish(page);
      }
      const me = await apiCall<{ workspace: { timeZone: string } }>(page, 'GET', '/auth/me');
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: me.workspace.timeZone }).format(new Date());
      const title = `E2E 检查周报 ${Date.now().toString(36)}`;
      await apiCall(page, 'POST', '/tasks', { title, dueDate: today });

      await page.goto(`${app.url}/tasks`);
      const row = page.getByTestId('task-table').getByText(title);
      await row.waitFor();
      await shot(page, `rhythm-tasks-${view.lang}`);
      const dueToday = await apiCall<{ items: { id: number; title: string }[] }>(
        page,
        'GET',
        '/tasks?due=today&limit=200',
      );
      const task = dueToday.items.find((x) => x.title === title);
      assert.ok(task, 'listed as due today');
      await page.getByTestId(`task-tick-${task.id}`).click();
      await page.getByTestId('task-table').getByText(title).waitFor({ state: 'detached' });

      await page.getByTestId('notification-bell').click();
      await page.getByTestId('notification-panel').waitFor();
      await shot(page, `rhythm-notifications-${view.lang}`, false);
      await page.keyboard.press('Escape');

      await page.goto(`${app.url}/weekly-review`);
      await page.getByTestId('review-table').locator('.ant-table-row').first().waitFor();
      assert.match(
        await page.getByTestId('review-table').locator('.ant-table-tbody').innerText(),
        view.lang === 'zh' ? /本周讨论|30 天判断|15 天检查/ : /Weekly look|30-day|15-day/,
      );
      await shot(page, `rhythm-weekly-review-${view.lang}`);
    });
  }
});
