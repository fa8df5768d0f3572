/**
 * The follow-up rhythm in a real browser (docs/rhythm.md): a manager's tasks page with a task
 * due today, the reminders under the bell, and the 1-15-30 weekly review of the team with a
 * 30-day judgement recorded on it (refused without its evidence) — in
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

      // The 30-day judgement is recorded on the page: "advanced" is refused without its evidence.
      await page
        .getByTestId('review-due')
        .getByText(view.lang === 'zh' ? '30 天判断' : '30-day')
        .click();
      const judge = page.locator('[data-testid^="record-day30-"]:not([disabled])').first();
      await judge.waitFor();
      const dealId = (await judge.getAttribute('data-testid'))!.replace('record-day30-', '');
      await judge.click();
      await page.getByTestId('record-save').click();
      const error = page.locator('.ant-modal .ant-form-item-explain-error');
      assert.match(await error.innerText(), view.lang === 'zh' ? /证据/ : /advanced/i);
      await shot(page, `rhythm-judgement-evidence-${view.lang}`, false);
      await page
        .getByTestId('record-note')
        .fill(view.lang === 'zh' ? '客户已立项，预算 120 万已批' : 'Project approved; budget of 1.2M signed off');
      await page.getByTestId('record-save').click();
      // Recorded, it leaves the list of judgements due.
      await page.getByTestId(`record-day30-${dealId}`).waitFor({ state: 'detached' });
      await shot(page, `rhythm-judgement-recorded-${view.lang}`);
      const deals = await apiCall<{ items: { id: number; day30: { done: { outcome: string } | null } }[] }>(
        page,
        'GET',
        '/weekly-review?limit=200',
      );
      assert.equal(deals.items.find((deal) => deal.id === Number(dealId))?.day30.done?.outcome, 'advanced');
    });
  }
});
