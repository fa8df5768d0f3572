/**
 * The board's filter bar (docs/sales-process.md § The board): at a 1440-pixel window the
 * process, search, owner and line filters, the "More filters" button and the board's totals
 * sit in one row (it wrapped to two); unit and close dates are behind the button, which counts
 * those set, and still narrow the board through the URL; on a 390-px phone the bar wraps
 * without sideways scrolling and the pop-over fits the screen. Both languages, screenshots.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apiCall, browserSuite, settled, shot, signIn } from './browser.ts';

const app = browserSuite();
const PASSWORD = 'keyline-demo';
type Box = { top: number; bottom: number; left: number; right: number; testId: string | null };

async function signedIn(email: string, locale: 'zh-CN' | 'en-US', phone = false) {
  const page = await app.page({
    viewport: phone ? { width: 390, height: 844 } : { width: 1440, height: 900 },
    phone,
    locale,
  });
  await signIn(page, app.url, email, PASSWORD);
  await page.waitForURL(`${app.url}/`);
  await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
  return page;
}

/** The boxes of the bar's filters (each control) and of the board's totals, as laid out. */
async function barBoxes(page: Page): Promise<{ bar: Box; items: Box[] }> {
  // A string (the root tsconfig has no DOM lib): the rectangles of the controls and the totals.
  return page.evaluate(`(() => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, testId: el.getAttribute('data-testid') };
    };
    const bar = document.querySelector('[data-testid="board-filter-bar"]');
    const items = [...document.querySelectorAll('[data-testid="opp-filter-bar"] > *'), document.querySelector('[data-testid="board-totals"]')]
      .filter((el) => el && el.getBoundingClientRect().width > 0);
    return { bar: box(bar), items: items.map(box) };
  })()`);
}

async function openBoard(page: Page) {
  await page.goto(`${app.url}/opportunities/board`);
  await page.getByTestId('board-totals').waitFor();
  await page.getByTestId('opp-line').waitFor();
  await page.evaluate('document.fonts.ready');
}

describe('The board’s filter bar', () => {
  after(() => assert.deepEqual(app.errors, [], 'no console or page errors'));

  for (const locale of ['zh-CN', 'en-US'] as const)
    for (const who of ['admin', 'manager'])
      test(`one row at 1440 px: filters, "More filters" and totals (${who}, ${locale})`, async () => {
        const page = await signedIn(`${who}@demo.keyline.dev`, locale);
        await openBoard(page);
        const { bar, items } = await barBoxes(page);
        // Process, search, owner, line, More filters, and the totals.
        assert.ok(items.length >= 6, `the bar's items (${items.length})`);
        assert.equal(items.at(-1)!.testId, 'board-totals');
        const tallest = Math.max(...items.map((item) => item.bottom - item.top));
        assert.ok(
          bar.bottom - bar.top <= tallest + 1,
          `one row high: ${bar.bottom - bar.top} px, tallest item ${tallest}`,
        );
        // Every item crosses the row's middle line: none sits on a second row.
        const middle = (bar.top + bar.bottom) / 2;
        for (const item of items)
          assert.ok(item.top < middle && item.bottom > middle, `${item.testId ?? 'a filter'} on the row`);
        assert.ok(Math.max(...items.map((item) => item.right)) <= bar.right + 0.5, 'nothing past the bar');
        if (who === 'admin') await shot(page, `board-filters-1440-${locale}`, false);
        await page.close();
      });

  test('unit and close dates behind "More filters": they narrow the board through the URL and are counted on the button', async () => {
    const page = await signedIn('admin@demo.keyline.dev', 'en-US');
    await openBoard(page);
    const more = page.getByTestId('opp-more-filters');
    const counted = more.locator('xpath=..').locator('sup.ant-badge-count');
    assert.equal(await counted.count(), 0, 'nothing set, nothing counted');
    await more.click();
    const panel = await settled(page.getByTestId('opp-more-filters-panel'));
    const units = await apiCall<{ items: { id: number; name: string; parentId: number | null }[] }>(
      page,
      'GET',
      '/org-units',
    );
    const unit = units.items.find((u) => u.parentId !== null)!;
    await panel.locator('.ant-select').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-tree-title')
      .getByText(unit.name, { exact: true })
      .click();
    await page.waitForURL((url) => url.searchParams.get('orgUnitId') === String(unit.id));
    // Picking in the tree's own pop-up leaves the filters open for the next one.
    await panel.waitFor();
    const board = page.waitForResponse((res) => /\/opportunities\/board\?.*closeTo=/.test(res.url()));
    await panel.locator('.ant-picker').click();
    const cells = page.locator('.ant-picker-dropdown:visible .ant-picker-cell-in-view');
    await cells.nth(2).click();
    await cells.nth(12).click();
    await page.waitForURL((url) => url.searchParams.has('closeFrom') && url.searchParams.has('closeTo'));
    // The dates are picked at once, while the board may still be re-rendering for the unit: the
    // unit must stay (it was written over when the URL was built from the render's parameters).
    const asked = new URL((await board).url()).searchParams;
    assert.equal(new URL(page.url()).searchParams.get('orgUnitId'), String(unit.id), 'the unit stays in the URL');
    assert.equal(asked.get('orgUnitId'), String(unit.id), 'the board asked for the unit and the dates');
    await counted.getByText('2').waitFor();
    await shot(page, 'board-more-filters-en', false);

    // A reload keeps them: counted on the button, shown in the pop-over.
    await page.reload();
    await page.getByTestId('board-totals').waitFor();
    await counted.getByText('2').waitFor();
    await more.click();
    const again = await settled(page.getByTestId('opp-more-filters-panel'));
    await again.getByText(unit.name).waitFor();
    await page.close();
  });

  for (const locale of ['zh-CN', 'en-US'] as const)
    test(`at 390 px the bar wraps without sideways scrolling and the pop-over fits (${locale})`, async () => {
      const page = await signedIn('admin@demo.keyline.dev', locale, true);
      await openBoard(page);
      const { items } = await barBoxes(page);
      for (const item of items) assert.ok(item.right <= 390, `${item.testId ?? 'a filter'} within the screen`);
      const width = await page.evaluate('document.documentElement.scrollWidth');
      assert.ok(Number(width) <= 390, `no sideways scrolling of the page (${String(width)} px)`);
      await shot(page, `board-filters-390-${locale}`, false);
      await page.getByTestId('opp-more-filters').click();
      const panel = await settled(page.getByTestId('opp-more-filters-panel'));
      const box = (await panel.boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= 390, `the pop-over within the screen (${box.x}, ${box.width})`);
      await shot(page, `board-more-filters-390-${locale}`, false);
      await page.close();
    });
});
