/**
 * Every list and table page at 1440×900 and on a 390-pixel phone, in both languages (issue 11:
 * "tables cut off at 1440 px"): the page never scrolls sideways; a table wider than its box scrolls
 * inside it, with a scrollbar at the window's bottom at a desk (not an overlay that hides). The
 * Shanghai manager, who sees the most columns. Screenshots of each page for a person to look at.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apiCall, browserSuite, shot, signIn } from './browser.ts';

const app = browserSuite();
const LOCALES = ['zh-CN', 'en-US'] as const;
const SCREENS = [
  { name: 'desk', viewport: { width: 1440, height: 900 }, phone: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, phone: true },
] as const;

const PAGES = [
  ['accounts', '/accounts'],
  ['contacts', '/contacts'],
  ['pool', '/accounts/pool'],
  ['opportunity-list', '/opportunities/list'],
  ['attention', '/opportunities/list?tab=attention'],
  ['activities', '/activities'],
  ['tasks', '/tasks'],
  ['handovers', '/handovers'],
  ['weekly-reports', '/weekly-reports'],
  ['callbacks', '/rhythm/callbacks'],
  ['funnel', '/funnel'],
  ['quotas', '/funnel/quotas'],
] as const;

/**
 * What a user would call cut off, measured in the page (a string: the tests compile without the
 * DOM's types). At a desk a list's sideways scrollbar must be there to be seen — antd's sticky one
 * at the window's bottom while the table is in view (the paged lists, ListTable); a phone scrolls
 * with a swipe, its bars overlay. Short tables (the funnel's, the quotas') only have to scroll.
 */
const MEASURE = `(desk) => {
  const problems = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width + 1)
    problems.push('the page scrolls sideways (' + document.documentElement.scrollWidth + ' > ' + width + ')');
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  for (const wrap of Array.from(document.querySelectorAll('.ant-table-wrapper'))) {
    const table = wrap.querySelector('.ant-table-body table, .ant-table-content table') ?? wrap.querySelector('table');
    if (!table || !wrap.offsetParent) continue;
    const label = (wrap.getAttribute('data-testid') ?? wrap.querySelector('th')?.textContent ?? '?').slice(0, 30);
    let scroller = table.parentElement;
    while (scroller && scroller !== wrap && !scrolls(scroller)) scroller = scroller.parentElement;
    const inBox = scroller && scroller !== wrap;
    const box = (inBox ? scroller : wrap).getBoundingClientRect();
    const right = table.getBoundingClientRect().right;
    if (right > box.right + 1 && !inBox)
      problems.push('table "' + label + '" runs ' + Math.round(right - box.right) + ' px past its box without scrolling');
    if (right > box.right + 1 && desk && wrap.querySelector('.ant-pagination') && !wrap.querySelector('.ant-table-sticky-scroll'))
      problems.push('table "' + label + '" scrolls sideways with no scrollbar at the window bottom');
    if (box.right > width + 1) problems.push('table "' + label + '" ends ' + Math.round(box.right - width) + ' px off-screen');
  }
  return problems;
}`;

function layoutProblems(page: Page, desk: boolean): Promise<string[]> {
  return page.evaluate(`(${MEASURE})(${String(desk)})`) as Promise<string[]>;
}

describe('List and table pages fit the screen', () => {
  for (const locale of LOCALES)
    for (const screen of SCREENS) {
      const tag = `${screen.name}-${locale === 'zh-CN' ? 'zh' : 'en'}`;
      test(`every list page at ${screen.viewport.width} px (${locale})`, async () => {
        const page = await app.page({ viewport: screen.viewport, phone: screen.phone, locale });
        await signIn(page, app.url, 'manager@demo.keyline.dev', 'keyline-demo');
        await page.waitForURL(`${app.url}/`);
        await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
        const biggest = await apiCall<{ items: { id: number }[] }>(
          page,
          'GET',
          '/accounts?sort=-trailingAmount&limit=1',
        );
        const accountId = biggest.items[0]!.id;
        const pages: (readonly [string, string])[] = [
          ...PAGES,
          ['account-overview', `/accounts/${accountId}?tab=overview`],
          ['account-contacts', `/accounts/${accountId}?tab=contacts`],
          ['account-group', `/accounts/${accountId}?tab=group`],
        ];
        const found: string[] = [];
        for (const [name, path] of pages) {
          await page.goto(`${app.url}${path}`);
          await page.waitForLoadState('networkidle');
          // A page may hold its tables lower down or none at all (a tab of cards): wait a little, not forever.
          await page
            .locator('.ant-table-wrapper')
            .first()
            .waitFor({ timeout: 5_000 })
            .catch(() => undefined);
          await shot(page, `layout-${name}-${tag}`, false);
          for (const problem of await layoutProblems(page, !screen.phone)) found.push(`${path}: ${problem}`);
        }
        assert.deepEqual(found, []);
        await page.close();
      });
    }
});
