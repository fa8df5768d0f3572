import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, seedExtras, seedWorkspace, sessionCookie, type Call, type Extras, type Fixture, type TestApp } from '../helpers/app.ts';
import type { ApiRoute } from '../../src/server/app.ts';

/**
 * Record ids travel in bodies and query strings too, not only in paths. Every such field of
 * every route (found by walking the route schemas, so a new one cannot be missed) is sent
 * with another workspace's id: a body is refused naming the field and nothing is written; a
 * query filter finds nothing. Then ids of the caller's own workspace that lie out of their
 * reach: a deal's buying roles follow the deal (issue 14 item 3).
 */
type Def = { type: string; shape?: Record<string, unknown>; innerType?: unknown; element?: unknown; in?: unknown; options?: unknown[]; valueType?: unknown };
const defOf = (s: unknown) => (s as { _zod?: { def: Def } } | undefined)?._zod?.def;

/** Paths of the id fields in a zod schema: `accountId`, `evidence.*.attachmentId`, `stages.*.id`. */
export function idFields(schema: unknown, path = '', out: string[] = []): string[] {
  const d = defOf(schema);
  if (!d) return out;
  switch (d.type) {
    case 'object':
      for (const [k, v] of Object.entries(d.shape!)) {
        const p = path ? `${path}.${k}` : k;
        if (/Ids?$/.test(k) || (k === 'id' && path)) out.push(p);
        idFields(v, p, out);
      }
      return out;
    case 'array':
      return idFields(d.element, `${path}.*`, out);
    case 'pipe':
      return idFields(d.in, path, out);
    case 'union':
      for (const o of d.options!) idFields(o, path, out);
      return out;
    case 'record':
      return idFields(d.valueType, `${path}.*`, out);
    default:
      return d.innerType ? idFields(d.innerType, path, out) : out;
  }
}

type World = Fixture & Extras & { handover: { id: number; itemId: number } };

/** The record of workspace `w` that a field of this name refers to. */
function idOfKind(field: string, w: World): number {
  const name = field.split('.').at(-1)!;
  if (/^(accountId|referrerAccountId|parentAccountId)$/.test(name)) return w.accounts.repAccount;
  if (/^(ownerId|userId|toUserId|holderUserId|fromUserId|actorUserId|assigneeId)$/.test(name)) return w.users.rep.id;
  if (/^(orgUnitId|parentId|unitId)$/.test(name)) return w.units.sales2;
  if (/^(contactId|reportsToId|contactIds)$/.test(name)) return w.contacts.repContact;
  if (name === 'opportunityId') return w.opportunities.repOpp;
  if (name === 'processId') return w.processes.small.id;
  if (name === 'stageId' || field === 'stages.*.id') return w.processes.small.stageIds[1]!;
  if (name === 'attachmentId') return w.attachments.repProof;
  if (name === 'itemId') return w.handover.itemId;
  if (name === 'exceptId') return w.accounts.repAccount;
  if (name === 'subjectId') return w.users.rep.id;
  throw new Error(`no record kind for ${field}: add it to idOfKind() in ${import.meta.filename}`);
}

/**
 * A body that workspace A's admin could send successfully, so that only the substituted id
 * can make it fail. Keyed by route; one entry for every route whose body carries an id.
 */
function bodyFor(r: ApiRoute, a: World): Record<string, unknown> {
  const s = a.processes.small.stageIds;
  const bodies: Record<string, unknown> = {
    'POST /api/v1/accounts': { name: '北京字节跳动科技有限公司', allowSimilarName: true, ownerId: a.users.rep.id, referrerAccountId: a.accounts.rep2Account },
    'PATCH /api/v1/accounts/:id': { version: 1, referrerAccountId: a.accounts.rep2Account, ownerId: a.users.rep.id, ownerReason: '调整' },
    'POST /api/v1/accounts/:id/assign': { version: 1, toUserId: a.users.rep.id },
    'PUT /api/v1/accounts/:id/parent': { version: 1, parentAccountId: a.accounts.rep2Account },
    'PUT /api/v1/opportunities/:id/credit-splits': { splits: [{ userId: a.users.rep.id, percent: 100 }] },
    'POST /api/v1/buying-roles': { contactId: a.contacts.repContact, opportunityId: a.opportunities.repOpp, role: 'user', holderUserId: a.users.rep.id },
    'PATCH /api/v1/buying-roles/:id': { version: 1, holderUserId: a.users.rep.id },
    'POST /api/v1/contacts': { accountId: a.accounts.repAccount, name: '李四', reportsToId: a.contacts.repContact },
    'PATCH /api/v1/contacts/:id': { version: 1, reportsToId: null },
    'POST /api/v1/handovers': { fromUserId: a.users.rep2.id },
    'PATCH /api/v1/handovers/:id/items': { items: [{ itemId: a.handover.itemId, toUserId: a.users.manager.id }] },
    'PUT /api/v1/handovers/:id/items/:itemId/note': { state: 's', openIssues: 'o', contactIds: [a.contacts.repContact] },
    'POST /api/v1/opportunities': {
      accountId: a.accounts.repAccount, name: '新项目', processId: a.processes.small.id, stageId: s[0], amount: 1, expectedCloseDate: '2027-01-31', ownerId: a.users.rep.id,
      evidence: [{ stageId: s[0], key: 'need_confirmed', attachmentId: a.attachments.repProof }],
    },
    'PATCH /api/v1/opportunities/:id': { version: 1, ownerId: a.users.manager.id, ownerReason: '调整' },
    'POST /api/v1/opportunities/:id/close': { version: 1, outcome: 'won', contractAmount: 1, evidence: [{ stageId: s[0], key: 'need_confirmed', attachmentId: a.attachments.repProof }], override: true, note: 'x' },
    'POST /api/v1/opportunities/:id/stage': { version: 1, stageId: s[1], evidence: [{ stageId: s[0], key: 'need_confirmed', attachmentId: a.attachments.repProof }], override: true, reason: 'x' },
    'PUT /api/v1/opportunities/:id/evidence': { version: 1, evidence: [{ stageId: s[0], key: 'need_confirmed', attachmentId: a.attachments.repProof }] },
    'POST /api/v1/opportunities/:id/team': { userId: a.users.presales.id, teamRole: 'presales' },
    'POST /api/v1/org-units': { parentId: a.units.sales1, name: '新组', type: 'team' },
    'PATCH /api/v1/org-units/:id': { version: 1, parentId: a.units.sales2 },
    'POST /api/v1/territories': { province: '云南省', userId: a.users.rep.id },
    'PATCH /api/v1/territories/:id': { version: 1, userId: a.users.rep.id },
    'POST /api/v1/users': { email: 'new.user@ids.test', name: '新人', role: 'rep', orgUnitId: a.units.sales2, password: 'password-123' },
    'PATCH /api/v1/users/:id': { version: 1, orgUnitId: a.units.sales2 },
    'PUT /api/v1/quotas': { fiscalYear: 2026, reason: '年度目标', items: [{ subjectType: 'user', subjectId: a.users.rep.id, amount: 100 }] },
    'PUT /api/v1/sales-processes/:id/stage-order': { version: 1, stages: s.map((id) => ({ id })) },
    'POST /api/v1/tasks': { title: '回访', dueDate: '2027-01-04', assigneeId: a.users.rep.id, accountId: a.accounts.repAccount, opportunityId: a.opportunities.repOpp },
    'POST /api/v1/tasks/:id/reassign': { version: 1, assigneeId: a.users.manager.id },
    'PUT /api/v1/weekly-reports/plan': { week: '2026-12-07', version: 0, deals: [{ opportunityId: a.opportunities.repOpp }] },
    'POST /api/v1/forecasts/submissions': { deals: [{ opportunityId: a.opportunities.repOpp, category: 'commit', amount: 1 }] },
    'PUT /api/v1/forecasts/adjustments': { unitId: a.units.sales1, amount: 1 },
    'POST /api/v1/accounts/:id/activities': { type: 'visit', opportunityId: a.opportunities.repOpp, contactIds: [a.contacts.repContact], ownerId: a.users.rep.id },
    'PATCH /api/v1/activities/:id': { version: 1, opportunityId: a.opportunities.repOpp, contactIds: [a.contacts.repContact], ownerId: a.users.rep.id },
    'PUT /api/v1/activities/:id/review': { version: 1, review: { objectives: [], nextSteps: [{ title: '报价', dueDate: '2027-01-15', assigneeId: a.users.rep.id }] } },
    'POST /api/v1/activities/:id/attachments': { version: 1, attachmentId: a.attachments.repProof },
  };
  const body = bodies[`${r.method} ${r.url}`];
  if (!body) throw new Error(`no valid body for ${r.method} ${r.url}: add one to bodyFor() in ${import.meta.filename}`);
  return structuredClone(body) as Record<string, unknown>;
}

/** The path with workspace A's record in place of each parameter. */
function urlFor(r: ApiRoute, a: World): string {
  const byPrefix: [string, number][] = [
    ['/api/v1/accounts/:id', a.accounts.repAccount], ['/api/v1/buying-roles/:id', a.buyingRoles.repRole], ['/api/v1/contacts/:id', a.contacts.repContact],
    ['/api/v1/handovers/:id', a.handover.id], ['/api/v1/opportunities/:id', a.opportunities.repOpp], ['/api/v1/org-units/:id', a.units.sales1],
    ['/api/v1/territories/:id', a.territories.repRule], ['/api/v1/users/:id', a.users.rep2.id], ['/api/v1/sales-processes/:id', a.processes.small.id],
    ['/api/v1/tasks/:id', a.tasks.repTask], ['/api/v1/activities/:id', a.activities.repVisit],
  ];
  const id = r.url.endsWith('/assign') ? a.accounts.poolAccount : byPrefix.find(([p]) => r.url.startsWith(p))?.[1];
  return r.url.replace(':id', String(id)).replace(':itemId', String(a.handover.itemId));
}

/** Sets `path` (with `*` meaning the first element) in a body, making the arrays it needs. */
function setPath(body: Record<string, unknown>, path: string, value: number) {
  const keys = path.split('.');
  let node: Record<string, unknown> | unknown[] = body;
  keys.forEach((k, i) => {
    const key = k === '*' ? 0 : k;
    const last = i === keys.length - 1;
    const target = node as Record<string | number, unknown>;
    if (last) target[key] = path.endsWith('Ids') ? [value] : value;
    else {
      target[key] ??= keys[i + 1] === '*' ? [] : {};
      if (keys[i + 1] === '*' && (target[key] as unknown[]).length === 0) (target[key] as unknown[]).push({});
      node = target[key] as Record<string, unknown>;
    }
  });
}

/** Nothing of workspace A is shown: an empty page, empty board, header-only file, or a refusal. */
function showsNothing(res: LightMyRequestResponse): boolean {
  if (res.statusCode === 400 || res.statusCode === 404) return true;
  if (res.statusCode !== 200) return false;
  if (String(res.headers['content-type']).startsWith('text/csv')) return res.body.replace(/^\uFEFF/, '').trim().split('\n').length <= 1;
  const b = json<{ items?: unknown[]; total?: number; columns?: { count: number }[]; byTier?: unknown[] }>(res);
  if (b.columns) return b.columns.every((c) => c.count === 0);
  if (b.items) return b.items.length === 0;
  return JSON.stringify(b).match(/"count":[1-9]/) === null;
}

const fieldsOf = (res: LightMyRequestResponse) => (json<{ errors?: { field: string }[] }>(res).errors ?? []).map((e) => e.field);

for (const engine of testEngines()) {
  describe(`ids in bodies and query strings [${engine}]`, () => {
    let t: TestApp;
    let a: World;
    let b: World;
    let adminA: Call;
    /** Routes only sellers may call (admins own no deals) go as workspace A's rep, with the rep's own deal. */
    let repA: Call;
    const callerFor = (r: ApiRoute) => (r.url === '/api/v1/forecasts/submissions' ? repA : adminA);
    const world = async (label: string): Promise<World> => {
      const f = await seedWorkspace(t, label);
      const x = await seedExtras(t, f);
      const admin = client(t, await sessionCookie(t, f.workspaceId, f.users.admin.id));
      const h = json<{ id: number; items: { id: number }[] }>(await admin('POST', '/api/v1/handovers', { fromUserId: f.users.rep.id }));
      return { ...f, ...x, handover: { id: h.id, itemId: h.items[0]!.id } };
    };
    before(async () => {
      t = await createTestApp(engine);
      a = await world('ids-a');
      b = await world('ids-b');
      adminA = client(t, await sessionCookie(t, a.workspaceId, a.users.admin.id));
      repA = client(t, await sessionCookie(t, a.workspaceId, a.users.rep.id));
    });
    after(() => t.close());

    const snapshotA = async () => {
      const k = t.db.kysely;
      const tables = ['accounts', 'contacts', 'buying_roles', 'opportunities', 'opportunity_team', 'org_units', 'users', 'territory_rules', 'handover_items', 'process_stages', 'attachments', 'activities'] as const;
      const out: Record<string, unknown> = {};
      for (const table of tables) out[table] = await k.selectFrom(table).selectAll().where('workspace_id', '=', a.workspaceId).execute();
      return out;
    };

    it('refuses another workspace\'s id in every body field, naming it, and writes nothing', async () => {
      const before = await snapshotA();
      const cases = t.app.apiRoutes.flatMap((r) => idFields(r.schema.body).map((field) => ({ r, field })));
      assert.ok(cases.length >= 30, `found ${cases.length} id fields in bodies`);
      const failures: string[] = [];
      for (const { r, field } of cases) {
        const body = bodyFor(r, a);
        setPath(body, field, idOfKind(field, b));
        const res = await callerFor(r)(r.method as 'POST', urlFor(r, a), body);
        const top = field.split('.')[0]!;
        const named = fieldsOf(res).some((f) => f === field.replace(/\*/g, '0') || f.split('.')[0] === top);
        if (!((res.statusCode === 400 || res.statusCode === 404) && named)) failures.push(`${r.method} ${r.url} body.${field}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
      assert.deepEqual(failures, []);
      assert.deepEqual(await snapshotA(), before, 'workspace A unchanged');
    });

    it('finds nothing through another workspace\'s id in any query-string field', async () => {
      const cases = t.app.apiRoutes.filter((r) => r.method === 'GET').flatMap((r) => idFields(r.schema.querystring).map((field) => ({ r, field })));
      assert.ok(cases.length >= 20, `found ${cases.length} id fields in query strings`);
      const failures: string[] = [];
      for (const { r, field } of cases) {
        const extra = r.url.endsWith('/export') ? '&format=csv' : r.url.endsWith('/board') && field !== 'processId' ? `&processId=${a.processes.small.id}` : r.url.endsWith('/quotas/history') ? '&subjectType=user' : '';
        const res = await adminA('GET', `${urlFor(r, a)}?${field}=${idOfKind(field, b)}${extra}`);
        if (!showsNothing(res)) failures.push(`${r.method} ${r.url} query.${field}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
      assert.deepEqual(failures, []);
    });

    describe('a deal\'s buying roles follow the deal, not only its account', () => {
      let hiddenOpp: number;
      let hiddenRole: number;
      let rep: Call;
      before(async () => {
        // The manager's own deal on the rep's account: the rep sees the account, not the deal.
        const k = t.db.kysely;
        const now = Date.now();
        hiddenOpp = (await k.insertInto('opportunities').values({
          workspace_id: a.workspaceId, account_id: a.accounts.repAccount, name: '总部直签', owner_id: a.users.manager.id, org_unit_id: a.units.shanghai, amount: 1, status: 'open',
          expected_close_date: '2027-01-31', process_id: a.processes.small.id, stage_id: a.processes.small.stageIds[0]!, stage_entered_at: now, created_at: now, updated_at: now, version: 1,
        }).returning('id').executeTakeFirstOrThrow()).id;
        hiddenRole = (await k.insertInto('buying_roles').values({
          workspace_id: a.workspaceId, account_id: a.accounts.repAccount, opportunity_id: hiddenOpp, contact_id: a.contacts.repContact, role: 'finance',
          attitude: 'opposes', influence: 'high', relationship: 1, notes: '只有经理知道', created_at: now, updated_at: now, version: 1,
        }).returning('id').executeTakeFirstOrThrow()).id;
        rep = client(t, await sessionCookie(t, a.workspaceId, a.users.rep.id));
        assert.equal((await rep('GET', `/api/v1/accounts/${a.accounts.repAccount}`)).statusCode, 200, 'the rep sees the account');
        assert.equal((await rep('GET', `/api/v1/opportunities/${hiddenOpp}`)).statusCode, 404, 'but not the deal');
      });

      it('does not list or map them for someone who cannot see the deal (404 naming the query field)', async () => {
        for (const url of [`/api/v1/accounts/${a.accounts.repAccount}/buying-roles?opportunityId=${hiddenOpp}`, `/api/v1/accounts/${a.accounts.repAccount}/relationship-map?opportunityId=${hiddenOpp}`]) {
          const res = await rep('GET', url);
          assert.equal(res.statusCode, 404, `${url}: ${res.body}`);
          assert.deepEqual(fieldsOf(res), ['query.opportunityId']);
          assert.doesNotMatch(res.body, /只有经理知道/);
        }
        // The manager over it still reads them; the rep still reads the roles of a deal of theirs.
        const manager = client(t, await sessionCookie(t, a.workspaceId, a.users.manager.id));
        const seen = await manager('GET', `/api/v1/accounts/${a.accounts.repAccount}/buying-roles?opportunityId=${hiddenOpp}`);
        assert.equal(seen.statusCode, 200, seen.body);
        assert.deepEqual(json<{ items: { id: number }[] }>(seen).items.map((x) => x.id), [hiddenRole]);
        assert.equal((await rep('GET', `/api/v1/accounts/${a.accounts.repAccount}/relationship-map?opportunityId=${a.opportunities.repOpp}`)).statusCode, 200);
      });

      it('does not let them be changed, removed or added to through the account', async () => {
        const patch = await rep('PATCH', `/api/v1/buying-roles/${hiddenRole}`, { version: 1, attitude: 'supports' });
        assert.equal(patch.statusCode, 404, patch.body);
        assert.equal((await rep('DELETE', `/api/v1/buying-roles/${hiddenRole}`)).statusCode, 404);
        const add = await rep('POST', '/api/v1/buying-roles', { contactId: a.contacts.repContact, opportunityId: hiddenOpp, role: 'user' });
        assert.equal(add.statusCode, 400, add.body);
        assert.deepEqual(fieldsOf(add), ['opportunityId']);
        const rows = await t.db.kysely.selectFrom('buying_roles').select(['id', 'attitude', 'version']).where('opportunity_id', '=', hiddenOpp).execute();
        assert.deepEqual(rows, [{ id: hiddenRole, attitude: 'opposes', version: 1 }]);
      });

      it('refuses the caller\'s own workspace\'s ids that lie out of their reach, naming the field', async () => {
        const cases: [string, string, Record<string, unknown>, string][] = [
          ['POST', '/api/v1/accounts', { name: '杭州海康威视数字技术股份有限公司', allowSimilarName: true, referrerAccountId: a.accounts.rep2Account }, 'referrerAccountId'],
          ['PATCH', `/api/v1/accounts/${a.accounts.repAccount}`, { version: 1, referrerAccountId: a.accounts.rep2Account }, 'referrerAccountId'],
          ['POST', '/api/v1/contacts', { accountId: a.accounts.rep2Account, name: '王五' }, 'accountId'],
          ['POST', '/api/v1/opportunities', { accountId: a.accounts.rep2Account, name: 'x', processId: a.processes.small.id, amount: 1, expectedCloseDate: '2027-01-31' }, 'accountId'],
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
