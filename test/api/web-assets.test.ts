/**
 * How the web app's files are served (src/server/app.ts, web/build/precompress.ts): fingerprinted
 * assets compressed and cached for a year, index.html always asked again — so a release reaches
 * every browser at once while the big bundles come from the cache.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { precompress } from '../../web/build/precompress.ts';

const SCRIPT = `console.log(${JSON.stringify('看板 '.repeat(2000))});\n`;

describe('web app files', () => {
  let testApp: TestApp;
  let webDir: string;
  before(async () => {
    webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-web-'));
    fs.mkdirSync(path.join(webDir, 'assets'));
    fs.writeFileSync(
      path.join(webDir, 'index.html'),
      `<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body>${'<!-- pad -->'.repeat(200)}</body></html>`,
    );
    fs.writeFileSync(path.join(webDir, 'assets/index-AbC123.js'), SCRIPT);
    fs.writeFileSync(path.join(webDir, 'assets/tiny-Zz9.js'), 'export {};\n');
    fs.writeFileSync(path.join(webDir, 'assets/font-Q1.woff2'), Buffer.alloc(4096, 7));
    // The build's own step writes the compressed copies.
    const plugin = precompress() as unknown as { configResolved(config: unknown): void; closeBundle(): Promise<void> };
    plugin.configResolved({ root: webDir, build: { outDir: '.' } });
    await plugin.closeBundle();
    testApp = await createTestApp('sqlite', { webDir });
  });
  after(async () => {
    await testApp.close();
    fs.rmSync(webDir, { recursive: true, force: true });
  });

  it('the build writes brotli and gzip copies of text files big enough to gain, not of fonts or tiny files', () => {
    assert.equal(
      zlib.brotliDecompressSync(fs.readFileSync(path.join(webDir, 'assets/index-AbC123.js.br'))).toString(),
      SCRIPT,
    );
    assert.equal(zlib.gunzipSync(fs.readFileSync(path.join(webDir, 'assets/index-AbC123.js.gz'))).toString(), SCRIPT);
    assert.ok(fs.existsSync(path.join(webDir, 'index.html.br')));
    assert.ok(!fs.existsSync(path.join(webDir, 'assets/tiny-Zz9.js.br')));
    assert.ok(!fs.existsSync(path.join(webDir, 'assets/font-Q1.woff2.br')));
  });

  it('serves a fingerprinted asset compressed as the browser accepts, cached for a year', async () => {
    const get = (encoding?: string) =>
      testApp.app.inject({
        method: 'GET',
        url: '/assets/index-AbC123.js',
        headers: encoding ? { 'accept-encoding': encoding } : {},
      });
    const br = await get('gzip, deflate, br');
    assert.equal(br.statusCode, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), SCRIPT);
    assert.ok(
      br.rawPayload.length < SCRIPT.length / 5,
      `compressed: ${br.rawPayload.length} of ${Buffer.byteLength(SCRIPT)} bytes`,
    );
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(br.headers.vary), /accept-encoding/i);
    assert.match(String(br.headers['content-type']), /javascript/);
    const gz = await get('gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), SCRIPT);
    assert.equal(gz.headers['cache-control'], 'public, max-age=31536000, immutable');
    const plain = await get();
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body, SCRIPT);
    const tiny = await testApp.app.inject({
      method: 'GET',
      url: '/assets/tiny-Zz9.js',
      headers: { 'accept-encoding': 'br' },
    });
    assert.equal(tiny.statusCode, 200, 'a file without a compressed copy is sent as it is');
    assert.equal(tiny.body, 'export {};\n');
    assert.equal(tiny.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  it('asks for index.html every time, at / and at every client route', async () => {
    for (const url of ['/', '/opportunities/list?status=open', '/index.html']) {
      const res = await testApp.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers['cache-control'], 'no-cache', url);
      const html =
        res.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(res.rawPayload).toString() : res.body;
      assert.match(html, /index-AbC123\.js/, url);
    }
  });
});
