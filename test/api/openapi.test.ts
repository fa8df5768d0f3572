import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../helpers/app.ts';

describe('OpenAPI document', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite');
  });
  after(() => t.close());

  it('documents every /api/v1 route with its schemas at /api/openapi.json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> };
    assert.match(doc.openapi, /^3\.1/);
    for (const r of t.app.apiRoutes.filter((x) => x.url.startsWith('/api/v1/'))) {
      const p = r.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[p]?.[r.method.toLowerCase()];
      assert.ok(op, `${r.method} ${p} documented`);
      assert.ok(Object.keys(op.responses).some((s) => s.startsWith('2')), `${r.method} ${p} has a success response`);
    }
    const login = doc.paths['/api/v1/auth/login']!.post!;
    assert.ok(JSON.stringify(login.requestBody).includes('"password"'));
    const users = doc.paths['/api/v1/users']!.get! as unknown as { parameters: { name: string }[] };
    assert.deepEqual(users.parameters.map((p) => p.name).sort(), ['active', 'limit', 'offset', 'orgUnitId', 'q', 'role', 'sort']);
  });

  it('sends the security headers on every answer: API, problems and the web app', async () => {
    for (const url of ['/api/health', '/api/v1/nothing-here', '/', '/accounts/1']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.match(String(res.headers['content-security-policy']), /script-src 'self';.*frame-ancestors 'none'/, url);
    }
  });

  it('answers unknown API paths with a problem, not the web app', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  });
});
