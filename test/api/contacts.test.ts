import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';

interface Contact {
  id: number;
  accountId: number;
  name: string;
  reportsToId: number | null;
  archived: boolean;
  version: number;
}
interface Role {
  id: number;
  contactId: number;
  role: string;
  attitude: string;
  influence: string;
  relationship: number;
  holderUserId: number | null;
  holderName: string | null;
  version: number;
}
interface MapResult {
  contacts: (Contact & { roles: Role[] })[];
  holders: { userId: number; name: string }[];
  gaps: { kind: string; role: string; contactId?: number }[];
  coverage: number;
}
type Problem = { code: string; errors?: { field: string; message: string }[] };

for (const engine of testEngines()) {
  describe(`contacts, buying roles and the relationship map [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let rep: Call;
    let rep2: Call;
    let manager: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'con');
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      rep2 = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep2.id));
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
    });
    after(() => testApp.close());

    const add = async (name: string, extra: Record<string, unknown> = {}) => {
      const res = await rep('POST', '/api/v1/contacts', { accountId: fixture.accounts.repAccount, name, ...extra });
      assert.equal(res.statusCode, 201, res.body);
      return json<Contact>(res);
    };

    it('adds contacts with the fields of docs/archive.md § Buying roles and a reporting line', async () => {
      const boss = await add('孟总', {
        title: '总经理',
        mobile: '13800000000',
        email: 'Meng@Example.cn',
        wechat: 'meng_wx',
        birthday: '1970-05-01',
        notes: '喜欢打羽毛球',
      });
      const cto = await add('李工', { title: '技术总监', reportsToId: boss.id });
      assert.equal(cto.reportsToId, boss.id);
      const list = json<{ items: Contact[]; total: number }>(
        await rep('GET', `/api/v1/contacts?accountId=${fixture.accounts.repAccount}`),
      );
      assert.deepEqual(list.items.map((c) => c.name).sort(), ['任正', '孟总', '李工'].sort());
    });

    it('refuses a reports-to cycle, a manager from another account, bad emails and dates — naming the field', async () => {
      const contactA = await add('甲');
      const contactB = await add('乙', { reportsToId: contactA.id });
      const contactC = await add('丙', { reportsToId: contactB.id });
      const cycle = await rep('PATCH', `/api/v1/contacts/${contactA.id}`, {
        version: contactA.version,
        reportsToId: contactC.id,
      });
      assert.equal(cycle.statusCode, 400);
      assert.equal(json<Problem>(cycle).code, 'reporting_cycle');
      assert.equal(json<Problem>(cycle).errors![0]!.field, 'reportsToId');
      const self = await rep('PATCH', `/api/v1/contacts/${contactA.id}`, {
        version: contactA.version,
        reportsToId: contactA.id,
      });
      assert.equal(json<Problem>(self).code, 'reporting_cycle');
      const other = await testApp.db.kysely
        .insertInto('contacts')
        .values({
          workspace_id: fixture.workspaceId,
          account_id: fixture.accounts.rep2Account,
          name: '外人',
          created_at: 1,
          updated_at: 1,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const foreign = await rep('PATCH', `/api/v1/contacts/${contactA.id}`, {
        version: contactA.version,
        reportsToId: other.id,
      });
      assert.equal(json<Problem>(foreign).errors![0]!.field, 'reportsToId');
      for (const [body, field] of [
        [{ email: 'nope' }, 'email'],
        [{ birthday: '1970-13-45' }, 'birthday'],
        [{ name: '' }, 'name'],
      ] as const) {
        const res = await rep('PATCH', `/api/v1/contacts/${contactA.id}`, { version: contactA.version, ...body });
        assert.equal(res.statusCode, 400);
        assert.equal(json<Problem>(res).errors![0]!.field, field);
      }
      const unchanged = json<Contact>(await rep('GET', `/api/v1/contacts/${contactA.id}`));
      assert.equal(unchanged.version, contactA.version);
      assert.equal(unchanged.reportsToId, null);
    });

    it('only lets people who can edit the account touch its contacts, and only managers archive', async () => {
      const contact = await add('丁');
      assert.equal((await rep2('GET', `/api/v1/contacts/${contact.id}`)).statusCode, 404);
      assert.equal(
        (await rep2('PATCH', `/api/v1/contacts/${contact.id}`, { version: contact.version, name: 'x' })).statusCode,
        404,
      );
      const create = await rep2('POST', '/api/v1/contacts', { accountId: fixture.accounts.repAccount, name: 'x' });
      assert.equal(create.statusCode, 400);
      assert.equal(json<Problem>(create).errors![0]!.field, 'accountId');
      assert.equal(
        (await rep('POST', `/api/v1/contacts/${contact.id}/archive`, { version: contact.version })).statusCode,
        403,
      );
      const archived = json<Contact>(
        await manager('POST', `/api/v1/contacts/${contact.id}/archive`, { version: contact.version }),
      );
      assert.equal(archived.archived, true);
      assert.ok(
        !json<{ items: Contact[] }>(
          await rep('GET', `/api/v1/contacts?accountId=${fixture.accounts.repAccount}`),
        ).items.some((x) => x.id === contact.id),
      );
    });

    it('gives contacts buying roles with attitude, influence, degree and our holder', async () => {
      const contact = await add('财务赵总', { title: '财务总监' });
      const res = await rep('POST', '/api/v1/buying-roles', {
        contactId: contact.id,
        role: 'finance',
        attitude: 'supports',
        influence: 'medium',
        relationship: 4,
        holderUserId: fixture.users.rep.id,
      });
      assert.equal(res.statusCode, 201, res.body);
      const role = json<Role>(res);
      assert.equal(role.holderName, 'rep con');
      assert.equal(
        (await rep('POST', '/api/v1/buying-roles', { contactId: contact.id, role: 'finance' })).statusCode,
        409,
      );
      const bad = await rep('POST', '/api/v1/buying-roles', {
        contactId: contact.id,
        role: 'user',
        relationship: 6,
        holderUserId: 999999,
      });
      assert.equal(bad.statusCode, 400);
      assert.ok(json<Problem>(bad).errors!.some((e) => e.field === 'relationship'));
      const badHolder = await rep('POST', '/api/v1/buying-roles', {
        contactId: contact.id,
        role: 'user',
        holderUserId: 999999,
      });
      assert.equal(json<Problem>(badHolder).errors![0]!.field, 'holderUserId');
      const badOpp = await rep('POST', '/api/v1/buying-roles', {
        contactId: contact.id,
        role: 'user',
        opportunityId: 999999,
      });
      assert.equal(json<Problem>(badOpp).errors![0]!.field, 'opportunityId');
      const updated = json<Role>(
        await rep('PATCH', `/api/v1/buying-roles/${role.id}`, { version: role.version, attitude: 'opposes' }),
      );
      assert.equal(updated.attitude, 'opposes');
      assert.equal(
        (await rep('PATCH', `/api/v1/buying-roles/${role.id}`, { version: role.version, attitude: 'neutral' }))
          .statusCode,
        409,
      );
      assert.equal((await rep2('DELETE', `/api/v1/buying-roles/${role.id}`)).statusCode, 404);
    });

    it('keeps roles per opportunity apart from account-level roles', async () => {
      const now = Date.now();
      const opp = await testApp.db.kysely
        .insertInto('opportunities')
        .values({
          workspace_id: fixture.workspaceId,
          account_id: fixture.accounts.repAccount,
          name: 'MES 二期',
          owner_id: fixture.users.rep.id,
          org_unit_id: fixture.units.sales1,
          amount: 100,
          status: 'open',
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const res = await rep('POST', '/api/v1/buying-roles', {
        contactId: fixture.contacts.repContact,
        role: 'decision_maker',
        opportunityId: opp.id,
        attitude: 'supports',
        relationship: 5,
      });
      assert.equal(res.statusCode, 201, 'same contact and role, but on the opportunity');
      const onOpp = json<{ items: Role[] }>(
        await rep('GET', `/api/v1/accounts/${fixture.accounts.repAccount}/buying-roles?opportunityId=${opp.id}`),
      ).items;
      assert.deepEqual(
        onOpp.map((r) => [r.contactId, r.role, r.relationship]),
        [[fixture.contacts.repContact, 'decision_maker', 5]],
      );
      const atAccount = json<{ items: Role[] }>(
        await rep('GET', `/api/v1/accounts/${fixture.accounts.repAccount}/buying-roles`),
      ).items;
      assert.ok(atAccount.some((r) => r.contactId === fixture.contacts.repContact && r.relationship === 2));
    });

    it('draws the relationship map with reporting lines, holders, gaps and a coverage score', async () => {
      const map = json<MapResult>(await rep('GET', `/api/v1/accounts/${fixture.accounts.repAccount}/relationship-map`));
      const boss = map.contacts.find((c) => c.name === '孟总')!;
      assert.ok(map.contacts.find((c) => c.name === '李工')!.reportsToId === boss.id);
      const ren = map.contacts.find((c) => c.id === fixture.contacts.repContact)!;
      assert.deepEqual(
        ren.roles.map((r) => r.role),
        ['decision_maker'],
        'account-level roles only',
      );
      assert.ok(map.holders.some((h) => h.userId === fixture.users.rep.id));
      const kinds = map.gaps.map((g) => `${g.kind}:${g.role}`);
      assert.ok(kinds.includes('weak_high_influence:decision_maker'), 'decision maker at degree 2');
      assert.ok(kinds.includes('opponent:finance'));
      assert.ok(
        kinds.includes('missing_role:technical') &&
          kinds.includes('missing_role:user') &&
          kinds.includes('missing_role:supporter'),
      );
      assert.ok(map.coverage > 0 && map.coverage < 100);
      assert.equal(
        (await rep2('GET', `/api/v1/accounts/${fixture.accounts.repAccount}/relationship-map`)).statusCode,
        404,
      );
    });

    it('finds contacts by Chinese substrings across visible accounts only', async () => {
      const hits = json<{ items: Contact[] }>(
        await rep('GET', `/api/v1/contacts?q=${encodeURIComponent('赵总')}`),
      ).items;
      assert.deepEqual(
        hits.map((c) => c.name),
        ['财务赵总'],
      );
      assert.equal(
        json<{ total: number }>(await rep2('GET', `/api/v1/contacts?q=${encodeURIComponent('赵总')}`)).total,
        0,
      );
    });

    it('keeps saved views personal', async () => {
      const view = json<{ id: number; version: number; query: Record<string, string> }>(
        await rep('POST', '/api/v1/saved-views', {
          area: 'accounts',
          name: '我的A类',
          query: { tier: 'A', sort: '-updatedAt' },
        }),
      );
      assert.deepEqual(view.query, { tier: 'A', sort: '-updatedAt' });
      assert.equal(
        (await rep('POST', '/api/v1/saved-views', { area: 'accounts', name: '我的A类', query: {} })).statusCode,
        409,
      );
      assert.ok(
        json<{ items: { id: number }[] }>(await rep('GET', '/api/v1/saved-views?area=accounts')).items.some(
          (x) => x.id === view.id,
        ),
      );
      assert.equal(
        json<{ items: unknown[] }>(await manager('GET', '/api/v1/saved-views?area=accounts')).items.length,
        0,
      );
      assert.equal((await manager('DELETE', `/api/v1/saved-views/${view.id}`)).statusCode, 404);
      assert.equal(
        (await rep('PATCH', `/api/v1/saved-views/${view.id}`, { version: view.version, name: '重点' })).statusCode,
        200,
      );
      assert.equal((await rep('DELETE', `/api/v1/saved-views/${view.id}`)).statusCode, 204);
    });
  });
}
