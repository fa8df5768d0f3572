/**
 * The pool list's bulk assignment and the contacts list's export of a selection in a real browser
 * (issue 11), both languages at 1440 px: the Shanghai manager puts 21 accounts into the pool, picks
 * the page of 20, takes the offer of all 21 matching and assigns them to a rep with a reason — the
 * request carries the pool's filter, not ids, and the pool empties; on the contacts list two picked
 * rows export alone (the download names their ids). Runs the real server on the demo company.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, browserSuite, pickOption, settled, shot, signIn, visibleText } from './browser.ts';

const app = browserSuite();
const LOCALES = ['zh-CN', 'en-US'] as const;
/** More than the pool list's page of 20. */
const COUNT = 21;

async function signedInManager(locale: (typeof LOCALES)[number]) {
  const page = await app.page({ viewport: { width: 1440, height: 900 }, phone: false, locale });
  await signIn(page, app.url, 'manager@demo.keyline.dev', 'keyline-demo');
  await page.waitForURL(`${app.url}/`);
  await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
  return page;
}

describe('Pool and contacts bulk actions in the browser', () => {
  for (const locale of LOCALES) {
    const zh = locale === 'zh-CN';
    const tag = zh ? 'zh' : 'en';

    test(`a manager assigns every matching pool account past the page with a reason (${locale})`, async () => {
      const page = await signedInManager(locale);
      const prefix = `E2E 公海分配 ${tag} ${Date.now().toString(36)}`;
      for (let index = 1; index <= COUNT; index++) {
        const created = await apiCall<{ id: number; version: number }>(page, 'POST', '/accounts', {
          name: `${prefix} ${String(index).padStart(2, '0')}号有限公司`,
          industry: 'retail',
          allowSimilarName: true,
        });
        await apiCall(page, 'POST', `/accounts/${created.id}/release`, {
          version: created.version,
          reason: zh ? '暂无需求' : 'no need for now',
        });
      }
      const listed = page.waitForResponse((res) => res.url().includes('/api/v1/pool?') && res.ok());
      await page.goto(`${app.url}/accounts/pool?q=${encodeURIComponent(prefix)}`);
      await listed;
      const rows = page.getByTestId('pool-table').locator('tbody tr.ant-table-row');
      await rows.nth(19).waitFor({ timeout: 30_000 });
      await page.getByTestId('pool-table').locator('.ant-table-thead .ant-checkbox-input').first().check();
      assert.match(await visibleText(page.getByTestId('bulk-count')), zh ? /已选 20 条/ : /^20 rows selected$/);
      await page.getByTestId('bulk-select-all-matching').click();
      assert.equal(
        await visibleText(page.getByTestId('bulk-count')),
        zh ? `已选择全部 ${COUNT} 条匹配记录` : `All ${COUNT} matching rows selected`,
      );
      await shot(page, `bulk-pool-all-matching-${tag}`, false);

      await page.getByTestId('bulk-assign').click();
      const dialog = await settled(page.locator('.ant-modal'));
      assert.match(
        await visibleText(dialog.locator('.ant-modal-title')),
        zh ? new RegExp(`分配 ${COUNT} 个公海客户`) : new RegExp(`Assign ${COUNT} pool accounts`),
      );
      await page.getByTestId('bulk-reassign-user').click();
      await page.keyboard.type('王芳');
      await pickOption(page, '王芳');
      await page.getByTestId('bulk-reason').fill(zh ? '新客户集中跟进' : 'New accounts, one rep follows up');
      await shot(page, `bulk-pool-assign-dialog-${tag}`, false);
      const sent = page.waitForRequest((req) => req.url().endsWith('/api/v1/accounts/bulk/assign'));
      await page.getByTestId('bulk-reassign-ok').click();
      const body = (await sent).postDataJSON() as { ids?: number[]; match?: Record<string, string> };
      assert.equal(body.ids, undefined, 'the filter, not ids');
      assert.deepEqual(body.match, { q: prefix });
      assert.match(
        await visibleText(page.getByTestId('bulk-outcome')),
        zh ? new RegExp(`已分配 ${COUNT} 个公海客户`) : new RegExp(`^${COUNT} pool accounts assigned$`),
      );
      const left = await apiCall<{ total: number }>(page, 'GET', `/pool?q=${encodeURIComponent(prefix)}`);
      assert.equal(left.total, 0, 'every matching account left the pool');
      const events = page.getByTestId('pool-events');
      await events
        .getByText(zh ? '新客户集中跟进' : 'New accounts, one rep follows up')
        .first()
        .waitFor();
      await shot(page, `bulk-pool-assigned-${tag}`);
      await page.close();
    });

    test(`the contacts list exports only the picked rows (${locale})`, async () => {
      const page = await signedInManager(locale);
      const listed = page.waitForResponse((res) => res.url().includes('/api/v1/contacts?') && res.ok());
      await page.goto(`${app.url}/contacts`);
      const contacts = (await (await listed).json()) as { items: { id: number }[] };
      const rows = page.getByTestId('contacts-table').locator('tbody tr.ant-table-row');
      await rows.nth(1).waitFor();
      await rows.nth(0).locator('.ant-checkbox-input').check();
      await rows.nth(1).locator('.ant-checkbox-input').check();
      assert.match(await visibleText(page.getByTestId('bulk-count')), zh ? /已选 2 条/ : /^2 rows selected$/);
      await shot(page, `bulk-contacts-selected-${tag}`, false);
      const download = page.waitForRequest((req) => req.url().includes('/api/v1/contacts/export?'));
      await page.getByTestId('bulk-export-contacts').hover();
      await page.locator('.ant-dropdown:visible .ant-dropdown-menu-item').filter({ hasText: 'CSV' }).first().click();
      const url = new URL((await download).url());
      const picked = contacts.items.slice(0, 2).map((contact) => contact.id);
      assert.deepEqual(url.searchParams.get('ids')?.split(',').map(Number).sort(), [...picked].sort());
      await page.close();
    });
  }
});
