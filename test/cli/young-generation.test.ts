import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reexecArguments, SERVE_SEMI_SPACE_MB } from '../../src/cli/young-generation.ts';
import { startServer } from '../helpers/server.ts';

// `keyline serve` caps V8's young generation (src/cli/young-generation.ts, issue 8: server memory ≤ 500 MB).
describe('keyline serve runs with the young generation capped', () => {
  const flag = `--max-semi-space-size=${SERVE_SEMI_SPACE_MB}`;

  it('re-executes serve with the cap, keeping the flags and arguments it had; other commands run as they are', () => {
    assert.deepEqual(reexecArguments(['/bin/node', '/app/bin/keyline.js', 'serve'], ['--no-warnings'], undefined), [
      '/bin/node',
      flag,
      '--no-warnings',
      '/app/bin/keyline.js',
      'serve',
    ]);
    assert.equal(reexecArguments(['/bin/node', 'main.ts', 'migrate'], [], undefined), null);
    assert.equal(reexecArguments(['/bin/node', 'main.ts', 'demo', 'serve'], [], undefined), null);
  });

  it("keeps the operator's own semi-space size, given on the command line or in NODE_OPTIONS, in either spelling", () => {
    const argv = ['/bin/node', 'main.ts', 'serve'];
    assert.equal(reexecArguments(argv, ['--max-semi-space-size=64'], undefined), null);
    assert.equal(reexecArguments(argv, ['--max_semi_space_size', '2'], undefined), null);
    assert.equal(reexecArguments(argv, [], '--enable-source-maps --max-semi-space-size=32'), null);
    assert.deepEqual(reexecArguments(argv, [], '--max-old-space-size=2048'), ['/bin/node', flag, 'main.ts', 'serve']);
  });

  it(
    'a started server runs with the cap, under its own process id',
    { skip: process.platform !== 'linux' },
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-young-'));
      after(() => fs.rmSync(dir, { recursive: true, force: true }));
      const server = await startServer({ KEYLINE_DATA_DIR: dir, KEYLINE_DEMO: 'off' });
      try {
        const cmdline = fs.readFileSync(`/proc/${server.proc.pid}/cmdline`, 'utf8').split('\0');
        assert.ok(cmdline.includes(flag), cmdline.join(' '));
        assert.ok(cmdline.includes('serve'), cmdline.join(' '));
      } finally {
        await server.stop();
      }
    },
  );
});
