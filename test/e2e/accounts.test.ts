/**
 * The customer-archive journey in a real browser (docs/archive.md, §3.2): a manager searches for an
 * account by a Chinese substring, opens it, reads the relationship map (渔网图) with its gaps,
 * adds a contact with a reports-to line and gives them a buying role. Runs the real server on
 * the demo company and the built web app (npm run build:web).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserSuite, pickOption, settled, shot, signIn, visibleText, apiCall } from './browser.ts';

const app = browserSuite();
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };

const ACCOUNT_NAME = '深圳市华为技术有限公司';

/**
 * The account the journey works on: the demo's own when it has one, otherwise created here with
 * four contacts in two reporting levels and their buying roles (no finance role, one opponent).
 */
async function ensureAccount(page: Page, meId: number): Promise<number> {
  const found = await apiCall<{ items: { id: number; name: string }[] }>(
    page,
    'GET',
    `/accounts?q=${encodeURIComponent(ACCOUNT_NAME)}`,
  );
  const existing = found.items.find((a) => a.name === ACCOUNT_NAME);
  if (existing) {
    const map = await apiCall<{ contacts: unknown[] }>(page, 'GET', `/accounts/${existing.id}/relationship-map`);
    if (map.contacts.length >= 3) return existing.id;
  }
  const account =
    existing ??
    (await apiCall<{ id: number }>(page, 'POST', '/accounts', {
      name: ACCOUNT_NAME,
      industry: 'telecom',
      province: '广东省',
      city: '深圳市',
      status: 'customer',
      allowSimilarName: true,
    }));
  const contact = (name: string, title: string, reportsToId: number | null) =>
    apiCall<{ id: number }>(page, 'POST', '/contacts', { accountId: account.id, name, title, reportsToId });
  const ceo = await contact('徐直军', '轮值董事长', null);
  const cio = await contact('陶景文', 'CIO', ceo.id);
  const eng = await contact('李工', '网络架构师', cio.id);
  const buyer = await contact('周采购', '采购经理', ceo.id);
  const role = (
    contactId: number,
    roleName: string,
    attitude: string,
    influence: string,
    relationship: number,
    holder: boolean,
  ) =>
    apiCall(page, 'POST', '/buying-roles', {
      contactId,
      role: roleName,
      attitude,
      influence,
      relationship,
      holderUserId: holder ? meId : null,
    });
  await role(ceo.id, 'decision_maker', 'neutral', 'high', 2, true);
  await role(cio.id, 'technical', 'supports', 'high', 4, true);
  await role(eng.id, 'user', 'supports', 'medium', 3, false);
  await role(buyer.id, 'supporter', 'opposes', 'medium', 2, false);
  return account.id;
}

describe('Accounts in the browser', () => {
  test('search, open, read the relationship map, add a contact and a buying role', async () => {
    const page = await app.page();
    const stamp = Date.now().toString(36);
    await signIn(page, app.url, MANAGER.email, MANAGER.password);
    await page.waitForURL(`${app.url}/`);
    const me = await apiCall<{ user: { id: number; name: string } }>(page, 'GET', '/auth/me');
    const accountId = await ensureAccount(page, me.user.id);

    // The list: a Chinese substring finds the account.
    await page.goto(`${app.url}/accounts`);
    const search = page.getByTestId('account-search').locator('input');
    await search.fill('华为');
    await search.press('Enter');
    await page.waitForURL(/q=%E5%8D%8E%E4%B8%BA/);
    const link = page.getByTestId('account-link').filter({ hasText: ACCOUNT_NAME });
    assert.equal(await visibleText(link), ACCOUNT_NAME);
    // The list shows what the server finds for 华为 (name, credit code or a contact), not the whole archive.
    const expected = await apiCall<{ total: number }>(page, 'GET', `/accounts?q=${encodeURIComponent('华为')}&limit=1`);
    await page
      .locator('.ant-pagination-total-text')
      .filter({ hasText: `共 ${expected.total} 条` })
      .waitFor();
    assert.ok(expected.total >= 1 && expected.total < 20, `a narrow search result, got ${expected.total}`);
    await shot(page, 'accounts-list');

    // The account page.
    await link.first().click();
    await page.waitForURL(`${app.url}/accounts/${accountId}`);
    assert.equal(await visibleText(page.getByTestId('account-title')), ACCOUNT_NAME);
    assert.match(await visibleText(page.getByTestId('tier-badge')), /^[ABC]\*?$/);
    await page.getByText('指名客户评估').waitFor();
    await shot(page, 'account-overview');

    // The relationship map: nodes are drawn (SVG text) and the gaps are listed.
    await page.getByRole('tab', { name: '关系渔网图' }).click();
    const map = page.getByTestId('relationship-map');
    await map.locator('svg text').first().waitFor();
    const labels = (await map.locator('svg text').allTextContents()).join(' ');
    for (const name of ['徐直军', '陶景文', '李工', '周采购'])
      assert.ok(labels.includes(name), `node ${name} on the map: ${labels}`);
    assert.ok(labels.includes(me.user.name), 'our relationship holder is drawn');
    const gaps = page.getByTestId('map-gaps');
    await gaps.waitFor();
    assert.equal(
      (await gaps.locator('[data-gap="missing_role"]').count()) >= 1,
      true,
      'the missing finance role is a gap',
    );
    assert.match(await visibleText(gaps.locator('[data-gap="opponent"]')), /周采购.*反对我们/);
    const coverage = Number(await page.getByTestId('coverage-score').getAttribute('data-value'));
    assert.ok(coverage > 0 && coverage < 100, `coverage ${coverage} between 0 and 100`);
    await page.waitForTimeout(800);
    await shot(page, 'relationship-map');

    // Clicking a node opens that contact's roles.
    await map.locator('svg text').filter({ hasText: '陶景文' }).first().click();
    const drawer = page.locator('.ant-drawer').filter({ hasText: '陶景文' });
    await settled(drawer);
    await drawer.locator('[data-testid="roles-table"] tbody tr').filter({ hasText: '技术人员' }).waitFor();
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });

    // A new contact reporting to the CIO.
    const contactName = `王工${stamp.slice(-3)}`;
    await page.getByRole('tab', { name: /^联系人/ }).click();
    await page.getByTestId('new-contact').click();
    await page.getByTestId('contact-name').fill(contactName);
    await page.getByTestId('contact-title').fill('安全工程师');
    await page.getByTestId('contact-reports-to').click();
    await pickOption(page, '陶景文');
    await page.getByTestId('contact-form-submit').click();
    const contactRow = page.locator('[data-testid="contacts-table"] tbody tr').filter({ hasText: contactName });
    await contactRow.waitFor();
    assert.match(await contactRow.innerText(), /陶景文/, 'the new contact shows their manager');

    // Give them a buying role: the finance gap closes.
    await page.getByRole('tab', { name: '采购角色' }).click();
    await page.getByTestId('add-role').click();
    await page.getByTestId('role-contact').click();
    await pickOption(page, contactName);
    await page.getByTestId('role-kind').click();
    await pickOption(page, '财务');
    await settled(page.locator('.ant-modal').filter({ hasText: '不超预算，符合财务流程' }));
    await page.locator('.ant-modal .ant-segmented-item').filter({ hasText: '支持我们' }).click();
    await page.locator('.ant-modal .ant-rate-star').nth(2).click();
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    const roleRow = page.locator('[data-testid="roles-table"] tbody tr').filter({ hasText: contactName });
    await roleRow.waitFor();
    const roleText = await roleRow.innerText();
    assert.match(roleText, /财务/);
    assert.match(roleText, /支持我们/);
    assert.match(roleText, /信任/);
    await shot(page, 'buying-roles');

    const roles = await apiCall<{ items: { contactName: string; role: string; relationship: number }[] }>(
      page,
      'GET',
      `/accounts/${accountId}/buying-roles`,
    );
    const saved = roles.items.find((r) => r.contactName === contactName);
    assert.deepEqual(saved && { role: saved.role, relationship: saved.relationship }, {
      role: 'finance',
      relationship: 3,
    });

    // Back on the map the new contact is drawn under the CIO and finance is no longer missing.
    await page.getByRole('tab', { name: '关系渔网图' }).click();
    await map.locator('svg text').filter({ hasText: contactName }).first().waitFor();
    await page.waitForTimeout(800); // let the chart's transition finish before the picture
    const gapTexts = await page.getByTestId('map-gaps').innerText();
    assert.doesNotMatch(gapTexts, /没有联系人担任“财务”/);
    await shot(page, 'relationship-map-after');

    // The account's timeline has the contact just added at the top of the account events.
    await page.getByRole('tab', { name: '动态' }).click();
    await page.getByTestId('activity-timeline').getByText('客户与联系人').click();
    const added = page.getByTestId('event-contact_added').first();
    assert.match(await visibleText(added), new RegExp(`添加了联系人 ${contactName}.*安全工程师`));
    assert.match(await visibleText(added), new RegExp(me.user.name));
    await shot(page, 'account-timeline');

    // On a phone the list collapses to name, tier and next follow-up.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${app.url}/accounts?q=${encodeURIComponent('华为')}`);
    await page.getByTestId('account-link').first().waitFor();
    const headers = await page.locator('[data-testid="accounts-table"] thead th').allInnerTexts();
    assert.ok(
      headers.some((h) => h.includes('下次跟进')) && !headers.some((h) => h.includes('行业')),
      `phone columns: ${headers.join('|')}`,
    );
    await shot(page, 'accounts-list-phone');
    await page.close();
    assert.deepEqual(app.errors, []);
  });
});
