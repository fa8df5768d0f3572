/**
 * The Foundation journey in a real browser: sign in, switch language, add an org unit,
 * add a user to it, sign out — plus a wrong password. Runs the real server on the demo
 * company and the built web app (npm run build:web).
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

describe('Foundation in the browser', () => {
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

  test('a wrong password shows an error and stays on the sign-in page', async () => {
    const page = await newPage();
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(/\/sign-in$/);
    assert.equal(await visibleText(page.locator('h3')), '登录');
    assert.match(await visibleText(page.getByText('大客户与项目型销售管理').first()), /大客户/);
    await shot(page, 'sign-in');

    await signIn(page, ADMIN.email, 'not-the-password');
    assert.equal(await visibleText(page.getByTestId('sign-in-error')), '邮箱或密码不正确');
    assert.match(page.url(), /\/sign-in$/);
    await page.close();
  });

  test('sign in, switch language, add a unit and a user, sign out', async () => {
    const page = await newPage();
    const stamp = Date.now().toString(36);
    const unitName = `E2E 项目部 ${stamp}`;
    const userName = `E2E Tester ${stamp}`;
    const userEmail = `e2e-${stamp}@demo.keyline.dev`;

    // Sign in: the shell shows who is signed in, in Chinese (the admin's saved language).
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.waitForURL(`${baseUrl}/`);
    assert.equal(await visibleText(page.getByTestId('user-name')), '周敏');
    assert.equal(await visibleText(page.getByTestId('user-role')), '系统管理员');
    assert.equal(await visibleText(page.getByTestId('workspace-name')), '华锐智造集团');
    assert.equal(await visibleText(page.getByRole('menuitem', { name: '首页' })), '首页');
    assert.match(await visibleText(page.getByTestId('home-greeting')), /周敏/);
    await page.locator('canvas').first().waitFor({ state: 'visible' });
    await shot(page, 'home-zh');

    // Switch to English; the choice is remembered across a reload (and saved to the profile).
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/me') && r.request().method() === 'PATCH');
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    assert.equal(await visibleText(page.getByRole('menuitem', { name: 'Opportunities' })), 'Opportunities');
    assert.equal((await saved).status(), 200);
    await page.locator('.ant-dropdown').waitFor({ state: 'hidden' });
    await page.locator('canvas').first().waitFor({ state: 'visible' });
    await shot(page, 'home-en');
    await page.reload();
    assert.equal(await visibleText(page.getByRole('menuitem', { name: 'Funnel & forecast' })), 'Funnel & forecast');
    assert.equal(await visibleText(page.getByTestId('user-role')), 'Administrator');
    const me = (await (await page.request.get(`${baseUrl}/api/v1/auth/me`)).json()) as { user: { locale: string } };
    assert.equal(me.user.locale, 'en-US');

    // Settings → Org tree: add a department under the Guangzhou branch.
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings\/org$/);
    await page.getByTestId('org-tree').getByText('广州分公司', { exact: true }).click();
    assert.match(await visibleText(page.getByTestId('unit-details').locator('.ant-card-head-title')), /广州分公司/);
    await page.getByRole('button', { name: 'Add sub-unit' }).click();
    const modal = page.locator('.ant-modal');
    assert.equal(await visibleText(modal.locator('.ant-modal-title')), 'Add a unit under "广州分公司"');
    await modal.locator('#name').fill(unitName);
    await modal.getByRole('button', { name: 'Create' }).click();
    await modal.waitFor({ state: 'hidden' });
    assert.equal(await visibleText(page.getByTestId('org-tree').getByText(unitName, { exact: true })), unitName);
    assert.match(await visibleText(page.getByTestId('unit-details').locator('.ant-card-head-title')), new RegExp(unitName));
    assert.match(await visibleText(page.getByTestId('unit-details')), /Department/);
    await shot(page, 'org-tree');

    // Users: create a user in the new unit.
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.waitForURL(/\/settings\/users/);
    await page.getByRole('button', { name: 'New user' }).click();
    const drawer = page.locator('.ant-drawer-section');
    await drawer.locator('#name').fill(userName);
    await drawer.locator('#email').fill(userEmail);
    await drawer.locator('#orgUnitId').click();
    await drawer.locator('#orgUnitId').fill(stamp);
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: unitName }).click();
    await page.locator('.ant-select-tree').waitFor({ state: 'hidden' });
    await drawer.locator('#password').fill('e2e-password-1');
    await drawer.locator('#title').fill('Key account manager');
    assert.match(await visibleText(drawer.locator('.ant-form-item', { has: page.locator('#orgUnitId') })), new RegExp(unitName));
    // The drawer overlays the viewport; a full-page capture would cut it apart.
    await shot(page, 'create-user', false);
    await page.getByTestId('user-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });

    await page.getByPlaceholder('Search name or email').fill(userEmail);
    await page.getByPlaceholder('Search name or email').press('Enter');
    const row = page.locator('.ant-table-row', { hasText: userEmail });
    const rowText = await visibleText(row);
    assert.match(rowText, new RegExp(userName));
    assert.match(rowText, new RegExp(unitName));
    assert.match(rowText, /Account manager/);
    assert.match(rowText, /Active/);
    await page.getByPlaceholder('Search name or email').fill('');
    await page.locator('.ant-table-row').nth(5).waitFor({ state: 'visible' });
    await shot(page, 'users');

    // Sign out: back to the sign-in page, still in English.
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/);
    assert.equal(await visibleText(page.locator('h3')), 'Sign in');
    const after = await page.request.get(`${baseUrl}/api/v1/auth/me`);
    assert.equal(after.status(), 401);

    assert.deepEqual(consoleErrors, [], 'no errors in the browser console');
    await page.close();
  });
});
