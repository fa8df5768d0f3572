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

interface Row {
  id: number;
  name: string;
  accountId: number;
  accountName: string;
  accountTier: string;
  accountOwnerId: number | null;
  accountOwnerName: string | null;
}
type Page = { items: Row[]; total: number };

/** The contact list (docs/archive.md § Contacts list): filters by contact and account, scoped by reach, same rows exported. */
for (const engine of testEngines()) {
  describe(`contact list [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let other: Fixture;
    let rep: Call;
    let manager: Call;
    let admin: Call;
    const ids: Record<string, number> = {};
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'cl');
      other = await seedWorkspace(testApp, 'clx');
      const kysely = testApp.db.kysely;
      const now = Date.now();
      await kysely.updateTable('accounts').set({ tier: 'A' }).where('id', '=', fixture.accounts.rep2Account).execute();
      await kysely.updateTable('users').set({ can_export: 1 }).where('id', '=', fixture.users.admin.id).execute();
      const add = async (
        key: string,
        accountId: number,
        name: string,
        extra: Record<string, unknown> = {},
        ws = fixture.workspaceId,
      ) => {
        ids[key] = (
          await kysely
            .insertInto('contacts')
            .values({
              workspace_id: ws,
              account_id: accountId,
              name,
              created_at: now,
              updated_at: now,
              version: 1,
              ...extra,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      };
      await add('phone', fixture.accounts.repAccount, '王芳', { mobile: '13900000001', department: '采购部' });
      await add('cfo', fixture.accounts.rep2Account, '李娜', { title: '财务总监' });
      await add('old', fixture.accounts.repAccount, '赵旧', { archived_at: now });
      await add('foreign', other.accounts.repAccount, '外人王');
      await kysely
        .insertInto('buying_roles')
        .values({
          workspace_id: fixture.workspaceId,
          account_id: fixture.accounts.rep2Account,
          contact_id: ids.cfo!,
          role: 'finance',
          attitude: 'neutral',
          influence: 'high',
          relationship: 2,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
    });
    after(() => testApp.close());

    const names = async (call: Call, query: string) => {
      const res = await call('GET', `/api/v1/contacts?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<Page>(res)
        .items.map((c) => c.name)
        .sort();
    };

    it("lists every visible contact with its account's tier and owner, and nothing of other workspaces", async () => {
      const all = json<Page>(await admin('GET', '/api/v1/contacts?limit=100'));
      assert.deepEqual(all.items.map((c) => c.name).sort(), ['任正', '李娜', '王芳'].sort());
      const cfo = all.items.find((c) => c.id === ids.cfo)!;
      assert.equal(cfo.accountTier, 'A');
      assert.equal(cfo.accountOwnerId, fixture.users.rep2.id);
      assert.ok(cfo.accountOwnerName);
    });

    it('is scoped by reach: a rep sees the contacts of their own accounts only, a manager their subtree', async () => {
      assert.deepEqual(await names(rep, ''), ['任正', '王芳'].sort());
      // The manager runs 上海分公司; 李娜's account belongs to 广州.
      assert.deepEqual(await names(manager, ''), ['任正', '王芳'].sort());
      assert.deepEqual(await names(rep, `ownerId=${fixture.users.rep2.id}`), []);
    });

    it('filters by account owner, unit, tier, buying role, phone and archive state', async () => {
      assert.deepEqual(await names(admin, `ownerId=${fixture.users.rep2.id}`), ['李娜']);
      assert.deepEqual(await names(admin, `orgUnitId=${fixture.units.shanghai}`), ['任正', '王芳'].sort());
      assert.deepEqual(await names(admin, 'tier=A'), ['李娜']);
      assert.deepEqual(await names(admin, 'role=finance'), ['李娜']);
      assert.deepEqual(await names(admin, 'role=decision_maker'), ['任正']);
      assert.deepEqual(await names(admin, 'hasPhone=true'), ['王芳']);
      assert.deepEqual(await names(admin, 'hasPhone=false'), ['任正', '李娜'].sort());
      assert.deepEqual(await names(admin, 'archived=true'), ['赵旧']);
      assert.deepEqual(await names(admin, 'q=采购'), ['任正']);
      assert.deepEqual(await names(admin, 'q=财务'), ['李娜']);
      assert.equal((await admin('GET', '/api/v1/contacts?role=boss')).statusCode, 400);
    });

    it('sorts by account name as well as by name', async () => {
      const res = json<Page>(await admin('GET', '/api/v1/contacts?sort=-accountName'));
      const accounts = res.items.map((c) => c.accountName);
      assert.deepEqual(accounts, [...accounts].sort().reverse());
    });

    it('exports the same rows the filters show, and audits the filter', async () => {
      const res = await admin('GET', '/api/v1/contacts/export?tier=A&format=csv');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['x-export-rows'], '1');
      assert.match(res.body, /李娜/);
      assert.doesNotMatch(res.body, /王芳/);
      const audit = await testApp.db.kysely
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'export.contacts')
        .executeTakeFirstOrThrow();
      assert.equal((JSON.parse(audit.detail!) as { filter: { tier: string } }).filter.tier, 'A');
    });

    it('saves a view of the contact list for its owner only', async () => {
      const res = await rep('POST', '/api/v1/saved-views', {
        area: 'contacts',
        name: '有电话',
        query: { hasPhone: 'true' },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(
        json<{ items: { name: string }[] }>(await rep('GET', '/api/v1/saved-views?area=contacts')).items.map(
          (v) => v.name,
        ),
        ['有电话'],
      );
      assert.deepEqual(json<{ items: unknown[] }>(await manager('GET', '/api/v1/saved-views?area=contacts')).items, []);
    });
  });
}
