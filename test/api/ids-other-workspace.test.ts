import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, sessionCookie, type Call, type TestApp } from '../helpers/app.ts';
import { bodyFor, fieldsOf, idOfKind, idsWorld, urlFor, type World } from '../helpers/ids-world.ts';
import type { ApiRoute } from '../../src/server/app.ts';

/**
 * Record ids travel in bodies and query strings too, not only in paths. Every such field of
 * every route (found by walking the route schemas, so a new one cannot be missed) is sent
 * with another workspace's id: a body is refused naming the field and nothing is written; a
 * query filter finds nothing. Ids of the caller's own workspace that lie out of their reach:
 * test/api/ids-out-of-reach.test.ts.
 */
type Def = {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  in?: unknown;
  options?: unknown[];
  valueType?: unknown;
};
const defOf = (s: unknown) => (s as { _zod?: { def: Def } } | undefined)?._zod?.def;

/** Paths of the id fields in a zod schema: `accountId`, `evidence.*.attachmentId`, `stages.*.id`. */
export function idFields(schema: unknown, path = '', out: string[] = []): string[] {
  const def = defOf(schema);
  if (!def) return out;
  switch (def.type) {
    case 'object':
      for (const [key, child] of Object.entries(def.shape!)) {
        const childPath = path ? `${path}.${key}` : key;
        // A bulk action's `match` is a list's filter: an id out of sight there finds no row, as in
        // the list's query string (test/api/bulk-match.test.ts), rather than naming the field.
        if (key === 'match' && !path) continue;
        if (/Ids?$/.test(key) || (key === 'id' && path)) out.push(childPath);
        idFields(child, childPath, out);
      }
      return out;
    case 'array':
      return idFields(def.element, `${path}.*`, out);
    case 'pipe':
      return idFields(def.in, path, out);
    case 'union':
      for (const option of def.options!) idFields(option, path, out);
      return out;
    case 'record':
      return idFields(def.valueType, `${path}.*`, out);
    default:
      return def.innerType ? idFields(def.innerType, path, out) : out;
  }
}

/** Sets `path` (with `*` meaning the first element) in a body, making the arrays it needs. */
function setPath(body: Record<string, unknown>, path: string, value: number) {
  const keys = path.split('.');
  let node: Record<string, unknown> | unknown[] = body;
  keys.forEach((segment, index) => {
    const key = segment === '*' ? 0 : segment;
    const last = index === keys.length - 1;
    const target = node as Record<string | number, unknown>;
    if (last) target[key] = path.endsWith('Ids') ? [value] : value;
    else {
      target[key] ??= keys[index + 1] === '*' ? [] : {};
      if (keys[index + 1] === '*' && (target[key] as unknown[]).length === 0) (target[key] as unknown[]).push({});
      node = target[key] as Record<string, unknown>;
    }
  });
}

/** Nothing of workspace A is shown: an empty page, empty board, header-only file, or a refusal. */
function showsNothing(res: LightMyRequestResponse): boolean {
  if (res.statusCode === 400 || res.statusCode === 404) return true;
  if (res.statusCode !== 200) return false;
  if (String(res.headers['content-type']).startsWith('text/csv'))
    return (
      res.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n').length <= 1
    );
  const body = json<{ items?: unknown[]; total?: number; columns?: { count: number }[]; byTier?: unknown[] }>(res);
  if (body.columns) return body.columns.every((c) => c.count === 0);
  if (body.items) return body.items.length === 0;
  return JSON.stringify(body).match(/"count":[1-9]/) === null;
}

for (const engine of testEngines()) {
  describe(`ids in bodies and query strings [${engine}]`, () => {
    let testApp: TestApp;
    let worldA: World;
    let worldB: World;
    let adminA: Call;
    /** Routes only sellers may call (admins own no deals) go as workspace A's rep, with the rep's own deal. */
    let repA: Call;
    const callerFor = (r: ApiRoute) => (r.url === '/api/v1/forecasts/submissions' ? repA : adminA);
    before(async () => {
      testApp = await createTestApp(engine);
      worldA = await idsWorld(testApp, 'ids-a');
      worldB = await idsWorld(testApp, 'ids-b');
      adminA = client(testApp, await sessionCookie(testApp, worldA.workspaceId, worldA.users.admin.id));
      repA = client(testApp, await sessionCookie(testApp, worldA.workspaceId, worldA.users.rep.id));
    });
    after(() => testApp.close());

    const snapshotA = async () => {
      const kysely = testApp.db.kysely;
      const tables = [
        'accounts',
        'contacts',
        'buying_roles',
        'opportunities',
        'opportunity_team',
        'org_units',
        'users',
        'territory_rules',
        'handover_items',
        'process_stages',
        'attachments',
        'activities',
      ] as const;
      const out: Record<string, unknown> = {};
      for (const table of tables)
        out[table] = await kysely
          .selectFrom(table)
          .selectAll()
          .where('workspace_id', '=', worldA.workspaceId)
          .execute();
      return out;
    };

    it("refuses another workspace's id in every body field, naming it, and writes nothing", async () => {
      const before = await snapshotA();
      const cases = testApp.app.apiRoutes.flatMap((r) => idFields(r.schema.body).map((field) => ({ r, field })));
      assert.ok(cases.length >= 30, `found ${cases.length} id fields in bodies`);
      const failures: string[] = [];
      for (const { r: route, field } of cases) {
        const body = bodyFor(route, worldA);
        setPath(body, field, idOfKind(field, worldB));
        const res = await callerFor(route)(route.method as 'POST', urlFor(route, worldA), body);
        const top = field.split('.')[0]!;
        const named = fieldsOf(res).some((f) => f === field.replace(/\*/g, '0') || f.split('.')[0] === top);
        if (!((res.statusCode === 400 || res.statusCode === 404) && named))
          failures.push(`${route.method} ${route.url} body.${field}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
      assert.deepEqual(failures, []);
      assert.deepEqual(await snapshotA(), before, 'workspace A unchanged');
    });

    it("finds nothing through another workspace's id in any query-string field", async () => {
      const cases = testApp.app.apiRoutes
        .filter((r) => r.method === 'GET')
        .flatMap((r) => idFields(r.schema.querystring).map((field) => ({ r, field })));
      assert.ok(cases.length >= 20, `found ${cases.length} id fields in query strings`);
      const failures: string[] = [];
      for (const { r: route, field } of cases) {
        const extra = route.url.endsWith('/export')
          ? '&format=csv'
          : route.url.endsWith('/board') && field !== 'processId'
            ? `&processId=${worldA.processes.small.id}`
            : route.url.endsWith('/quotas/history')
              ? '&subjectType=user'
              : '';
        const res = await adminA('GET', `${urlFor(route, worldA)}?${field}=${idOfKind(field, worldB)}${extra}`);
        if (!showsNothing(res))
          failures.push(`${route.method} ${route.url} query.${field}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
      assert.deepEqual(failures, []);
    });
  });
}
