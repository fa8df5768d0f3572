/**
 * The manager's supervision view in both languages, with the drill-down to the accounts behind a
 * figure. Runs the real server on the demo company and the built web app.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, browserSuite, settled, shot, signIn } from './browser.ts';

const app = browserSuite();
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };
const LOCALES = ['zh-CN', 'en-US'] as const;

describe('Activities in the browser', () => {
  for (const locale of LOCALES) {
    test(`a manager reads the supervision view and drills down (${locale}, 1440 px)`, async () => {
      const page = await app.page({ viewport: { width: 1440, height: 900 }, phone: false, locale });
      await signIn(page, app.url, MANAGER.email, MANAGER.password);
      await page.waitForURL(`${app.url}/`);
      await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
      await page.goto(`${app.url}/activities?tab=cadence`);
      await settled(page.getByTestId('compliance-table'));
      await page.getByTestId('compliance-table').locator('tr.ant-table-row').first().waitFor();
      await shot(page, `activities-supervision-${locale}`);
      await page.getByTestId('drill-all').first().click();
      await settled(page.getByTestId('drill-table'));
      await shot(page, `activities-supervision-drill-${locale}`, false);

      // An account's timeline leads to its activities as a list, narrowed to it by name (where the export is).
      const accounts = await apiCall<{ items: { id: number; name: string }[] }>(page, 'GET', '/accounts?limit=1');
      const account = accounts.items[0]!;
      await page.goto(`${app.url}/accounts/${account.id}?tab=activities`);
      await page.getByTestId('timeline-activity-list').click();
      await page.waitForURL(`${app.url}/activities?accountId=${account.id}`);
      assert.match(await page.getByTestId('activity-filter-account').innerText(), new RegExp(account.name));
      const rows = await apiCall<{ items: { accountId: number }[] }>(
        page,
        'GET',
        `/activities?accountId=${account.id}&limit=20`,
      );
      assert.ok(rows.items.every((row) => row.accountId === account.id));
      if (rows.items.length) await page.getByTestId('activities-table').locator('tr.ant-table-row').first().waitFor();
      await shot(page, `activities-of-account-${locale}`, false);

      // Logging from the narrowed list logs on that account: no account to pick, saved at once.
      const subject = `E2E 列表记一笔 ${locale} ${Date.now().toString(36)}`;
      await page.getByTestId('activity-new').click();
      await page.getByTestId('activity-subject').fill(subject);
      assert.equal(await page.getByTestId('activity-account').count(), 0, 'the account is the list’s');
      await page.getByTestId('activity-save').click();
      await page.getByTestId('activity-save').waitFor({ state: 'detached' });
      const logged = await apiCall<{ items: { subject: string; accountId: number }[] }>(
        page,
        'GET',
        `/activities?accountId=${account.id}&limit=50`,
      );
      assert.ok(logged.items.some((row) => row.subject === subject && row.accountId === account.id));
    });
  }
});
