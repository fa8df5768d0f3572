/**
 * The import journey in a real browser (docs/archive.md § Import and export): the demo manager uploads a small CSV
 * with one bad row, maps it, reads the dry-run report naming that row, skips it, commits,
 * and sees the summary. Runs the real server on the demo company and the built web app.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, browserSuite, importSearchable, shot, signIn, useEnglish } from './browser.ts';

const app = browserSuite();
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };

describe('Import in the browser', () => {
  test('a manager imports a CSV with one bad row: the report names the row, the rest is committed', async () => {
    const page = await app.page({ viewport: { width: 1366, height: 900 }, timeout: 15_000 });
    await signIn(page, app.url, MANAGER.email, MANAGER.password);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));

    await page.goto(`${app.url}/accounts/import`);
    await page.getByText('导入客户档案').first().waitFor();
    await shot(page, 'import-1-upload');

    const stamp = Date.now().toString(36);
    // A name like one of the demo's accounts (its name with 设备 added): created, with a warning.
    const existing = (await apiCall<{ items: { name: string }[] }>(page, 'GET', '/accounts?limit=50&sort=name')).items
      .map((a) => a.name)
      .filter((n) => n.endsWith('有限公司'))
      .sort((a, b) => b.length - a.length)[0]!;
    const lookAlike = existing.replace(/有限公司$/, '设备有限公司');
    const csv = [
      '客户名称,统一社会信用代码,行业,省份,城市',
      `E2E 苏州导入测试有限公司 ${stamp},,制造业,江苏省,苏州市`,
      `E2E 无锡导入测试有限公司 ${stamp},12345,机械,江苏省,无锡市`,
      `E2E 常州导入测试有限公司 ${stamp},,电子,江苏省,常州市`,
      `${lookAlike},,制造业,江苏省,苏州市`,
    ].join('\n');
    await page
      .locator('input[type="file"]')
      .first()
      .setInputFiles({ name: '客户导入.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-validate').waitFor();
    assert.ok(await page.getByText('4 行数据').first().isVisible());
    await shot(page, 'import-2-mapping');

    await page.getByTestId('import-validate').click();
    const errorsTable = page.getByTestId('import-errors');
    await errorsTable.waitFor();
    // The row itself, not the table's empty state, which can stand there while the errors load.
    const firstRow = errorsTable.locator('tbody tr', { hasText: '12345' }).first();
    await firstRow.waitFor();
    const text = await firstRow.innerText();
    assert.match(text, /^3\s/, `the bad row is spreadsheet row 3: ${text}`);
    assert.match(text, /统一社会信用代码/);
    assert.match(text, /“12345”不是有效的统一社会信用代码（格式或校验位不对）/);
    assert.doesNotMatch(text, /must|check character|\(/, 'no English from the server on the Chinese screen');
    assert.equal((await page.getByTestId('import-error-count').innerText()).replace(/\D/g, '').slice(-1), '1');
    assert.ok(await page.getByTestId('import-commit').isDisabled(), 'a row with errors blocks the commit');
    // The look-alike is listed as a warning naming the existing account; it does not block.
    // The warnings are fetched after the errors: wait for the row, not the table's empty state.
    const warning = page.getByTestId('import-warnings').locator('tbody tr', { hasText: '相似' }).first();
    await warning.waitFor();
    const warned = await warning.innerText();
    assert.match(warned, /^5\s/, `the look-alike is spreadsheet row 5: ${warned}`);
    assert.ok(warned.includes(`与已有客户“${existing}”相似`), warned);
    await shot(page, 'import-3-report');

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
    await shot(page, 'import-4-done');
    // Committed records wait for their search entries (docs/search.md § Imported records): a small
    // import's are written before a person looks, so the job's answer is held at 1,234 left to see
    // the notice in both languages; with the real answer (none left) it goes.
    const jobUrl = /\/api\/v1\/imports\/\d+$/;
    await page.route(jobUrl, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), searchPending: 1234 } });
    });
    await page.reload();
    const notice = page.getByTestId('import-search-pending');
    assert.match(await notice.innerText(), /正在为搜索建立索引：还剩 1234 条/);
    await shot(page, 'import-6-indexing-zh');
    await useEnglish(page);
    assert.match(await notice.innerText(), /Indexing for search: 1,?234 records left/);
    await shot(page, 'import-6-indexing-en');
    await page.unroute(jobUrl);
    await page.reload();
    await page.getByText('Import complete').first().waitFor();
    await importSearchable(page);
    // The next tests read the Chinese screens.
    await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale: 'zh-CN' } });
    assert.deepEqual(app.errors, []);
    await page.close();
  });

  test('unknown words are asked once with a suggestion, and exact duplicates are listed by row', async () => {
    const page = await app.page({ viewport: { width: 1440, height: 1000 }, timeout: 15_000 });
    await signIn(page, app.url, MANAGER.email, MANAGER.password);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    const existing = (await apiCall<{ items: { name: string }[] }>(page, 'GET', '/accounts?limit=1&sort=name'))
      .items[0]!.name;
    const stamp = Date.now().toString(36);
    const csv = [
      '客户名称,行业',
      `E2E 宁波汽配测试有限公司 ${stamp},汽车零部件`,
      `E2E 台州汽配测试有限公司 ${stamp},汽车零部件`,
      `E2E 合肥储能测试有限公司 ${stamp},新能源`,
      `E2E 上海饮品测试有限公司 ${stamp},食品饮料`,
      `${existing},制造业`,
    ].join('\n');
    await page.goto(`${app.url}/accounts/import`);
    await page
      .locator('input[type="file"]')
      .first()
      .setInputFiles({ name: '行业词.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-validate').click();
    const values = page.getByTestId('import-values');
    await values.waitFor();
    const listed = await values.locator('tbody tr.ant-table-row').allInnerTexts();
    assert.equal(listed.length, 2, `one line per distinct word: ${listed.join(' | ')}`);
    assert.match(
      listed[0]!,
      /汽车零部件\s+2\s+汽车/,
      'the most frequent first, with its rows and the suggestion picked',
    );
    assert.match(listed[1]!, /新能源\s+1\s+能源/);
    // The duplicates are fetched after the report, like the warnings: wait for a row, not the table's empty state.
    const duplicateRows = page.getByTestId('import-duplicates').locator('tbody tr.ant-table-row');
    await duplicateRows.first().waitFor();
    const duplicates = await duplicateRows.allInnerTexts();
    assert.equal(duplicates.length, 1, duplicates.join(' | '));
    assert.match(duplicates[0]!, /^6\s+跳过/, `row 6, skipped: ${duplicates[0]}`);
    assert.ok(duplicates[0]!.includes(existing), 'names the account it matches');
    await shot(page, 'import-5-values');

    await page.getByTestId('import-values-apply').click();
    await values.waitFor({ state: 'detached' });
    await page.getByText('所有行都通过了检查').first().waitFor();
    assert.ok(await page.getByTestId('import-commit').isEnabled());
    await page.getByTestId('import-commit').click();
    await page.getByText('导入完成').first().waitFor();
    await importSearchable(page);
    const imported = await apiCall<{ items: { name: string; industry: string | null }[] }>(
      page,
      'GET',
      `/accounts?limit=10&q=${encodeURIComponent(stamp)}`,
    );
    assert.deepEqual(imported.items.map((account) => account.industry).sort(), [
      'automotive',
      'automotive',
      'energy',
      'food',
    ]);
    assert.deepEqual(app.errors, []);
    await page.close();
  });

  test('an import interrupted by a server stop says so in both languages, and can be checked again', async () => {
    const page = await app.page({ viewport: { width: 1366, height: 900 }, timeout: 15_000 });
    await signIn(page, app.url, MANAGER.email, MANAGER.password);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    const csv = `客户名称\nE2E 中断测试有限公司 ${Date.now().toString(36)}\n`;
    const up = await page.request.post(`${app.url}/api/v1/imports?kind=accounts&fileName=interrupted.csv`, {
      data: Buffer.from(csv),
      headers: { 'content-type': 'text/csv' },
    });
    const job = (await up.json()) as { id: number; suggestedMapping: Record<string, number | null> };
    await page.request.post(`${app.url}/api/v1/imports/${job.id}/validate`, {
      data: { mapping: job.suggestedMapping, duplicateMode: 'skip' },
    });
    await page.waitForTimeout(1500);
    // The job as the API shows it after a server stopped mid-commit (the API tests make that happen for real).
    let interrupted = true;
    await page.route(`**/api/v1/imports/${job.id}`, async (route) => {
      if (!interrupted || route.request().method() !== 'GET') return route.continue();
      const res = await route.fetch();
      const body = (await res.json()) as Record<string, unknown>;
      return route.fulfill({
        response: res,
        json: {
          ...body,
          status: 'failed',
          failure: 'interrupted: …',
          failureInfo: { code: 'interrupted', phase: 'committing' },
        },
      });
    });
    await page.goto(`${app.url}/accounts/import?job=${job.id}`);
    const alert = page.getByTestId('import-failure');
    await alert.waitFor();
    assert.match(await alert.innerText(), /导入被中断[\s\S]*写入时服务器停止了运行。没有保存任何数据/);
    await shot(page, 'import-5-interrupted');

    await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale: 'en-US' } });
    await page.reload();
    await alert.waitFor();
    assert.match(
      await alert.innerText(),
      /The import was interrupted[\s\S]*The server stopped while writing\. Nothing was saved/,
    );
    await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale: 'zh-CN' } });

    interrupted = false;
    await page.getByTestId('import-validate-again').click();
    await page.getByTestId('import-commit').waitFor();
    // The job is fetched again after the check: the failure leaves once the new state arrives.
    await alert.waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(await alert.count(), 0, 'checked again: no longer failed');
    assert.deepEqual(app.errors, []);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.close();
  });
});
