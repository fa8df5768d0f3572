/**
 * The whole test suite: domain and API tests on SQLite and PostgreSQL, and the browser test.
 * `npm test` runs it. It builds the web app first unless KEYLINE_SKIP_WEB_BUILD=1 (CI builds
 * it in an earlier step). PostgreSQL and Chromium are the machine's own when it has them,
 * otherwise an embedded server and the packaged browser from npm packages
 * (test/helpers/test-services.ts); an embedded server lives in a temporary directory that is
 * removed at the end, also when the tests fail or the run is interrupted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs, { globSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { testEngines } from '../test/helpers/db.ts';
import { describeUrl, planBrowser, planPostgres } from '../test/helpers/test-services.ts';
import { preparePackagedChromium } from '../test/helpers/packaged-chromium.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';

const e2e = process.env.KEYLINE_TEST_E2E !== 'off';
const files = globSync('test/**/*.test.ts').filter((f) => e2e || !f.startsWith('test/e2e/'));
const filter = process.argv.slice(2);
const selected = (filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files).sort();
const needsBrowser = selected.some((f) => f.startsWith('test/e2e/'));
const needsPostgres = testEngines().includes('postgres') && selected.some((f) => !f.startsWith('test/e2e/'));

if (needsBrowser && process.env.KEYLINE_SKIP_WEB_BUILD !== '1') {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(1);
}

/** Undone last-first when the run ends, however it ends. */
const cleanups: (() => unknown)[] = [];
/** The `node --test` process, once started. */
const running: { child?: ChildProcess } = {};
let finishing: Promise<never> | undefined;
/** 128 + the signal's number once the run is interrupted: that is how it ends, whatever the children say. */
let interrupted: number | undefined;

function finish(status: number): Promise<never> {
  finishing ??= (async () => {
    for (const undo of cleanups.reverse()) {
      try {
        await undo();
      } catch (err) {
        console.error(`test clean-up: ${(err as Error).message}`);
      }
    }
    process.exit(interrupted ?? status);
  })();
  return finishing;
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    interrupted = code;
    console.error(`\n${signal}: stopping the tests and removing what they started`);
    // The children may hold connections to the embedded server: let them go first, briefly.
    const { child } = running;
    if (child && child.exitCode === null) {
      child.kill(signal);
      const gone = new Promise((resolve) => child.once('exit', resolve));
      void Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]).then(() => finish(code));
    } else {
      void finish(code);
    }
  });
}

// Background work's pauses between batches (src/db/batches.ts) would only slow the tests; the tests of pacing turn them on.
const env: Record<string, string> = { KEYLINE_JOB_PAUSE: process.env.KEYLINE_JOB_PAUSE ?? '0' };
try {
  if (needsPostgres) {
    const plan = await planPostgres(process.env);
    if (plan.kind === 'server') {
      env.KEYLINE_TEST_PG_URL = plan.url;
      console.log(`PostgreSQL: the server at ${describeUrl(plan.url)}`);
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-test-pg-'));
      cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      console.log(`PostgreSQL: starting an embedded server (${plan.reason}) in ${dir}`);
      const started = Date.now();
      const server = await startEmbeddedPostgres({ dir, password: randomBytes(12).toString('hex'), ephemeral: true });
      cleanups.push(() => server.stop());
      env.KEYLINE_TEST_PG_URL = server.url;
      console.log(
        `PostgreSQL: embedded ${server.version} on 127.0.0.1:${server.port}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  }
  if (needsBrowser) {
    const plan = planBrowser(process.env);
    if (plan.kind === 'system') {
      env.KEYLINE_TEST_CHROMIUM = plan.executable;
      console.log(`Chromium: the system one at ${plan.executable}`);
    } else {
      env.KEYLINE_TEST_CHROMIUM = await preparePackagedChromium();
      console.log(
        `Chromium: the packaged one from @sparticuz/chromium (${plan.reason}) at ${env.KEYLINE_TEST_CHROMIUM}`,
      );
    }
  }
} catch (err) {
  console.error((err as Error).message);
  await finish(1);
}

// Browser tests leave a report per failed test here (test/e2e/browser.ts); a run starts clean.
// KEYLINE_TEST_RESULTS moves the results: a run started by a test (test/scripts/test-command.test.ts)
// cleaned the outer run's away, its failed-tests list with them, and the outer run's failed
// browser files were not retried.
const RESULTS = process.env.KEYLINE_TEST_RESULTS || 'test-results';
const FAILURES = path.join(RESULTS, 'failures');
fs.rmSync(FAILURES, { recursive: true, force: true });

const FAILED = path.join(RESULTS, 'failed-tests.jsonl');

/** Runs `node --test` on the files; resolves to its exit status and the tests that failed. */
async function runTests(
  testFiles: string[],
): Promise<{ status: number; failed: { file: string | null; name: string }[] }> {
  fs.rmSync(FAILED, { force: true });
  fs.mkdirSync(path.dirname(FAILED), { recursive: true });
  const child = spawn(
    process.execPath,
    [
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/failed-tests-reporter.ts',
      `--test-reporter-destination=${FAILED}`,
      ...testFiles,
    ],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  running.child = child;
  const status = await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  const failed = fs.existsSync(FAILED)
    ? fs
        .readFileSync(FAILED, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { file: string | null; name: string })
    : [];
  return { status, failed };
}

function printBrowserReports() {
  for (const file of globSync(`${FAILURES}/*.txt`))
    console.error(`\n[browser failure report] ${fs.readFileSync(file, 'utf8')}`);
}

const first = await runTests(selected);
printBrowserReports();
let status = first.status;
// A browser test races a real page and a real server; one that fails is run once more, as
// Playwright's own CI set-up does, and both the failure and the retry are printed. Any other
// failure, or a browser file that fails twice, fails the run.
const failedFiles = [...new Set(first.failed.map((f) => (f.file ? path.relative(process.cwd(), f.file) : null)))];
const retryable =
  status !== 0 &&
  interrupted === undefined &&
  failedFiles.length > 0 &&
  failedFiles.every((f) => f !== null && f.startsWith('test/e2e/'));
if (retryable) {
  console.error(`\n[retry] browser tests failed once; running their files again: ${failedFiles.join(', ')}`);
  fs.rmSync(FAILURES, { recursive: true, force: true });
  const second = await runTests(failedFiles as string[]);
  printBrowserReports();
  status = second.status;
  console.error(
    status === 0
      ? `\n[retry] FLAKY — failed on the first run, passed on the second:\n${first.failed.map((f) => `  ${f.file}: ${f.name}`).join('\n')}`
      : '\n[retry] the browser tests failed again',
  );
}
await finish(status);
