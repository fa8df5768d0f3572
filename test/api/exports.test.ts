import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';
import { neutraliseCell } from '../../src/domain/spreadsheet-format.ts';
import { CONTACT_IMPORT_FIELDS } from '../../src/domain/import-fields.ts';
import { fieldHeader, suggestMapping } from '../../src/domain/import-headers.ts';
import { readRows } from '../../src/modules/imports/parse.ts';
import { readPart } from '../helpers/xlsx.ts';
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

/** The exported workbook's rows as the import reads them back. */
async function sheetRows(body: Buffer): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const sheetRow of readRows(body, 'xlsx', 'utf-8')) rows.push(sheetRow.cells);
  return rows;
}

const rowsOf = (csv: string) =>
  csv
    .replace(/^\ufeff/, '')
    .trimEnd()
    .split('\r\n');

for (const engine of testEngines()) {
  describe(`exports [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let other: Fixture;
    let manager: Call;
    let rep: Call;
    let names: Record<'repAccount' | 'rep2Account' | 'poolAccount', string>;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'exp');
      other = await seedWorkspace(testApp, 'other');
      await testApp.db.kysely
        .updateTable('users')
        .set({ can_export: 1 })
        .where('id', '=', fixture.users.manager.id)
        .execute();
      const now = Date.now();
      await testApp.db.kysely
        .insertInto('accounts')
        .values({
          workspace_id: fixture.workspaceId,
          name: '=HYPERLINK("http://evil.example","点我")',
          name_key: 'x',
          industry: 'machinery',
          status: 'customer',
          owner_id: fixture.users.manager.id,
          org_unit_id: fixture.units.shanghai,
          notes: '+86 21 5555',
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
      await testApp.db.kysely
        .insertInto('accounts')
        .values({
          workspace_id: other.workspaceId,
          name: '别家工作区专属公司',
          name_key: 'y',
          owner_id: other.users.manager.id,
          org_unit_id: other.units.shanghai,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
      const nameOf = async (id: number) =>
        (await testApp.db.kysely.selectFrom('accounts').select('name').where('id', '=', id).executeTakeFirstOrThrow())
          .name;
      names = {
        repAccount: await nameOf(fixture.accounts.repAccount),
        rep2Account: await nameOf(fixture.accounts.rep2Account),
        poolAccount: await nameOf(fixture.accounts.poolAccount),
      };
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
    });
    after(() => testApp.close());

    const exportAudits = async (action: string) =>
      (
        await testApp.db.kysely
          .selectFrom('audit_log')
          .selectAll()
          .where('workspace_id', '=', fixture.workspaceId)
          .where('action', '=', action)
          .orderBy('id')
          .execute()
      ).map((first) => ({
        actor: first.actor_user_id,
        detail: JSON.parse(first.detail!) as { rows: number; filter: Record<string, unknown>; format: string },
      }));

    it('refuses a rep without the export permission (403); the audit log shows the attempt, not an export', async () => {
      const res = await rep('GET', '/api/v1/accounts/export?status=customer&format=xlsx');
      assert.equal(res.statusCode, 403);
      assert.equal(json<{ code: string }>(res).code, 'export_not_permitted');
      assert.equal((await rep('GET', '/api/v1/contacts/export')).statusCode, 403);
      assert.equal((await exportAudits('export.accounts')).length, 0);
      assert.equal((await exportAudits('export.contacts')).length, 0);
      // docs/method.md § The four problems: a departing rep's bulk export is the risk — a refused one must show too.
      const denied = await testApp.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'export.denied')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        denied.map((a) => [a.actor_user_id, JSON.parse(a.detail!)]),
        [
          [
            fixture.users.rep.id,
            { route: 'GET /api/v1/accounts/export', query: { status: 'customer', format: 'xlsx' } },
          ],
          [fixture.users.rep.id, { route: 'GET /api/v1/contacts/export', query: {} }],
        ],
      );
      await testApp.db.kysely
        .updateTable('users')
        .set({ can_export: 1 })
        .where('id', '=', fixture.users.rep.id)
        .execute();
      const granted = await rep('GET', '/api/v1/accounts/export');
      assert.equal(granted.statusCode, 200);
      assert.deepEqual(
        rowsOf(granted.body)
          .slice(1)
          .map((r) => r.split(',')[0]),
        [names.repAccount, names.poolAccount],
        'a rep exports only what they see',
      );
      await testApp.db.kysely
        .updateTable('users')
        .set({ can_export: 0 })
        .where('id', '=', fixture.users.rep.id)
        .execute();
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
      assert.equal(
        exported.length,
        3,
        "manager: the rep's account, the pool account and their own — not the Guangzhou one",
      );
      assert.ok(!res.body.includes(names.rep2Account), "outside the manager's reach");
      assert.ok(!res.body.includes('别家工作区专属公司'), "another workspace's rows never appear");
      const evil = lines.find((l) => l.includes('HYPERLINK'))!;
      assert.ok(evil.startsWith(`"'=HYPERLINK(""http://evil.example"",""点我"")"`), evil);
      assert.ok(evil.includes(',机械,'), 'industry label, not the code');
      assert.ok(evil.includes(',成交客户,'), 'status label');
      assert.ok(evil.includes(`,'+86 21 5555`), 'a leading + is neutralised too');
      const audits = await exportAudits('export.accounts');
      const last = audits[audits.length - 1]!;
      assert.equal(last.actor, fixture.users.manager.id);
      assert.equal(last.detail.rows, 3);
      assert.equal(last.detail.format, 'csv');
    });

    it('applies the list filters, and records them in the audit log', async () => {
      const res = await manager('GET', '/api/v1/accounts/export?status=customer&lang=en-US');
      const lines = rowsOf(res.body);
      assert.equal(lines[0]!.split(',')[0], 'Name');
      assert.equal(lines.length, 2);
      assert.ok(lines[1]!.includes(',Machinery,'));
      const filtered = rowsOf(
        (await manager('GET', `/api/v1/accounts/export?q=${encodeURIComponent(names.repAccount.slice(3, 7))}`)).body,
      );
      assert.deepEqual(
        filtered.slice(1).map((l) => l.split(',')[0]),
        [names.repAccount],
      );
      const audits = await exportAudits('export.accounts');
      assert.deepEqual(
        audits.slice(-2).map((a) => [a.detail.filter, a.detail.rows]),
        [
          [{ status: 'customer' }, 1],
          [{ q: names.repAccount.slice(3, 7) }, 1],
        ],
      );
      const bad = await manager('GET', '/api/v1/accounts/export?format=pdf');
      assert.equal(bad.statusCode, 400);
    });

    it('exports xlsx with the same neutralisation', async () => {
      const res = await manager('GET', '/api/v1/accounts/export?format=xlsx&status=customer');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /spreadsheetml/);
      const rows = await sheetRows(res.rawPayload);
      assert.equal(rows[0]![0], '客户名称');
      assert.equal(rows[1]![0], '\'=HYPERLINK("http://evil.example","点我")');
      assert.equal(rows.length, 2);
    });

    it('exports contacts of visible accounts only, audited', async () => {
      const res = await manager('GET', '/api/v1/contacts/export');
      assert.equal(res.statusCode, 200);
      const lines = rowsOf(res.body);
      assert.deepEqual(lines[0]!.split(',').slice(0, 3), ['客户名称', '统一社会信用代码', '姓名']);
      assert.deepEqual(
        lines.slice(1).map((l) => l.split(',')[2]),
        ['任正'],
      );
      const otherAdmin = client(testApp, await sessionCookie(testApp, other.workspaceId, other.users.admin.id));
      const theirs = await otherAdmin('GET', '/api/v1/contacts/export');
      assert.equal(theirs.statusCode, 200);
      const mine = await testApp.db.kysely
        .selectFrom('contacts')
        .select('id')
        .where('workspace_id', '=', other.workspaceId)
        .execute();
      assert.equal(rowsOf(theirs.body).length - 1, mine.length, "exactly the other workspace's own contacts");
      const audits = await exportAudits('export.contacts');
      assert.equal(audits.length, 1);
      assert.equal(audits[0]!.detail.rows, 1);
    });

    it("exports contacts in the import's columns, reports-to by name, so the file imports back", async () => {
      const added = await manager('POST', '/api/v1/contacts', {
        accountId: fixture.accounts.repAccount,
        name: '孙副总',
        title: '副总经理',
        reportsToId: fixture.contacts.repContact,
      });
      assert.equal(added.statusCode, 201, added.body);
      for (const lang of ['zh-CN', 'en-US'] as const) {
        const lines = rowsOf((await manager('GET', `/api/v1/contacts/export?lang=${lang}`)).body);
        const headers = lines[0]!.split(',');
        assert.deepEqual(
          headers,
          CONTACT_IMPORT_FIELDS.map((field) => fieldHeader('contacts', field, lang)),
        );
        // The import maps every exported column back to its own field.
        const mapping = suggestMapping('contacts', headers);
        assert.deepEqual(
          CONTACT_IMPORT_FIELDS.map((field) => mapping[field]),
          CONTACT_IMPORT_FIELDS.map((_, i) => i),
        );
        const row = lines.find((l) => l.split(',')[2] === '孙副总')!.split(',');
        assert.equal(row[CONTACT_IMPORT_FIELDS.indexOf('reportsTo')], '任正');
      }
    });
  });
}

for (const engine of testEngines()) {
  describe(`opportunity export [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    let manager: Call;
    let rep: Call;
    // 20:00 UTC on 31 January is already 1 February in Shanghai, the workspace's time zone.
    const wonAt = Date.UTC(2026, 0, 31, 20, 0);
    type ListItem = { name: string; expectedAmount: number | null; status: string };
    const list = async (query: string) =>
      json<{ items: ListItem[]; total: number }>(await manager('GET', `/api/v1/opportunities?limit=500${query}`));
    const exported = async (query: string) => {
      const res = await manager('GET', `/api/v1/opportunities/export?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      const [header, ...lines] = rowsOf(res.body);
      return { header: header!.split(','), rows: lines.map((l) => l.split(',')), headers: res.headers };
    };
    const audits = async () =>
      (
        await testApp.db.kysely
          .selectFrom('audit_log')
          .selectAll()
          .where('workspace_id', '=', fixture.workspaceId)
          .where('action', '=', 'export.opportunities')
          .orderBy('id')
          .execute()
      ).map((first) => ({
        actor: first.actor_user_id,
        detail: JSON.parse(first.detail!) as { rows: number; filter: Record<string, unknown>; format: string },
      }));

    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'oexp');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
      const other = await seedWorkspace(testApp, 'oother');
      await seedExtras(testApp, other);
      await testApp.db.kysely
        .updateTable('opportunities')
        .set({ name: '别家工作区的商机' })
        .where('workspace_id', '=', other.workspaceId)
        .execute();
      await testApp.db.kysely
        .updateTable('users')
        .set({ can_export: 1 })
        .where('id', '=', fixture.users.manager.id)
        .execute();
      const kysely = testApp.db.kysely;
      const now = Date.now();
      const { id: processId, stageIds } = fixture.processes.small;
      const wonStage = await kysely
        .selectFrom('process_stages')
        .select('id')
        .where('process_id', '=', processId)
        .where('is_won', '=', 1)
        .executeTakeFirstOrThrow();
      const opp = (spec: {
        name: string;
        owner: number;
        unit: number;
        account: number;
        status: string;
        stage: number;
        amount: number;
        closedAt?: number;
        reason?: string;
      }) =>
        kysely
          .insertInto('opportunities')
          .values({
            workspace_id: fixture.workspaceId,
            account_id: spec.account,
            name: spec.name,
            owner_id: spec.owner,
            org_unit_id: spec.unit,
            amount: spec.amount,
            status: spec.status,
            expected_close_date: '2026-03-31',
            process_id: processId,
            stage_id: spec.stage,
            stage_entered_at: now,
            closed_at: spec.closedAt ?? null,
            close_reason: spec.reason ?? null,
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .execute();
      await opp({
        name: '广州产线改造',
        owner: fixture.users.rep2.id,
        unit: fixture.units.sales3,
        account: fixture.accounts.rep2Account,
        status: 'open',
        stage: stageIds[0]!,
        amount: 80_000_00,
      });
      await opp({
        name: '集团 ERP 赢单',
        owner: fixture.users.manager.id,
        unit: fixture.units.shanghai,
        account: fixture.accounts.repAccount,
        status: 'won',
        stage: wonStage.id,
        amount: 300_000_00,
        closedAt: wonAt,
      });
      await opp({
        name: '=SUM(A1:A9)',
        owner: fixture.users.rep.id,
        unit: fixture.units.sales2,
        account: fixture.accounts.repAccount,
        status: 'lost',
        stage: stageIds[1]!,
        amount: 12_345_67,
        closedAt: wonAt,
        reason: 'price',
      });
      // Written past the services: the funnel's kept totals (which the list's totals read) follow.
      await rebuildFunnel(kysely, fixture.workspaceId);
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
    });
    after(() => testApp.close());

    it('refuses a rep without the export permission (403): no export, but the refused attempt is logged', async () => {
      const res = await rep('GET', '/api/v1/opportunities/export?status=open');
      assert.equal(res.statusCode, 403);
      assert.equal(json<{ code: string }>(res).code, 'export_not_permitted');
      assert.equal((await audits()).length, 0);
      const denied = await testApp.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'export.denied')
        .execute();
      assert.deepEqual(
        denied.map((a) => [a.actor_user_id, JSON.parse(a.detail!)]),
        [[fixture.users.rep.id, { route: 'GET /api/v1/opportunities/export', query: { status: 'open' } }]],
      );
    });

    it('refuses and audits every export route for roles that may not export, even with a grant: auditor, finance (issue 14)', async () => {
      await testApp.db.kysely
        .updateTable('users')
        .set({ can_export: 1 })
        .where('id', 'in', [fixture.users.auditor.id, fixture.users.finance.id])
        .execute();
      const routes = ['/api/v1/accounts/export', '/api/v1/contacts/export', '/api/v1/opportunities/export'];
      for (const role of ['auditor', 'finance'] as const) {
        const call = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[role].id));
        for (const url of routes) {
          const res = await call('GET', `${url}?format=xlsx`);
          assert.equal(res.statusCode, 403, `${role} ${url}`);
          assert.equal(json<{ code: string }>(res).code, 'export_not_permitted');
        }
      }
      const denied = await testApp.db.kysely
        .selectFrom('audit_log')
        .select(['actor_user_id', 'detail'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'export.denied')
        .where('actor_user_id', 'in', [fixture.users.auditor.id, fixture.users.finance.id])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        denied.map((a) => [a.actor_user_id, (JSON.parse(a.detail!) as { route: string }).route]),
        [
          ...routes.map((u) => [fixture.users.auditor.id, `GET ${u}`]),
          ...routes.map((u) => [fixture.users.finance.id, `GET ${u}`]),
        ],
      );
    });

    it('exports exactly the list a manager sees — their subtree only — and audits the row count', async () => {
      const { header, rows, headers } = await exported('format=csv');
      assert.equal(header[0], '商机名称');
      assert.match(String(headers['content-disposition']), /filename\*=UTF-8''%E5%95%86%E6%9C%BA-/);
      const shown = await list('');
      assert.equal(rows.length, shown.total);
      assert.deepEqual(rows.map((r) => r[0]).sort(), shown.items.map((o) => neutraliseCell(o.name)).sort());
      const shanghai = await testApp.db.kysely
        .selectFrom('org_units')
        .select('path')
        .where('id', '=', fixture.units.shanghai)
        .executeTakeFirstOrThrow();
      const subtree = await testApp.db.kysely
        .selectFrom('opportunities')
        .innerJoin('org_units', 'org_units.id', 'opportunities.org_unit_id')
        .select('opportunities.name')
        .where('opportunities.workspace_id', '=', fixture.workspaceId)
        .where('org_units.path', 'like', `${shanghai.path}%`)
        .execute();
      assert.deepEqual(
        rows.map((r) => r[0]).sort(),
        subtree.map((o) => neutraliseCell(o.name)).sort(),
        'the Shanghai subtree, nothing from Guangzhou or another workspace',
      );
      assert.equal(rows.length, 3);
      const last = (await audits()).at(-1)!;
      assert.equal(last.actor, fixture.users.manager.id);
      assert.deepEqual([last.detail.filter, last.detail.rows, last.detail.format], [{}, 3, 'csv']);
    });

    it('writes readable values: labels, yuan as numbers, dates in the workspace time zone, the loss reason', async () => {
      const { header, rows } = await exported('');
      const col = (name: string) => header.indexOf(name);
      const won = rows.find((r) => r[0] === '集团 ERP 赢单')!;
      assert.equal(won[col('状态')], '赢单');
      assert.equal(won[col('金额(元)')], '300000');
      assert.equal(won[col('预期金额(元)')], '', 'a closed deal has no expectation');
      assert.equal(won[col('项目规模')], '大项目');
      assert.equal(won[col('关闭日期')], '2026-02-01');
      assert.equal(won[col('负责人')], `manager oexp`);
      assert.equal(won[col('丢单/放弃原因')], '');
      const open = rows.find((r) => r[0] === 'MES 一期')!;
      const listed = (await list('&status=open')).items.find((o) => o.name === 'MES 一期')!;
      assert.equal(Number(open[col('预期金额(元)')]), listed.expectedAmount! / 100);
      assert.equal(open[col('项目规模')], '小项目');
      assert.equal(open[col('客户名称')], '深圳市华为技术有限公司');
      const en = await exported('lang=en-US&status=lost');
      assert.equal(en.header[0], 'Opportunity');
      assert.equal(en.rows.length, 1);
      assert.equal(en.rows[0]![en.header.indexOf('Status')], 'Lost');
      assert.equal(en.rows[0]![en.header.indexOf('Loss reason')], 'Price');
      assert.equal(en.rows[0]![en.header.indexOf('Amount (CNY)')], '12345.67');
    });

    it('neutralises a name that looks like a formula', async () => {
      const { rows } = await exported('status=lost');
      assert.equal(rows[0]![0], "'=SUM(A1:A9)");
    });

    it("narrows by the list's filters exactly as the list does, and records the filter", async () => {
      for (const query of [
        'status=won',
        `stageId=${fixture.processes.small.stageIds[0]}`,
        'q=ERP',
        `orgUnitId=${fixture.units.sales1}`,
      ]) {
        const { rows } = await exported(query);
        const shown = await list(`&${query}`);
        assert.ok(shown.total < 3, `${query} narrows`);
        assert.equal(rows.length, shown.total, query);
        assert.deepEqual(rows.map((r) => r[0]).sort(), shown.items.map((o) => neutraliseCell(o.name)).sort(), query);
      }
      const recorded = (await audits()).slice(-4).map((a) => [a.detail.filter, a.detail.rows]);
      assert.deepEqual(recorded[0], [{ status: 'won' }, 1]);
      assert.deepEqual(recorded[1], [{ stageId: fixture.processes.small.stageIds[0] }, 1]);
      assert.equal(
        (await manager('GET', '/api/v1/opportunities/export?sort=name')).statusCode,
        400,
        'the same strict query as the list, without paging',
      );
    });

    it('exports xlsx with the header row, numbers as numbers and the same neutralisation', async () => {
      const res = await manager('GET', '/api/v1/opportunities/export?format=xlsx&lang=en-US');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /spreadsheetml/);
      const rows = await sheetRows(res.rawPayload);
      const header = rows[0]!;
      assert.deepEqual(header.slice(0, 5), [
        'Opportunity',
        'Account',
        'Sales process',
        'Stage',
        'Stage probability (%)',
      ]);
      assert.equal(rows.length, 4);
      const names = rows.slice(1).map((r) => r[0]);
      assert.ok(names.includes("'=SUM(A1:A9)"), String(names));
      const amount = header.indexOf('Amount (CNY)');
      const wonAt = rows.findIndex((r) => r[0] === '集团 ERP 赢单');
      assert.equal(rows[wonAt]![amount], '300000');
      // A number cell (no type: numeric), so the sheet can sum it; text is inline, never a formula.
      const sheetXml = await readPart(res.rawPayload, 'xl/worksheets/sheet1.xml');
      const ref = `${String.fromCharCode(65 + amount)}${wonAt + 1}`;
      assert.ok(sheetXml.includes(`<c r="${ref}"><v>300000</v></c>`), sheetXml.slice(0, 400));
      assert.doesNotMatch(sheetXml, /<f>/);
    });
  });
}
