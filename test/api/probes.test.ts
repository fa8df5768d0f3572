import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

/** Liveness and readiness (README § Deployment): what a load balancer asks before sending work. */
for (const engine of testEngines()) {
  describe(`health and readiness (${engine})`, () => {
    let testApp: TestApp;
    before(async () => {
      testApp = await createTestApp(engine);
    });
    after(() => testApp.close().catch(() => undefined));

    it('/api/ready answers 200 while the database answers, 503 shutting_down while draining', async () => {
      const ready = await testApp.app.inject({ method: 'GET', url: '/api/ready' });
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json(), { status: 'ready', engine });
      assert.equal(ready.headers['cache-control'], 'no-store');
      testApp.app.draining = true;
      try {
        const draining = await testApp.app.inject({ method: 'GET', url: '/api/ready' });
        assert.equal(draining.statusCode, 503);
        assert.match(String(draining.headers['content-type']), /^application\/problem\+json/);
        assert.equal(draining.json().code, 'shutting_down');
        assert.equal(draining.headers['retry-after'], '5');
        assert.equal(
          (await testApp.app.inject({ method: 'GET', url: '/api/health' })).statusCode,
          200,
          'a draining process is still alive',
        );
      } finally {
        testApp.app.draining = false;
      }
    });

    it('without a database /api/health still answers 200 and /api/ready 503 unavailable', async () => {
      await testApp.db.close();
      const health = await testApp.app.inject({ method: 'GET', url: '/api/health' });
      assert.equal(health.statusCode, 200);
      assert.deepEqual(health.json(), { status: 'ok', engine });
      const ready = await testApp.app.inject({ method: 'GET', url: '/api/ready' });
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.json().code, 'unavailable');
    });
  });
}
