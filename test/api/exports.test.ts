import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, seedWorkspace, sessionCookie, type Call, type Fixture, type TestApp } from '../helpers/app.ts';

const rowsOf = (csv: string) => csv.replace(/^\ufeff/, '').trimEnd().split('\r\n');

for (const engine of testEngines()) {
  describe(`exports [${engine}]`, () => {
    let t: TestApp;
    let f: Fixture;
    let other: Fixture;
    let manager: Call;
    let rep: Call;
    let names: Record<'repAccount' | 'rep2Account' | 'poolAccount', string>;
    before(async () => {
      t = await createTestApp(engine);
      f = await seedWorkspace(t, 'exp');
      other = await seedWorkspace(t, 'other');
      await t.db.kysely.updateTable('users').set({ can_export: 1 }).where('id', '=', f.users.manager.id).execute();
      const now = Date.now();
      await t.db.kysely.insertInto('accounts').values({
        workspace_id: f.workspaceId, name: '=HYPERLINK("http://evil.example","点我")', name_key: 'x', industry: 'machinery', status: 'customer',
        owner_id: f.users.manager.id, org_unit_id: f.units.shanghai, notes: '+86 21 5555', created_at: now, updated_at: now, version: 1,
      }).execute();
      await t.db.kysely.insertInto('accounts').values({
        workspace_id: other.workspaceId, name: '别家工作区专属公司', name_key: 'y', owner_id: other.users.manager.id, org_unit_id: other.units.shanghai, created_at: now, updated_at: now, version: 1,
      }).execute();
      const nameOf = async (id: number) => (await t.db.kysely.selectFrom('accounts').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
      names = { repAccount: await nameOf(f.accounts.repAccount), rep2Account: await nameOf(f.accounts.rep2Account), poolAccount: await nameOf(f.accounts.poolAccount) };
      manager = client(t, await sessionCookie(t, f.workspaceId, f.users.manager.id));
      rep = client(t, await sessionCookie(t, f.workspaceId, f.users.rep.id));
    });
    after(() => t.close());

    const exportAudits = async (action: string) =>
      (await t.db.kysely.selectFrom('audit_log').selectAll().where('workspace_id', '=', f.workspaceId).where('action', '=', action).orderBy('id').execute())
        .map((a) => ({ actor: a.actor_user_id, detail: JSON.parse(a.detail!) as { rows: number; filter: Record<string, unknown>; format: string } }));

    it('refuses a rep without the export permission (403), and writes nothing to the audit log', async () => {
      const res = await rep('GET', '/api/v1/accounts/export');
      assert.equal(res.statusCode, 403);
      assert.equal(json<{ code: string }>(res).code, 'export_not_permitted');
      assert.equal((await rep('GET', '/api/v1/contacts/export')).statusCode, 403);
      assert.equal((await exportAudits('export.accounts')).length, 0);
      await t.db.kysely.updateTable('users').set({ can_export: 1 }).where('id', '=', f.users.rep.id).execute();
      const granted = await rep('GET', '/api/v1/accounts/export');
      assert.equal(granted.statusCode, 200);
      assert.deepEqual(rowsOf(granted.body).slice(1).map((r) => r.split(',')[0]), [names.repAccount, names.poolAccount], 'a rep exports only what they see');
      await t.db.kysely.updateTable('users').set({ can_export: 0 }).where('id', '=', f.users.rep.id).execute();
    });

    it('exports the visible accounts as UTF-8 CSV with BOM, Chinese headers, readable values, neutralised formulas, and an audit row', async () => {
      const res = await manager('GET', '/api/v1/accounts/export?format=csv');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      assert.match(String(res.headers['content-disposition']), /attachment; .*filename\*=UTF-8''%E5%AE%A2%E6%88%B7-/);
      assert.ok(res.body.startsWith('\ufeff'), 'BOM for Excel');
      const lines = rowsOf(res.body);
      assert.deepEqual(lines[0]!.split(',').slice(0, 4), ['客户名称', '统一社会信用代码', '行业', '省份']);
      const exported = lines.slice(1).map((l) => l.split(',')[0]);
      assert.equal(exported.length, 3, 'manager: the rep\'s account, the pool account and their own — not the Guangzhou one');
      assert.ok(!res.body.includes(names.rep2Account), 'outside the manager\'s reach');
      assert.ok(!res.body.includes('别家工作区专属公司'), 'another workspace\'s rows never appear');
      const evil = lines.find((l) => l.includes('HYPERLINK'))!;
      assert.ok(evil.startsWith(`"'=HYPERLINK(""http://evil.example"",""点我"")"`), evil);
      assert.ok(evil.includes(',机械,'), 'industry label, not the code');
      assert.ok(evil.includes(',成交客户,'), 'status label');
      assert.ok(evil.includes(`,'+86 21 5555`), 'a leading + is neutralised too');
      const audits = await exportAudits('export.accounts');
      const last = audits[audits.length - 1]!;
      assert.equal(last.actor, f.users.manager.id);
      assert.equal(last.detail.rows, 3);
      assert.equal(last.detail.format, 'csv');
    });

    it('applies the list filters, and records them in the audit log', async () => {
      const res = await manager('GET', '/api/v1/accounts/export?status=customer&lang=en-US');
      const lines = rowsOf(res.body);
      assert.equal(lines[0]!.split(',')[0], 'Name');
      assert.equal(lines.length, 2);
      assert.ok(lines[1]!.includes(',Machinery,'));
      const q = rowsOf((await manager('GET', `/api/v1/accounts/export?q=${encodeURIComponent(names.repAccount.slice(3, 7))}`)).body);
      assert.deepEqual(q.slice(1).map((l) => l.split(',')[0]), [names.repAccount]);
      const audits = await exportAudits('export.accounts');
      assert.deepEqual(audits.slice(-2).map((a) => [a.detail.filter, a.detail.rows]), [[{ status: 'customer' }, 1], [{ q: names.repAccount.slice(3, 7) }, 1]]);
      const bad = await manager('GET', '/api/v1/accounts/export?format=pdf');
      assert.equal(bad.statusCode, 400);
    });

    it('exports xlsx with the same neutralisation', async () => {
      const res = await manager('GET', '/api/v1/accounts/export?format=xlsx&status=customer');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /spreadsheetml/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.worksheets[0]!;
      assert.equal(sheet.getCell('A1').value, '客户名称');
      assert.equal(sheet.getCell('A2').value, '\'=HYPERLINK("http://evil.example","点我")');
      assert.equal(sheet.rowCount, 2);
    });

    it('exports contacts of visible accounts only, audited', async () => {
      const res = await manager('GET', '/api/v1/contacts/export');
      assert.equal(res.statusCode, 200);
      const lines = rowsOf(res.body);
      assert.deepEqual(lines[0]!.split(',').slice(0, 3), ['客户名称', '统一社会信用代码', '姓名']);
      assert.deepEqual(lines.slice(1).map((l) => l.split(',')[2]), ['任正']);
      const otherAdmin = client(t, await sessionCookie(t, other.workspaceId, other.users.admin.id));
      const theirs = await otherAdmin('GET', '/api/v1/contacts/export');
      assert.equal(theirs.statusCode, 200);
      const mine = await t.db.kysely.selectFrom('contacts').select('id').where('workspace_id', '=', other.workspaceId).execute();
      assert.equal(rowsOf(theirs.body).length - 1, mine.length, 'exactly the other workspace\'s own contacts');
      const audits = await exportAudits('export.contacts');
      assert.equal(audits.length, 1);
      assert.equal(audits[0]!.detail.rows, 1);
    });
  });
}
