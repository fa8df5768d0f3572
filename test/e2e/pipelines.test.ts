/**
 * Every pipeline at once and the lead source (issue 11), in both languages: a manager opens the
 * board of every sales process (a lane per process), finds it again on the next visit, and sees
 * the shipped stage names in English when reading English; a card dropped on another process's
 * lane does not move; an account's lead source and referrer and a deal's lead source are edited
 * in the web app. Runs the real server on the demo company and the built web app.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { apiCall, browserSuite, pickOption, settled, shot, signIn, visibleText } from './browser.ts';

const app = browserSuite();
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };
const LOCALES = ['zh-CN', 'en-US'] as const;
const HAN = /\p{Script=Han}/u;

async function managerPage(locale: (typeof LOCALES)[number], height = 900) {
  const page = await app.page({ viewport: { width: 1440, height }, phone: false, locale });
  await signIn(page, app.url, MANAGER.email, MANAGER.password);
  await page.waitForURL(`${app.url}/`);
  await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
  return page;
}

/** Drags with real pointer events in small steps, as dnd-kit's mouse sensor expects. */
async function drag(page: Page, from: Locator, to: Locator) {
  const fromBox = await from.boundingBox();
  const toBox = await to.boundingBox();
  assert.ok(fromBox && toBox, 'card and column are on screen');
  await page.mouse.move(fromBox.x + fromBox.width / 2, fromBox.y + 20);
  await page.mouse.down();
  await page.mouse.move(fromBox.x + fromBox.width / 2 + 10, fromBox.y + 25, { steps: 4 });
  await page.mouse.move(toBox.x + toBox.width / 2, toBox.y + 60, { steps: 20 });
  await page.mouse.up();
}

describe('All pipelines and the lead source in the browser', () => {
  for (const locale of LOCALES) {
    test(`the board of every process, remembered, in the reader's language (${locale})`, async () => {
      const page = await managerPage(locale);
      const processes = await apiCall<{ items: { id: number; name: string; active: boolean }[] }>(
        page,
        'GET',
        '/sales-processes',
      );
      await page.goto(`${app.url}/opportunities/board?processId=all`);
      const lanes = page.getByTestId('board-lane');
      await lanes.first().waitFor();
      assert.equal(await lanes.count(), processes.items.filter((p) => p.active).length, 'a lane per active process');
      await page.getByTestId('opp-card').first().waitFor();
      const titles = await page.getByTestId('column-title').allInnerTexts();
      const laneNames = await page.getByTestId('lane-open').allInnerTexts();
      if (locale === 'en-US') {
        assert.ok(
          titles.length > 0 && titles.every((title) => !HAN.test(title)),
          `English stages: ${titles.join(', ')}`,
        );
        assert.ok(
          laneNames.every((name) => !HAN.test(name)),
          `English processes: ${laneNames.join(', ')}`,
        );
      } else
        assert.ok(
          laneNames.some((name) => name.includes('小项目')),
          laneNames.join(', '),
        );
      await shot(page, `board-all-processes-${locale}`);

      // The next visit without a choice in the address opens where the user left off.
      await page.goto(`${app.url}/opportunities/board`);
      await lanes.first().waitFor();
      assert.equal(
        await visibleText(page.getByTestId('process-picker')),
        locale === 'en-US' ? 'All processes' : '全部流程',
      );
      // Choosing one process from a lane's name: remembered in turn.
      await lanes.nth(1).getByTestId('lane-open').click();
      await page.waitForURL(/processId=\d+/);
      const chosen = Number(new URL(page.url()).searchParams.get('processId'));
      await lanes.first().waitFor({ state: 'detached' });
      await page.goto(`${app.url}/opportunities/board`);
      await page.getByTestId('board-column').first().waitFor();
      assert.equal(await lanes.count(), 0, 'one process: no lanes');
      const stages = await apiCall<{ stages: unknown[] }>(page, 'GET', `/sales-processes/${chosen}`);
      assert.equal(await page.getByTestId('board-column').count(), stages.stages.length);
      // The list offers every process too, and says so.
      await page.goto(`${app.url}/opportunities/list`);
      assert.equal(
        await visibleText(page.getByTestId('list-process-filter')),
        locale === 'en-US' ? 'All processes' : '全部流程',
      );
      await page.close();
    });
  }

  test('the board of every process on a phone: lanes scroll sideways, the page does not (en-US, 390 px)', async () => {
    const page = await app.page({ viewport: { width: 390, height: 844 }, phone: true, locale: 'en-US' });
    await signIn(page, app.url, MANAGER.email, MANAGER.password);
    await page.waitForURL(`${app.url}/`);
    await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale: 'en-US' } });
    await page.goto(`${app.url}/opportunities/board?processId=all`);
    await page.getByTestId('board-lane').nth(1).waitFor();
    await page.getByTestId('opp-card').first().waitFor();
    const widths = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as number[];
    assert.ok(widths[0]! <= widths[1]! + 1, `the page itself does not scroll sideways: ${widths.join(' > ')}`);
    await shot(page, 'board-all-processes-phone-en-US');
    await page.close();
  });

  test('a card moves only within its own process on the board of every process', async () => {
    const page = await managerPage('zh-CN', 1600);
    await page.goto(`${app.url}/opportunities/board?processId=all`);
    const lanes = page.getByTestId('board-lane');
    await lanes.first().waitFor();
    await page.getByTestId('opp-card').first().waitFor();
    // A lane with a movable card, and another lane to drop it on.
    let from = -1;
    for (let index = 0; index < (await lanes.count()); index++)
      if ((await lanes.nth(index).locator('[data-testid="opp-card"][data-movable="true"]').count()) > 0) {
        from = index;
        break;
      }
    assert.ok(from >= 0, 'the manager can move some card');
    const card = lanes.nth(from).locator('[data-testid="opp-card"][data-movable="true"]').first();
    const id = Number(await card.getAttribute('data-opp-id'));
    const before = await apiCall<{ stageId: number; version: number }>(page, 'GET', `/opportunities/${id}`);
    const other = lanes
      .nth(from === 0 ? 1 : 0)
      .getByTestId('board-column')
      .first();
    await other.scrollIntoViewIfNeeded();
    await card.scrollIntoViewIfNeeded();
    await drag(page, card, other);
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.ant-modal:visible').count(), 0, 'no move dialog for another process');
    const after = await apiCall<{ stageId: number; version: number }>(page, 'GET', `/opportunities/${id}`);
    assert.deepEqual([after.stageId, after.version], [before.stageId, before.version]);
    // Within its own lane the same drag opens the move dialog of the stage gate.
    const own = lanes
      .nth(from)
      .locator(`[data-testid="board-column"]:not([data-stage-id="${before.stageId}"])`)
      .first();
    await card.scrollIntoViewIfNeeded();
    await drag(page, card, own);
    await settled(page.locator('.ant-modal:visible'));
    await shot(page, 'board-all-processes-move-zh-CN', false);
    await page.keyboard.press('Escape');
    await page.close();
  });

  for (const locale of LOCALES) {
    test(`an account's lead source and referrer, and a deal's lead source (${locale})`, async () => {
      const page = await managerPage(locale);
      const accounts = await apiCall<{ items: { id: number; name: string }[] }>(
        page,
        'GET',
        '/accounts?limit=2&sort=name',
      );
      const [account, referrer] = accounts.items;
      assert.ok(account && referrer);
      const referral = locale === 'en-US' ? 'Customer referral' : '客户转介绍';
      await page.goto(`${app.url}/accounts/${account.id}`);
      await page.getByTestId('edit-account').click();
      const drawer = await settled(page.locator('.ant-drawer-section:visible'));
      await drawer.getByTestId('account-lead-source').click();
      await pickOption(page, referral);
      await drawer.getByTestId('account-referrer-picker').click();
      await page.keyboard.type(referrer.name.slice(0, 4));
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .filter({ hasText: referrer.name })
        .first()
        .waitFor();
      await pickOption(page, referrer.name);
      await shot(page, `account-referrer-form-${locale}`, false);
      await drawer.getByTestId('account-form-submit').click();
      await drawer.waitFor({ state: 'hidden' });
      assert.equal(await visibleText(page.getByTestId('account-referrer')), referrer.name);
      const saved = await apiCall<{ leadSource: string; referrerAccountId: number }>(
        page,
        'GET',
        `/accounts/${account.id}`,
      );
      assert.deepEqual([saved.leadSource, saved.referrerAccountId], ['customer_referral', referrer.id]);
      await shot(page, `account-referrer-${locale}`);

      const deals = await apiCall<{ items: { id: number }[] }>(page, 'GET', '/opportunities?status=open&limit=1');
      const deal = deals.items[0]!;
      const exhibition = locale === 'en-US' ? 'Exhibition' : '展会';
      await page.goto(`${app.url}/opportunities/${deal.id}`);
      await page.getByTestId('opp-edit').click();
      const editor = await settled(page.locator('.ant-drawer-section:visible'));
      await editor.getByTestId('opp-lead-source-select').click();
      await pickOption(page, exhibition);
      await editor.getByTestId('opp-edit-save').click();
      await editor.waitFor({ state: 'hidden' });
      assert.ok((await visibleText(page.getByTestId('opp-lead-source'))).endsWith(exhibition));
      await shot(page, `opportunity-lead-source-${locale}`, false);
      await page.close();
    });
  }

  test('no console errors', () => {
    assert.deepEqual(app.errors, []);
  });
});
