/**
 * Business lines in a real browser (docs/targets.md § Business lines): an administrator names a
 * line and its products in Settings → Rules, the deals selling them count toward it, and the
 * Funnel page narrows to the line and shows quota attainment by line. English and Chinese,
 * screenshots of each.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, browserSuite, shot, signIn, useEnglish } from './browser.ts';

const app = browserSuite();
const PASSWORD = 'keyline-demo';

describe('Business lines in the browser', () => {
  after(() => assert.deepEqual(app.errors, [], 'no console or page errors'));

  test('an administrator names a line and its products in Settings → Rules; the funnel narrows to it, in English', async () => {
    const page = await app.page({ viewport: { width: 1440, height: 900 } });
    await signIn(page, app.url, 'admin@demo.keyline.dev', PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await useEnglish(page);
    // The products of the open deals of the busiest process: the line sells the first two of them.
    const funnel = await apiCall<{ process: { id: number } }>(page, 'GET', '/funnel?period=all');
    const list = await apiCall<{ items: { id: number }[] }>(
      page,
      'GET',
      `/opportunities?status=open&processId=${funnel.process.id}&limit=20`,
    );
    const products: string[] = [];
    for (const item of list.items) {
      const deal = await apiCall<{ products: string[] }>(page, 'GET', `/opportunities/${item.id}`);
      for (const product of deal.products) if (!products.includes(product)) products.push(product);
      if (products.length >= 2) break;
    }
    assert.ok(products.length >= 2, 'the demo deals name their products');

    await page.goto(`${app.url}/settings/rules`);
    const lines = page.getByTestId('rules-lines');
    await lines.waitFor();
    await page.getByTestId('rules-line-add').click();
    const line = page.getByTestId('rules-line-0');
    await line.waitFor();
    await line.getByLabel('Key').fill('software');
    await line.getByLabel('Chinese name').fill('软件');
    await line.getByLabel('English name').fill('Software');
    const productInput = line.getByLabel('Products');
    for (const product of products.slice(0, 2)) {
      await productInput.fill(product);
      await productInput.press('Enter');
    }
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/workspace/rules') && r.request().method() === 'PATCH',
    );
    await page.getByTestId('rules-save').click();
    assert.equal((await saved).status(), 200);
    const rules = await apiCall<{ businessLines: { key: string; products: string[] }[] }>(
      page,
      'GET',
      '/workspace/rules',
    );
    assert.deepEqual(rules.businessLines, [
      { key: 'software', nameZh: '软件', nameEn: 'Software', products: products.slice(0, 2) },
    ]);
    // The form is drawn again keyed by the new version: wait for the saved line on it.
    await page.getByTestId('rules-line-0').getByText(products[0]!).first().waitFor();
    await page.getByTestId('rules-lines').scrollIntoViewIfNeeded();
    await shot(page, 'business-lines-rules-en', false);

    await page.goto(`${app.url}/funnel?period=all&line=software`);
    await page.getByTestId('funnel-line').getByText('Software').waitFor();
    const narrowed = await apiCall<{ total: { count: number } }>(page, 'GET', '/funnel?period=all&line=software');
    assert.ok(narrowed.total.count > 0, 'the deals selling those products count toward the line');
    await page.getByTestId('funnel-table').waitFor();
    await shot(page, 'business-lines-funnel-en');

    // The opportunity list by line: the filter bar shows the line and the list counts the funnel's deals.
    const drilled = await apiCall<{ closeFrom: string | null; closeTo: string | null; process: { id: number } }>(
      page,
      'GET',
      '/funnel?period=all&line=software',
    );
    await page.goto(`${app.url}/opportunities/list?status=open&processId=${drilled.process.id}&line=software`);
    await page.getByTestId('opp-line').getByText('Software').waitFor();
    const listed = await apiCall<{ total: number }>(
      page,
      'GET',
      `/opportunities?status=open&processId=${drilled.process.id}&line=software&limit=1`,
    );
    assert.equal(listed.total, narrowed.total.count, "the list by line counts the funnel's deals");
    await shot(page, 'business-lines-list-en');

    // This quarter's attainment by line, the rows as the API gives them.
    await page.goto(`${app.url}/funnel?line=software`);
    const card = page.getByTestId('funnel-lines');
    await card.getByTestId('line-row-software').waitFor();
    await card.getByTestId('line-row-none').waitFor();
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'business-lines-attainment-en', false);
  });

  test('a manager reads attainment by line on the funnel, in Chinese', async () => {
    const page = await app.page({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await signIn(page, app.url, 'manager@demo.keyline.dev', PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale: 'zh-CN' } });
    await page.goto(`${app.url}/funnel`);
    const card = page.getByTestId('funnel-lines');
    await card.getByTestId('line-row-software').getByText('软件').waitFor();
    await card.getByText('未归业务线').waitFor();
    const figures = await apiCall<{ lines: { key: string; realised: number }[] }>(page, 'GET', '/quotas/lines');
    assert.equal(figures.lines[0]!.key, 'software');
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'business-lines-attainment-zh', false);
    await page.goto(`${app.url}/opportunities/list?status=open&line=software`);
    await page.getByTestId('opp-line').getByText('软件').waitFor();
    await shot(page, 'business-lines-list-zh');
  });
});
