import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, seedWorkspace, sessionCookie, type TestApp } from '../helpers/app.ts';
import type { OpenApiDocument } from '../helpers/openapi/conformance.ts';
import { NON_BLANK_NO_NUL_PATTERN } from '../../src/server/text-input.ts';

describe('OpenAPI document', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await createTestApp('sqlite');
  });
  after(() => testApp.close());

  it('documents every /api/v1 route with its schemas at /api/openapi.json', async () => {
    const res = await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    };
    assert.match(doc.openapi, /^3\.1/);
    for (const apiRoute of testApp.app.apiRoutes.filter((x) => x.url.startsWith('/api/v1/'))) {
      const docPath = apiRoute.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[docPath]?.[apiRoute.method.toLowerCase()];
      assert.ok(op, `${apiRoute.method} ${docPath} documented`);
      assert.ok(
        Object.keys(op.responses).some((s) => s.startsWith('2')),
        `${apiRoute.method} ${docPath} has a success response`,
      );
    }
    const login = doc.paths['/api/v1/auth/login']!.post!;
    assert.ok(JSON.stringify(login.requestBody).includes('"password"'));
    const users = doc.paths['/api/v1/users']!.get! as unknown as { parameters: { name: string }[] };
    assert.deepEqual(users.parameters.map((p) => p.name).sort(), [
      'active',
      'limit',
      'offset',
      'orgUnitId',
      'q',
      'role',
      'sort',
    ]);
  });

  it('documents errors as problem+json, files by their media types, uploads as raw bodies, and public routes without a session', async () => {
    const doc = (await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenApiDocument;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) >= 400)
            assert.deepEqual(
              Object.keys(response.content ?? {}),
              ['application/problem+json'],
              `${method} ${path} ${status}`,
            );
        }
        assert.ok(op.responses['503'], `${method} ${path} documents 503 busy`);
      }
    }
    assert.deepEqual(Object.keys(doc.paths['/api/v1/accounts/export']!.get!.responses['200']!.content!).sort(), [
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'text/csv',
    ]);
    assert.deepEqual(Object.keys(doc.paths['/api/v1/imports/{id}/errors/csv']!.get!.responses['200']!.content!), [
      'text/csv',
    ]);
    assert.ok(
      doc.paths['/api/v1/imports']!.post!.requestBody!.content['text/csv'],
      'the import upload documents its body',
    );
    assert.ok(
      doc.paths['/api/v1/attachments']!.post!.requestBody!.content['*/*'],
      'the attachment upload documents its body',
    );
    assert.ok(
      doc.paths['/api/v1/opportunities/{id}/close']!.post!.responses['422'],
      'closing as won can lack evidence',
    );
    for (const status of ['413', '415'])
      assert.ok(doc.paths['/api/v1/accounts']!.post!.responses[status], `a write documents ${status}`);
    assert.deepEqual(doc.paths['/api/v1/setup']!.get!.security, [], 'setup is public');
    assert.equal(doc.paths['/api/v1/users']!.get!.security, undefined, 'the rest needs the session');
    const createUser = doc.paths['/api/v1/users']!.post!.requestBody!.content['application/json']!.schema as {
      properties: Record<string, Record<string, unknown>>;
    };
    assert.equal(createUser.properties.email!.format, 'email');
    assert.equal(
      createUser.properties.name!.pattern,
      NON_BLANK_NO_NUL_PATTERN,
      'whitespace-only names are refused, and documented so',
    );
    const limit = doc.paths['/api/v1/users']!.get!.parameters!.find((p) => p.name === 'limit')!;
    assert.equal(limit.schema.type, 'integer');
  });

  it('parses integers in paths and query strings strictly: decimal digits only', async () => {
    const fixture = await seedWorkspace(testApp, 'ints');
    const cookie = await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id);
    const get = (url: string) => testApp.app.inject({ method: 'GET', url, headers: { cookie } });
    assert.equal((await get(`/api/v1/org-units/${fixture.units.root}`)).statusCode, 200);
    const id = fixture.units.root;
    for (const bad of [`0x${id.toString(16)}`, `${id}e0`, `${id}.0`, `%20${id}`, `+${id}`]) {
      const res = await get(`/api/v1/org-units/${bad}`);
      assert.equal(res.statusCode, 400, `${bad}: ${res.body}`);
      assert.equal(res.json().errors[0].field, 'path.id');
    }
    for (const query of ['limit=', 'limit=1e1', 'limit=0x10', 'limit=1.0', 'offset=', 'orgUnitId=0x1']) {
      const res = await get(`/api/v1/users?${query}`);
      assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
      assert.equal(res.json().errors[0].field, `query.${query.split('=')[0]}`);
    }
    assert.equal((await get('/api/v1/users?limit=10&offset=0')).statusCode, 200);
  });

  it('refuses U+0000 in any text with a 400 naming the field (PostgreSQL cannot store it)', async () => {
    const fixture = await seedWorkspace(testApp, 'nul');
    const cookie = await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id);
    const list = await testApp.app.inject({ method: 'GET', url: '/api/v1/opportunities?q=a%00b', headers: { cookie } });
    assert.equal(list.statusCode, 400, list.body);
    assert.equal(list.json().errors[0].field, 'query.q');
    const create = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/org-units',
      headers: { cookie },
      payload: { parentId: fixture.units.root, name: 'a\u0000b', type: 'department' },
    });
    assert.equal(create.statusCode, 400, create.body);
    assert.equal(create.json().errors[0].field, 'name');
  });

  it('sends the security headers on every answer: API, problems and the web app', async () => {
    for (const url of ['/api/health', '/api/v1/nothing-here', '/', '/accounts/1']) {
      const res = await testApp.app.inject({ method: 'GET', url });
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
      assert.match(String(res.headers['content-security-policy']), /script-src 'self';.*frame-ancestors 'none'/, url);
    }
  });

  it('answers unknown API paths with a problem, not the web app', async () => {
    const res = await testApp.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  });
});
