import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testEngines } from '../helpers/db.ts';
import { createTestApp, PASSWORD, seedWorkspace, type Fixture, type TestApp } from '../helpers/app.ts';
import { httpLogin, startServer, serverEnvFor } from '../helpers/server.ts';

const waitFor = async (what: string, cond: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/** README § Deployment: SIGTERM stops accepting, finishes the requests in flight, closes the database, exits 0. */
for (const engine of testEngines()) {
  describe(`graceful shutdown on SIGTERM (${engine})`, { timeout: 180_000 }, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyline-shutdown-'));
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'shutdown');
    });
    after(async () => {
      await testApp.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('a request in flight when SIGTERM arrives completes and is saved; new connections are refused; the exit code is 0', async () => {
      const server = await startServer({ ...serverEnvFor(testApp.db, dataDir), LOG_LEVEL: 'info' });
      const cookie = await httpLogin(server.url, fixture.users.rep.email, PASSWORD);
      const exited = new Promise<number | null>((resolve) => server.proc.once('exit', (code) => resolve(code)));

      // A slow client: the headers and half the body now, the rest after the signal.
      const body = Buffer.from(JSON.stringify({ locale: 'en-US', name: 'Slow Writer' }));
      const { port } = new URL(server.url);
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'PATCH',
            path: '/api/v1/auth/me',
            headers: { cookie, 'content-type': 'application/json', 'content-length': body.length },
          },
          (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, body: text }));
          },
        );
        req.on('error', reject);
        req.write(body.subarray(0, 10));
        void waitFor('the signal to be handled', () => server.output().includes('shutting down')).then(async () => {
          // The listener is closed: nobody new gets in while the slow request finishes.
          await assert.rejects(fetch(`${server.url}/api/health`));
          req.end(body.subarray(10));
        }, reject);
      });
      await waitFor(
        'the slow request to reach the server',
        () =>
          server.output().includes('"url":"/api/v1/auth/me","method":"PATCH"') ||
          /"method":"PATCH","url":"\/api\/v1\/auth\/me"/.test(server.output()),
      );
      server.proc.kill('SIGTERM');

      const res = await answer;
      assert.equal(res.status, 200, res.body);
      assert.equal((JSON.parse(res.body) as { user: { name: string } }).user.name, 'Slow Writer');
      assert.equal(await exited, 0, server.output());
      assert.match(server.output(), /shut down cleanly/);
      const saved = await testApp.db.kysely
        .selectFrom('users')
        .select(['name', 'locale'])
        .where('id', '=', fixture.users.rep.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(saved, { name: 'Slow Writer', locale: 'en-US' });
    });
  });
}
