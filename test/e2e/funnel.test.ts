/**
 * The funnel and the quotas in a real browser (docs/targets.md): a manager opens the funnel of
 * their branch — chart, table, members, health — and follows a stage's count to the opportunity
 * list, which shows exactly those deals; sets a rep's quota with a reason and finds it in the
 * history; a rep sees their own funnel on a phone. Both languages, screenshots of each.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { browserSuite, pickOption, settled, shot, signIn, apiCall } from './browser.ts';

const app = browserSuite();
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };
const REP = { email: 'rep@demo.keyline.dev', password: 'keyline-demo' };
const ADMIN = { email: 'admin@demo.keyline.dev', password: 'keyline-demo' };
const DIRECTOR = { email: 'director@demo.keyline.dev', password: 'keyline-demo' };

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

type Members = { total: number; members: { name: string }[] };

/**
 * Waits until the member table shows exactly these names (an answer kept on screen while the
 * next loads is the previous page's), then returns what it shows.
 */
async function memberNames(table: Locator, names: string[]): Promise<string[]> {
  const rows = table.locator('tbody tr.ant-table-row');
  await rows.first().locator('td').first().getByText(names[0]!, { exact: true }).waitFor();
  await table.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  return (await rows.locator('td:first-child').allInnerTexts()).map((name) => name.trim());
}

/** The member table's rows the server answers for the URL's view (its page, size, sort and search). */
async function pageOf(page: Page, search: URLSearchParams): Promise<string[]> {
  const size = Number(search.get('size') ?? 20);
  const offset = (Number(search.get('page') ?? 1) - 1) * size;
  const query = new URLSearchParams(search);
  for (const key of ['page', 'size']) query.delete(key);
  query.set('limit', String(size));
  query.set('offset', String(offset));
  const answer = await apiCall<Members>(page, 'GET', `/funnel/members?${query.toString()}`);
  return answer.members.map((member) => member.name);
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

  test('the member table keeps its page, sort and search in the URL: a reload and a shared link show the same rows', async () => {
    const page = await signedIn(ADMIN, 'en-US');
    await page.goto(`${app.url}/funnel?scope=workspace`);
    const table = page.getByTestId('funnel-members');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const whole = await apiCall<Members>(page, 'GET', '/funnel/members?scope=workspace&limit=500');
    assert.ok(whole.total > 20, `more than a page of members (${whole.total})`);

    // Sorted by gap, then the second page: both in the URL, and the rows the server's for them.
    await table.locator('th').filter({ hasText: 'Gap' }).click();
    await page.waitForURL(/[?&]sort=gap(&|$)/);
    // The server's answer shows the sort (the next click is made on the table it drew).
    await table.locator('th[aria-sort="ascending"]').filter({ hasText: 'Gap' }).waitFor();
    await table.locator('.ant-pagination-item-2').click();
    await page.waitForURL(/[?&]page=2(&|$)/);
    const expected = await pageOf(page, new URL(page.url()).searchParams);
    assert.equal(expected.length, Math.min(20, whole.total - 20));
    assert.deepEqual(await memberNames(table, expected), expected);

    const shownAt = page.url();
    await page.reload();
    assert.equal(page.url(), shownAt);
    assert.deepEqual(await memberNames(table, expected), expected, 'the same rows after a reload');
    assert.equal(await table.locator('.ant-pagination-item-active').innerText(), '2');
    assert.equal(await table.locator('th[aria-sort="ascending"]').innerText(), 'Gap');

    // The link opened by someone else (the director, who sees the company too, in Chinese) shows the same rows.
    const shared = await signedIn(DIRECTOR, 'zh-CN');
    await shared.goto(shownAt);
    const sharedTable = shared.getByTestId('funnel-members');
    assert.deepEqual(await memberNames(sharedTable, expected), expected, 'the same rows from a shared link');
    assert.equal(await sharedTable.locator('th[aria-sort="ascending"]').innerText(), '缺口');
    await sharedTable.scrollIntoViewIfNeeded();
    await settled(sharedTable);
    await shot(shared, 'funnel-members-shared-zh', false);
    await shared.close();

    // A search goes to the URL (back to the first page, the sort kept) and survives a reload.
    const wanted = whole.members[whole.members.length - 1]!.name;
    const box = table.getByLabel('Find by name');
    await box.fill(wanted);
    await box.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === wanted && !url.searchParams.has('page'));
    assert.equal(new URL(page.url()).searchParams.get('sort'), 'gap');
    const found = await pageOf(page, new URL(page.url()).searchParams);
    assert.ok(found.includes(wanted));
    assert.deepEqual(await memberNames(table, found), found);
    await page.reload();
    assert.deepEqual(await memberNames(table, found), found, 'the search after a reload');
    assert.equal(await table.getByLabel('Find by name').inputValue(), wanted);
    await table.scrollIntoViewIfNeeded();
    await settled(table);
    await shot(page, 'funnel-members-search-en', false);

    // Another view of the funnel starts the table on its first page; a sort on a quota column
    // goes with the quota columns (every open deal has none).
    await table.locator('.ant-input-clear-icon').click();
    await page.waitForURL((url) => !url.searchParams.has('q'));
    const first = await pageOf(page, new URL(page.url()).searchParams);
    await memberNames(table, first);
    await table.locator('.ant-pagination-item-2').click();
    await page.waitForURL(/[?&]page=2(&|$)/);
    await memberNames(table, await pageOf(page, new URL(page.url()).searchParams));
    await page.getByTestId('funnel-period').click();
    await pickOption(page, 'All open');
    await page.waitForURL((url) => url.searchParams.get('period') === 'all');
    const view = new URL(page.url()).searchParams;
    assert.equal(view.has('page'), false, 'back to the first page');
    assert.equal(view.has('sort'), false, 'no gap column to sort by without a period');

    // A link with a sort the server does not know (a stage of no process shown) loses the sort, not the table.
    await page.goto(`${app.url}/funnel?scope=workspace&sort=stage:999999`);
    await page.waitForURL((url) => !url.searchParams.has('sort'));
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const refused = app.errors.filter((e) => /status of 400/.test(e));
    assert.equal(refused.length, 1, 'the one 400 is the unknown sort');
    app.errors.splice(app.errors.indexOf(refused[0]!), 1);

    // The page's export carries what it shows, a business line too.
    const { businessLines } = await apiCall<{ businessLines: { key: string }[] }>(page, 'GET', '/workspace/rules');
    await page.goto(`${app.url}/funnel?scope=workspace&line=${businessLines[0]!.key}`);
    const href = new URL((await page.getByTestId('export-funnel').getAttribute('href'))!, app.url);
    assert.equal(href.searchParams.get('line'), businessLines[0]!.key);
    assert.equal(href.searchParams.get('scope'), 'workspace');
    await page.close();
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
