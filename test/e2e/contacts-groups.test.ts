/**
 * The contact list and a group account in a real browser, in both languages, on a 1440-pixel
 * screen and a 390-pixel phone (docs/archive.md § Contacts list, § Group accounts): a manager
 * filters the contacts, sees phone numbers as tap-to-call links, and reads a group's roll-up
 * from a subsidiary. Runs the real server on the demo company and the built web app.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apiCall, browserSuite, shot, signIn, visibleText } from './browser.ts';
import type { Group } from '../../src/contracts/groups.ts';

const app = browserSuite();
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };
const LOCALES = ['zh-CN', 'en-US'] as const;

async function signedIn(locale: (typeof LOCALES)[number], viewport: { width: number; height: number }, phone = false) {
  const page = await app.page({ viewport, phone, locale });
  await signIn(page, app.url, MANAGER.email, MANAGER.password);
  await page.waitForURL(`${app.url}/`);
  await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
  return page;
}

/** A three-level group of the manager's own accounts: made once, found again by the second language. */
async function ensureGroup(page: Page): Promise<{ root: number; sub: number; branch: number }> {
  const found = await apiCall<{ items: { id: number; name: string }[] }>(
    page,
    'GET',
    `/accounts?q=${encodeURIComponent('E2E 集团')}&sort=name`,
  );
  const byName = (n: string) => found.items.find((a) => a.name === n)?.id;
  const make = async (name: string) =>
    byName(name) ??
    (
      await apiCall<{ id: number }>(page, 'POST', '/accounts', {
        name,
        industry: 'energy',
        status: 'customer',
        allowSimilarName: true,
      })
    ).id;
  const root = await make('E2E 集团 华东能源控股有限公司');
  const sub = await make('E2E 集团 华东能源电力有限公司');
  const branch = await make('E2E 集团 华东能源电力有限公司苏州分公司');
  for (const [id, parentAccountId] of [
    [sub, root],
    [branch, sub],
  ] as const) {
    const { version } = await apiCall<{ version: number }>(page, 'GET', `/accounts/${id}`);
    const res = await page.request.fetch(`${app.url}/api/v1/accounts/${id}/parent`, {
      method: 'PUT',
      data: { version, parentAccountId },
      headers: { 'content-type': 'application/json' },
    });
    assert.ok(res.ok(), await res.text());
  }
  await apiCall(page, 'POST', '/contacts', {
    accountId: branch,
    name: `E2E 王工 ${Date.now().toString(36)}`,
    title: '设备部经理',
    mobile: '13912345678',
  });
  return { root, sub, branch };
}

describe('Contacts and group accounts in the browser', () => {
  for (const locale of LOCALES) {
    test(`the contact list filters, links phones and saves nothing half-done (${locale})`, async () => {
      const page = await signedIn(locale, { width: 1440, height: 900 });
      await page.goto(`${app.url}/contacts`);
      const table = page.getByTestId('contacts-table');
      await table.locator('tbody tr.ant-table-row').first().waitFor();
      const expected = await apiCall<{ total: number }>(page, 'GET', '/contacts?limit=1');
      assert.ok(expected.total > 0, 'the demo manager sees contacts');
      // Filter by tier A in the URL, as a saved view or a link would.
      await page.goto(`${app.url}/contacts?tier=A&hasPhone=true`);
      const narrowed = await apiCall<{ total: number; items: { accountTier: string }[] }>(
        page,
        'GET',
        '/contacts?tier=A&hasPhone=true&limit=20',
      );
      assert.ok(narrowed.items.every((c) => c.accountTier === 'A'));
      await page
        .locator('.ant-pagination-total-text')
        .filter({ hasText: String(narrowed.total) })
        .waitFor();
      const phone = table.locator('a[href^="tel:"]').first();
      if (narrowed.total > 0) assert.match((await phone.getAttribute('href')) ?? '', /^tel:\+?[0-9 -]+$/);
      await shot(page, `contacts-list-${locale}-1440`);
      await page.close();
    });

    test(`the contact list on a phone shows company and phone under the name (${locale})`, async () => {
      const page = await signedIn(locale, { width: 390, height: 844 }, true);
      await page.goto(`${app.url}/contacts`);
      const first = page.getByTestId('contacts-table').locator('tbody tr.ant-table-row').first();
      await first.waitFor();
      await page.getByTestId('contact-phone').first().waitFor();
      const overflow = (await page.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      )) as number;
      assert.ok(overflow <= 1, `the page does not scroll sideways (${overflow}px)`);
      await shot(page, `contacts-list-${locale}-phone`);
      await page.close();
    });

    test(`a group account rolls up from any member (${locale})`, async () => {
      const page = await signedIn(locale, { width: 1440, height: 900 });
      const groupIds = await ensureGroup(page);
      const group = await apiCall<Group>(page, 'GET', `/accounts/${groupIds.sub}/group`);
      assert.equal(group.rootId, groupIds.root);
      assert.deepEqual(
        group.members.map((m) => m.depth),
        [0, 1, 2],
      );
      await page.goto(`${app.url}/accounts/${groupIds.sub}?tab=group`);
      const tree = page.getByTestId('group-tree');
      await tree.waitFor();
      for (const name of [
        'E2E 集团 华东能源控股有限公司',
        'E2E 集团 华东能源电力有限公司',
        'E2E 集团 华东能源电力有限公司苏州分公司',
      ]) {
        await tree.getByText(name, { exact: true }).waitFor();
      }
      assert.match(await visibleText(page.getByTestId('group-tab')), locale === 'zh-CN' ? /集团合计/ : /Group total/);
      await shot(page, `group-account-${locale}-1440`);
      await page.setViewportSize({ width: 390, height: 844 });
      await tree.waitFor();
      await shot(page, `group-account-${locale}-phone`);
      await page.close();
    });
  }
});
