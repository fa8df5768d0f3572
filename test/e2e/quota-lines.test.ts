/**
 * A quota split by business line in the quota table, in a real browser (docs/targets.md §
 * Business lines): on the demo company, whose quotas are split by its lines, a manager opens a rep's split, types shares that do not add up to 100 and
 * meets the server's refusal naming the rep, corrects them, sees the per-line amounts, saves
 * with a reason; the table shows the split in its column and per quarter in the expanded row.
 * English at 1440 px, Chinese on a 390-px phone, screenshots of each. Last, a workspace with no
 * lines: the split dialog says so and where lines are named, in both languages.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apiCall, browserSuite, settled, shot, signIn } from './browser.ts';

const app = browserSuite();
const PASSWORD = 'keyline-demo';
type Lines = { key: string; nameZh: string; nameEn: string; products: string[] }[];
type Table = {
  rows: {
    subjectType: string;
    subjectId: number;
    name: string;
    canEdit: boolean;
    quota: { amount: number; categories: { key: string; share: number }[] } | null;
  }[];
};

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

const shareInput = (page: Page, name: string) => page.getByRole('spinbutton', { name: `${name} %` });

describe('Quota split by business line in the browser', () => {
  after(() => assert.deepEqual(app.errors, [], 'no console or page errors'));
  let lines: Lines;
  let rep: Table['rows'][number];

  test('a manager splits a rep’s quota by line, meets the refusal of 90%, saves 60/40 with a reason, in English', async () => {
    const page = await signedIn('manager@demo.keyline.dev', 'en-US');
    // The demo company's lines (src/demo/lines.ts), its reps' quotas already split by them.
    lines = (await apiCall<{ businessLines: Lines }>(page, 'GET', '/workspace/rules')).businessLines;
    assert.ok(lines.length >= 2);
    const [first, second] = [lines[0]!, lines[1]!];
    await page.goto(`${app.url}/funnel/quotas`);
    await page.getByTestId('quota-table').locator('tbody tr.ant-table-row').first().waitFor();
    const table = await apiCall<Table>(page, 'GET', '/quotas');
    rep = table.rows.find((r) => r.subjectType === 'user' && r.canEdit && r.quota)!;
    assert.ok(rep, 'the demo gives the manager reps with quotas');

    const open = async () => {
      await page.getByRole('button', { name: `Split ${rep.name} by business line` }).click();
      return settled(page.getByTestId('quota-lines-editor'));
    };
    let editor = await open();
    await editor.getByRole('button', { name: 'Clear' }).click();
    await editor.getByText('No split by line').waitFor();
    await shareInput(page, first.nameEn).fill('60');
    await shareInput(page, second.nameEn).fill('30');
    await editor.getByText('Total 90%').waitFor();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId(`quota-split-user-${rep.subjectId}`).getByText(`${first.nameEn} 60%`).waitFor();
    await page.getByTestId('quota-save').click();
    await (await settled(page.getByTestId('quota-reason'))).fill('Split by line for FY planning');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // The server's refusal names the rep and the sum, and nothing is saved.
    await page.getByTestId('quota-save-error').getByText(`${rep.name}: Must add up to 100% (now 90%)`).waitFor();
    await shot(page, 'quota-lines-refused-en', false);
    const refused = app.errors.filter((e) => /status of 400/.test(e));
    assert.equal(refused.length, 1, 'the one 400 is the refused split');
    app.errors.splice(app.errors.indexOf(refused[0]!), 1);
    const unchanged = await apiCall<Table>(page, 'GET', '/quotas');
    assert.deepEqual(
      unchanged.rows.find((r) => r.subjectType === 'user' && r.subjectId === rep.subjectId)!.quota!.categories,
      rep.quota!.categories,
    );
    await page.getByRole('button', { name: 'Cancel' }).click();

    editor = await open();
    await shareInput(page, second.nameEn).fill('40');
    await editor.getByText('Total 100%').waitFor();
    // The per-line amounts of the year, as the server will split it.
    const sixty = Math.floor((rep.quota!.amount * 60) / 100 / 100);
    await editor
      .getByText(new RegExp(`${sixty.toLocaleString('en-US')}`))
      .first()
      .waitFor();
    await shot(page, 'quota-lines-editor-en', false);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('quota-save').click();
    await (await settled(page.getByTestId('quota-reason'))).fill('Split by line for FY planning');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('1 quota saved').waitFor();
    const saved = await apiCall<Table>(page, 'GET', '/quotas');
    assert.deepEqual(
      saved.rows.find((r) => r.subjectType === 'user' && r.subjectId === rep.subjectId)!.quota!.categories,
      [
        { key: first.key, share: 60 },
        { key: second.key, share: 40 },
      ],
    );
    const history = await apiCall<{ items: { reason: string }[] }>(
      page,
      'GET',
      `/quotas/history?subjectType=user&subjectId=${rep.subjectId}`,
    );
    assert.equal(history.items[0]!.reason, 'Split by line for FY planning');

    // The director's view: the split in its column, the row expanded to the lines per quarter.
    const row = page
      .getByTestId('quota-table')
      .locator('tr', { has: page.getByTestId(`quota-split-user-${rep.subjectId}`) });
    await row.getByTestId(`quota-split-user-${rep.subjectId}`).getByText(`${second.nameEn} 40%`).waitFor();
    await row.locator('.ant-table-row-expand-icon').click();
    const detail = page.getByTestId(`quota-lines-user-${rep.subjectId}`);
    await detail.getByText(first.nameEn).waitFor();
    await detail.scrollIntoViewIfNeeded();
    await shot(page, 'quota-lines-table-en', false);
  });

  test('the split on a 390-px phone, in Chinese', async () => {
    const page = await signedIn('manager@demo.keyline.dev', 'zh-CN', true);
    await page.goto(`${app.url}/funnel/quotas`);
    const cell = page.getByTestId(`quota-split-user-${rep.subjectId}`);
    await cell.getByText(`${lines[0]!.nameZh} 60%`).waitFor();
    const width = await page.evaluate('document.documentElement.scrollWidth');
    assert.ok(Number(width) <= 390, `no sideways scrolling of the page (${String(width)} px)`);
    await cell.scrollIntoViewIfNeeded();
    await shot(page, 'quota-lines-table-phone-zh', false);
    await page.getByRole('button', { name: `按业务线拆分 ${rep.name} 的定额` }).click();
    const editor = await settled(page.getByTestId('quota-lines-editor'));
    await editor.getByText('合计 100%').waitFor();
    await shot(page, 'quota-lines-editor-phone-zh', false);
  });

  test('with no business lines the split dialog says where to name them: a link for an admin, whom to ask for a manager', async () => {
    const admin = await signedIn('admin@demo.keyline.dev', 'zh-CN');
    // The lines cleared through the settings API, as an administrator would in Settings → Rules.
    const rules = await apiCall<{ version: number; businessLines: Lines }>(admin, 'GET', '/workspace/rules');
    assert.ok(rules.businessLines.length > 0);
    const cleared = await apiCall<{ businessLines: Lines }>(admin, 'PATCH', '/workspace/rules', {
      version: rules.version,
      businessLines: [],
    });
    assert.deepEqual(cleared.businessLines, []);

    await admin.goto(`${app.url}/funnel/quotas`);
    await admin.getByTestId('quota-table').locator('tbody tr.ant-table-row').first().waitFor();
    await admin.getByRole('button', { name: `按业务线拆分 ${rep.name} 的定额` }).click();
    const empty = await settled(admin.getByTestId('quota-lines-empty'));
    await empty.getByText('本工作区尚未设置业务线。').waitFor();
    assert.equal(await admin.getByTestId('quota-lines-editor').count(), 0, 'no shares to type');
    assert.equal(await admin.getByRole('button', { name: /^应\s?用$/ }).isDisabled(), true, 'nothing to apply');
    await shot(admin, 'quota-lines-none-admin-zh', false);
    await empty.getByRole('link', { name: '前往 设置 → 规则 命名业务线' }).click();
    await admin.waitForURL(/\/settings\/rules$/);

    const manager = await signedIn('manager@demo.keyline.dev', 'en-US');
    await manager.goto(`${app.url}/funnel/quotas`);
    await manager.getByTestId('quota-table').locator('tbody tr.ant-table-row').first().waitFor();
    await manager.getByRole('button', { name: `Split ${rep.name} by business line` }).click();
    const told = await settled(manager.getByTestId('quota-lines-empty'));
    await told.getByText('This workspace has no business lines yet.').waitFor();
    await told.getByText('An administrator names them in Settings → Rules.').waitFor();
    assert.equal(
      await told.getByRole('link').count(),
      0,
      'a manager cannot name lines: no link to a page they may not open',
    );
    await shot(manager, 'quota-lines-none-manager-en', false);
  });
});
