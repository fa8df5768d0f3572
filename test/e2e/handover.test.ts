/**
 * Handover and public pool in a real browser (SPEC §3.3): the Shanghai manager hands a
 * departing rep's accounts to a colleague and completes it; the pool page as manager and rep.
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
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };
const REP = { email: 'rep@demo.keyline.dev', password: 'keyline-demo' };
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
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/sign-in$/);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('button[type="submit"]').click();
}


async function api<T>(cookie: string, p: string): Promise<T> {
  const res = await fetch(`${baseUrl}/api/v1${p}`, { headers: { cookie } });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function login(email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

describe('Handover and pool in the browser', () => {
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

  test('a manager hands over a departing rep and completes it', async () => {
    const cookie = await login(MANAGER.email, MANAGER.password);
    // A rep of the manager's branch who owns accounts, other than the demo sign-in rep.
    const reps = await api<{ items: { id: number; name: string; email: string }[] }>(cookie, '/users?role=rep&active=true&limit=200');
    let leaver: { id: number; name: string } | undefined;
    for (const r of reps.items.filter((x) => !x.email.startsWith('rep@'))) {
      const owned = await api<{ total: number }>(cookie, `/accounts?ownerId=${r.id}&limit=1`);
      if (owned.total > 0) { leaver = r; break; }
    }
    assert.ok(leaver, 'a rep with accounts exists in the demo');
    const page = await newPage();
    await signIn(page, MANAGER.email, MANAGER.password);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/handovers`);
    await page.getByTestId('departing-user').click();
    await page.keyboard.type(leaver.name);
    await page.locator('.ant-select-item-option').filter({ hasText: leaver.name }).first().click();
    await page.getByTestId('start-handover').click();
    await page.waitForURL(/\/handovers\/\d+$/);
    assert.match(await visibleText(page.locator('h3')), new RegExp(leaver.name));
    await page.getByTestId('handover-items').locator('tbody tr.ant-table-row').first().waitFor();
    await shot(page, 'handover-1-inventory');

    await page.getByTestId('handover-next').click();
    await page.getByTestId('bulk-successor').click();
    await page.keyboard.type('王芳');
    await page.locator('.ant-select-item-option').filter({ hasText: '王芳' }).first().click();
    await page.getByTestId('bulk-apply').click();
    await page.getByText('已保存').first().waitFor();
    await page.getByTestId('handover-items').getByText('未指定').first().waitFor({ state: 'detached' }).catch(() => undefined);
    await shot(page, 'handover-2-successors');

    await page.getByTestId('handover-next').click();
    const notes = page.locator('[data-testid^="note-"]');
    const count = await notes.count();
    for (let i = 0; i < count; i++) {
      const card = notes.nth(i);
      await card.locator('textarea').nth(0).fill('合作稳定，二期项目实施中。');
      await card.locator('textarea').nth(1).fill('验收报告待签字，尾款月底前跟进。');
      await card.locator('textarea').nth(2).fill('采购总监：每周沟通一次。');
      await card.getByRole('button', { name: /保存说明/ }).click();
      await card.getByText('已填写').waitFor();
    }
    await shot(page, 'handover-3-notes');

    await page.getByTestId('handover-next').click();
    assert.match(await visibleText(page.getByText('可以完成交接')), /可以完成交接/);
    await shot(page, 'handover-4-review');
    await page.getByTestId('handover-complete').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /完成交接并停用账号/ }).click();
    assert.match(await visibleText(page.locator('.ant-result-title')), new RegExp(`${leaver.name} 的交接已完成`));
    await shot(page, 'handover-5-completed');

    const users = await api<{ items: { id: number; active: boolean }[] }>(cookie, `/users?limit=500`);
    assert.equal(users.items.find((u) => u.id === leaver!.id)!.active, false);
    assert.equal((await api<{ total: number }>(cookie, `/accounts?ownerId=${leaver.id}&limit=1`)).total, 0);
    await page.close();
  });

  test('the pool page: the manager\'s view and a rep claiming with confirmation', async () => {
    const page = await newPage();
    await signIn(page, MANAGER.email, MANAGER.password);
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/accounts/pool`);
    await page.getByTestId('pool-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('pool-events').locator('tbody tr.ant-table-row').first().waitFor();
    await shot(page, 'pool-manager');
    await page.close();

    const repPage = await newPage();
    await signIn(repPage, REP.email, REP.password);
    await repPage.waitForURL(`${baseUrl}/`);
    await repPage.goto(`${baseUrl}/accounts/pool`);
    const allowance = await visibleText(repPage.getByTestId('pool-allowance'));
    const before = Number(/还可领取 (\d+)/.exec(allowance)![1]);
    const row = repPage.getByTestId('pool-table').locator('tbody tr.ant-table-row').first();
    const name = (await row.locator('td').first().innerText()).trim();
    await row.getByRole('button', { name: /领\s*取/ }).click();
    await shot(repPage, 'pool-rep-confirm', false);
    await repPage.locator('.ant-popconfirm').getByRole('button', { name: /领\s*取/ }).click();
    await repPage.getByText(`已领取“${name.split('\n')[0]}”`).first().waitFor();
    const after = Number(/还可领取 (\d+)/.exec(await visibleText(repPage.getByTestId('pool-allowance')))![1]);
    assert.equal(after, before - 1);
    await shot(repPage, 'pool-rep');
    assert.deepEqual(consoleErrors, []);
    await repPage.close();
  });
});
