/**
 * The import journey in a real browser (SPEC §3.4): the demo manager uploads a small CSV
 * with one bad row, maps it, reads the dry-run report naming that row, skips it, commits,
 * and sees the summary. Runs the real server on the demo company and the built web app.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };
const TIMEOUT = 15_000;

let server: ChildProcess | undefined;
let serverLog = '';
let dataDir = '';
let baseUrl = '';
let browser: Browser | undefined;
let context: BrowserContext | undefined;
const consoleErrors: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null) throw new Error(`server exited early:\n${serverLog}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server did not become healthy in ${ms} ms:\n${serverLog}`);
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

describe('Import in the browser', () => {
  before(async () => {
    if (!fs.existsSync(path.join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist/index.html is missing: run `npm run build:web` first');
    fs.mkdirSync(SHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-e2e-import-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['src/cli/main.ts', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), KEYLINE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
    await waitForHealth(baseUrl, 30_000);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
    });
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a manager imports a CSV with one bad row: the report names the row, the rest is committed', async () => {
    const page = await context!.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of 401/.test(msg.text())) consoleErrors.push(msg.text());
    });
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(/\/sign-in$/);
    await page.locator('#email').fill(MANAGER.email);
    await page.locator('#password').fill(MANAGER.password);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));

    await page.goto(`${baseUrl}/accounts/import`);
    await page.getByText('导入客户档案').first().waitFor();
    await shot(page, 'import-1-upload');

    const stamp = Date.now().toString(36);
    const csv = [
      '客户名称,统一社会信用代码,行业,省份,城市',
      `E2E 苏州导入测试有限公司 ${stamp},,制造业,江苏省,苏州市`,
      `E2E 无锡导入测试有限公司 ${stamp},12345,机械,江苏省,无锡市`,
      `E2E 常州导入测试有限公司 ${stamp},,电子,江苏省,常州市`,
    ].join('\n');
    await page.locator('input[type="file"]').first().setInputFiles({ name: '客户导入.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-validate').waitFor();
    assert.ok(await page.getByText('3 行数据').first().isVisible());
    await shot(page, 'import-2-mapping');

    await page.getByTestId('import-validate').click();
    const errorsTable = page.getByTestId('import-errors');
    await errorsTable.waitFor();
    const firstRow = errorsTable.locator('tbody tr').first();
    await firstRow.waitFor();
    const text = await firstRow.innerText();
    assert.match(text, /^3\s/, `the bad row is spreadsheet row 3: ${text}`);
    assert.match(text, /统一社会信用代码/);
    assert.match(text, /格式或校验位不对/);
    assert.equal((await page.getByTestId('import-error-count').innerText()).replace(/\D/g, '').slice(-1), '1');
    assert.ok(await page.getByTestId('import-commit').isDisabled(), 'a row with errors blocks the commit');
    await shot(page, 'import-3-report');

    await page.getByTestId('import-skip-errors').click();
    await page.getByTestId('import-commit').click();
    await page.getByText('导入完成').first().waitFor();
    assert.match(await page.getByText(/新建 2 条/).first().innerText(), /新建 2 条，更新 0 条，跳过 1 行/);
    await shot(page, 'import-4-done');
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });
});
