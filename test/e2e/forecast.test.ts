/**
 * The director's dashboard and the forecast reports in a real browser (docs/targets.md): the
 * sales director's home page opens on the company's quarter; a rep submits this week's
 * forecast from the pre-filled form; the branch manager reads it, adjusts the branch's figure
 * and opens the gap and the analyses — in Chinese on a desktop and in English on a phone.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, browserSuite, settled, shot, signIn, visibleText, useEnglish } from './browser.ts';

const app = browserSuite();
const PASSWORD = 'keyline-demo';

describe('Forecast and dashboard in the browser', () => {
  test("the director's home page opens on the quarter: quota, realised, forecast, funnel, gap, furthest behind", async () => {
    // This year's quotas of the three regions, set by the administrator as the quotas page would.
    const admin = await app.page({ viewport: { width: 1440, height: 900 } });
    await signIn(admin, app.url, 'admin@demo.keyline.dev', PASSWORD);
    await admin.waitForURL(`${app.url}/`);
    const units = await apiCall<{ items: { id: number; type: string }[] }>(admin, 'GET', '/org-units');
    const fy = (await apiCall<{ period: { name: string } }>(admin, 'GET', '/forecasts')).period.name.slice(2, 6);
    const regions = units.items.filter((u) => u.type === 'region');
    await apiCall(admin, 'PUT' as 'POST', '/quotas', {
      fiscalYear: Number(fy),
      reason: '年度目标',
      items: regions.map((region, index) => ({
        subjectType: 'unit',
        subjectId: region.id,
        amount: (30_000_000 + index * 10_000_000) * 100,
      })),
    });

    const page = await app.page({ viewport: { width: 1440, height: 900 } });
    await signIn(page, app.url, 'director@demo.keyline.dev', PASSWORD);
    await page.waitForURL(`${app.url}/`);
    const dash = page.getByTestId('director-dashboard');
    await dash.waitFor();
    assert.match(await visibleText(dash.locator('.ant-card-head-title')), /华锐智造集团 · FY\d{4}-Q[1-4]/);
    assert.match(await visibleText(page.getByTestId('dash-forecast')), /¥/);
    assert.match(await visibleText(page.getByTestId('dash-submitted')), /\d+\/\d+/);
    await page.getByTestId('dash-behind').locator('.ant-list-item').first().waitFor();
    assert.equal(await page.getByTestId('dash-behind').locator('.ant-list-item').count(), 3);
    await shot(page, 'dashboard-zh');

    // The forecast report of the company, with the weekly history chart.
    await page.getByTestId('dash-forecast').click();
    await page.waitForURL(/\/reports\/forecast/);
    await page.getByTestId('forecast-summary').waitFor();
    await page.locator('[role="img"] svg text').first().waitFor({ state: 'visible' });
    await shot(page, 'forecast-zh');
  });

  test("a rep submits this week's forecast; the manager sees it and adjusts the branch's figure", async () => {
    const rep = await app.page({ viewport: { width: 1440, height: 900 } });
    await signIn(rep, app.url, 'rep@demo.keyline.dev', PASSWORD);
    await rep.waitForURL(`${app.url}/`);
    await rep.goto(`${app.url}/reports/forecast`);
    await rep.getByTestId('open-submit').click();
    await rep.getByTestId('submit-forecast').waitFor();
    await rep.locator('.ant-drawer .ant-table-row').first().waitFor();
    await shot(rep, 'forecast-submit-zh', false);
    const submitted = rep.waitForResponse(
      (r) => r.url().endsWith('/api/v1/forecasts/submissions') && r.request().method() === 'POST',
    );
    await rep.getByTestId('submit-forecast').click();
    assert.equal((await submitted).status(), 201);
    const me = await apiCall<{ user: { id: number } }>(rep, 'GET', '/auth/me');

    const manager = await app.page({ viewport: { width: 1440, height: 900 } });
    await signIn(manager, app.url, 'manager@demo.keyline.dev', PASSWORD);
    await manager.waitForURL(`${app.url}/`);
    await manager.getByTestId('director-dashboard').waitFor();
    await manager.goto(`${app.url}/reports/forecast`);
    await manager.getByTestId('forecast-summary').waitFor();
    const view = await apiCall<{ people: { userId: number; weekStart: string | null }[]; weekStart: string }>(
      manager,
      'GET',
      '/forecasts',
    );
    assert.equal(
      view.people.find((p) => p.userId === me.user.id)?.weekStart,
      view.weekStart,
      "the rep's submission of this week counts",
    );
    await manager.getByTestId('open-adjust').click();
    const modal = await settled(manager.locator('.ant-modal'));
    await modal.locator('input').first().fill('3000000');
    const saved = manager.waitForResponse((r) => r.url().endsWith('/api/v1/forecasts/adjustments'));
    await modal.getByRole('button', { name: /确\s*定|OK/ }).click();
    assert.equal((await saved).status(), 200);
    await manager.getByText(/¥3,000,000（\d{4}-\d{2}-\d{2} 这周）/).waitFor();
    await shot(manager, 'forecast-adjusted-zh');

    await manager.goto(`${app.url}/reports/gap`);
    await manager.getByTestId('gap-result').waitFor();
    await shot(manager, 'gap-zh');
    await manager.goto(`${app.url}/reports/analyses`);
    await manager.getByTestId('diagnosis').waitFor();
    await manager.getByTestId('size-bands').locator('[role="img"] svg text').first().waitFor({ state: 'visible' });
    await shot(manager, 'analyses-zh');
    await manager.getByTestId('activity-productivity').locator('.ant-table-row').first().waitFor();
    await manager.getByTestId('activity-productivity').scrollIntoViewIfNeeded();
    await shot(manager, 'analyses-activity-zh', false);
  });

  test('an administrator sets the forecast weights, P1–P3 and the VAT rate in Settings → Rules, in English on a phone', async () => {
    const page = await app.page({ viewport: { width: 390, height: 844 } });
    await signIn(page, app.url, 'admin@demo.keyline.dev', PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await useEnglish(page);
    await page.goto(`${app.url}/settings/rules`);
    await page.getByTestId('rules-forecast').getByText('Commit weight').waitFor();
    await page.locator('#forecastCommitWeight').fill('75');
    await page.locator('#taxRatePercent').fill('6');
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/workspace/rules') && r.request().method() === 'PATCH',
    );
    await page.getByTestId('rules-save').click();
    assert.equal((await saved).status(), 200);
    const rules = await apiCall<{ forecastCommitWeight: number; taxRatePercent: number; version: number }>(
      page,
      'GET',
      '/workspace/rules',
    );
    assert.deepEqual([rules.forecastCommitWeight, rules.taxRatePercent], [75, 6]);
    // The saved rules come back with a new version and the form is drawn again (keyed by it): a
    // scroll begun on the old form finds it gone, so it is tried again on the new one.
    for (let attempt = 0; ; attempt++) {
      try {
        await page.getByTestId('rules-forecast').scrollIntoViewIfNeeded({ timeout: 2_000 });
        break;
      } catch (error) {
        if (attempt === 2) throw error;
      }
    }
    await shot(page, 'rules-forecast-en-phone', false);
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    )) as number;
    assert.ok(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
    await apiCall(page, 'PATCH' as 'POST', '/workspace/rules', {
      version: rules.version,
      forecastCommitWeight: 70,
      taxRatePercent: 13,
    });
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: '简体中文' }).click();
  });

  test('the dashboard in English on a phone', async () => {
    const page = await app.page({ viewport: { width: 390, height: 844 } });
    await signIn(page, app.url, 'director@demo.keyline.dev', PASSWORD);
    await page.waitForURL(`${app.url}/`);
    await useEnglish(page);
    await page.getByTestId('director-dashboard').getByText('Furthest behind').waitFor();
    await page.getByTestId('dash-behind').locator('.ant-list-item').first().waitFor();
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    )) as number;
    assert.ok(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
    await shot(page, 'dashboard-en-phone');
    await page.goto(`${app.url}/reports/forecast`);
    await page.getByTestId('forecast-summary').waitFor();
    await shot(page, 'forecast-en-phone');
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: '简体中文' }).click();
  });

  test('the dashboard at 390 and 1440 px in both languages: the title whole, nothing cut or scrolling sideways', async () => {
    for (const locale of ['zh-CN', 'en-US'] as const)
      for (const width of [390, 1440]) {
        const page = await app.page({ viewport: { width, height: width === 390 ? 844 : 900 }, locale });
        await signIn(page, app.url, 'director@demo.keyline.dev', PASSWORD);
        await page.waitForURL(`${app.url}/`);
        await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
        await page.reload();
        const dash = page.getByTestId('director-dashboard');
        await dash.getByText(locale === 'en-US' ? 'Furthest behind' : '最落后的三个').waitFor();
        await page.getByTestId('dash-behind').locator('.ant-list-item').first().waitFor();
        const title = dash.locator('.ant-card-head-title');
        assert.match(await visibleText(title), /华锐智造集团 · FY\d{4}-Q[1-4]/);
        const cut = (await page.evaluate(
          "(() => { const el = document.querySelector('[data-testid=director-dashboard] .ant-card-head-title'); return el.scrollWidth - el.clientWidth; })()",
        )) as number;
        assert.ok(cut <= 0, `the title is whole at ${width}px (${cut}px cut)`);
        const overflow = (await page.evaluate(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        )) as number;
        assert.ok(overflow <= 0, `no sideways scrolling at ${width}px (overflow ${overflow}px)`);
        await shot(page, `dashboard-${locale}-${width}`, false);
        await page.close();
      }
  });
});
