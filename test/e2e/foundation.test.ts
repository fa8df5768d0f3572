/**
 * The Foundation journey in a real browser: sign in, switch language, add an org unit,
 * add a user to it, sign out — plus a wrong password, a new user's first password change,
 * and the desk a rep and a manager find at home. Runs the real server on the demo
 * company and the built web app (npm run build:web).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, browserSuite, pickOption, settled, shot, signIn, visibleText } from './browser.ts';

const app = browserSuite();
const ADMIN = { email: 'admin@demo.keyline.dev', password: 'keyline-demo' };
const REP = { email: 'rep@demo.keyline.dev', password: 'keyline-demo' };
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };

describe('Foundation in the browser', () => {
  test('a wrong password shows an error and stays on the sign-in page', async () => {
    const page = await app.page();
    await page.goto(`${app.url}/`);
    await page.waitForURL(/\/sign-in$/, { waitUntil: 'commit', timeout: 20_000 }); // client-side navigation: no load event
    assert.equal(await visibleText(page.locator('h3')), '登录');
    assert.match(await visibleText(page.getByText('大客户与项目型销售管理').first()), /大客户/);
    await shot(page, 'sign-in');

    await signIn(page, app.url, ADMIN.email, 'not-the-password');
    assert.equal(await visibleText(page.getByTestId('sign-in-error')), '邮箱或密码不正确');
    assert.match(page.url(), /\/sign-in$/);
    await page.close();
  });

  test('sign in, switch language, add a unit and a user, sign out', async () => {
    const page = await app.page();
    const stamp = Date.now().toString(36);
    const unitName = `E2E 项目部 ${stamp}`;
    const userName = `E2E Tester ${stamp}`;
    const userEmail = `e2e-${stamp}@demo.keyline.dev`;

    // Sign in: the shell shows who is signed in, in Chinese (the admin's saved language).
    await signIn(page, app.url, ADMIN.email, ADMIN.password);
    await page.waitForURL(`${app.url}/`);
    assert.equal(await visibleText(page.getByTestId('user-name')), '周敏');
    assert.equal(await visibleText(page.getByTestId('user-role')), '系统管理员');
    assert.equal(await visibleText(page.getByTestId('workspace-name')), '华锐智造集团');
    assert.equal(await visibleText(page.getByRole('menuitem', { name: '首页' })), '首页');
    assert.match(await visibleText(page.getByTestId('home-greeting')), /周敏/);
    await page.locator('[role="img"] svg text').first().waitFor({ state: 'visible' });
    await shot(page, 'home-zh');

    // Switch to English; the choice is remembered across a reload (and saved to the profile).
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/me') && r.request().method() === 'PATCH');
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    assert.equal(await visibleText(page.getByRole('menuitem', { name: 'Opportunities' })), 'Opportunities');
    assert.equal((await saved).status(), 200);
    await page.locator('.ant-dropdown').waitFor({ state: 'hidden' });
    await page.locator('[role="img"] svg text').first().waitFor({ state: 'visible' });
    await shot(page, 'home-en');
    await page.reload();
    assert.equal(await visibleText(page.getByRole('menuitem', { name: 'Funnel & forecast' })), 'Funnel & forecast');
    assert.equal(await visibleText(page.getByTestId('user-role')), 'Administrator');
    const me = (await (await page.request.get(`${app.url}/api/v1/auth/me`)).json()) as { user: { locale: string } };
    assert.equal(me.user.locale, 'en-US');

    // Settings → Org tree: add a department under the Guangzhou branch.
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings\/org$/);
    await page.getByTestId('org-tree').getByText('广州分公司', { exact: true }).click();
    assert.match(await visibleText(page.getByTestId('unit-details').locator('.ant-card-head-title')), /广州分公司/);
    await page.getByRole('button', { name: 'Add sub-unit' }).click();
    const modal = await settled(page.locator('.ant-modal'));
    assert.equal(await visibleText(modal.locator('.ant-modal-title')), 'Add a unit under "广州分公司"');
    await modal.locator('#name').fill(unitName);
    await modal.getByRole('button', { name: 'Create' }).click();
    await modal.waitFor({ state: 'hidden' });
    assert.equal(await visibleText(page.getByTestId('org-tree').getByText(unitName, { exact: true })), unitName);
    assert.match(
      await visibleText(page.getByTestId('unit-details').locator('.ant-card-head-title')),
      new RegExp(unitName),
    );
    assert.match(await visibleText(page.getByTestId('unit-details')), /Department/);
    await shot(page, 'org-tree');

    // Users: create a user in the new unit.
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.waitForURL(/\/settings\/users/);
    await page.getByRole('button', { name: 'New user' }).click();
    const drawer = await settled(page.locator('.ant-drawer-section'));
    await drawer.locator('#name').fill(userName);
    await drawer.locator('#email').fill(userEmail);
    await drawer.locator('#orgUnitId').click();
    await drawer.locator('#orgUnitId').fill(stamp);
    // The tree re-renders while it filters: a click can land on a node being replaced and be
    // lost, so click again while the dropdown is still open (at most three times).
    const openDropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    const option = openDropdown.locator('.ant-select-tree-node-content-wrapper', { hasText: unitName });
    await option.waitFor();
    for (let attempt = 0; attempt < 3 && (await option.isVisible()); attempt++) {
      await option.click();
      await openDropdown.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
    }
    await page.locator('.ant-select-tree').waitFor({ state: 'hidden' });
    await drawer.locator('#password').fill('e2e-password-1');
    await drawer.locator('#title').fill('Key account manager');
    assert.match(
      await visibleText(drawer.locator('.ant-form-item', { has: page.locator('#orgUnitId') })),
      new RegExp(unitName),
    );
    // The drawer overlays the viewport; a full-page capture would cut it apart.
    await shot(page, 'create-user', false);
    await page.getByTestId('user-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });

    await page.getByPlaceholder('Search name or email').fill(userEmail);
    await page.getByPlaceholder('Search name or email').press('Enter');
    const row = page.locator('.ant-table-row', { hasText: userEmail });
    const rowText = await visibleText(row);
    assert.match(rowText, new RegExp(userName));
    assert.match(rowText, new RegExp(unitName));
    assert.match(rowText, /Account manager/);
    assert.match(rowText, /Active/);
    await page.getByPlaceholder('Search name or email').fill('');
    await page.locator('.ant-table-row').nth(5).waitFor({ state: 'visible' });
    await shot(page, 'users');

    // Sign out: back to the sign-in page, still in English.
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/, { waitUntil: 'commit', timeout: 20_000 }); // client-side navigation: no load event
    assert.equal(await visibleText(page.locator('h3')), 'Sign in');
    const after = await page.request.get(`${app.url}/api/v1/auth/me`);
    assert.equal(after.status(), 401);

    // Chinese picked on the sign-in page wins over the profile's English, and is saved.
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: '简体中文' }).click();
    await page.locator('.ant-dropdown').waitFor({ state: 'hidden' });
    await page.locator('#email').fill(ADMIN.email);
    await page.locator('#password').fill(ADMIN.password);
    const remembered = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/auth/me') && r.request().method() === 'PATCH',
    );
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${app.url}/`);
    assert.equal(await visibleText(page.getByTestId('user-role')), '系统管理员');
    assert.equal((await remembered).status(), 200);
    const chosen = (await (await page.request.get(`${app.url}/api/v1/auth/me`)).json()) as { user: { locale: string } };
    assert.equal(chosen.user.locale, 'zh-CN');

    assert.deepEqual(app.errors, [], 'no errors in the browser console');
    await page.close();
  });

  test('a user an administrator created replaces that password before anything else', async () => {
    const admin = await app.page();
    await signIn(admin, app.url, ADMIN.email, ADMIN.password);
    await admin.waitForURL(`${app.url}/`);
    const me = await apiCall<{ user: { orgUnitId: number } }>(admin, 'GET', '/auth/me');
    const email = `first-${Date.now().toString(36)}@demo.keyline.dev`;
    await apiCall(admin, 'POST', '/users', {
      email,
      name: '新同事',
      role: 'rep',
      orgUnitId: me.user.orgUnitId,
      password: 'admin-set-pass-1',
    });
    await admin.close();

    const page = await app.page();
    await signIn(page, app.url, email, 'admin-set-pass-1');
    assert.match(await visibleText(page.getByTestId('password-change-who')), new RegExp(email));
    assert.equal(
      (await page.request.get(`${app.url}/api/v1/accounts`)).status(),
      403,
      'the API answers nothing else meanwhile',
    );
    await page.locator('#currentPassword').fill('admin-set-pass-1');
    await page.locator('#newPassword').fill('my-own-pass-1');
    await page.locator('#confirm').fill('my-own-pass-2');
    await page.getByTestId('password-change-submit').click();
    assert.equal(await visibleText(page.getByText('两次输入的密码不一致')), '两次输入的密码不一致');
    await shot(page, 'password-change', false);
    await page.locator('#confirm').fill('my-own-pass-1');
    await page.getByTestId('password-change-submit').click();
    await page.getByTestId('desk').waitFor();
    assert.equal((await page.request.get(`${app.url}/api/v1/accounts`)).status(), 200);
    assert.deepEqual(app.errors, [], 'no errors in the browser console');
    await page.close();
  });

  test('home is a desk: what needs attention, overdue follow-ups and deals closing soon, as the lists count them', async () => {
    for (const who of [REP, MANAGER]) {
      const page = await app.page({ viewport: { width: 1440, height: 900 } });
      await signIn(page, app.url, who.email, who.password);
      await page.waitForURL(`${app.url}/`);
      const get = async (url: string) => {
        const res = await page.request.get(`${app.url}/api/v1${url}`);
        assert.ok(res.ok(), `${url} answered ${res.status()}`);
        return (await res.json()) as { total: number; items: { name: string }[] };
      };
      // A rep's desk holds their own deals and accounts; a manager's their team's.
      const me = (await (await page.request.get(`${app.url}/api/v1/auth/me`)).json()) as { user: { id: number } };
      const own = who === REP ? `ownerId=${me.user.id}&` : '';
      const [attention, overdue] = await Promise.all([
        get(`/opportunities/attention?${own}limit=5`),
        get(`/accounts?${own}overdue=true&archived=false&sort=tier&limit=5`),
      ]);
      // Each card shows the list's total and its first rows; the demo gives both something to show.
      assert.ok(
        attention.total > 0 && overdue.total > 0,
        'the demo has opportunities needing attention and overdue accounts',
      );
      assert.equal(await visibleText(page.getByTestId('desk-attention-total')), String(attention.total));
      assert.equal(await visibleText(page.getByTestId('desk-overdue-total')), String(overdue.total));
      assert.match(
        await visibleText(page.getByTestId('desk-attention')),
        new RegExp(attention.items[0]!.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      );
      assert.match(
        await visibleText(page.getByTestId('desk-overdue')),
        new RegExp(overdue.items[0]!.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      );
      await page.getByTestId('desk-closing').waitFor();
      await shot(page, who === REP ? 'home-desk-rep' : 'home-desk-manager', false);

      // "View all" opens the overdue accounts list with the same total.
      await page
        .getByTestId('desk-overdue')
        .getByRole('link', { name: /查看全部/ })
        .click();
      await page.waitForURL(/\/accounts\?(ownerId=\d+&)?overdue=true/);
      await page
        .locator('.ant-pagination-total-text')
        .filter({ hasText: `共 ${overdue.total} 条` })
        .waitFor();
      await page.close();
    }
  });

  test('the audit log keeps its filter in the URL, like every list', async () => {
    const page = await app.page();
    await signIn(page, app.url, ADMIN.email, ADMIN.password);
    await page.waitForURL(`${app.url}/`);
    await page.goto(`${app.url}/settings/audit`);
    const rows = page.getByTestId('audit-table').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();

    await page.locator('.ant-select').filter({ hasText: '事件类型' }).click();
    await pickOption(page, '登录与密码');
    await page.waitForURL((u) => u.searchParams.get('group') === 'auth');
    // Every row left is a sign-in or password event (the sign-in above is one). The unfiltered
    // page holds sign-ins too, so wait for the filtered answer itself: no other row left.
    const signInRows = /登录|退出|密码/;
    for (let tries = 0; tries < 50; tries++) {
      const texts = await rows.allInnerTexts();
      if (texts.length > 0 && texts.every((text) => signInRows.test(text))) break;
      await page.waitForTimeout(200);
    }
    for (const text of await rows.allInnerTexts()) assert.match(text, signInRows);

    // A reload (or a shared link) shows the same filtered list.
    await page.reload();
    assert.equal(await visibleText(page.locator('.ant-select').filter({ hasText: '登录与密码' })), '登录与密码');
    await rows.first().waitFor();
    for (const text of await rows.allInnerTexts()) assert.match(text, /登录|退出|密码/);
    await shot(page, 'audit-log');
    await page.close();
  });
});
