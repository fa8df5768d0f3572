/**
 * The planning calculators in a real browser (docs/targets.md § Planning calculators): a
 * manager opens Reports → Planning calculators, sees all four results of the worked example
 * at once, changes a number and sees the headcount follow, empties a required box and is told
 * which one, in Chinese on a desktop and in English on a phone.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, shot, signIn, visibleText, useEnglish } from './browser.ts';

const app = browserSuite();
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };

describe('Planning calculators in the browser', () => {
  test('the four results at once, the headcount follows the numbers, an empty box is named', async () => {
    const page = await app.page({ viewport: { width: 1440, height: 900 } });
    await signIn(page, app.url, MANAGER.email, MANAGER.password);
    await page.waitForURL(`${app.url}/`);
    await page.getByRole('menuitem', { name: '报表' }).click();
    // Reports open on the forecast; the calculators are their last tab.
    await page.waitForURL(/\/reports\/forecast$/);
    await page.getByRole('tab', { name: '计划计算器' }).click();
    await page.waitForURL(/\/reports\/calculators$/);

    // The worked example: quota 1,300,000, average 10,000, 13 weeks → 10 wins a week, 50 new a
    // week at 20%, 13 reps at 4 new deals each; P1–P4 and the forecast beside it.
    assert.equal(await visibleText(page.getByTestId('calc-reps').locator('.ant-statistic-content-value')), '13');
    assert.match(await visibleText(page.getByTestId('calc-standard')), /50/);
    await page.getByTestId('calc-funnel-gap').locator('[role="img"] svg text').first().waitFor({ state: 'visible' });
    assert.match(await visibleText(page.getByTestId('calc-forecast-value')), /¥/);
    assert.match(await visibleText(page.getByTestId('calc-gap')), /Gap3/);
    await shot(page, 'planning-calculators-zh');

    // Eight new deals per rep a week: 50 ÷ 8 → 7 reps.
    const perRep = page.getByLabel('每人每周新增商机');
    await perRep.fill('8');
    await page.getByTestId('calc-reps').getByText('7', { exact: true }).waitFor();

    // An emptied average deal: the server names the field, the page says which one.
    await page.getByLabel('平均单值').fill('');
    const trouble = page.getByTestId('calc-trouble').first();
    assert.match(await visibleText(trouble), /平均单值/);
    await page.getByLabel('平均单值').fill('10000');
    await trouble.waitFor({ state: 'detached' });
  });

  test('in English on a phone', async () => {
    const page = await app.page({ viewport: { width: 390, height: 844 } });
    await signIn(page, app.url, MANAGER.email, MANAGER.password);
    await page.waitForURL(`${app.url}/`);
    await page.goto(`${app.url}/reports/calculators`);
    await useEnglish(page);
    assert.equal(await visibleText(page.getByText('Standard funnel and headcount')), 'Standard funnel and headcount');
    assert.equal(await visibleText(page.getByTestId('calc-reps').locator('.ant-statistic-content-value')), '13');
    await page.getByTestId('calc-funnel-gap').locator('[role="img"] svg text').first().waitFor({ state: 'visible' });
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    )) as number;
    assert.ok(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
    await shot(page, 'planning-calculators-en-phone');
    // Back to Chinese, as the demo manager is used elsewhere.
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: '简体中文' }).click();
  });

  test('the calculators in Chinese on a phone and in English on a desktop: nothing cut or scrolling sideways', async () => {
    for (const [locale, width] of [
      ['zh-CN', 390],
      ['en-US', 1440],
    ] as const) {
      const page = await app.page({ viewport: { width, height: width === 390 ? 844 : 900 }, locale });
      await signIn(page, app.url, MANAGER.email, MANAGER.password);
      await page.waitForURL(`${app.url}/`);
      await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
      await page.goto(`${app.url}/reports/calculators`);
      assert.equal(await visibleText(page.getByTestId('calc-reps').locator('.ant-statistic-content-value')), '13');
      await page.getByTestId('calc-funnel-gap').locator('[role="img"] svg text').first().waitFor({ state: 'visible' });
      const overflow = (await page.evaluate(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      )) as number;
      assert.ok(overflow <= 0, `no sideways scrolling at ${width}px (overflow ${overflow}px)`);
      await shot(page, `planning-calculators-${locale}-${width}`);
      // Back to Chinese, as the demo manager is used elsewhere.
      await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale: 'zh-CN' } });
      await page.close();
    }
  });
});
