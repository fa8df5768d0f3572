/**
 * The whole test suite: domain and API tests on SQLite and PostgreSQL, and the browser test.
 * `npm test` runs it. It builds the web app first unless KEYLINE_SKIP_WEB_BUILD=1 (CI builds
 * it in an earlier step), and checks that PostgreSQL answers, because half the suite needs it.
 */
import { spawnSync } from 'node:child_process';
import fs, { globSync } from 'node:fs';
import pg from 'pg';
import { PG_ADMIN_URL, testEngines } from '../test/helpers/db.ts';

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;

if (testEngines().includes('postgres')) {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    await c.end();
  } catch (err) {
    console.error(`PostgreSQL is not reachable at ${PG_ADMIN_URL} (${(err as Error).message}).\n` +
      'Start it (see README § Tests) or run only SQLite with KEYLINE_TEST_ENGINES=sqlite.');
    process.exit(1);
  }
}

if (process.env.KEYLINE_SKIP_WEB_BUILD !== '1' && process.env.KEYLINE_TEST_E2E !== 'off') {
  if (run('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']) !== 0) process.exit(1);
}

// Browser tests leave a report per failed test here (test/e2e/browser.ts); a run starts clean.
const FAILURES = 'test-results/failures';
fs.rmSync(FAILURES, { recursive: true, force: true });

const files = globSync('test/**/*.test.ts').filter((f) => process.env.KEYLINE_TEST_E2E !== 'off' || !f.startsWith('test/e2e/'));
const filter = process.argv.slice(2);
const selected = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files;
const status = run(process.execPath, ['--test', '--test-concurrency=2', ...selected.sort()]);
for (const f of globSync(`${FAILURES}/*.txt`)) console.error(`\n[browser failure report] ${fs.readFileSync(f, 'utf8')}`);
process.exit(status);
