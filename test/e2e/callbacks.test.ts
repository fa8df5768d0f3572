/**
 * The callback audit in a real browser (docs/rhythm.md § Callback audit): the Shanghai manager's
 * confirmation rates of last month (the demo's completed audit) with the drill-down to the
 * unconfirmed visits, and the auditor's work list — phone links, the answer recorded in one step —
 * on a desktop in both languages and on a phone, with screenshots of each.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, browserSuite, shot, signIn, useEnglish } from './browser.ts';
import type { CallbackPage, CallbackRatesResponse } from '../../src/contracts/callbacks.ts';

const app = browserSuite();
const PASSWORD = 'keyline-demo';
const DAY = 86_400_000;

/** The month `back` months before the current one, YYYY-MM. */
function monthBefore(back: number): string {
  const date = new Date();
  date.setUTCDate(15);
  date.setUTCMonth(date.getUTCMonth() - back);
  return date.toISOString().slice(0, 7);
}

describe('Callback audit in the browser', () => {
  for (const lang of ['zh', 'en'] as const) {
    test(`a manager reads last month's confirmation rates and drills into an unconfirmed visit (${lang})`, async () => {
      const page = await app.page({
        viewport: { width: 1440, height: 900 },
        locale: lang === 'zh' ? 'zh-CN' : 'en-US',
      });
      await signIn(page, app.url, 'manager@demo.keyline.dev', PASSWORD);
      await page.waitForURL(`${app.url}/`);
      if (lang === 'en') await useEnglish(page);
      const rates = await apiCall<CallbackRatesResponse>(page, 'GET', `/callbacks/rates?period=${monthBefore(1)}`);
      const flagged = rates.items.find((r) => r.notConfirmed > 0);
      assert.ok(flagged, 'the demo flags one of the Shanghai reps’ visits');

      await page
        .getByRole('navigation')
        .getByRole('menuitem', { name: lang === 'zh' ? '回访抽检' : 'Callbacks' })
        .click();
      await page.getByTestId('rates-table').locator('.ant-table-row').first().waitFor();
      assert.match(
        await page.getByTestId('callback-totals').innerText(),
        lang === 'zh' ? /共抽中 \d+ 条/ : /\d+ drawn/,
      );
      await shot(page, `callbacks-rates-${lang}`);

      await page.getByTestId(`rate-not_confirmed-${flagged.rep.id}`).click();
      const drill = page.getByTestId('callback-drill');
      await drill.locator('.ant-table-row').first().waitFor();
      assert.match(await drill.innerText(), lang === 'zh' ? /客户未确认/ : /Not confirmed/);
      await shot(page, `callbacks-drill-${lang}`, false);
    });
  }

  for (const view of [
    { lang: 'zh', viewport: { width: 1440, height: 900 }, phone: false, back: 2 },
    // English last: the auditor's language choice is kept with their account.
    { lang: 'en', viewport: { width: 1440, height: 900 }, phone: false, back: 3 },
    { lang: 'en', viewport: { width: 390, height: 844 }, phone: true, back: 4 },
  ] as const) {
    test(`the auditor calls a drawn visit and records the answer in one step (${view.lang}, ${view.viewport.width} px)`, async () => {
      // A rep logged three visits in a month long closed, and the admin drew it.
      const setup = await app.page();
      await signIn(setup, app.url, 'rep@demo.keyline.dev', PASSWORD);
      await setup.waitForURL(`${app.url}/`);
      const { user: me } = await apiCall<{ user: { id: number } }>(setup, 'GET', '/auth/me');
      const accounts = await apiCall<{ items: { id: number; name: string }[] }>(
        setup,
        'GET',
        `/accounts?ownerId=${me.id}&limit=5`,
      );
      const account = accounts.items[0]!;
      const start = Date.parse(`${monthBefore(view.back)}-10T02:00:00Z`);
      for (let i = 0; i < 3; i++)
        await apiCall(setup, 'POST', `/accounts/${account.id}/activities`, {
          type: 'visit',
          startAt: start + i * DAY,
          subject: `E2E 拜访 ${i + 1}`,
        });
      await signIn(setup, app.url, 'admin@demo.keyline.dev', PASSWORD);
      await setup.waitForURL(`${app.url}/`);
      await apiCall(setup, 'POST', '/callbacks/draws', { period: monthBefore(view.back) });
      await setup.close();

      const page = await app.page({
        viewport: view.viewport,
        locale: view.lang === 'zh' ? 'zh-CN' : 'en-US',
        phone: view.phone,
      });
      await signIn(page, app.url, 'auditor@demo.keyline.dev', PASSWORD);
      await page.waitForURL(`${app.url}/`);
      if (view.lang === 'en') await useEnglish(page);
      const open = await apiCall<CallbackPage>(page, 'GET', `/callbacks?state=open&period=${monthBefore(view.back)}`);
      // The rep's month may hold other visits too (the demo's activities): any of theirs drawn will do.
      const mine = open.items.find((c) => c.rep.id === me.id);
      assert.ok(mine, 'the rep’s drawn visit is on the auditor’s list');

      await page.goto(`${app.url}/rhythm/callbacks`);
      const card = page.getByTestId(`callback-${mine.id}`);
      await card.waitFor();
      assert.ok((await card.getByTestId('tel-link').count()) > 0, 'the contact’s number dials on a tap');
      await shot(page, `callbacks-auditor-${view.lang}-${view.viewport.width}`);

      await card.getByTestId('record-feedback').click();
      await card.getByText(view.lang === 'zh' ? /请写下客户的原话/ : /customer's words/).waitFor();
      await card
        .getByTestId('callback-feedback')
        .fill(view.lang === 'zh' ? '拜访属实，希望尽快报价' : 'Visit confirmed, wants a quote');
      await card.getByTestId('record-feedback').click();
      await card.waitFor({ state: 'detached' });
      const answered = await apiCall<CallbackPage>(
        page,
        'GET',
        `/callbacks?state=feedback&period=${monthBefore(view.back)}`,
      );
      assert.ok(answered.items.some((c) => c.id === mine.id));
      assert.deepEqual(app.errors, []);
    });
  }
});
