/**
 * Bulk actions in a real browser, in both languages on a 1440-pixel screen (docs/archive.md § Bulk
 * actions): the Shanghai manager selects accounts on the list, reassigns them to a rep with a reason,
 * sees how many changed and finds the reason in an account's history; a rep selects two pool
 * accounts and claims them with one confirmation. Runs the real server on the demo company.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, browserSuite, pickOption, settled, shot, signIn, visibleText } from './browser.ts';

const app = browserSuite();
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };
const REP = { email: 'rep@demo.keyline.dev', password: 'keyline-demo' };
const LOCALES = ['zh-CN', 'en-US'] as const;
const VIEWPORT = { width: 1440, height: 900 };

async function signedIn(who: typeof MANAGER, locale: (typeof LOCALES)[number]) {
  const page = await app.page({ viewport: VIEWPORT, phone: false, locale });
  await signIn(page, app.url, who.email, who.password);
  await page.waitForURL(`${app.url}/`);
  await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
  return page;
}

describe('Bulk actions in the browser', () => {
  for (const locale of LOCALES) {
    const zh = locale === 'zh-CN';
    const tag = zh ? 'zh' : 'en';

    test(`a manager reassigns selected accounts with a reason and reads it in the history (${locale})`, async () => {
      const page = await signedIn(MANAGER, locale);
      const prefix = `E2E 批量 ${tag} ${Date.now().toString(36)}`;
      const ids: number[] = [];
      for (const suffix of ['一', '二', '三'])
        ids.push(
          (
            await apiCall<{ id: number }>(page, 'POST', '/accounts', {
              name: `${prefix} ${suffix}号科技有限公司`,
              industry: 'energy',
              allowSimilarName: true,
            })
          ).id,
        );
      await page.goto(`${app.url}/accounts?q=${encodeURIComponent(prefix)}&sort=name`);
      const rows = page.getByTestId('accounts-table').locator('tbody tr.ant-table-row');
      await rows.nth(2).waitFor();
      assert.equal(await rows.count(), 3);
      // The first two made (the list sorts by pinyin, so not the first two rows).
      await rows.filter({ hasText: '一号' }).locator('.ant-checkbox-input').check();
      await rows.filter({ hasText: '二号' }).locator('.ant-checkbox-input').check();
      assert.match(await visibleText(page.getByTestId('bulk-count')), zh ? /已选 2 条/ : /^2 rows selected$/);
      await shot(page, `bulk-accounts-selected-${tag}`);

      await page.getByTestId('bulk-reassign').click();
      const dialog = await settled(page.locator('.ant-modal'));
      assert.match(await visibleText(dialog.locator('.ant-modal-title')), zh ? /转交 2 个客户/ : /Reassign 2 accounts/);
      // No reason, no change: the reason is mandatory.
      await page.getByTestId('bulk-reassign-user').click();
      await page.keyboard.type('王芳');
      await pickOption(page, '王芳');
      await page.getByTestId('bulk-reassign-ok').click();
      await dialog.locator('.ant-form-item-explain-error').first().waitFor();
      await page.getByTestId('bulk-reason').fill(zh ? '区域调整：交给王芳跟进' : 'Territory change: 王芳 takes over');
      await shot(page, `bulk-accounts-reassign-dialog-${tag}`, false);
      await page.getByTestId('bulk-reassign-ok').click();
      const outcome = page.getByTestId('bulk-outcome');
      assert.match(
        await visibleText(outcome),
        zh ? /已转交 2 个客户（所选 2 个/ : /^2 accounts reassigned \(2 selected/,
      );
      await page.getByTestId('bulk-count').waitFor({ state: 'detached' });
      await rows.filter({ hasText: '王芳' }).nth(1).waitFor();
      await shot(page, `bulk-accounts-reassigned-${tag}`);

      const reassigned = await Promise.all(
        ids.map((id) => apiCall<{ ownerName: string | null }>(page, 'GET', `/accounts/${id}`)),
      );
      assert.deepEqual(
        reassigned.map((a) => a.ownerName === '王芳'),
        [true, true, false],
        'the two selected, not the third',
      );

      await page.goto(`${app.url}/accounts/${ids[0]}?tab=history`);
      const entry = page.getByText(zh ? '区域调整：交给王芳跟进' : 'Territory change: 王芳 takes over');
      await entry.first().waitFor();
      await shot(page, `bulk-accounts-history-${tag}`);

      // The opportunity list selects the same way: reassign and export for the selection.
      await page.goto(`${app.url}/opportunities/list?status=open`);
      const deals = page.locator('tbody tr.ant-table-row');
      await deals.nth(1).waitFor();
      await deals.nth(0).locator('.ant-checkbox-input').check();
      await deals.nth(1).locator('.ant-checkbox-input').check();
      assert.match(await visibleText(page.getByTestId('bulk-count')), zh ? /已选 2 条/ : /^2 rows selected$/);
      await page.getByTestId('bulk-reassign').waitFor();
      await page.getByTestId('bulk-export-opportunities').waitFor();
      await shot(page, `bulk-opportunities-selected-${tag}`);
      await page.close();
    });

    test(`a rep claims two pool accounts at once (${locale})`, async () => {
      const page = await signedIn(REP, locale);
      // The demo's pools hold few accounts the rep sees: the rep gives up three of their own first.
      const prefix = `E2E 公海 ${tag} ${Date.now().toString(36)}`;
      const released: { id: number; version: number; name: string }[] = [];
      for (const suffix of ['甲', '乙', '丙']) {
        const created = await apiCall<{ id: number; version: number }>(page, 'POST', '/accounts', {
          name: `${prefix} ${suffix}贸易有限公司`,
          industry: 'retail',
          allowSimilarName: true,
        });
        released.push(
          await apiCall<{ id: number; version: number; name: string }>(
            page,
            'POST',
            `/accounts/${created.id}/release`,
            {
              version: created.version,
              reason: zh ? '暂无需求' : 'no need for now',
            },
          ),
        );
      }
      await page.goto(`${app.url}/accounts/pool?q=${encodeURIComponent(prefix)}`);
      const rows = page.getByTestId('pool-table').locator('tbody tr.ant-table-row');
      await rows.nth(2).waitFor();
      assert.equal(await rows.count(), 3);
      for (let i = 0; i < 3; i++) await rows.nth(i).locator('.ant-checkbox-input').check();
      // One of them is taken while the rep decides (here by the rep elsewhere): the whole claim is refused, naming it.
      const taken = released[2]!;
      await apiCall(page, 'POST', `/accounts/${taken.id}/claim`, { version: taken.version });
      await page.getByTestId('bulk-claim').click();
      await (await settled(page.locator('.ant-popconfirm'))).waitFor();
      await page.getByTestId('bulk-claim-ok').click();
      const refused = page.getByTestId('bulk-outcome');
      assert.match(
        await visibleText(refused),
        zh
          ? new RegExp(`未做任何修改：1 条记录不能处理[\\s\\S]*${taken.name} — 已不在公海中`)
          : new RegExp(`Nothing was changed: 1 row cannot be changed[\\s\\S]*${taken.name} — no longer in the pool`),
      );
      await shot(page, `bulk-pool-refused-${tag}`);
      await refused
        .getByRole('button')
        .filter({ hasText: zh ? '取消选择这些记录' : 'Deselect these rows' })
        .click();
      assert.match(await visibleText(page.getByTestId('bulk-count')), zh ? /已选 2 条/ : /^2 rows selected$/);

      const before = await apiCall<{ allowance: { remaining: number } }>(page, 'GET', '/pool?limit=1');
      await page
        .getByTestId('pool-allowance')
        .filter({ hasText: String(before.allowance.remaining) })
        .waitFor();
      const names = released.slice(0, 2).map((account) => account.name);
      await page.getByTestId('bulk-claim').click();
      const confirm = await settled(page.locator('.ant-popconfirm'));
      assert.match(
        await visibleText(confirm),
        zh
          ? new RegExp(`领取 2 个公海客户[\\s\\S]*还可领取 ${before.allowance.remaining - 2} 个`)
          : new RegExp(`Claim 2 pool accounts[\\s\\S]*${before.allowance.remaining - 2} claims left`),
      );
      await shot(page, `bulk-pool-confirm-${tag}`, false);
      await page.getByTestId('bulk-claim-ok').click();
      assert.match(
        await visibleText(page.getByTestId('bulk-outcome')),
        zh ? /已领取 2 个客户/ : /^2 accounts are now yours$/,
      );
      const after = await apiCall<{ allowance: { remaining: number } }>(page, 'GET', '/pool?limit=1');
      assert.equal(after.allowance.remaining, before.allowance.remaining - 2);
      const mine = await apiCall<{ items: { name: string }[] }>(
        page,
        'GET',
        `/accounts?q=${encodeURIComponent(names[0]!)}&limit=5`,
      );
      assert.ok(
        mine.items.some((a) => a.name === names[0]),
        `${names[0]} is the rep's now`,
      );
      await page.getByTestId('pool-events').getByText(names[0]!).first().waitFor();
      await shot(page, `bulk-pool-claimed-${tag}`);
      await page.close();
    });
  }
});
