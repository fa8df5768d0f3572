/**
 * Territories and rules in the browser (SPEC §2, §3.1): recompute the ABC tiers and read the
 * chart, add two territory rules that collide, see the conflict reported and previewed.
 * Runs the real server on the demo company and the built web app (npm run build:web);
 * server start-up copied from foundation.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
const ADMIN = { email: 'admin@demo.keyline.dev', password: 'keyline-demo' };
const TIMEOUT = 10_000;

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
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server did not become healthy in ${ms} ms:\n${serverLog}`);
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** Waits until the locator is visible and returns its text, so tests assert on what a person sees. */
async function visibleText(locator: Locator): Promise<string> {
  await locator.first().waitFor({ state: 'visible', timeout: TIMEOUT });
  return (await locator.first().innerText()).trim();
}

async function newPage(): Promise<Page> {
  const page = await context!.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (msg) => {
    // A 401 is how the app learns it is signed out (and the answer to a wrong password).
    if (msg.type() === 'error' && !/status of 401/.test(msg.text())) consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(err.message));
  return page;
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/sign-in$/);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('button[type="submit"]').click();
}

describe('Territories and rules in the browser', () => {
  before(async () => {
    if (!fs.existsSync(path.join(ROOT, 'web/dist/index.html'))) {
      throw new Error('web/dist/index.html is missing: run `npm run build:web` before the browser test');
    }
    fs.mkdirSync(SHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-e2e-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['src/cli/main.ts', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), KEYLINE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
    await waitForHealth(baseUrl, 20_000);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
    });
    context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
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


  test('recompute tiers, then add conflicting territories and preview', async () => {
    const page = await newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));

    await page.goto(`${baseUrl}/settings/rules`);
    await page.getByTestId('rules-form').waitFor();
    await page.getByTestId('recompute-tiers').click();
    const result = await visibleText(page.getByTestId('recompute-result'));
    const m = /已重新计算 (\d+) 个客户/.exec(result);
    assert.ok(m && Number(m[1]) > 0, result);
    await page.locator('canvas').first().waitFor({ state: 'visible', timeout: TIMEOUT });
    await page.waitForTimeout(600);
    await shot(page, 'territories-rules');

    // A rule that breaks the cadence order is refused beside its field.
    await page.locator('#followUpDays_A').fill('40');
    await page.getByTestId('rules-save').click();
    assert.match(await visibleText(page.locator('#followUpDays_A_help')), /B interval/);

    await page.goto(`${baseUrl}/settings/territories`);
    await page.getByTestId('territories-table').waitFor();
    const stamp = Date.now().toString(36);
    const province = `测试省${stamp}`;
    const addRule = async (repIndex: number) => {
      await page.getByTestId('territory-add').click();
      await page.locator('#province').fill(province);
      await page.getByTestId('territory-rep').click();
      const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
      await options.nth(repIndex).click();
      await page.getByTestId('territory-submit').click();
      await page.locator('.ant-drawer-content').waitFor({ state: 'detached', timeout: TIMEOUT });
    };
    await addRule(0);
    await page.getByTestId('territories-table').getByText(province).first().waitFor();
    await addRule(1);
    const conflict = await visibleText(page.getByTestId('territory-conflicts'));
    assert.match(conflict, /发现 \d+ 处区域冲突/);
    assert.match(conflict, new RegExp(province));

    await page.locator('#preview_province').fill(province);
    await page.getByTestId('territory-preview').click();
    assert.match(await visibleText(page.getByTestId('territory-preview-result')), /规则冲突/);
    await shot(page, 'territories-conflict');
    // The one 400 is the refused cadence rule above.
    assert.deepEqual(consoleErrors.filter((e) => !/status of 400/.test(e)), []);
    await page.close();
  });
});
