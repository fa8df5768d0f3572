/**
 * The funnel and the quotas in a real browser (docs/targets.md): a manager opens the funnel of
 * their branch — chart, table, members, health — and follows a stage's count to the opportunity
 * list, which shows exactly those deals; sets a rep's quota with a reason and finds it in the
 * history; a rep sees their own funnel on a phone. Both languages, screenshots of each.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, settled, shot, signIn, apiCall } from './browser.ts';

const app = browserSuite();
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };
const REP = { email: 'rep@demo.keyline.dev', password: 'keyline-demo' };

async function signedIn(
  who: { email: string; password: string },
  locale: 'zh-CN' | 'en-US',
  viewport = { width: 1440, height: 900 },
  phone = false,
) {
  const page = await app.page({ viewport, phone, locale });
  await signIn(page, app.url, who.email, who.password);
  await page.waitForURL(`${app.url}/`);
  await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
  return page;
}

describe('Funnel and quotas in the browser', () => {
  after(() => assert.deepEqual(app.errors, [], 'no console or page errors'));

  test('a manager reads the funnel of their branch and drills down from a stage to its deals', async () => {
    const page = await signedIn(MANAGER, 'zh-CN');
    await page.goto(`${app.url}/funnel`);
    const chart = page.getByTestId('funnel-chart').locator('svg');
    await chart.first().waitFor();
    await page.getByTestId('funnel-members').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('funnel-health').waitFor();
    // Large projects by amount with their expected collections (docs/targets.md § Expected collections).
    const collections = page.getByTestId('funnel-collections');
    await collections.getByTestId('collections-total').waitFor();
    const figures = await apiCall<{ total: number; installments: number; deals: unknown[] }>(
      page,
      'GET',
      '/funnel/collections',
    );
    assert.ok(figures.total > 0 && figures.deals.length > 0, 'the demo branch expects collections from planned deals');
    await shot(page, 'funnel-manager-zh');
    await collections.scrollIntoViewIfNeeded();
    await shot(page, 'funnel-collections-zh', false);
    const funnel = await apiCall<{ stages: { stageId: number; name: string; count: number }[] }>(
      page,
      'GET',
      '/funnel',
    );
    const stage = funnel.stages.find((s) => s.count > 0);
    assert.ok(stage, 'the demo branch has open deals this quarter');
    // The stage's count in the table is a link to the list of those deals.
    const row = page
      .getByTestId('funnel-table')
      .locator('tbody tr.ant-table-row')
      .filter({ hasText: stage.name })
      .first();
    await row
      .getByRole('link', { name: String(stage.count), exact: true })
      .first()
      .click();
    await page.waitForURL(/\/opportunities\/list\?/);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('stageId'), String(stage.stageId));
    assert.equal(url.searchParams.get('status'), 'open');
    const listed = await apiCall<{ total: number }>(
      page,
      'GET',
      `/opportunities?${url.searchParams.toString()}&limit=1`,
    );
    assert.equal(listed.total, stage.count, 'the list holds exactly the deals the funnel counted');
  });

  test('the funnel in English, and a quota set with its reason and found in the history', async () => {
    const page = await signedIn(MANAGER, 'en-US');
    await page.goto(`${app.url}/funnel`);
    await page.getByTestId('funnel-chart').locator('svg').first().waitFor();
    await page.getByTestId('funnel-health').waitFor();
    await shot(page, 'funnel-manager-en');

    await page.goto(`${app.url}/funnel/quotas`);
    const table = page.getByTestId('quota-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const quotas = await apiCall<{
      rows: { subjectType: string; subjectId: number; name: string; canEdit: boolean }[];
    }>(page, 'GET', '/quotas');
    const rep = quotas.rows.find((r) => r.subjectType === 'user' && r.canEdit)!;
    const input = page.getByRole('spinbutton', { name: `${rep.name} Annual quota (yuan)` });
    await input.fill('1234567');
    await page.getByTestId('quota-save').click();
    const reason = await settled(page.getByTestId('quota-reason'));
    await reason.fill('Q4 push');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('1 quota saved').waitFor();
    const after = await apiCall<{
      rows: { subjectType: string; subjectId: number; quota: { amount: number } | null }[];
    }>(page, 'GET', '/quotas');
    assert.equal(
      after.rows.find((r) => r.subjectType === 'user' && r.subjectId === rep.subjectId)!.quota!.amount,
      1_234_567_00,
    );
    await shot(page, 'quotas-manager-en');
    const history = await apiCall<{ items: { reason: string }[] }>(
      page,
      'GET',
      `/quotas/history?subjectType=user&subjectId=${rep.subjectId}`,
    );
    assert.equal(history.items[0]!.reason, 'Q4 push');
  });

  test("a manager's funnel with its expected collections at 390 px, in both languages", async () => {
    for (const locale of ['zh-CN', 'en-US'] as const) {
      const page = await signedIn(MANAGER, locale, { width: 390, height: 844 }, true);
      await page.goto(`${app.url}/funnel`);
      await page.getByTestId('funnel-chart').locator('svg').first().waitFor();
      await page.getByTestId('funnel-collections').getByTestId('collections-total').waitFor();
      const width = await page.evaluate('document.documentElement.scrollWidth');
      assert.ok(Number(width) <= 390, `no sideways scrolling of the page (${String(width)} px)`);
      await shot(page, `funnel-manager-phone-${locale}`);
      await page.getByTestId('funnel-collections').scrollIntoViewIfNeeded();
      await shot(page, `funnel-collections-phone-${locale}`, false);
      await page.close();
    }
  });

  test('a rep sees their own funnel on a phone, in both languages', async () => {
    for (const locale of ['zh-CN', 'en-US'] as const) {
      const page = await signedIn(REP, locale, { width: 390, height: 844 }, true);
      await page.goto(`${app.url}/funnel`);
      await page.getByTestId('funnel-chart').locator('svg').first().waitFor();
      await page.getByTestId('funnel-health').waitFor();
      assert.equal(await page.getByTestId('funnel-scope-kind').count(), 0, 'a rep has no other scope to choose');
      const width = await page.evaluate('document.documentElement.scrollWidth');
      assert.ok(Number(width) <= 390, `no sideways scrolling of the page (${String(width)} px)`);
      await shot(page, `funnel-rep-phone-${locale}`);
      await page.close();
    }
  });
});
