/**
 * Territories and rules in the browser (docs/organisation.md, §3.1): recompute the ABC tiers and read the
 * chart, add two territory rules that collide, see the conflict reported and previewed (the
 * demo's own deliberate conflict is listed too).
 * Runs the real server on the demo company and the built web app (npm run build:web).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, shot, signIn, TIMEOUT, visibleText } from './browser.ts';

const app = browserSuite();
const ADMIN = { email: 'admin@demo.keyline.dev', password: 'keyline-demo' };

describe('Territories and rules in the browser', () => {
  test('recompute tiers, then add conflicting territories and preview', async () => {
    const page = await app.page();
    await signIn(page, app.url, ADMIN.email, ADMIN.password);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));

    await page.goto(`${app.url}/settings/rules`);
    await page.getByTestId('rules-form').waitFor();
    await page.getByTestId('recompute-tiers').click();
    const result = await visibleText(page.getByTestId('recompute-result'));
    const match = /已重新计算 (\d+) 个客户/.exec(result);
    assert.ok(match && Number(match[1]) > 0, result);
    await page.locator('[role="img"] svg text').first().waitFor({ state: 'visible', timeout: TIMEOUT });
    await page.waitForTimeout(600);
    await shot(page, 'territories-rules');

    // A rule that breaks the cadence order is refused beside its field.
    await page.locator('#followUpDays_A').fill('40');
    await page.getByTestId('rules-save').click();
    // Said from the field error's code and params, in the page's language: at most the B interval (15 days).
    const help = page.locator('#followUpDays_A_help').filter({ hasText: /15/ });
    await help.waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.match(await visibleText(help), /不能大于 15|at most 15/);

    await page.goto(`${app.url}/settings/territories`);
    await page.getByTestId('territories-table').waitFor();
    // A province the demo's rules leave alone, chosen from the list by its short name.
    const province = '西藏自治区';
    const addRule = async (repIndex: number) => {
      await page.getByTestId('territory-add').click();
      await page.locator('#province').fill('西藏');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: province }).click();
      await page.getByTestId('territory-rep').click();
      // Rep options read "name · unit"; the province list may still be fading out.
      const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: ' · ' });
      await options.nth(repIndex).click();
      await page.getByTestId('territory-submit').click();
      await page.locator('.ant-drawer-content').waitFor({ state: 'detached', timeout: TIMEOUT });
    };
    await addRule(0);
    await page.getByTestId('territories-table').getByText(province).first().waitFor();
    await addRule(1);
    // The demo's deliberate conflict (Suzhou electronics) is listed from the start; ours joins it.
    await page.getByTestId('territory-conflicts').getByText(province).first().waitFor();
    const conflict = await visibleText(page.getByTestId('territory-conflicts'));
    assert.match(conflict, /发现 2 处区域冲突/);
    assert.match(conflict, new RegExp(province));
    assert.match(conflict, /苏州市/);

    // The preview takes the place as people write it: 西藏 is 西藏自治区.
    await page.locator('#preview_province').fill('西藏');
    await page.getByTestId('territory-preview').click();
    assert.match(await visibleText(page.getByTestId('territory-preview-result')), /规则冲突/);
    await shot(page, 'territories-conflict');
    // The one 400 is the refused cadence rule above.
    assert.deepEqual(
      app.errors.filter((e) => !/status of 400/.test(e)),
      [],
    );
    await page.close();
  });
});
