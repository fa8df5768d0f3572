/**
 * What a first week's user sees of the lists' filters and the header. At a 1440-pixel window the
 * opportunity list's filters and its export sit in one row (they wrapped to two, 72 px), unit,
 * close dates and size behind "More filters" as on the board (board-filters.test.ts), and a chosen
 * process's stages with them (beside the process they wrapped the row again); the
 * accounts' and contacts' filter rows stay one row. Every list's search placeholder fits its box
 * at 1440 and 390 px. Both languages, screenshots.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apiCall, browserSuite, settled, shot, signIn } from './browser.ts';

const app = browserSuite();
const PASSWORD = 'keyline-demo';
const LOCALES = ['zh-CN', 'en-US'] as const;
type Box = { top: number; bottom: number; right: number; label: string };

async function signedIn(locale: (typeof LOCALES)[number], width = 1440) {
  const page = await app.page({ viewport: { width, height: 900 }, phone: width < 500, locale });
  await signIn(page, app.url, 'admin@demo.keyline.dev', PASSWORD);
  await page.waitForURL(`${app.url}/`);
  await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
  return page;
}

async function open(page: Page, path: string, ready: string) {
  await page.goto(`${app.url}${path}`);
  await page.getByTestId(ready).first().waitFor();
  await page.evaluate('document.fonts.ready');
}

/** The boxes of a row's controls (its children, or the given selector's matches), as laid out. */
async function rowBoxes(page: Page, row: string, items: string): Promise<{ bar: Box; items: Box[] }> {
  // A string (the root tsconfig has no DOM lib).
  return page.evaluate(`(() => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, right: r.right, label: el.getAttribute('data-testid') ?? el.textContent.slice(0, 20) };
    };
    const bar = document.querySelector(${JSON.stringify(row)});
    return { bar: box(bar), items: [...document.querySelectorAll(${JSON.stringify(items)})].filter((el) => el.getBoundingClientRect().width > 0).map(box) };
  })()`);
}

function assertOneRow({ bar, items }: { bar: Box; items: Box[] }, least: number) {
  assert.ok(items.length >= least, `the row's items (${items.length})`);
  const tallest = Math.max(...items.map((item) => item.bottom - item.top));
  assert.ok(bar.bottom - bar.top <= tallest + 1, `one row high: ${bar.bottom - bar.top} px, tallest item ${tallest}`);
  const middle = (bar.top + bar.bottom) / 2;
  for (const item of items) assert.ok(item.top < middle && item.bottom > middle, `${item.label} on the row`);
}

/** Search boxes whose placeholder is wider than the room for text (canvas-measured with the box's own font). */
const CUT_PLACEHOLDERS = `(() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const cut = [];
  for (const input of document.querySelectorAll('.ant-layout-content .ant-input-search input[placeholder]')) {
    if (!input.offsetParent) continue;
    const style = getComputedStyle(input);
    ctx.font = style.font;
    const need = ctx.measureText(input.placeholder).width;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (need > room) cut.push(input.placeholder + ': ' + Math.ceil(need) + ' px in ' + Math.floor(room));
  }
  return cut;
})()`;

const SEARCHES = [
  ['board', '/opportunities/board', 'opp-search'],
  ['opportunity-list', '/opportunities/list', 'opp-search'],
  ['accounts', '/accounts', 'account-search'],
  ['contacts', '/contacts', 'contact-search'],
  ['pool', '/accounts/pool', 'pool-search'],
  ['activities', '/activities', 'activity-search'],
  ['funnel', '/funnel', 'funnel-member-search'],
] as const;

describe('List filter bars and search placeholders', () => {
  after(() => assert.deepEqual(app.errors, [], 'no console or page errors'));

  for (const locale of LOCALES)
    test(`1440 px: the opportunity list's filters and export in one row, accounts' and contacts' filters too (${locale})`, async () => {
      const page = await signedIn(locale);
      await open(page, '/opportunities/list', 'opp-line');
      // Status, process, search, owner, line, More filters, and the export.
      assertOneRow(
        await rowBoxes(
          page,
          '[data-testid="list-filter-bar"]',
          '[data-testid="opp-filter-bar"] > *, [data-testid="export-opportunities"]',
        ),
        7,
      );
      await shot(page, `list-filters-1440-${locale}`, false);
      await open(page, '/accounts', 'account-search');
      assertOneRow(await rowBoxes(page, '[data-testid="account-filters"]', '[data-testid="account-filters"] > *'), 6);
      await shot(page, `account-filters-1440-${locale}`, false);
      await open(page, '/contacts', 'contact-search');
      assertOneRow(await rowBoxes(page, '[data-testid="contact-filters"]', '[data-testid="contact-filters"] > *'), 5);
      await shot(page, `contact-filters-1440-${locale}`, false);
      await page.close();
    });

  for (const locale of LOCALES)
    test(`1440 px: a process chosen, the bar stays one row, its stages behind "More filters" and counted (${locale})`, async () => {
      const page = await signedIn(locale);
      const [process] = (await apiCall<{ items: { id: number }[] }>(page, 'GET', '/sales-processes')).items;
      await open(page, `/opportunities/list?processId=${process!.id}`, 'opp-line');
      await page.getByTestId('opp-totals').waitFor();
      // Status, process, search, owner, line, More filters, and the export (the stage beside them made two rows, 72 px).
      assertOneRow(
        await rowBoxes(
          page,
          '[data-testid="list-filter-bar"]',
          '[data-testid="opp-filter-bar"] > *, [data-testid="export-opportunities"]',
        ),
        7,
      );
      await shot(page, `list-filters-process-1440-${locale}`, false);
      const more = page.getByTestId('opp-more-filters');
      const counted = more.locator('xpath=..').locator('sup.ant-badge-count');
      assert.equal(await counted.count(), 0, 'no stage chosen, nothing counted');
      await more.click();
      const panel = await settled(page.getByTestId('opp-more-filters-panel'));
      await panel.getByTestId('list-stage-filter').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
      await page.waitForURL((url) => url.searchParams.get('stageId') !== null);
      await counted.getByText('1').waitFor();
      await page.close();
    });

  test('the list’s size, unit and dates behind "More filters": size narrows the list through the URL and is counted', async () => {
    const page = await signedIn('en-US');
    await open(page, '/opportunities/list', 'opp-line');
    const more = page.getByTestId('opp-more-filters');
    const counted = more.locator('xpath=..').locator('sup.ant-badge-count');
    assert.equal(await counted.count(), 0, 'nothing set, nothing counted');
    await more.click();
    const panel = await settled(page.getByTestId('opp-more-filters-panel'));
    const listed = page.waitForResponse((res) => /\/opportunities\?.*sizeClass=large/.test(res.url()));
    await panel.getByTestId('opp-size').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').getByText('Large project').click();
    await page.waitForURL((url) => url.searchParams.get('sizeClass') === 'large');
    assert.equal((await listed).status(), 200);
    await counted.getByText('1').waitFor();
    await shot(page, 'list-more-filters-en-US', false);
    await page.close();
  });

  for (const locale of LOCALES)
    for (const width of [1440, 390])
      test(`every list's search placeholder fits its box at ${width} px (${locale})`, async () => {
        const page = await signedIn(locale, width);
        for (const [name, path, ready] of SEARCHES) {
          await open(page, path, ready);
          assert.deepEqual(await page.evaluate(CUT_PLACEHOLDERS), [], `${name}: placeholders cut off`);
          if (name === 'board' || name === 'accounts') await shot(page, `search-${name}-${width}-${locale}`, false);
        }
        await page.close();
      });
});
