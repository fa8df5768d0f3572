/**
 * What every browser test needs around its own journey: a real Keyline server on the demo
 * company, a headless Chromium, pages that record console errors, screenshots, and signing in
 * through the UI. The journeys themselves stay in the *.test.ts files beside this one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startServer } from '../helpers/server.ts';
import { planBrowser } from '../helpers/test-services.ts';
import { isPackagedChromium, packagedChromiumEnv, preparePackagedChromium } from '../helpers/packaged-chromium.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Where scripts/test.ts reads the failure reports (KEYLINE_TEST_RESULTS, as there). */
const RESULTS = path.resolve(ROOT, process.env.KEYLINE_TEST_RESULTS || 'test-results');
const SHOTS = path.join(RESULTS, 'screenshots');
const FAILURES = path.join(RESULTS, 'failures');
/** Default wait of every page from `newPage`, and so of `visibleText`: a missing element fails in seconds, not at the test timeout. */
export const TIMEOUT = 10_000;

export interface Keyline {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `keyline serve` on a free port with its own throw-away data directory, so every test
 * file gets a freshly seeded demo company and files can run in parallel.
 */
export async function startKeyline(env: Record<string, string> = {}): Promise<Keyline> {
  // The server only serves the web app that is already built; say so rather than time out on a blank page.
  if (!fs.existsSync(path.join(ROOT, 'web/dist/index.html'))) {
    throw new Error('web/dist/index.html is missing: run `npm run build:web` before the browser test');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-e2e-'));
  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  try {
    const server = await startServer({ KEYLINE_DATA_DIR: dataDir, ...env });
    return { url: server.url, stop: () => server.stop().finally(removeDataDir) };
  } catch (err) {
    removeDataDir();
    throw err;
  }
}

/**
 * The Chromium the test command chose (KEYLINE_TEST_CHROMIUM, see test/helpers/test-services.ts);
 * a file run on its own makes the same choice. playwright-core ships no browser. The flags keep
 * it quiet and sandbox-free in containers.
 */
export async function launchChromium(): Promise<Browser> {
  let executablePath = process.env.KEYLINE_TEST_CHROMIUM;
  if (!executablePath) {
    const plan = planBrowser(process.env);
    executablePath = plan.kind === 'system' ? plan.executable : await preparePackagedChromium();
  }
  const packaged = isPackagedChromium(executablePath);
  return chromium.launch({
    executablePath,
    headless: true,
    ...(packaged ? { env: { ...process.env, ...packagedChromiumEnv(executablePath) } } : {}),
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-gpu',
      '--no-first-run',
      ...(packaged ? ['--no-zygote'] : []),
    ],
  });
}

export interface PageOptions {
  /** Where console errors and uncaught page errors go; a test asserts it stays empty. */
  errors: string[];
  /** Where every API answer of 400 or more goes (method, path, status, body start), for the failure report. */
  apiFailures?: string[];
  locale?: string;
  viewport?: { width: number; height: number };
  timeout?: number;
  /** A phone: touch input and the mobile viewport (overlay scrollbars, no hover). */
  phone?: boolean;
  /** The browser's time zone; the demo company's (Asia/Shanghai) unless a test looks from elsewhere. */
  timezoneId?: string;
}

/**
 * A page in a context of its own, so no session cookie or saved language leaks from one page
 * to the next; closing the page closes its context.
 */
export async function newPage(
  browser: Browser,
  {
    errors,
    apiFailures,
    locale = 'zh-CN',
    viewport = { width: 1366, height: 860 },
    timeout = TIMEOUT,
    phone = false,
    timezoneId = 'Asia/Shanghai',
  }: PageOptions,
): Promise<Page> {
  // Reduced motion turns antd's animations off (web/src/app/theme.ts): a click never meets a dialog still zooming in.
  // The demo company's people work in its zone (Asia/Shanghai), so tests that type "today" into a
  // form agree with the server; test/e2e/timezone.test.ts looks from another zone (issue 11).
  const context = await browser.newContext({
    viewport,
    locale,
    timezoneId,
    reducedMotion: 'reduce',
    ...(phone ? { hasTouch: true, isMobile: true } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.once('close', () => void context.close().catch(() => undefined));
  page.on('console', (msg) => {
    // A 401 is how the app learns it is signed out (and the answer to a wrong password).
    if (msg.type() === 'error' && !/status of 401/.test(msg.text())) errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  if (apiFailures) {
    page.on('response', (res) => {
      if (res.status() < 400 || !res.url().includes('/api/')) return;
      const at = new Date().toISOString().slice(11, 23);
      void res.text().then(
        (body) =>
          apiFailures.push(
            `${at} ${res.request().method()} ${new URL(res.url()).pathname} → ${res.status()} ${body.slice(0, 300)}`,
          ),
        () => undefined,
      );
    });
  }
  return page;
}

/** Saves test-results/screenshots/<name>.png; `fullPage: false` keeps drawers and pop-ups that overlay the viewport whole. */
export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  // A full-page picture of a scrolled page repeats the sticky header. (String form: the root tsconfig has no DOM lib.)
  if (fullPage) await page.evaluate('window.scrollTo(0, 0)');
  // The Chinese font arrives in unicode-range slices as text needs them: a picture taken before
  // a slice is in shows empty boxes a person never sees for long.
  await page.evaluate('document.fonts.ready');
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** Waits until the locator is visible and returns its text, so tests assert on what a person sees. */
export async function visibleText(locator: Locator): Promise<string> {
  await locator.first().waitFor({ state: 'visible' });
  return (await locator.first().innerText()).trim();
}

/** The part of the DOM's Element that `settled` uses (the root tsconfig has no DOM lib). */
interface Animatable {
  getAnimations(options: {
    subtree: boolean;
  }): { effect: { getComputedTiming(): { endTime?: number | string } } | null; finished: Promise<unknown> }[];
}

/**
 * Waits until the locator is visible and its opening animation has finished. An antd modal or
 * drawer zooms or slides in from where the pointer was; on a loaded machine a click aimed at a
 * button during that animation can land beside it, so tests settle a pop-up before using it.
 */
export async function settled(locator: Locator): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible' });
  // Endless animations (spinners) never finish; only the finite ones are waited for.
  await locator.first().evaluate((el: Animatable) =>
    Promise.all(
      el
        .getAnimations({ subtree: true })
        .filter((a) => a.effect !== null && a.effect.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  return locator;
}

/**
 * Fills in and submits the sign-in form. It does not wait for the result: a test may expect
 * the home page, another page, or an error. Cookies are cleared first so the app really shows the form.
 */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/sign-in$/);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('button[type="submit"]').click();
}

/**
 * Switches a signed-in page to English and waits until the server has saved it as the user's
 * language: a page loaded before that save still opens in Chinese (the calendar test did).
 */
export async function useEnglish(page: Page): Promise<void> {
  // Saved by an earlier test of the same user: choosing it again sends nothing.
  if ((await page.getByTestId('language-switch').innerText()).includes('English')) return;
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/me') && r.request().method() === 'PATCH');
  await page.getByTestId('language-switch').click();
  await page.getByRole('menuitem', { name: 'English' }).click();
  assert.equal((await saved).status(), 200, 'the language is saved');
  await page.locator('.ant-dropdown').waitFor({ state: 'hidden' });
}

/**
 * On an import's last page, waits until its records are found by search: the indexing job writes
 * their entries after the commit (docs/search.md § Imported records) and the page's notice goes
 * then, as a person would wait for it. Seconds, more on a loaded machine.
 */
export async function importSearchable(page: Page): Promise<void> {
  await page.getByTestId('import-search-pending').waitFor({ state: 'detached', timeout: 90_000 });
}

/** Calls the API with the page's session cookie (on the page's own origin), failing loudly on an error answer. */
export async function apiCall<T = Record<string, unknown>>(
  page: Page,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  data?: unknown,
): Promise<T> {
  const res = await page.request.fetch(`${new URL(page.url()).origin}/api/v1${url}`, {
    method,
    data,
    headers: { 'content-type': 'application/json' },
  });
  if (!res.ok()) throw new Error(`${method} ${url} answered ${res.status()}: ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * Picks an option in the open antd Select dropdown and waits until the dropdown has closed:
 * a click on the next field while the dropdown still animates out can land on the dropdown.
 */
export async function pickOption(page: Page, text: string): Promise<void> {
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
  await page
    .locator('.ant-select-dropdown:visible')
    .first()
    .waitFor({ state: 'hidden' })
    .catch(() => undefined);
}

export interface BrowserSuite {
  /** The server's base URL, e.g. http://127.0.0.1:40123 (known once the suite's `before` ran). */
  readonly url: string;
  /** Console and page errors of every page opened through `page()`, across all tests of the file. */
  readonly errors: string[];
  page(options?: Omit<PageOptions, 'errors'>): Promise<Page>;
}

/**
 * One server and one Chromium for a whole test file: registers the `before` that starts them and
 * the `after` that closes them (even when start-up failed half-way). Call it once, at the top of the file.
 */
export function browserSuite(env: Record<string, string> = {}): BrowserSuite {
  let keyline: Keyline | undefined;
  let browser: Browser | undefined;
  const errors: string[] = [];
  const apiFailures: string[] = [];
  before(async () => {
    keyline = await startKeyline(env);
    browser = await launchChromium();
  });
  // A failure on a CI machine must be explainable afterwards: keep a picture of every open page
  // and print what the server refused, since the browser's state is gone once the suite ends.
  afterEach(async (context) => {
    // Node ≥ 22 gives the hook the finished test's outcome; @types/node does not declare it yet.
    const testInfo = context as unknown as { name: string; passed: boolean; error?: unknown };
    if (testInfo.passed || !browser) return;
    fs.mkdirSync(FAILURES, { recursive: true });
    const pages = browser.contexts().flatMap((c) => c.pages());
    const slug = testInfo.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60);
    const report = [
      `${testInfo.name}: ${testInfo.error instanceof Error ? testInfo.error.message.split('\n')[0] : String(testInfo.error)}`,
    ];
    for (const [index, page] of pages.entries()) {
      const file = path.join(FAILURES, `${slug}-${index}.png`);
      await page.screenshot({ path: file }).catch(() => undefined);
      report.push(`page ${index} at ${page.url()} — screenshot ${path.relative(ROOT, file)}`);
    }
    if (errors.length) report.push('page errors:', ...errors.map((e) => `  ${e}`));
    if (apiFailures.length) report.push('API answers ≥ 400:', ...apiFailures.map((e) => `  ${e}`));
    // scripts/test.ts prints these reports after the summary, where a CI log's tail shows them.
    fs.writeFileSync(path.join(FAILURES, `${slug}.txt`), report.join('\n') + '\n');
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    await keyline?.stop();
  });
  return {
    get url() {
      if (!keyline)
        throw new Error('the Keyline server is not running (is browserSuite() called at the top of the file?)');
      return keyline.url;
    },
    errors,
    page: (options = {}) => newPage(browser!, { ...options, errors, apiFailures }),
  };
}
