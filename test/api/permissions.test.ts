import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, seedExtras, seedWorkspace, sessionCookie, type Extras, type Fixture, type TestApp } from '../helpers/app.ts';
import { ROLES, type Role } from '../../src/domain/roles.ts';
import type { ApiRoute } from '../../src/server/app.ts';
import type { Access } from '../../src/server/access.ts';
import { can } from '../../src/domain/policy.ts';

/**
 * Who may call what. The snapshot file is the reviewed list of every route's declaration;
 * the matrix checks that the server enforces it for every role; the cross-workspace part
 * substitutes another workspace's ids on every route that takes one.
 */
const SNAPSHOT = path.join(import.meta.dirname, 'route-access.snapshot.json');

/** Which fixture record stands in for `:id` on each path. A new route with an id needs an entry here. */
function idFor(url: string, f: Fixture & Extras): number {
  if (url.startsWith('/api/v1/users/:id')) return f.users.rep.id;
  if (url.startsWith('/api/v1/org-units/:id')) return f.units.sales1;
  if (url.startsWith('/api/v1/accounts/:id')) return f.accounts.repAccount;
  if (url.startsWith('/api/v1/contacts/:id')) return f.contacts.repContact;
  if (url.startsWith('/api/v1/buying-roles/:id')) return f.buyingRoles.repRole;
  if (url.startsWith('/api/v1/saved-views/:id')) return f.savedViews.repView;
  if (url.startsWith('/api/v1/territories/:id')) return f.territories.repRule;
  if (url.startsWith('/api/v1/handovers/:id')) return f.handovers.rep2Draft;
  if (url.startsWith('/api/v1/imports/:id')) return f.imports.repImport;
  if (url.startsWith('/api/v1/opportunities/:id')) return f.opportunities.repOpp;
  if (url.startsWith('/api/v1/sales-processes/:id')) return f.processes.small.id;
  if (url.startsWith('/api/v1/process-stages/:id')) return f.processes.small.stageIds[0]!;
  if (url.startsWith('/api/v1/attachments/:id')) return f.attachments.repProof;
  if (url.startsWith('/api/v1/tasks/:id')) return f.tasks.repTask;
  if (url.startsWith('/api/v1/notifications/:id')) return f.notifications.repNotice;
  if (url.startsWith('/api/v1/weekly-reports/:id')) return f.weeklyReports.repReport;
  if (url.startsWith('/api/v1/forecasts/submissions/:id')) return f.forecasts.repSubmission;
  if (url.startsWith('/api/v1/activities/:id')) return f.activities.repVisit;
  throw new Error(`no id source for ${url}: add one to idFor() in ${import.meta.filename}`);
}

const hasBody = (m: string) => m === 'POST' || m === 'PATCH' || m === 'PUT';
const fill = (r: ApiRoute, f: Fixture & Extras) => (r.url.includes(':id') ? r.url.replace(':id', String(idFor(r.url, f))).replace(':itemId', '1').replace(':memberId', '1') : r.url);
/** A body that would be valid, so only the foreign id can stop the request. */
function validBody(r: ApiRoute): unknown {
  if (!hasBody(r.method)) return undefined;
  const special: Record<string, unknown> = {
    'PATCH /api/v1/buying-roles/:id': { version: 1, notes: 'hijacked' },
    'PUT /api/v1/accounts/:id/profile': { version: 0, businessOverview: 'hijacked' },
    'POST /api/v1/users/:id/password': { version: 1, password: 'hijacked-pass' },
    'POST /api/v1/accounts/:id/tier-override': { version: 1, tier: 'A', reason: 'hijacked' },
    'PUT /api/v1/accounts/:id/named': { version: 1, named: true },
    'PUT /api/v1/accounts/:id/parent': { version: 1, parentAccountId: null },
    'PUT /api/v1/opportunities/:id/credit-splits': { splits: [] },
    'POST /api/v1/accounts/:id/release': { version: 1, reason: 'hijacked' },
    'POST /api/v1/accounts/:id/assign': { version: 1, toUserId: 1 },
    'PATCH /api/v1/handovers/:id/items': { items: [{ itemId: 1, toUserId: 1 }] },
    'PUT /api/v1/handovers/:id/items/:itemId/note': { state: 'hijacked', openIssues: 'hijacked', keyContacts: 'hijacked' },
    'POST /api/v1/imports/:id/validate': { mapping: { name: 0 }, duplicateMode: 'skip' },
    'POST /api/v1/imports/:id/commit': { skipErrors: true },
    'POST /api/v1/opportunities/:id/stage': { version: 1, stageId: 1, evidence: [] },
    'PUT /api/v1/opportunities/:id/evidence': { version: 1, evidence: [] },
    'POST /api/v1/opportunities/:id/team': { userId: 1, teamRole: 'presales' },
    'POST /api/v1/opportunities/:id/close': { version: 1, outcome: 'abandoned', reason: 'no_decision', competitor: 'none' },
    'POST /api/v1/opportunities/:id/reopen': { version: 1, reason: 'hijacked' },
    'PUT /api/v1/opportunities/:id/qualification': { version: 1, facts: { pain: { answer: 'yes' } } },
    'PUT /api/v1/opportunities/:id/analysis': { version: 1, swot: {}, competitors: [] },
    'POST /api/v1/opportunities/:id/strategy/next': { answers: {} },
    'PUT /api/v1/opportunities/:id/strategy': { version: 1, answers: { urgentNeed: false, accountMattersForFuture: true } },
    'POST /api/v1/opportunities/:id/reviews': { completedStep: 'hijacked', nextAction: 'hijacked' },
    'POST /api/v1/sales-processes/:id/stages': { version: 1, position: 0, name: 'hijacked', probability: 0 },
    'PUT /api/v1/sales-processes/:id/stage-order': { version: 1, stages: [{ id: 1 }, { id: 2 }] },
    'PATCH /api/v1/tasks/:id': { version: 1, title: 'hijacked' },
    'POST /api/v1/tasks/:id/reassign': { version: 1, assigneeId: 1 },
    'POST /api/v1/notifications/:id/read': {},
    'POST /api/v1/accounts/:id/activities': { type: 'visit', subject: 'hijacked' },
    'PATCH /api/v1/activities/:id': { version: 1, notes: 'hijacked' },
    'PUT /api/v1/activities/:id/plan': { version: 1, plan: { objectives: [{ text: 'hijacked' }], fab: [{ benefit: 'hijacked' }] } },
    'PUT /api/v1/activities/:id/review': { version: 1, review: { objectives: [] } },
    'POST /api/v1/activities/:id/attachments': { version: 1, attachmentId: 1 },
    'POST /api/v1/opportunities/:id/checkpoints': { kind: 'weekly', outcome: 'reviewed' },
    'POST /api/v1/weekly-reports/:id/comments': { body: 'hijacked' },
  };
  return special[`${r.method} ${r.url}`] ?? (r.method === 'PATCH' ? { version: 1, name: 'hijacked' } : { version: 1 });
}

// The fixture's users hold no export grant of their own.
const allows = (r: ApiRoute, role: Role) => r.access === 'public' || r.access === 'authenticated' || can({ role, exportGranted: false }, r.access.capability);

/** A declaration as the reviewer reads it: the capability, and the roles that hold it (with their own grant, where one is needed). */
function reviewed(access: Access) {
  if (access === 'public' || access === 'authenticated') return access;
  const roles = ROLES.filter((role) => can({ role, exportGranted: false }, access.capability));
  const withGrant = ROLES.filter((role) => !roles.includes(role) && can({ role, exportGranted: true }, access.capability));
  return { capability: access.capability, roles, ...(withGrant.length ? { rolesWithGrant: withGrant } : {}) };
}

for (const engine of testEngines()) {
  describe(`permissions [${engine}]`, () => {
    let t: TestApp;
    let a: Fixture & Extras;
    let b: Fixture & Extras;
    before(async () => {
      t = await createTestApp(engine);
      const fa = await seedWorkspace(t, 'a');
      a = { ...fa, ...(await seedExtras(t, fa)) };
      const fb = await seedWorkspace(t, 'b');
      b = { ...fb, ...(await seedExtras(t, fb)) };
    });
    after(() => t.close());

    it('every route declares its access, and the declarations match the reviewed snapshot', () => {
      const actual = Object.fromEntries(
        t.app.apiRoutes.map((r) => [`${r.method} ${r.url}`, reviewed(r.access)] as const).sort(([x], [y]) => x.localeCompare(y)),
      );
      if (process.env.UPDATE_SNAPSHOTS === '1') fs.writeFileSync(SNAPSHOT, `${JSON.stringify(actual, null, 2)}\n`);
      const expected = JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8')) as unknown;
      assert.deepEqual(actual, expected, 'route access changed: review it, then run with UPDATE_SNAPSHOTS=1');
    });

    it('a route without an access declaration stops the server from starting', async () => {
      const { buildApp } = await import('../../src/server/app.ts');
      const app = await buildApp(t.db, t.config, { logger: false });
      assert.throws(() => app.get('/api/v1/undeclared', async () => 'x'), /declares no access/);
      await app.close();
    });

    it('refuses every non-public route without a session (401)', async () => {
      const anon = client(t);
      for (const r of t.app.apiRoutes) {
        const res = await anon(r.method as 'GET', fill(r, a), hasBody(r.method) ? {} : undefined);
        if (r.access === 'public') assert.ok(res.statusCode !== 401 && res.statusCode !== 403, `${r.method} ${r.url}: ${res.statusCode}`);
        else assert.equal(res.statusCode, 401, `${r.method} ${r.url}`);
      }
    });

    it('enforces each route\'s capability for every role (403 exactly where the role does not hold it)', async () => {
      for (const role of ROLES) {
        for (const r of t.app.apiRoutes) {
          // A fresh session per call: logout and password changes end sessions.
          const call = client(t, await sessionCookie(t, a.workspaceId, a.users[role].id));
          const res = await call(r.method as 'GET', fill(r, a), hasBody(r.method) ? {} : undefined);
          if (allows(r, role)) assert.ok(res.statusCode !== 401 && res.statusCode !== 403, `${role} ${r.method} ${r.url}: ${res.statusCode} ${res.body}`);
          else assert.equal(res.statusCode, 403, `${role} ${r.method} ${r.url}`);
        }
      }
    });

    it('never reads or changes another workspace\'s records through substituted ids', async () => {
      const snapshotA = async () => ({
        users: await t.db.kysely.selectFrom('users').selectAll().where('workspace_id', '=', a.workspaceId).orderBy('id').execute(),
        units: await t.db.kysely.selectFrom('org_units').selectAll().where('workspace_id', '=', a.workspaceId).orderBy('id').execute(),
        workspace: await t.db.kysely.selectFrom('workspaces').selectAll().where('id', '=', a.workspaceId).execute(),
        accounts: await t.db.kysely.selectFrom('accounts').selectAll().where('workspace_id', '=', a.workspaceId).orderBy('id').execute(),
        contacts: await t.db.kysely.selectFrom('contacts').selectAll().where('workspace_id', '=', a.workspaceId).orderBy('id').execute(),
        roles: await t.db.kysely.selectFrom('buying_roles').selectAll().where('workspace_id', '=', a.workspaceId).orderBy('id').execute(),
        views: await t.db.kysely.selectFrom('saved_views').selectAll().where('workspace_id', '=', a.workspaceId).orderBy('id').execute(),
        profiles: await t.db.kysely.selectFrom('account_profiles').selectAll().where('workspace_id', '=', a.workspaceId).execute(),
        tasks: await t.db.kysely.selectFrom('tasks').selectAll().where('workspace_id', '=', a.workspaceId).orderBy('id').execute(),
        notifications: await t.db.kysely.selectFrom('notifications').selectAll().where('workspace_id', '=', a.workspaceId).orderBy('id').execute(),
        comments: await t.db.kysely.selectFrom('weekly_report_comments').selectAll().where('workspace_id', '=', a.workspaceId).orderBy('id').execute(),
      });
      const before = await snapshotA();
      const withId = t.app.apiRoutes.filter((r) => r.url.includes(':id'));
      assert.ok(withId.length >= 8);
      for (const role of ROLES) {
        for (const r of withId) {
          const call = client(t, await sessionCookie(t, b.workspaceId, b.users[role].id));
          const body = validBody(r);
          const res = await call(r.method as 'GET', fill(r, a), body);
          const expected = allows(r, role) ? 404 : 403;
          assert.equal(res.statusCode, expected, `${role} of B ${r.method} ${fill(r, a)}: ${res.body}`);
        }
      }
      // Ids of A inside bodies are refused as unknown, too.
      const adminB = client(t, await sessionCookie(t, b.workspaceId, b.users.admin.id));
      const u = await adminB('POST', '/api/v1/users', { email: 'x@b.test', name: 'X', role: 'rep', orgUnitId: a.units.sales1, password: 'password-123' });
      assert.equal(u.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(u).errors[0]!.field, 'orgUnitId');
      const o = await adminB('POST', '/api/v1/org-units', { parentId: a.units.sales1, name: 'X', type: 'team' });
      assert.equal(o.statusCode, 400);
      assert.deepEqual(await snapshotA(), before, 'workspace A unchanged');
    });

    it('lists, the audit log and the workspace show only the caller\'s workspace', async () => {
      const adminB = client(t, await sessionCookie(t, b.workspaceId, b.users.admin.id));
      const users = json<{ items: { id: number; email: string }[] }>(await adminB('GET', '/api/v1/users?limit=500')).items;
      const aIds = new Set(Object.values(a.users).map((u) => u.id));
      assert.ok(users.length >= 8 && users.every((u) => !aIds.has(u.id) && !u.email.includes('@a-')));
      const units = json<{ items: { id: number }[] }>(await adminB('GET', '/api/v1/org-units?includeArchived=true')).items;
      const aUnits = new Set(Object.values(a.units));
      assert.ok(units.length === 8 && units.every((x) => !aUnits.has(x.id)));
      const log = json<{ items: { actorUserId: number | null }[] }>(await adminB('GET', '/api/v1/audit-log?limit=500')).items;
      assert.ok(log.length > 0 && log.every((e) => e.actorUserId === null || !aIds.has(e.actorUserId)));
      assert.equal(json<{ id: number }>(await adminB('GET', '/api/v1/workspace')).id, b.workspaceId);
      const q = json<{ total: number }>(await adminB('GET', `/api/v1/users?q=${encodeURIComponent(a.users.rep.email)}`));
      assert.equal(q.total, 0, 'search does not cross workspaces');
    });
  });
}
