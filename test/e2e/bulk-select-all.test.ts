/**
 * "Select all N matching" in a real browser (issue 11), in both languages on a 1440-pixel screen:
 * the Shanghai manager picks every row of a page of accounts, takes the offer to select all rows of
 * the filter past the page, and sets their tier at once; the request names the filter, not ids,
 * and every matching account changes. Runs the real server on the demo company.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, browserSuite, pickOption, settled, shot, signIn, visibleText } from './browser.ts';

const app = browserSuite();
const LOCALES = ['zh-CN', 'en-US'] as const;
/** More than the list's page of 20. */
const COUNT = 23;

describe('Select all matching rows in the browser', () => {
  for (const locale of LOCALES) {
    const zh = locale === 'zh-CN';
    const tag = zh ? 'zh' : 'en';
    test(`a manager selects every matching account past the page and sets their tier at once (${locale})`, async () => {
      const page = await app.page({ viewport: { width: 1440, height: 900 }, phone: false, locale });
      await signIn(page, app.url, 'manager@demo.keyline.dev', 'keyline-demo');
      await page.waitForURL(`${app.url}/`);
      await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
      const prefix = `E2E 全选 ${tag} ${Date.now().toString(36)}`;
      const ids: number[] = [];
      for (let index = 1; index <= COUNT; index++)
        ids.push(
          (
            await apiCall<{ id: number }>(page, 'POST', '/accounts', {
              name: `${prefix} ${String(index).padStart(2, '0')}号有限公司`,
              industry: 'energy',
              allowSimilarName: true,
            })
          ).id,
        );
      const listed = page.waitForResponse((res) => res.url().includes('/api/v1/accounts?') && res.ok());
      await page.goto(`${app.url}/accounts?q=${encodeURIComponent(prefix)}&sort=name`);
      await listed;
      const rows = page.getByTestId('accounts-table').locator('tbody tr.ant-table-row');
      await rows.nth(19).waitFor({ timeout: 30_000 });
      // "Select all on this page" picks the 20 shown; the bar then offers every row of the filter.
      await page.locator('.ant-table-thead .ant-checkbox-input').first().check();
      assert.match(await visibleText(page.getByTestId('bulk-count')), zh ? /已选 20 条/ : /^20 rows selected$/);
      const offer = page.getByTestId('bulk-select-all-matching');
      assert.equal(await visibleText(offer), zh ? `选择全部 ${COUNT} 条匹配记录` : `Select all ${COUNT} matching`);
      await offer.click();
      assert.equal(
        await visibleText(page.getByTestId('bulk-count')),
        zh ? `已选择全部 ${COUNT} 条匹配记录` : `All ${COUNT} matching rows selected`,
      );
      await shot(page, `bulk-accounts-all-matching-${tag}`, false);

      await page.getByTestId('bulk-tier').click();
      const dialog = await settled(page.locator('.ant-modal'));
      assert.match(
        await visibleText(dialog.locator('.ant-modal-title')),
        zh ? new RegExp(`调整 ${COUNT} 个客户的分级`) : new RegExp(`${COUNT} accounts`),
      );
      // The body names the filter, not ids: the server applies it to every matching row.
      const sent = page.waitForRequest((req) => req.url().endsWith('/api/v1/accounts/bulk/tier'));
      await page.getByTestId('bulk-tier-select').click();
      await pickOption(page, 'A ·');
      await page.getByTestId('bulk-reason').fill(zh ? '新能源重点客户' : 'Key energy accounts');
      await page.getByTestId('bulk-tier-ok').click();
      const body = (await sent).postDataJSON() as { ids?: number[]; match?: Record<string, string> };
      assert.equal(body.ids, undefined);
      assert.deepEqual(body.match, { q: prefix });
      assert.match(
        await visibleText(page.getByTestId('bulk-outcome')),
        zh ? new RegExp(`已调整 ${COUNT} 个客户的分级`) : new RegExp(`Tier changed on ${COUNT} accounts`),
      );
      const after = await Promise.all(ids.map((id) => apiCall<{ tier: string }>(page, 'GET', `/accounts/${id}`)));
      assert.deepEqual(
        after.map((account) => account.tier),
        ids.map(() => 'A'),
      );
      await page.close();
    });
  }
});
