/**
 * Importing opportunities in a real browser (docs/sales-process.md § Import of opportunities):
 * the demo manager imports a small file of deals in Chinese, then one in English with English
 * process and stage names and a stage name the workspace does not know (asked once in the
 * value-mapping step); bad rows are named, the rest committed, the deals then listed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apiCall, browserSuite, importSearchable, shot, signIn, useEnglish } from './browser.ts';

const app = browserSuite();
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function upload(page: Page, kindLabel: RegExp, fileName: string, csv: string) {
  await page.locator('.ant-radio-button-wrapper', { hasText: kindLabel }).click();
  await page
    .locator('input[type="file"]')
    .first()
    .setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-validate').waitFor();
}

/** An account the manager may add deals to: one with an owner, in their reach. */
async function accountName(page: Page): Promise<string> {
  const accounts = await apiCall<{ items: { name: string; ownerId: number | null }[] }>(
    page,
    'GET',
    '/accounts?limit=20&sort=name',
  );
  return accounts.items.find((account) => account.ownerId !== null)!.name;
}

describe('Importing opportunities in the browser', () => {
  test('a manager imports deals in Chinese: the bad row is named, the rest committed', async () => {
    const page = await app.page({ viewport: { width: 1440, height: 1000 }, timeout: 15_000 });
    await signIn(page, app.url, MANAGER.email, MANAGER.password);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    const account = await accountName(page);
    await page.goto(`${app.url}/accounts/import`);
    await page.getByText('导入客户档案').first().waitFor();
    const stamp = Date.now().toString(36);
    const csv = [
      '客户名称,商机名称,销售流程,阶段,金额（元）,预计成交日期,状态,丢单原因,赢单方',
      `${account},E2E 商机导入 ${stamp} 一,小项目,意向,"1,280,000",${isoDay(40)},进行中,,`,
      `${account},E2E 商机导入 ${stamp} 二,小项目,谈判,50万,${isoDay(60)},,,`,
      `${account},E2E 商机导入 ${stamp} 三,小项目,方案,abc,${isoDay(60)},,,`,
      `${account},E2E 商机导入 ${stamp} 四,小项目,意向,100000,${isoDay(-10)},丢单,价格,某友商`,
    ].join('\n');
    await page.locator('.ant-radio-button-wrapper', { hasText: /^商机$/ }).click();
    await page.getByTestId('import-template').waitFor();
    assert.match(
      (await page.getByTestId('import-template').getAttribute('href')) ?? '',
      /kind=opportunities&lang=zh-CN/,
    );
    await shot(page, 'import-opportunities-1-upload-zh');
    await upload(page, /^商机$/, '商机导入.csv', csv);
    assert.ok(await page.getByText('4 行数据').first().isVisible());
    assert.ok(await page.getByTestId('map-stage').isVisible(), 'the stage field is offered for mapping');
    await shot(page, 'import-opportunities-2-mapping-zh');

    await page.getByTestId('import-validate').click();
    const errorsTable = page.getByTestId('import-errors');
    await errorsTable.waitFor();
    const firstRow = errorsTable.locator('tbody tr.ant-table-row').first();
    await firstRow.waitFor();
    const text = await firstRow.innerText();
    assert.match(text, /^4\s/, `the bad row is spreadsheet row 4: ${text}`);
    assert.match(text, /金额（元）/);
    assert.match(text, /“abc”不是有效金额/);
    assert.ok(await page.getByTestId('import-commit').isDisabled(), 'a row with errors blocks the commit');
    await shot(page, 'import-opportunities-3-report-zh');

    await page.getByTestId('import-skip-errors').click();
    await page.getByTestId('import-commit').click();
    await page.getByText('导入完成').first().waitFor();
    assert.match(
      await page
        .getByText(/新建 3 条/)
        .first()
        .innerText(),
      /新建 3 条，更新 0 条，跳过 1 行/,
    );
    await shot(page, 'import-opportunities-4-done-zh');
    await importSearchable(page);
    const deals = await apiCall<{ items: { name: string; status: string; stageName: string }[] }>(
      page,
      'GET',
      `/opportunities?limit=10&q=${encodeURIComponent(stamp)}&sort=name`,
    );
    assert.deepEqual(deals.items.map((deal) => [deal.status, deal.stageName]).sort(), [
      ['lost', '意向'],
      ['open', '意向'],
      ['open', '谈判'],
    ]);
    assert.deepEqual(app.errors, []);
    await page.close();
  });

  test('in English: English process and stage names, an unknown stage asked once, then committed', async () => {
    const page = await app.page({ viewport: { width: 1440, height: 1000 }, timeout: 15_000 });
    await signIn(page, app.url, MANAGER.email, MANAGER.password);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await useEnglish(page);
    const account = await accountName(page);
    await page.goto(`${app.url}/accounts/import`);
    await page.getByText('Import the customer archive').first().waitFor();
    const stamp = Date.now().toString(36);
    const csv = [
      'Account,Opportunity,Sales process,Stage,Amount (yuan),Expected close date,Status',
      `${account},E2E deal import ${stamp} one,Small project,Intent,250000,${isoDay(30)},Open`,
      `${account},E2E deal import ${stamp} two,Small project,Proposal stage,90000,${isoDay(45)},`,
      `${account},E2E deal import ${stamp} three,Small project,Proposal stage,70000,${isoDay(50)},`,
    ].join('\n');
    await upload(page, /^Opportunities$/, 'deals.csv', csv);
    assert.ok(await page.getByText('Data rows: 3').first().isVisible());
    await shot(page, 'import-opportunities-5-mapping-en');

    await page.getByTestId('import-validate').click();
    const values = page.getByTestId('import-values');
    await values.waitFor();
    const listed = await values.locator('tbody tr.ant-table-row').allInnerTexts();
    assert.equal(listed.length, 1, `one line for the unknown stage: ${listed.join(' | ')}`);
    assert.match(
      listed[0]!,
      /Stage\s+Proposal stage\s+2\s+Proposal$/,
      'its rows and the closest stage picked, read in English',
    );
    await shot(page, 'import-opportunities-6-values-en');

    await page.getByTestId('import-values-apply').click();
    await values.waitFor({ state: 'detached' });
    await page.getByText('Every row passed the check.').first().waitFor();
    await page.getByTestId('import-commit').click();
    await page.getByText('Import complete').first().waitFor();
    assert.match(
      await page
        .getByText(/Created: 3/)
        .first()
        .innerText(),
      /Created: 3, updated: 0, skipped rows: 0/,
    );
    await shot(page, 'import-opportunities-7-done-en');
    await importSearchable(page);
    const deals = await apiCall<{ items: { stageName: string }[] }>(
      page,
      'GET',
      `/opportunities?limit=10&q=${encodeURIComponent(stamp)}`,
    );
    assert.deepEqual(deals.items.map((deal) => deal.stageName).sort(), ['意向', '方案', '方案']);
    await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale: 'zh-CN' } });
    assert.deepEqual(app.errors, []);
    await page.close();
  });
});
