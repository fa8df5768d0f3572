import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedExtras,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Extras,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import type { ApiRoute } from '../../src/server/app.ts';

/**
 * Record ids travel in bodies and query strings too, not only in paths. Every such field of
 * every route (found by walking the route schemas, so a new one cannot be missed) is sent
 * with another workspace's id: a body is refused naming the field and nothing is written; a
 * query filter finds nothing. Then ids of the caller's own workspace that lie out of their
 * reach: a deal's buying roles follow the deal (issue 14 item 3).
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

type World = Fixture & Extras & { handover: { id: number; itemId: number } };

/** The record of workspace `w` that a field of this name refers to. */
function idOfKind(field: string, world: World): number {
  const name = field.split('.').at(-1)!;
  if (/^(accountId|referrerAccountId|parentAccountId)$/.test(name)) return world.accounts.repAccount;
  if (/^(ownerId|userId|toUserId|holderUserId|fromUserId|actorUserId|assigneeId|repId)$/.test(name))
    return world.users.rep.id;
  if (name === 'auditorId') return world.users.auditor.id;
  if (/^(orgUnitId|parentId|unitId)$/.test(name)) return world.units.sales2;
  if (/^(contactId|reportsToId|contactIds)$/.test(name)) return world.contacts.repContact;
  if (name === 'opportunityId') return world.opportunities.repOpp;
  if (name === 'processId') return world.processes.small.id;
  if (name === 'stageId' || field === 'stages.*.id') return world.processes.small.stageIds[1]!;
  if (name === 'attachmentId') return world.attachments.repProof;
  if (name === 'itemId') return world.handover.itemId;
  if (name === 'exceptId') return world.accounts.repAccount;
  if (name === 'subjectId') return world.users.rep.id;
  throw new Error(`no record kind for ${field}: add it to idOfKind() in ${import.meta.filename}`);
}

/**
 * A body that workspace A's admin could send successfully, so that only the substituted id
 * can make it fail. Keyed by route; one entry for every route whose body carries an id.
 */
function bodyFor(route: ApiRoute, world: World): Record<string, unknown> {
  const stageIds = world.processes.small.stageIds;
  const bodies: Record<string, unknown> = {
    'POST /api/v1/accounts': {
      name: '北京字节跳动科技有限公司',
      allowSimilarName: true,
      ownerId: world.users.rep.id,
      referrerAccountId: world.accounts.rep2Account,
    },
    'PATCH /api/v1/accounts/:id': {
      version: 1,
      referrerAccountId: world.accounts.rep2Account,
      ownerId: world.users.rep.id,
      ownerReason: '调整',
    },
    'POST /api/v1/accounts/:id/assign': { version: 1, toUserId: world.users.rep.id, reason: 'x' },
    'POST /api/v1/callbacks/draws': { period: '2026-01', auditorId: world.users.auditor.id },
    'POST /api/v1/accounts/bulk/reassign': {
      ids: [world.accounts.repAccount],
      toUserId: world.users.rep.id,
      reason: 'x',
    },
    'POST /api/v1/accounts/bulk/assign': {
      ids: [world.accounts.poolAccount],
      toUserId: world.users.rep.id,
      reason: 'x',
    },
    'POST /api/v1/opportunities/bulk/reassign': {
      ids: [world.opportunities.repOpp],
      toUserId: world.users.rep.id,
      reason: 'x',
    },
    'PUT /api/v1/accounts/:id/parent': { version: 1, parentAccountId: world.accounts.rep2Account },
    'PUT /api/v1/opportunities/:id/credit-splits': { splits: [{ userId: world.users.rep.id, percent: 100 }] },
    'POST /api/v1/buying-roles': {
      contactId: world.contacts.repContact,
      opportunityId: world.opportunities.repOpp,
      role: 'user',
      holderUserId: world.users.rep.id,
    },
    'PATCH /api/v1/buying-roles/:id': { version: 1, holderUserId: world.users.rep.id },
    'POST /api/v1/contacts': {
      accountId: world.accounts.repAccount,
      name: '李四',
      reportsToId: world.contacts.repContact,
    },
    'PATCH /api/v1/contacts/:id': { version: 1, reportsToId: null },
    'POST /api/v1/handovers': { fromUserId: world.users.rep2.id },
    'PATCH /api/v1/handovers/:id/items': {
      items: [{ itemId: world.handover.itemId, toUserId: world.users.manager.id }],
    },
    'PUT /api/v1/handovers/:id/items/:itemId/note': {
      state: 's',
      openIssues: 'o',
      contactIds: [world.contacts.repContact],
    },
    'POST /api/v1/opportunities': {
      accountId: world.accounts.repAccount,
      name: '新项目',
      processId: world.processes.small.id,
      stageId: stageIds[0],
      amount: 1,
      expectedCloseDate: '2027-01-31',
      ownerId: world.users.rep.id,
      evidence: [{ stageId: stageIds[0], key: 'need_confirmed', attachmentId: world.attachments.repProof }],
    },
    'PATCH /api/v1/opportunities/:id': { version: 1, ownerId: world.users.manager.id, ownerReason: '调整' },
    'POST /api/v1/opportunities/:id/close': {
      version: 1,
      outcome: 'won',
      contractAmount: 1,
      evidence: [{ stageId: stageIds[0], key: 'need_confirmed', attachmentId: world.attachments.repProof }],
      override: true,
      note: 'x',
    },
    'POST /api/v1/opportunities/:id/stage': {
      version: 1,
      stageId: stageIds[1],
      evidence: [{ stageId: stageIds[0], key: 'need_confirmed', attachmentId: world.attachments.repProof }],
      override: true,
      reason: 'x',
    },
    'PUT /api/v1/opportunities/:id/evidence': {
      version: 1,
      evidence: [{ stageId: stageIds[0], key: 'need_confirmed', attachmentId: world.attachments.repProof }],
    },
    'POST /api/v1/opportunities/:id/team': { userId: world.users.presales.id, teamRole: 'presales' },
    'POST /api/v1/org-units': { parentId: world.units.sales1, name: '新组', type: 'team' },
    'PATCH /api/v1/org-units/:id': { version: 1, parentId: world.units.sales2 },
    'POST /api/v1/territories': { province: '云南省', userId: world.users.rep.id },
    'PATCH /api/v1/territories/:id': { version: 1, userId: world.users.rep.id },
    'POST /api/v1/users': {
      email: 'new.user@ids.test',
      name: '新人',
      role: 'rep',
      orgUnitId: world.units.sales2,
      password: 'password-123',
    },
    'PATCH /api/v1/users/:id': { version: 1, orgUnitId: world.units.sales2 },
    'PUT /api/v1/quotas': {
      fiscalYear: 2026,
      reason: '年度目标',
      items: [{ subjectType: 'user', subjectId: world.users.rep.id, amount: 100 }],
    },
    'PUT /api/v1/sales-processes/:id/stage-order': { version: 1, stages: stageIds.map((id) => ({ id })) },
    'POST /api/v1/tasks': {
      title: '回访',
      dueDate: '2027-01-04',
      assigneeId: world.users.rep.id,
      accountId: world.accounts.repAccount,
      opportunityId: world.opportunities.repOpp,
    },
    'POST /api/v1/tasks/:id/reassign': { version: 1, assigneeId: world.users.manager.id },
    'PUT /api/v1/weekly-reports/plan': {
      week: '2026-12-07',
      version: 0,
      deals: [{ opportunityId: world.opportunities.repOpp }],
    },
    'POST /api/v1/forecasts/submissions': {
      deals: [{ opportunityId: world.opportunities.repOpp, category: 'commit', amount: 1 }],
    },
    'PUT /api/v1/forecasts/adjustments': { unitId: world.units.sales1, amount: 1 },
    'POST /api/v1/accounts/:id/activities': {
      type: 'visit',
      opportunityId: world.opportunities.repOpp,
      contactIds: [world.contacts.repContact],
      ownerId: world.users.rep.id,
    },
    'PATCH /api/v1/activities/:id': {
      version: 1,
      opportunityId: world.opportunities.repOpp,
      contactIds: [world.contacts.repContact],
      ownerId: world.users.rep.id,
    },
    'PUT /api/v1/activities/:id/review': {
      version: 1,
      review: { objectives: [], nextSteps: [{ title: '报价', dueDate: '2027-01-15', assigneeId: world.users.rep.id }] },
    },
    'POST /api/v1/activities/:id/attachments': { version: 1, attachmentId: world.attachments.repProof },
  };
  const body = bodies[`${route.method} ${route.url}`];
  if (!body)
    throw new Error(`no valid body for ${route.method} ${route.url}: add one to bodyFor() in ${import.meta.filename}`);
  return structuredClone(body) as Record<string, unknown>;
}

/** The path with workspace A's record in place of each parameter. */
function urlFor(route: ApiRoute, world: World): string {
  const byPrefix: [string, number][] = [
    ['/api/v1/accounts/:id', world.accounts.repAccount],
    ['/api/v1/buying-roles/:id', world.buyingRoles.repRole],
    ['/api/v1/contacts/:id', world.contacts.repContact],
    ['/api/v1/handovers/:id', world.handover.id],
    ['/api/v1/opportunities/:id', world.opportunities.repOpp],
    ['/api/v1/org-units/:id', world.units.sales1],
    ['/api/v1/territories/:id', world.territories.repRule],
    ['/api/v1/users/:id', world.users.rep2.id],
    ['/api/v1/sales-processes/:id', world.processes.small.id],
    ['/api/v1/tasks/:id', world.tasks.repTask],
    ['/api/v1/activities/:id', world.activities.repVisit],
  ];
  const id = route.url.endsWith('/assign')
    ? world.accounts.poolAccount
    : byPrefix.find(([p]) => route.url.startsWith(p))?.[1];
  return route.url.replace(':id', String(id)).replace(':itemId', String(world.handover.itemId));
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

const fieldsOf = (res: LightMyRequestResponse) =>
  (json<{ errors?: { field: string }[] }>(res).errors ?? []).map((e) => e.field);

for (const engine of testEngines()) {
  describe(`ids in bodies and query strings [${engine}]`, () => {
    let testApp: TestApp;
    let worldA: World;
    let worldB: World;
    let adminA: Call;
    /** Routes only sellers may call (admins own no deals) go as workspace A's rep, with the rep's own deal. */
    let repA: Call;
    const callerFor = (r: ApiRoute) => (r.url === '/api/v1/forecasts/submissions' ? repA : adminA);
    const world = async (label: string): Promise<World> => {
      const fixture = await seedWorkspace(testApp, label);
      const extras = await seedExtras(testApp, fixture);
      const admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      const handover = json<{ id: number; items: { id: number }[] }>(
        await admin('POST', '/api/v1/handovers', { fromUserId: fixture.users.rep.id }),
      );
      return { ...fixture, ...extras, handover: { id: handover.id, itemId: handover.items[0]!.id } };
    };
    before(async () => {
      testApp = await createTestApp(engine);
      worldA = await world('ids-a');
      worldB = await world('ids-b');
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

    describe("a deal's buying roles follow the deal, not only its account", () => {
      let hiddenOpp: number;
      let hiddenRole: number;
      let rep: Call;
      before(async () => {
        // The manager's own deal on the rep's account: the rep sees the account, not the deal.
        const kysely = testApp.db.kysely;
        const now = Date.now();
        hiddenOpp = (
          await kysely
            .insertInto('opportunities')
            .values({
              workspace_id: worldA.workspaceId,
              account_id: worldA.accounts.repAccount,
              name: '总部直签',
              owner_id: worldA.users.manager.id,
              org_unit_id: worldA.units.shanghai,
              amount: 1,
              status: 'open',
              expected_close_date: '2027-01-31',
              process_id: worldA.processes.small.id,
              stage_id: worldA.processes.small.stageIds[0]!,
              stage_entered_at: now,
              created_at: now,
              updated_at: now,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        hiddenRole = (
          await kysely
            .insertInto('buying_roles')
            .values({
              workspace_id: worldA.workspaceId,
              account_id: worldA.accounts.repAccount,
              opportunity_id: hiddenOpp,
              contact_id: worldA.contacts.repContact,
              role: 'finance',
              attitude: 'opposes',
              influence: 'high',
              relationship: 1,
              notes: '只有经理知道',
              created_at: now,
              updated_at: now,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        rep = client(testApp, await sessionCookie(testApp, worldA.workspaceId, worldA.users.rep.id));
        assert.equal(
          (await rep('GET', `/api/v1/accounts/${worldA.accounts.repAccount}`)).statusCode,
          200,
          'the rep sees the account',
        );
        assert.equal((await rep('GET', `/api/v1/opportunities/${hiddenOpp}`)).statusCode, 404, 'but not the deal');
      });

      it('does not list or map them for someone who cannot see the deal (404 naming the query field)', async () => {
        for (const url of [
          `/api/v1/accounts/${worldA.accounts.repAccount}/buying-roles?opportunityId=${hiddenOpp}`,
          `/api/v1/accounts/${worldA.accounts.repAccount}/relationship-map?opportunityId=${hiddenOpp}`,
        ]) {
          const res = await rep('GET', url);
          assert.equal(res.statusCode, 404, `${url}: ${res.body}`);
          assert.deepEqual(fieldsOf(res), ['query.opportunityId']);
          assert.doesNotMatch(res.body, /只有经理知道/);
        }
        // The manager over it still reads them; the rep still reads the roles of a deal of theirs.
        const manager = client(testApp, await sessionCookie(testApp, worldA.workspaceId, worldA.users.manager.id));
        const seen = await manager(
          'GET',
          `/api/v1/accounts/${worldA.accounts.repAccount}/buying-roles?opportunityId=${hiddenOpp}`,
        );
        assert.equal(seen.statusCode, 200, seen.body);
        assert.deepEqual(
          json<{ items: { id: number }[] }>(seen).items.map((x) => x.id),
          [hiddenRole],
        );
        assert.equal(
          (
            await rep(
              'GET',
              `/api/v1/accounts/${worldA.accounts.repAccount}/relationship-map?opportunityId=${worldA.opportunities.repOpp}`,
            )
          ).statusCode,
          200,
        );
      });

      it('does not let them be changed, removed or added to through the account', async () => {
        const patch = await rep('PATCH', `/api/v1/buying-roles/${hiddenRole}`, { version: 1, attitude: 'supports' });
        assert.equal(patch.statusCode, 404, patch.body);
        assert.equal((await rep('DELETE', `/api/v1/buying-roles/${hiddenRole}`)).statusCode, 404);
        const add = await rep('POST', '/api/v1/buying-roles', {
          contactId: worldA.contacts.repContact,
          opportunityId: hiddenOpp,
          role: 'user',
        });
        assert.equal(add.statusCode, 400, add.body);
        assert.deepEqual(fieldsOf(add), ['opportunityId']);
        const rows = await testApp.db.kysely
          .selectFrom('buying_roles')
          .select(['id', 'attitude', 'version'])
          .where('opportunity_id', '=', hiddenOpp)
          .execute();
        assert.deepEqual(rows, [{ id: hiddenRole, attitude: 'opposes', version: 1 }]);
      });

      it("refuses the caller's own workspace's ids that lie out of their reach, naming the field", async () => {
        const cases: [string, string, Record<string, unknown>, string][] = [
          [
            'POST',
            '/api/v1/accounts',
            {
              name: '杭州海康威视数字技术股份有限公司',
              allowSimilarName: true,
              referrerAccountId: worldA.accounts.rep2Account,
            },
            'referrerAccountId',
          ],
          [
            'PATCH',
            `/api/v1/accounts/${worldA.accounts.repAccount}`,
            { version: 1, referrerAccountId: worldA.accounts.rep2Account },
            'referrerAccountId',
          ],
          ['POST', '/api/v1/contacts', { accountId: worldA.accounts.rep2Account, name: '王五' }, 'accountId'],
          [
            'POST',
            '/api/v1/opportunities',
            {
              accountId: worldA.accounts.rep2Account,
              name: 'x',
              processId: worldA.processes.small.id,
              amount: 1,
              expectedCloseDate: '2027-01-31',
            },
            'accountId',
          ],
        ];
        for (const [method, url, body, field] of cases) {
          const res = await rep(method as 'POST', url, body);
          assert.equal(res.statusCode, 400, `${method} ${url}: ${res.body}`);
          assert.deepEqual(fieldsOf(res), [field], `${method} ${url}`);
        }
      });
    });
  });
}
