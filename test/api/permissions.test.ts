import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedExtras,
  seedWorkspace,
  sessionCookie,
  type Extras,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
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
function idFor(url: string, fixture: Fixture & Extras): number {
  if (url.startsWith('/api/v1/users/:id')) return fixture.users.rep.id;
  if (url.startsWith('/api/v1/org-units/:id')) return fixture.units.sales1;
  if (url.startsWith('/api/v1/accounts/:id')) return fixture.accounts.repAccount;
  if (url.startsWith('/api/v1/contacts/:id')) return fixture.contacts.repContact;
  if (url.startsWith('/api/v1/buying-roles/:id')) return fixture.buyingRoles.repRole;
  if (url.startsWith('/api/v1/saved-views/:id')) return fixture.savedViews.repView;
  if (url.startsWith('/api/v1/territories/:id')) return fixture.territories.repRule;
  if (url.startsWith('/api/v1/handovers/:id')) return fixture.handovers.rep2Draft;
  if (url.startsWith('/api/v1/imports/:id')) return fixture.imports.repImport;
  if (url.startsWith('/api/v1/opportunities/:id')) return fixture.opportunities.repOpp;
  if (url.startsWith('/api/v1/sales-processes/:id')) return fixture.processes.small.id;
  if (url.startsWith('/api/v1/process-stages/:id')) return fixture.processes.small.stageIds[0]!;
  if (url.startsWith('/api/v1/attachments/:id')) return fixture.attachments.repProof;
  if (url.startsWith('/api/v1/tasks/:id')) return fixture.tasks.repTask;
  if (url.startsWith('/api/v1/notifications/:id')) return fixture.notifications.repNotice;
  if (url.startsWith('/api/v1/weekly-reports/:id')) return fixture.weeklyReports.repReport;
  if (url.startsWith('/api/v1/forecasts/submissions/:id')) return fixture.forecasts.repSubmission;
  if (url.startsWith('/api/v1/activities/:id')) return fixture.activities.repVisit;
  if (url.startsWith('/api/v1/callbacks/:id')) return fixture.callbacks.repCallback;
  throw new Error(`no id source for ${url}: add one to idFor() in ${import.meta.filename}`);
}

const hasBody = (m: string) => m === 'POST' || m === 'PATCH' || m === 'PUT';
const fill = (route: ApiRoute, fixture: Fixture & Extras) =>
  route.url.includes(':id')
    ? route.url
        .replace(':id', String(idFor(route.url, fixture)))
        .replace(':itemId', '1')
        .replace(':memberId', '1')
    : route.url;
/** A body that would be valid, so only the foreign id can stop the request. */
function validBody(route: ApiRoute): unknown {
  if (!hasBody(route.method)) return undefined;
  const special: Record<string, unknown> = {
    'PATCH /api/v1/buying-roles/:id': { version: 1, notes: 'hijacked' },
    'PUT /api/v1/accounts/:id/profile': { version: 0, businessOverview: 'hijacked' },
    'POST /api/v1/users/:id/password': { version: 1, password: 'hijacked-pass' },
    'POST /api/v1/accounts/:id/tier-override': { version: 1, tier: 'A', reason: 'hijacked' },
    'PUT /api/v1/accounts/:id/named': { version: 1, named: true },
    'PUT /api/v1/accounts/:id/parent': { version: 1, parentAccountId: null },
    'PUT /api/v1/opportunities/:id/credit-splits': { splits: [] },
    'PUT /api/v1/opportunities/:id/payment-plan': { installments: [] },
    'POST /api/v1/accounts/:id/release': { version: 1, reason: 'hijacked' },
    'POST /api/v1/accounts/:id/assign': { version: 1, toUserId: 1, reason: 'x' },
    'POST /api/v1/accounts/bulk/reassign': { ids: [1], toUserId: 1, reason: 'hijacked' },
    'POST /api/v1/opportunities/bulk/reassign': { ids: [1], toUserId: 1, reason: 'hijacked' },
    'PATCH /api/v1/handovers/:id/items': { items: [{ itemId: 1, toUserId: 1 }] },
    'PUT /api/v1/handovers/:id/items/:itemId/note': {
      state: 'hijacked',
      openIssues: 'hijacked',
      keyContacts: 'hijacked',
    },
    'POST /api/v1/imports/:id/validate': { mapping: { name: 0 }, duplicateMode: 'skip' },
    'POST /api/v1/imports/:id/commit': { skipErrors: true },
    'POST /api/v1/opportunities/:id/stage': { version: 1, stageId: 1, evidence: [] },
    'PUT /api/v1/opportunities/:id/evidence': { version: 1, evidence: [] },
    'POST /api/v1/opportunities/:id/team': { userId: 1, teamRole: 'presales' },
    'POST /api/v1/opportunities/:id/close': {
      version: 1,
      outcome: 'abandoned',
      reason: 'no_decision',
      competitor: 'none',
    },
    'POST /api/v1/opportunities/:id/reopen': { version: 1, reason: 'hijacked' },
    'PUT /api/v1/opportunities/:id/qualification': { version: 1, facts: { pain: { answer: 'yes' } } },
    'PUT /api/v1/opportunities/:id/analysis': { version: 1, swot: {}, competitors: [] },
    'POST /api/v1/opportunities/:id/strategy/next': { answers: {} },
    'PUT /api/v1/opportunities/:id/strategy': {
      version: 1,
      answers: { urgentNeed: false, accountMattersForFuture: true },
    },
    'POST /api/v1/opportunities/:id/reviews': { completedStep: 'hijacked', nextAction: 'hijacked' },
    'POST /api/v1/sales-processes/:id/stages': { version: 1, position: 0, name: 'hijacked', probability: 0 },
    'PUT /api/v1/sales-processes/:id/stage-order': { version: 1, stages: [{ id: 1 }, { id: 2 }] },
    'PATCH /api/v1/tasks/:id': { version: 1, title: 'hijacked' },
    'POST /api/v1/tasks/:id/reassign': { version: 1, assigneeId: 1 },
    'POST /api/v1/notifications/:id/read': {},
    'POST /api/v1/accounts/:id/activities': { type: 'visit', subject: 'hijacked' },
    'PATCH /api/v1/activities/:id': { version: 1, notes: 'hijacked' },
    'PUT /api/v1/activities/:id/plan': {
      version: 1,
      plan: { objectives: [{ text: 'hijacked' }], fab: [{ benefit: 'hijacked' }] },
    },
    'PUT /api/v1/activities/:id/review': { version: 1, review: { objectives: [] } },
    'POST /api/v1/activities/:id/attachments': { version: 1, attachmentId: 1 },
    'POST /api/v1/opportunities/:id/checkpoints': { kind: 'weekly', outcome: 'reviewed' },
    'POST /api/v1/weekly-reports/:id/comments': { body: 'hijacked' },
    'POST /api/v1/callbacks/:id/answer': { version: 1, outcome: 'confirmed' },
  };
  return (
    special[`${route.method} ${route.url}`] ??
    (route.method === 'PATCH' ? { version: 1, name: 'hijacked' } : { version: 1 })
  );
}

// The fixture's users hold no export grant of their own.
const allows = (route: ApiRoute, role: Role) =>
  route.access === 'public' ||
  route.access === 'authenticated' ||
  can({ role, exportGranted: false }, route.access.capability);

/** A declaration as the reviewer reads it: the capability, and the roles that hold it (with their own grant, where one is needed). */
function reviewed(access: Access) {
  if (access === 'public' || access === 'authenticated') return access;
  const roles = ROLES.filter((role) => can({ role, exportGranted: false }, access.capability));
  const withGrant = ROLES.filter(
    (role) => !roles.includes(role) && can({ role, exportGranted: true }, access.capability),
  );
  return { capability: access.capability, roles, ...(withGrant.length ? { rolesWithGrant: withGrant } : {}) };
}

for (const engine of testEngines()) {
  describe(`permissions [${engine}]`, () => {
    let testApp: TestApp;
    let fixtureA: Fixture & Extras;
    let fixtureB: Fixture & Extras;
    before(async () => {
      testApp = await createTestApp(engine);
      const fa = await seedWorkspace(testApp, 'a');
      fixtureA = { ...fa, ...(await seedExtras(testApp, fa)) };
      const fb = await seedWorkspace(testApp, 'b');
      fixtureB = { ...fb, ...(await seedExtras(testApp, fb)) };
    });
    after(() => testApp.close());

    it('every route declares its access, and the declarations match the reviewed snapshot', () => {
      const actual = Object.fromEntries(
        testApp.app.apiRoutes
          .map((r) => [`${r.method} ${r.url}`, reviewed(r.access)] as const)
          .sort(([x], [y]) => x.localeCompare(y)),
      );
      if (process.env.UPDATE_SNAPSHOTS === '1') fs.writeFileSync(SNAPSHOT, `${JSON.stringify(actual, null, 2)}\n`);
      const expected = JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8')) as unknown;
      assert.deepEqual(actual, expected, 'route access changed: review it, then run with UPDATE_SNAPSHOTS=1');
    });

    it('a route without an access declaration stops the server from starting', async () => {
      const { buildApp } = await import('../../src/server/app.ts');
      const app = await buildApp(testApp.db, testApp.config, { logger: false });
      assert.throws(() => app.get('/api/v1/undeclared', async () => 'x'), /declares no access/);
      await app.close();
    });

    it('refuses every non-public route without a session (401)', async () => {
      const anon = client(testApp);
      for (const apiRoute of testApp.app.apiRoutes) {
        const res = await anon(
          apiRoute.method as 'GET',
          fill(apiRoute, fixtureA),
          hasBody(apiRoute.method) ? {} : undefined,
        );
        if (apiRoute.access === 'public')
          assert.ok(
            res.statusCode !== 401 && res.statusCode !== 403,
            `${apiRoute.method} ${apiRoute.url}: ${res.statusCode}`,
          );
        else assert.equal(res.statusCode, 401, `${apiRoute.method} ${apiRoute.url}`);
      }
    });

    it("enforces each route's capability for every role (403 exactly where the role does not hold it)", async () => {
      for (const role of ROLES) {
        for (const apiRoute of testApp.app.apiRoutes) {
          // A fresh session per call: logout and password changes end sessions.
          const call = client(testApp, await sessionCookie(testApp, fixtureA.workspaceId, fixtureA.users[role].id));
          const res = await call(
            apiRoute.method as 'GET',
            fill(apiRoute, fixtureA),
            hasBody(apiRoute.method) ? {} : undefined,
          );
          if (allows(apiRoute, role))
            assert.ok(
              res.statusCode !== 401 && res.statusCode !== 403,
              `${role} ${apiRoute.method} ${apiRoute.url}: ${res.statusCode} ${res.body}`,
            );
          else assert.equal(res.statusCode, 403, `${role} ${apiRoute.method} ${apiRoute.url}`);
        }
      }
    });

    it("never reads or changes another workspace's records through substituted ids", async () => {
      const snapshotA = async () => ({
        users: await testApp.db.kysely
          .selectFrom('users')
          .selectAll()
          .where('workspace_id', '=', fixtureA.workspaceId)
          .orderBy('id')
          .execute(),
        units: await testApp.db.kysely
          .selectFrom('org_units')
          .selectAll()
          .where('workspace_id', '=', fixtureA.workspaceId)
          .orderBy('id')
          .execute(),
        workspace: await testApp.db.kysely
          .selectFrom('workspaces')
          .selectAll()
          .where('id', '=', fixtureA.workspaceId)
          .execute(),
        accounts: await testApp.db.kysely
          .selectFrom('accounts')
          .selectAll()
          .where('workspace_id', '=', fixtureA.workspaceId)
          .orderBy('id')
          .execute(),
        contacts: await testApp.db.kysely
          .selectFrom('contacts')
          .selectAll()
          .where('workspace_id', '=', fixtureA.workspaceId)
          .orderBy('id')
          .execute(),
        roles: await testApp.db.kysely
          .selectFrom('buying_roles')
          .selectAll()
          .where('workspace_id', '=', fixtureA.workspaceId)
          .orderBy('id')
          .execute(),
        views: await testApp.db.kysely
          .selectFrom('saved_views')
          .selectAll()
          .where('workspace_id', '=', fixtureA.workspaceId)
          .orderBy('id')
          .execute(),
        profiles: await testApp.db.kysely
          .selectFrom('account_profiles')
          .selectAll()
          .where('workspace_id', '=', fixtureA.workspaceId)
          .execute(),
        tasks: await testApp.db.kysely
          .selectFrom('tasks')
          .selectAll()
          .where('workspace_id', '=', fixtureA.workspaceId)
          .orderBy('id')
          .execute(),
        notifications: await testApp.db.kysely
          .selectFrom('notifications')
          .selectAll()
          .where('workspace_id', '=', fixtureA.workspaceId)
          .orderBy('id')
          .execute(),
        callbacks: await testApp.db.kysely
          .selectFrom('callbacks')
          .selectAll()
          .where('workspace_id', '=', fixtureA.workspaceId)
          .orderBy('id')
          .execute(),
        comments: await testApp.db.kysely
          .selectFrom('weekly_report_comments')
          .selectAll()
          .where('workspace_id', '=', fixtureA.workspaceId)
          .orderBy('id')
          .execute(),
      });
      const before = await snapshotA();
      const withId = testApp.app.apiRoutes.filter((r) => r.url.includes(':id'));
      assert.ok(withId.length >= 8);
      for (const role of ROLES) {
        for (const route of withId) {
          const call = client(testApp, await sessionCookie(testApp, fixtureB.workspaceId, fixtureB.users[role].id));
          const body = validBody(route);
          const res = await call(route.method as 'GET', fill(route, fixtureA), body);
          const expected = allows(route, role) ? 404 : 403;
          assert.equal(res.statusCode, expected, `${role} of B ${route.method} ${fill(route, fixtureA)}: ${res.body}`);
        }
      }
      // Ids of A inside bodies are refused as unknown, too.
      const adminB = client(testApp, await sessionCookie(testApp, fixtureB.workspaceId, fixtureB.users.admin.id));
      const userRes = await adminB('POST', '/api/v1/users', {
        email: 'x@b.test',
        name: 'X',
        role: 'rep',
        orgUnitId: fixtureA.units.sales1,
        password: 'password-123',
      });
      assert.equal(userRes.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(userRes).errors[0]!.field, 'orgUnitId');
      const unitRes = await adminB('POST', '/api/v1/org-units', {
        parentId: fixtureA.units.sales1,
        name: 'X',
        type: 'team',
      });
      assert.equal(unitRes.statusCode, 400);
      assert.deepEqual(await snapshotA(), before, 'workspace A unchanged');
    });

    it("lists, the audit log and the workspace show only the caller's workspace", async () => {
      const adminB = client(testApp, await sessionCookie(testApp, fixtureB.workspaceId, fixtureB.users.admin.id));
      const users = json<{ items: { id: number; email: string }[] }>(
        await adminB('GET', '/api/v1/users?limit=500'),
      ).items;
      const aIds = new Set(Object.values(fixtureA.users).map((u) => u.id));
      assert.ok(users.length >= 8 && users.every((u) => !aIds.has(u.id) && !u.email.includes('@a-')));
      const units = json<{ items: { id: number }[] }>(
        await adminB('GET', '/api/v1/org-units?includeArchived=true'),
      ).items;
      const aUnits = new Set(Object.values(fixtureA.units));
      assert.ok(units.length === 8 && units.every((x) => !aUnits.has(x.id)));
      const log = json<{ items: { actorUserId: number | null }[] }>(
        await adminB('GET', '/api/v1/audit-log?limit=500'),
      ).items;
      assert.ok(log.length > 0 && log.every((e) => e.actorUserId === null || !aIds.has(e.actorUserId)));
      assert.equal(json<{ id: number }>(await adminB('GET', '/api/v1/workspace')).id, fixtureB.workspaceId);
      const search = json<{ total: number }>(
        await adminB('GET', `/api/v1/users?q=${encodeURIComponent(fixtureA.users.rep.email)}`),
      );
      assert.equal(search.total, 0, 'search does not cross workspaces');
    });
  });
}
