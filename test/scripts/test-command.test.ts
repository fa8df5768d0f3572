/**
 * The test command's choice of PostgreSQL server and Chromium (test/helpers/test-services.ts),
 * and its clean-up of an embedded server when the run is interrupted (scripts/test.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/server.ts';
import {
  DEFAULT_PG_URL,
  DEFAULT_SYSTEM_CHROMIUM,
  pgAnswers,
  planBrowser,
  planPostgres,
} from '../helpers/test-services.ts';
import { isPackagedChromium, packagedChromiumDir, packagedChromiumEnv } from '../helpers/packaged-chromium.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('choosing the PostgreSQL server for the tests', () => {
  const probed: string[] = [];
  const answering =
    (...urls: string[]) =>
    async (url: string) => {
      probed.push(url);
      return urls.includes(url);
    };

  it('prefers a server at the default address, and starts an embedded one when nothing answers there', async () => {
    assert.deepEqual(await planPostgres({}, answering(DEFAULT_PG_URL)), { kind: 'server', url: DEFAULT_PG_URL });
    assert.deepEqual(await planPostgres({}, answering()), {
      kind: 'embedded',
      reason: 'nothing answers at 127.0.0.1:5432',
    });
  });

  it('probes KEYLINE_TEST_PG_DEFAULT_URL instead of the default address (a rehearsal of a machine without PostgreSQL)', async () => {
    const elsewhere = 'postgres://postgres@127.0.0.1:1/postgres';
    probed.length = 0;
    assert.equal(
      (await planPostgres({ KEYLINE_TEST_PG_DEFAULT_URL: elsewhere }, answering(DEFAULT_PG_URL))).kind,
      'embedded',
    );
    assert.deepEqual(probed, [elsewhere]);
  });

  it('KEYLINE_TEST_PG=embedded starts an embedded server even when one answers, without probing', async () => {
    probed.length = 0;
    assert.equal((await planPostgres({ KEYLINE_TEST_PG: 'embedded' }, answering(DEFAULT_PG_URL))).kind, 'embedded');
    assert.deepEqual(probed, []);
  });

  it('an explicit KEYLINE_TEST_PG_URL or KEYLINE_TEST_PG=system that does not answer is an error, not a silent switch', async () => {
    const url = 'postgres://postgres@db.test:5433/postgres';
    assert.deepEqual(await planPostgres({ KEYLINE_TEST_PG_URL: url }, answering(url)), { kind: 'server', url });
    await assert.rejects(
      planPostgres({ KEYLINE_TEST_PG_URL: url }, answering()),
      /not reachable at db\.test:5433 \(KEYLINE_TEST_PG_URL\)/,
    );
    await assert.rejects(planPostgres({ KEYLINE_TEST_PG: 'system' }, answering()), /KEYLINE_TEST_PG=system/);
    await assert.rejects(
      planPostgres({ KEYLINE_TEST_PG: 'docker' }, answering()),
      /KEYLINE_TEST_PG must be one of auto, embedded, system/,
    );
  });

  it('the probe answers false for a port where nothing listens', async () => {
    assert.equal(await pgAnswers(`postgres://postgres@127.0.0.1:${await freePort()}/postgres`), false);
  });
});

describe('choosing the Chromium for the browser tests', () => {
  const at =
    (...files: string[]) =>
    (file: string) =>
      files.includes(file);

  it('prefers the system Chromium, and takes the packaged one when there is none', () => {
    assert.deepEqual(planBrowser({}, at(DEFAULT_SYSTEM_CHROMIUM)), {
      kind: 'system',
      executable: DEFAULT_SYSTEM_CHROMIUM,
    });
    assert.deepEqual(planBrowser({}, at()), { kind: 'packaged', reason: `no Chromium at ${DEFAULT_SYSTEM_CHROMIUM}` });
    assert.equal(
      planBrowser({ KEYLINE_TEST_SYSTEM_CHROMIUM: '/nowhere/chromium' }, at(DEFAULT_SYSTEM_CHROMIUM)).kind,
      'packaged',
    );
  });

  it('KEYLINE_TEST_BROWSER=packaged forces the packaged one; a named browser must exist', () => {
    assert.equal(planBrowser({ KEYLINE_TEST_BROWSER: 'packaged' }, at(DEFAULT_SYSTEM_CHROMIUM)).kind, 'packaged');
    assert.deepEqual(planBrowser({ KEYLINE_TEST_CHROMIUM: '/opt/c/chrome' }, at('/opt/c/chrome')), {
      kind: 'system',
      executable: '/opt/c/chrome',
    });
    assert.throws(
      () => planBrowser({ KEYLINE_TEST_CHROMIUM: '/opt/c/chrome' }, at(DEFAULT_SYSTEM_CHROMIUM)),
      /no Chromium at \/opt\/c\/chrome/,
    );
    assert.throws(() => planBrowser({ KEYLINE_TEST_BROWSER: 'system' }, at()), /KEYLINE_TEST_BROWSER=system/);
  });

  it('the packaged browser is recognised by its place and gets its own libraries and fonts', () => {
    const exe = path.join(packagedChromiumDir(), 'chromium');
    assert.ok(isPackagedChromium(exe));
    assert.ok(!isPackagedChromium(DEFAULT_SYSTEM_CHROMIUM));
    const env = packagedChromiumEnv(exe);
    assert.equal(env.FONTCONFIG_FILE, path.join(packagedChromiumDir(), 'fonts.conf'));
    assert.ok(env.LD_LIBRARY_PATH!.startsWith(path.join(packagedChromiumDir(), 'al2023/lib')));
  });
});

describe('the test command with an embedded PostgreSQL', () => {
  it('removes the server and its directory when the run is interrupted (SIGTERM)', { timeout: 180_000 }, async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-runner-'));
    fs.chmodSync(tmp, 0o755);
    const results = path.join(tmp, 'results');
    try {
      // A long PostgreSQL suite, interrupted as soon as it runs. (Without NODE_TEST_CONTEXT, which
      // tells a `node --test` inside a test file to run nothing.)
      const { NODE_TEST_CONTEXT: _, ...outside } = process.env;
      const run = spawn(process.execPath, ['scripts/test.ts', 'test/api/opportunities.test.ts'], {
        cwd: ROOT,
        env: {
          ...outside,
          TMPDIR: tmp,
          KEYLINE_TEST_PG: 'embedded',
          KEYLINE_TEST_ENGINES: 'postgres',
          KEYLINE_TEST_PG_URL: '',
          // Its results apart: in the checkout's it would clean away this run's own.
          KEYLINE_TEST_RESULTS: results,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const ready = new Promise<void>((resolve) =>
        run.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (/PostgreSQL: embedded \d+ on 127\.0\.0\.1:\d+/.test(out)) resolve();
        }),
      );
      run.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => run.once('exit', (code) => resolve(code)));
      await Promise.race([ready, exited]);
      const dir = /embedded server \(KEYLINE_TEST_PG=embedded\) in (\S+)/.exec(out)?.[1];
      const port = /embedded \d+ on 127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      assert.ok(dir && port, out);
      assert.ok(fs.existsSync(path.join(dir, 'PG_VERSION')));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      run.kill('SIGTERM');
      assert.equal(await exited, 143, out);
      assert.ok(!fs.existsSync(dir), `the data directory is removed:\n${out}`);
      assert.equal(await pgAnswers(`postgres://postgres@127.0.0.1:${port}/postgres`), false, 'the server is stopped');
      assert.ok(
        fs.existsSync(path.join(results, 'failed-tests.jsonl')),
        'its list of failed tests is where it was told',
      );
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
