/**
 * Business lines in a real browser (docs/targets.md § Business lines): the demo company sells
 * through three lines; an administrator adds a fourth in Settings → Rules, moving two products
 * to it, the deals selling them count toward it, and the Funnel page narrows to the line and
 * shows quota attainment by line; the board narrows to a line as the list does. English and
 * Chinese, screenshots of each.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, browserSuite, pickOption, shot, signIn, useEnglish } from './browser.ts';

const app = browserSuite();
const PASSWORD = 'keyline-demo';
type Line = { key: string; nameZh: string; nameEn: string; products: string[] };

describe('Business lines in the browser', () => {
  after(() => assert.deepEqual(app.errors, [], 'no console or page errors'));

  test('an administrator adds a line after the demo company’s three, moving two products to it; the funnel narrows to it, in English', async () => {
    const page = await app.page({ viewport: { width: 1440, height: 900 } });
    await signIn(page, app.url, 'admin@demo.keyline.dev', PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await useEnglish(page);
    // The demo company sells through three lines; automation equipment's last two products are logistics.
    const before = await apiCall<{ businessLines: Line[] }>(page, 'GET', '/workspace/rules');
    assert.deepEqual(
      before.businessLines.map((line) => line.key),
      ['software', 'automation', 'services'],
    );
    const automation = before.businessLines[1]!;
    const moved = automation.products.slice(-2);
    assert.deepEqual(moved, ['AGV 物流系统', '智能仓储']);

    await page.goto(`${app.url}/settings/rules`);
    await page.getByTestId('rules-lines').waitFor();
    await page.getByTestId('rules-line-2').getByText('数字化工厂咨询').waitFor();
    // A product belongs to one line: take the two off automation (Backspace removes the last tag) …
    const automationProducts = page.getByTestId('rules-line-1').getByLabel('Products');
    await automationProducts.click();
    await automationProducts.press('Backspace');
    await automationProducts.press('Backspace');
    // … and give them to a new line after the existing ones.
    await page.getByTestId('rules-line-add').click();
    const line = page.getByTestId('rules-line-3');
    await line.waitFor();
    await line.getByLabel('Key').fill('logistics');
    await line.getByLabel('Chinese name').fill('智能物流');
    await line.getByLabel('English name').fill('Intelligent logistics');
    const productInput = line.getByLabel('Products');
    for (const product of moved) {
      await productInput.fill(product);
      await productInput.press('Enter');
    }
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/workspace/rules') && r.request().method() === 'PATCH',
    );
    await page.getByTestId('rules-save').click();
    assert.equal((await saved).status(), 200);
    const rules = await apiCall<{ businessLines: Line[] }>(page, 'GET', '/workspace/rules');
    assert.deepEqual(rules.businessLines, [
      before.businessLines[0],
      { ...automation, products: automation.products.slice(0, -2) },
      before.businessLines[2],
      { key: 'logistics', nameZh: '智能物流', nameEn: 'Intelligent logistics', products: moved },
    ]);
    // The form is drawn again keyed by the new version: wait for the saved line on it.
    await page.getByTestId('rules-line-3').getByText(moved[0]!).first().waitFor();
    await page.getByTestId('rules-line-3').scrollIntoViewIfNeeded();
    await shot(page, 'business-lines-rules-en', false);

    // The deals selling those products now count toward the new line, and automation lost them.
    const logistics = await apiCall<{ total: { count: number } }>(page, 'GET', '/funnel?period=all&line=logistics');
    assert.ok(logistics.total.count > 0, 'the deals selling those products count toward the new line');
    await page.goto(`${app.url}/funnel?period=all&line=logistics`);
    await page.getByTestId('funnel-line').getByText('Intelligent logistics').waitFor();
    await page.getByTestId('funnel-table').waitFor();
    await shot(page, 'business-lines-funnel-en');

    // The opportunity list by line: the filter bar shows the line and the list counts the funnel's deals.
    const drilled = await apiCall<{ closeFrom: string | null; closeTo: string | null; process: { id: number } }>(
      page,
      'GET',
      '/funnel?period=all&line=logistics',
    );
    await page.goto(`${app.url}/opportunities/list?status=open&processId=${drilled.process.id}&line=logistics`);
    await page.getByTestId('opp-line').getByText('Intelligent logistics').waitFor();
    const listed = await apiCall<{ total: number }>(
      page,
      'GET',
      `/opportunities?status=open&processId=${drilled.process.id}&line=logistics&limit=1`,
    );
    assert.equal(listed.total, logistics.total.count, "the list by line counts the funnel's deals");
    await shot(page, 'business-lines-list-en');

    // This quarter's attainment by line, the rows as the API gives them.
    // The new line has no quota yet (the quotas split by the demo's three): its attainment is blank.
    await page.goto(`${app.url}/funnel?line=logistics`);
    const card = page.getByTestId('funnel-lines');
    await card.getByTestId('line-row-logistics').waitFor();
    await card.getByTestId('line-row-software').waitFor();
    await card.getByTestId('line-row-none').waitFor();
    const figures = await apiCall<{ lines: { key: string; quota: number; attainment: number | null }[] }>(
      page,
      'GET',
      '/quotas/lines',
    );
    assert.deepEqual(
      figures.lines.map((l) => [l.key, l.quota > 0]),
      [
        ['software', true],
        ['automation', true],
        ['services', true],
        ['logistics', false],
      ],
    );
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
    await card.getByTestId('line-row-software').getByText('工业软件').waitFor();
    await card.getByTestId('line-row-logistics').getByText('智能物流').waitFor();
    await card.getByText('未归业务线').waitFor();
    const figures = await apiCall<{ lines: { key: string; realised: number }[] }>(page, 'GET', '/quotas/lines');
    assert.ok(
      figures.lines.some((l) => l.realised > 0),
      'the lines have won this quarter',
    );
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'business-lines-attainment-zh', false);
    await page.goto(`${app.url}/opportunities/list?status=open&line=software`);
    await page.getByTestId('opp-line').getByText('工业软件').waitFor();
    await shot(page, 'business-lines-list-zh');
  });
  test('the board narrowed to a line: the line beside its other filters, its totals the list’s, in Chinese', async () => {
    const page = await app.page({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await signIn(page, app.url, 'manager@demo.keyline.dev', PASSWORD);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale: 'zh-CN' } });
    const { process } = await apiCall<{ process: { id: number } }>(page, 'GET', '/funnel?period=all');
    await page.goto(`${app.url}/opportunities/board?processId=${process.id}`);
    // The line select sits with the board's filters; choosing a line narrows the board.
    await page.getByTestId('board-totals').waitFor();
    await page.getByTestId('opp-line').click();
    await pickOption(page, '工业软件');
    await page.waitForURL(/line=software/);
    const board = await apiCall<{ columns: { stage: { won: boolean }; count: number; amount: number }[] }>(
      page,
      'GET',
      `/opportunities/board?processId=${process.id}&line=software`,
    );
    const open = board.columns.filter((column) => !column.stage.won);
    const count = open.reduce((sum, column) => sum + column.count, 0);
    const list = await apiCall<{ total: number; totals: { amount: number } }>(
      page,
      'GET',
      `/opportunities?status=open&processId=${process.id}&line=software&limit=1`,
    );
    assert.ok(count > 0, 'the line has open deals on the board');
    assert.equal(count, list.total, "the board's open deals of the line are the list's");
    assert.equal(
      open.reduce((sum, column) => sum + column.amount, 0),
      list.totals.amount,
    );
    await page.getByTestId('board-totals').getByText(String(count), { exact: true }).waitFor();
    await page.getByTestId('opp-line').getByText('工业软件').waitFor();
    await shot(page, 'business-lines-board-zh', false);
  });
});
