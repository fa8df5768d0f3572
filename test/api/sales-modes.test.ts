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
import type { OrgUnit } from '../../src/contracts/org.ts';
import type { Account } from '../../src/contracts/accounts.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { ImportJob as Job } from '../../src/contracts/imports.ts';
import { commitImport, uploadImport, validateImport } from '../helpers/imports.ts';

/** The fields of a suggested mapping that no column took. */
const nullsFor = (mapping: Record<string, number | null>) =>
  Object.fromEntries(Object.entries(mapping).filter(([, column]) => column === null));

/** Sales modes and the routing of named accounts to the key-account team (SPEC §2, docs/organisation.md § Sales modes). */
for (const engine of testEngines()) {
  describe(`sales modes [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let admin: Call;
    let manager: Call;
    let team: OrgUnit;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'modes');
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
    });
    after(() => testApp.close());

    it('a unit works by territory unless it or an ancestor says key account; an administrator sets it, audited', async () => {
      const units = json<{ items: OrgUnit[] }>(await admin('GET', '/api/v1/org-units')).items;
      assert.ok(units.every((unit) => unit.salesMode === null && unit.effectiveSalesMode === 'territory'));
      const created = await admin('POST', '/api/v1/org-units', {
        parentId: fixture.units.shanghai,
        name: '大客户部',
        type: 'department',
        salesMode: 'key_account',
      });
      assert.equal(created.statusCode, 201, created.body);
      team = json<OrgUnit>(created);
      assert.deepEqual([team.salesMode, team.effectiveSalesMode], ['key_account', 'key_account']);
      const sub = json<OrgUnit>(
        await admin('POST', '/api/v1/org-units', { parentId: team.id, name: '金融组', type: 'team' }),
      );
      assert.deepEqual([sub.salesMode, sub.effectiveSalesMode], [null, 'key_account'], 'inherited from its parent');
      const bad = await admin('POST', '/api/v1/org-units', {
        parentId: team.id,
        name: '错误',
        type: 'team',
        salesMode: 'well_field',
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(json<Problem>(bad).errors![0]!.field, 'salesMode');
      const sales2 = json<OrgUnit>(await admin('GET', `/api/v1/org-units/${fixture.units.sales2}`));
      const changed = await admin('PATCH', `/api/v1/org-units/${sales2.id}`, {
        version: sales2.version,
        salesMode: 'territory',
      });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal(json<OrgUnit>(changed).salesMode, 'territory');
      const audit = await testApp.db.kysely
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'org.update')
        .where('target_id', '=', sales2.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(audit.detail!).to.salesMode, 'territory');
      const byManager = await manager('PATCH', `/api/v1/org-units/${sales2.id}`, {
        version: json<OrgUnit>(changed).version,
        salesMode: 'key_account',
      });
      assert.equal(byManager.statusCode, 403);
    });

    it('a named account goes to the key-account team: into its pool, the owner change logged', async () => {
      const id = fixture.accounts.repAccount;
      const before = json<Account>(await manager('GET', `/api/v1/accounts/${id}`));
      assert.equal(before.ownerId, fixture.users.rep.id);
      const res = await manager('PUT', `/api/v1/accounts/${id}/named`, { version: before.version, named: true });
      assert.equal(res.statusCode, 200, res.body);
      const after = json<Account>(res);
      assert.deepEqual([after.named, after.ownerId, after.orgUnitId, after.inPool], [true, null, team.id, true]);
      const history = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['field', 'old_value', 'new_value', 'reason'])
        .where('entity_id', '=', id)
        .where('field', '=', 'owner')
        .execute();
      assert.deepEqual(
        history.map((row) => [row.old_value, row.new_value, row.reason]),
        [[String(fixture.users.rep.id), null, 'key_account_team']],
      );
      // Unmarking does not move it back: the team's manager decides who keeps it.
      const unmarked = await manager('PUT', `/api/v1/accounts/${id}/named`, { version: after.version, named: false });
      assert.equal(json<Account>(unmarked).orgUnitId, team.id);
    });

    it('an account created named goes to the key-account team at once; a non-named one stays by territory or with its creator; reps cannot create one named', async () => {
      const rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      const created = await manager('POST', '/api/v1/accounts', { name: '指名新建测试有限公司', named: true });
      assert.equal(created.statusCode, 201, created.body);
      const named = json<Account>(created);
      assert.deepEqual([named.named, named.ownerId, named.orgUnitId, named.inPool], [true, null, team.id, true]);
      const history = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['old_value', 'new_value', 'reason'])
        .where('entity_id', '=', named.id)
        .where('field', '=', 'owner')
        .execute();
      assert.deepEqual(
        history.map((row) => [row.old_value, row.new_value, row.reason]),
        [[null, null, 'key_account_team']],
      );
      const plain = json<Account>(await manager('POST', '/api/v1/accounts', { name: '普通新建测试有限公司' }));
      assert.deepEqual(
        [plain.named, plain.ownerId, plain.inPool],
        [false, fixture.users.manager.id, false],
        'not named: nothing routes it to the team',
      );
      const byRep = await rep('POST', '/api/v1/accounts', { name: '代表指名测试有限公司', named: true });
      assert.equal(byRep.statusCode, 403, byRep.body);
      const count = await testApp.db.kysely
        .selectFrom('accounts')
        .select('id')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('name', '=', '代表指名测试有限公司')
        .execute();
      assert.equal(count.length, 0, 'refused before anything is written');
    });

    it('an import with a named account routes it like POST /accounts does; a not-named row keeps its owner; a rep cannot import one named', async () => {
      const ownerOf = async (name: string) =>
        testApp.db.kysely
          .selectFrom('accounts')
          .select(['id', 'owner_id', 'org_unit_id', 'in_pool', 'named_account'])
          .where('workspace_id', '=', fixture.workspaceId)
          .where('name', '=', name)
          .executeTakeFirstOrThrow();
      const ownerHistory = async (id: number) =>
        (
          await testApp.db.kysely
            .selectFrom('record_history')
            .select(['old_value', 'new_value', 'reason'])
            .where('entity_id', '=', id)
            .where('entity_type', '=', 'account')
            .where('field', '=', 'owner')
            .execute()
        ).map((row) => [row.old_value, row.new_value, row.reason]);
      // The same account created through the API: what the import must do with its named row.
      const viaApi = json<Account>(
        await manager('POST', '/api/v1/accounts', {
          name: '指名接口对照有限公司',
          named: true,
          ownerId: fixture.users.rep.id,
        }),
      );
      const csv = [
        '客户名称,负责人邮箱,指名客户',
        `指名导入测试有限公司,${fixture.users.rep.email},是`,
        `普通导入测试有限公司,${fixture.users.rep.email},否`,
        `空白导入测试有限公司,${fixture.users.rep.email},`,
      ].join('\n');
      const uploaded = json<Job>(await uploadImport(manager, 'accounts', csv));
      assert.deepEqual(uploaded.suggestedMapping, {
        name: 0,
        ownerEmail: 1,
        named: 2,
        ...nullsFor(uploaded.suggestedMapping),
      });
      const checked = await validateImport(manager, uploaded.id, {
        mapping: uploaded.suggestedMapping,
        duplicateMode: 'skip',
      });
      assert.equal(checked.errorCount, 0, JSON.stringify(checked));
      const done = await commitImport(manager, uploaded.id);
      assert.equal(done.status, 'committed', JSON.stringify(done));
      const named = await ownerOf('指名导入测试有限公司');
      const api = await ownerOf(viaApi.name);
      assert.deepEqual(
        [named.owner_id, named.org_unit_id, named.in_pool, named.named_account],
        [api.owner_id, api.org_unit_id, api.in_pool, api.named_account],
        'the named row lands where the API puts a named account',
      );
      assert.deepEqual([named.owner_id, named.org_unit_id, named.in_pool], [null, team.id, 1]);
      assert.deepEqual(await ownerHistory(named.id), await ownerHistory(api.id));
      assert.deepEqual(await ownerHistory(named.id), [[null, null, 'key_account_team']]);
      for (const name of ['普通导入测试有限公司', '空白导入测试有限公司']) {
        const plain = await ownerOf(name);
        assert.deepEqual(
          [plain.owner_id, plain.org_unit_id, plain.in_pool, plain.named_account],
          [fixture.users.rep.id, fixture.units.sales1, 0, 0],
          `${name}: not named, the owner the file names as before`,
        );
        assert.deepEqual(await ownerHistory(plain.id), [[null, String(fixture.users.rep.id), 'import']]);
      }
      // A rep: a named row is refused (the API answers 403), a bad yes/no is named, a "no" is fine.
      const rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      const byRep = json<Job>(
        await uploadImport(
          rep,
          'accounts',
          '客户名称,指名客户\n代表指名导入有限公司,是\n代表普通导入有限公司,否\n代表乱填导入有限公司,也许\n',
        ),
      );
      const repChecked = await validateImport(rep, byRep.id, {
        mapping: byRep.suggestedMapping,
        duplicateMode: 'skip',
      });
      assert.equal(repChecked.errorCount, 2);
      const errors = json<{ items: { rowNo: number; problems: { field: string; code: string }[] }[] }>(
        await rep('GET', `/api/v1/imports/${byRep.id}/errors`),
      ).items;
      assert.deepEqual(
        errors.map((row) => [row.rowNo, row.problems.map((problem) => `${problem.field}:${problem.code}`)]),
        [
          [2, ['named:named_needs_manager']],
          [4, ['named:not_yes_no']],
        ],
      );
    });

    it('the only team takes named accounts from anywhere; with no team, a named account stays where it is', async () => {
      const id = fixture.accounts.rep2Account;
      const rep2Account = json<Account>(await admin('GET', `/api/v1/accounts/${id}`));
      // rep2 sits in Guangzhou: the Shanghai team is nearest in the tree only for Shanghai; for Guangzhou
      // it is the only team, so an admin's marking sends the account there.
      const marked = json<Account>(
        await admin('PUT', `/api/v1/accounts/${id}/named`, { version: rep2Account.version, named: true }),
      );
      assert.equal(marked.orgUnitId, team.id);
      // A second workspace with no team: nothing moves.
      const other = await seedWorkspace(testApp, 'modes-none');
      const otherManager = client(testApp, await sessionCookie(testApp, other.workspaceId, other.users.manager.id));
      const account = json<Account>(await otherManager('GET', `/api/v1/accounts/${other.accounts.repAccount}`));
      const named = json<Account>(
        await otherManager('PUT', `/api/v1/accounts/${other.accounts.repAccount}/named`, {
          version: account.version,
          named: true,
        }),
      );
      assert.deepEqual([named.ownerId, named.orgUnitId], [other.users.rep.id, account.orgUnitId]);
    });
  });
}
