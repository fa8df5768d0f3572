import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
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
import type { Page, Problem } from '../../src/contracts/common.ts';
import type { ImportJob as Job, ReportRow } from '../../src/contracts/imports.ts';
import { makeCreditCode } from '../../src/domain/credit-code.ts';
import { workbook } from '../helpers/xlsx.ts';
import { settleImport, uploadImport } from '../helpers/imports.ts';

type ErrorPage = Page<ReportRow>;

const FIXTURES = path.join(import.meta.dirname, '../fixtures/import');
const CODE_A = makeCreditCode('91310000MA1FL0001');
const CODE_B = makeCreditCode('91310000MA1FL0002');

const upload = uploadImport;
const settle = settleImport;

for (const engine of testEngines()) {
  describe(`imports [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let manager: Call;
    let rep: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'imp');
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
    });
    after(() => testApp.close());

    const accountNamed = (name: string) =>
      testApp.db.kysely
        .selectFrom('accounts')
        .selectAll()
        .where('workspace_id', '=', fixture.workspaceId)
        .where('name', '=', name)
        .executeTakeFirst();
    const accountCount = async () =>
      Number(
        (
          await testApp.db.kysely
            .selectFrom('accounts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('workspace_id', '=', fixture.workspaceId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const validate = async (call: Call, id: number, mapping: Record<string, number | null>, duplicateMode = 'skip') => {
      const res = await call('POST', `/api/v1/imports/${id}/validate`, { mapping, duplicateMode });
      assert.equal(res.statusCode, 202, res.body);
      return settle(call, id);
    };
    const commit = async (call: Call, id: number, skipErrors = false) => {
      const res = await call('POST', `/api/v1/imports/${id}/commit`, { skipErrors });
      assert.equal(res.statusCode, 202, res.body);
      return settle(call, id);
    };

    it('reads a UTF-8 CSV, suggests the mapping from Chinese headers, lists every bad row, and commits the good ones with owners', async () => {
      const csv = [
        '\ufeff客户名称,统一社会信用代码,行业,省份,城市,状态,负责人邮箱,线索来源',
        `杭州海康精工有限公司,${CODE_A},制造业,浙江省,杭州市,潜在客户,${fixture.users.rep.email},展会`,
        '宁波港机设备有限公司,,machinery,浙江省,宁波市,customer,,',
        `,${CODE_B},机械,,,,,`,
        '温州坏代码有限公司,91310000MA1FL00010,外星行业,,,,,',
        `绍兴越州纺织有限公司,,,,,,${fixture.users.rep2.email},`,
      ].join('\n');
      const res = await upload(manager, 'accounts', csv, '客户.csv');
      assert.equal(res.statusCode, 201, res.body);
      const job = json<Job>(res);
      assert.equal(job.format, 'csv');
      assert.equal(job.encoding, 'utf-8');
      assert.equal(job.totalRows, 5);
      assert.equal(job.status, 'mapping');
      assert.deepEqual(job.headers.slice(0, 2), ['客户名称', '统一社会信用代码']);
      assert.equal(job.suggestedMapping.name, 0);
      assert.equal(job.suggestedMapping.creditCode, 1);
      assert.equal(job.suggestedMapping.ownerEmail, 6);
      assert.equal(job.suggestedMapping.leadSource, 7);
      assert.equal(job.preview[0]!.rowNo, 2, 'rows numbered as the spreadsheet shows them (header is row 1)');

      const checked = await validate(manager, job.id, job.suggestedMapping);
      assert.equal(checked.status, 'validated');
      assert.deepEqual(checked.counts, { create: 2, update: 0, skip: 0, error: 3, duplicate: 0, similar: 0 });
      const errors = json<ErrorPage>(await manager('GET', `/api/v1/imports/${job.id}/errors?limit=10`));
      assert.equal(errors.total, 3);
      const byRow = new Map(errors.items.map((e) => [e.rowNo, e.problems.map((p) => `${p.field}:${p.code}`).sort()]));
      assert.deepEqual(byRow.get(4), ['name:required']);
      assert.deepEqual(byRow.get(5), ['creditCode:invalid_credit_code', 'industry:unknown_value']);
      assert.deepEqual(byRow.get(6), ['ownerEmail:unknown_owner'], "rep2 is outside the manager's subtree");
      // The values each problem names travel as params, so the page need not show the English message.
      const paramsOf = (row: number) =>
        Object.fromEntries(errors.items.find((e) => e.rowNo === row)!.problems.map((p) => [p.code, p.params]));
      assert.deepEqual(paramsOf(5), {
        invalid_credit_code: { value: '91310000MA1FL00010' },
        unknown_value: { value: '外星行业' },
      });
      assert.deepEqual(paramsOf(6), { unknown_owner: { email: fixture.users.rep2.email.toLowerCase() } });

      const csvReport = await manager('GET', `/api/v1/imports/${job.id}/errors/csv`);
      assert.equal(csvReport.statusCode, 200);
      assert.match(csvReport.body, /^\ufeff/);
      assert.match(csvReport.body, /\r\n5,creditCode,/);

      const refused = await manager('POST', `/api/v1/imports/${job.id}/commit`, { skipErrors: false });
      assert.equal(refused.statusCode, 400);
      assert.equal(json<Problem>(refused).errors![0]!.field, 'skipErrors');
      assert.equal(await accountNamed('杭州海康精工有限公司'), undefined);

      const done = await commit(manager, job.id, true);
      assert.equal(done.status, 'committed', done.failure ?? '');
      assert.deepEqual(done.result, { created: 2, updated: 0, skipped: 3 });
      const hk = (await accountNamed('杭州海康精工有限公司'))!;
      assert.equal(hk.owner_id, fixture.users.rep.id, 'owner from the email column');
      assert.equal(hk.org_unit_id, fixture.units.sales1);
      assert.equal(hk.industry, 'manufacturing');
      assert.equal(hk.lead_source, 'exhibition');
      assert.equal(hk.credit_code, CODE_A);
      const nb = (await accountNamed('宁波港机设备有限公司'))!;
      assert.equal(nb.owner_id, fixture.users.manager.id, 'owner defaults to the importer');
      assert.equal(nb.status, 'customer');
      const history = await testApp.db.kysely
        .selectFrom('record_history')
        .selectAll()
        .where('entity_id', '=', hk.id)
        .where('entity_type', '=', 'account')
        .execute();
      assert.deepEqual(
        history.map((h) => [h.field, h.new_value, h.reason]),
        [['owner', String(fixture.users.rep.id), 'import']],
      );
      const audit = await testApp.db.kysely
        .selectFrom('audit_log')
        .selectAll()
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'import.accounts')
        .execute();
      assert.equal(audit.length, 1);
      assert.equal((JSON.parse(audit[0]!.detail!) as { created: number }).created, 2);

      const again = await manager('POST', `/api/v1/imports/${job.id}/commit`, { skipErrors: true });
      assert.equal(again.statusCode, 409, 'a committed import cannot be committed twice');
      assert.equal(
        (await rep('GET', `/api/v1/imports/${job.id}`)).statusCode,
        404,
        'only the importer (and admins) see a job',
      );
      const admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      assert.equal((await admin('GET', `/api/v1/imports/${job.id}`)).statusCode, 200);
      const mine = json<{ items: { id: number }[] }>(await manager('GET', '/api/v1/imports'));
      assert.ok(mine.items.some((i) => i.id === job.id));
      assert.ok(
        !json<{ items: { id: number }[] }>(await rep('GET', '/api/v1/imports')).items.some((i) => i.id === job.id),
      );
    });

    it('detects GBK (GB18030) CSV from Chinese Excel, and re-decodes when the user overrides the encoding', async () => {
      const bytes = fs.readFileSync(path.join(FIXTURES, 'accounts-gbk.csv'));
      const job = json<Job>(await upload(rep, 'accounts', bytes, 'gbk.csv'));
      assert.equal(job.encoding, 'gb18030');
      assert.equal(job.detectedEncoding, 'gb18030');
      assert.deepEqual(job.headers, ['客户名称', '统一社会信用代码', '行业', '省份', '城市', '状态', '备注']);
      assert.equal(job.preview[0]!.cells[0], '苏州精密机械有限公司');
      const forced = json<Job & { replacementChars: number }>(
        await upload(rep, 'accounts', bytes, 'gbk.csv', '&encoding=utf-8'),
      );
      assert.equal(forced.encoding, 'utf-8');
      assert.ok(forced.replacementChars > 0, 'garbled text is reported');
      const checked = await validate(rep, job.id, job.suggestedMapping);
      assert.deepEqual(checked.counts, { create: 2, update: 0, skip: 0, error: 0, duplicate: 0, similar: 0 });
      const done = await commit(rep, job.id);
      assert.equal(done.status, 'committed');
      const account = (await accountNamed('苏州精密机械有限公司'))!;
      assert.equal(account.owner_id, fixture.users.rep.id);
      assert.equal(account.notes, 'GBK 编码的文件');
    });

    it('reads .xlsx workbooks (detected by content), dates and numbers included', async () => {
      const repAccountName = (
        await testApp.db.kysely
          .selectFrom('accounts')
          .select('name')
          .where('id', '=', fixture.accounts.repAccount)
          .executeTakeFirstOrThrow()
      ).name;
      const buf = await workbook([
        ['Company', 'Contact name', 'Job title', 'Mobile', 'E-mail', 'Date of birth'],
        [repAccountName, '孟晚', '财务总监', 13800138000, 'Meng@Example.com', new Date(Date.UTC(1980, 4, 6))],
        ['不存在的公司', '张三', '', '', 'not-an-email', ''],
      ]);
      const job = json<Job>(await upload(rep, 'contacts', buf, 'contacts.xlsx'));
      assert.equal(job.format, 'xlsx');
      assert.equal(job.suggestedMapping.accountName, 0);
      assert.equal(job.suggestedMapping.name, 1);
      assert.equal(job.suggestedMapping.birthday, 5);
      const checked = await validate(rep, job.id, job.suggestedMapping);
      assert.deepEqual(checked.counts, { create: 1, update: 0, skip: 0, error: 1, duplicate: 0, similar: 0 });
      const errors = json<ErrorPage>(await rep('GET', `/api/v1/imports/${job.id}/errors`));
      assert.deepEqual(errors.items[0]!.problems.map((p) => `${p.field}:${p.code}`).sort(), ['email:invalid_email']);
      assert.equal(errors.items[0]!.rowNo, 3);
      const done = await commit(rep, job.id, true);
      assert.equal(done.status, 'committed');
      const contact = await testApp.db.kysely
        .selectFrom('contacts')
        .selectAll()
        .where('workspace_id', '=', fixture.workspaceId)
        .where('name', '=', '孟晚')
        .executeTakeFirstOrThrow();
      assert.equal(contact.account_id, fixture.accounts.repAccount);
      assert.equal(contact.mobile, '13800138000');
      assert.equal(contact.email, 'meng@example.com');
      assert.equal(contact.birthday, '1980-05-06');
    });

    it('links contacts to accounts the importer can see, never to others', async () => {
      const names = await testApp.db.kysely
        .selectFrom('accounts')
        .select(['id', 'name'])
        .where('id', 'in', [fixture.accounts.repAccount, fixture.accounts.rep2Account])
        .execute();
      const mine = names.find((n) => n.id === fixture.accounts.repAccount)!.name;
      const theirs = names.find((n) => n.id === fixture.accounts.rep2Account)!.name;
      const csv = `公司名称,姓名,职务,手机\n${mine},任正,采购总监,\n${mine},周婷,工程师,13900000001\n${theirs},李四,经理,\n`;
      const job = json<Job>(await upload(rep, 'contacts', csv));
      const checked = await validate(rep, job.id, job.suggestedMapping, 'update');
      assert.deepEqual(checked.counts, { create: 1, update: 1, skip: 0, error: 1, duplicate: 1, similar: 0 });
      const errors = json<ErrorPage>(await rep('GET', `/api/v1/imports/${job.id}/errors`));
      assert.deepEqual(
        errors.items.map((e) => [e.rowNo, e.problems[0]!.field, e.problems[0]!.code]),
        [[4, 'accountName', 'account_not_found']],
      );
      assert.deepEqual(errors.items[0]!.problems[0]!.params, { value: theirs });
      await commit(rep, job.id, true);
      const ren = await testApp.db.kysely
        .selectFrom('contacts')
        .selectAll()
        .where('id', '=', fixture.contacts.repContact)
        .executeTakeFirstOrThrow();
      assert.equal(ren.title, '采购总监');
      assert.equal(ren.version, 2, 'the existing contact was updated, not duplicated');
      const count = await testApp.db.kysely
        .selectFrom('contacts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', fixture.accounts.rep2Account)
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0);
    });

    it('sets reports-to from a name in the file or in Keyline, whatever the row order; unknown names and cycles are row errors', async () => {
      const mine = (
        await testApp.db.kysely
          .selectFrom('accounts')
          .select('name')
          .where('id', '=', fixture.accounts.repAccount)
          .executeTakeFirstOrThrow()
      ).name;
      const csv = [
        '客户名称,姓名,职务,直属上级',
        `${mine},孙明,工程师,赵刚`, // row 2: reports to row 3, further down
        `${mine},赵刚,总经理,任正`, // row 3: reports to the contact already in Keyline
        `${mine},钱一,采购,不存在的人`, // row 4: nobody of that name
        `${mine},甲一,,乙二`, // rows 5 and 6: a loop
        `${mine},乙二,,甲一`,
      ].join('\n');
      const job = json<Job>(await upload(rep, 'contacts', csv));
      assert.equal(job.suggestedMapping.reportsTo, 3);
      const checked = await validate(rep, job.id, job.suggestedMapping);
      assert.deepEqual(checked.counts, { create: 2, update: 0, skip: 0, error: 3, duplicate: 0, similar: 0 });
      const errors = json<ErrorPage>(await rep('GET', `/api/v1/imports/${job.id}/errors`));
      assert.deepEqual(
        errors.items.map((e) => [e.rowNo, e.problems[0]!.field, e.problems[0]!.code]),
        [
          [4, 'reportsTo', 'unknown_contact'],
          [5, 'reportsTo', 'reporting_cycle'],
          [6, 'reportsTo', 'reporting_cycle'],
        ],
      );
      assert.deepEqual(
        errors.items.map((e) => e.problems[0]!.params),
        [{ name: '不存在的人' }, { name: '乙二' }, { name: '甲一' }],
      );
      const contactsNamed = (names: string[]) =>
        testApp.db.kysely
          .selectFrom('contacts')
          .select(['id', 'name', 'reports_to_id'])
          .where('account_id', '=', fixture.accounts.repAccount)
          .where('name', 'in', names)
          .execute();
      // All or nothing: with errors and without leave to skip them, nothing is written.
      const refused = await rep('POST', `/api/v1/imports/${job.id}/commit`, { skipErrors: false });
      assert.equal(refused.statusCode, 400, refused.body);
      assert.deepEqual(await contactsNamed(['孙明', '赵刚']), []);
      assert.equal((await commit(rep, job.id, true)).status, 'committed');
      const written = await contactsNamed(['孙明', '赵刚', '钱一', '甲一', '乙二']);
      assert.deepEqual(written.map((c) => c.name).sort(), ['孙明', '赵刚'].sort());
      const zhao = written.find((c) => c.name === '赵刚')!;
      assert.equal(written.find((c) => c.name === '孙明')!.reports_to_id, zhao.id);
      assert.equal(zhao.reports_to_id, fixture.contacts.repContact);

      // A later file that would make 任正 report to 孙明 closes 任正 → 孙明 → 赵刚 → 任正.
      const loop = json<Job>(await upload(rep, 'contacts', `客户名称,姓名,直属上级\n${mine},任正,孙明\n`));
      const again = await validate(rep, loop.id, loop.suggestedMapping, 'update');
      assert.deepEqual(again.counts, { create: 0, update: 0, skip: 0, error: 1, duplicate: 1, similar: 0 });
      const errorRow = json<ErrorPage>(await rep('GET', `/api/v1/imports/${loop.id}/errors`)).items[0]!;
      assert.equal(errorRow.problems[0]!.code, 'reporting_cycle');
    });

    it('names the earlier row of an in-file duplicate and the words a short list allows', async () => {
      const csv = [
        '客户名称,状态,规模',
        '嘉兴重复测试有限公司,潜在客户,',
        '嘉兴重复测试有限公司,,',
        '湖州状态测试有限公司,半睡半醒,50人以下',
        '湖州规模测试有限公司,,巨型',
      ].join('\n');
      const job = json<Job>(await upload(manager, 'accounts', csv));
      await validate(manager, job.id, job.suggestedMapping, 'update');
      const errors = json<ErrorPage>(await manager('GET', `/api/v1/imports/${job.id}/errors`));
      assert.deepEqual(
        errors.items.map((e) => [e.rowNo, e.problems.map((p) => [p.code, p.params])]),
        [
          [3, [['duplicate_in_file', { row: 2 }]]],
          [4, [['unknown_value', { value: '半睡半醒', allowed: 'prospect,customer,dormant,lost' }]]],
          [5, [['unknown_value', { value: '巨型', allowed: 'lt50,50to200,200to1000,1000to5000,gt5000' }]]],
        ],
      );
    });

    it('answers 400 listing the required fields a mapping leaves out', async () => {
      const job = json<Job>(await upload(manager, 'contacts', 'x,y\n1,2\n'));
      const res = await manager('POST', `/api/v1/imports/${job.id}/validate`, {
        mapping: { title: 0 },
        duplicateMode: 'skip',
      });
      assert.equal(res.statusCode, 400);
      const problem = json<Problem>(res);
      assert.equal(problem.code, 'mapping_incomplete');
      assert.deepEqual(problem.errors!.map((e) => e.field).sort(), ['mapping.accountName', 'mapping.name']);
      const bad = await manager('POST', `/api/v1/imports/${job.id}/validate`, {
        mapping: { name: 5, accountName: 0 },
        duplicateMode: 'skip',
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(json<Problem>(bad).errors![0]!.field, 'mapping.name');
    });

    it('refuses a file that is neither CSV nor xlsx, naming the file', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
      for (const body of [png, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), Buffer.alloc(0)]) {
        const res = await upload(manager, 'accounts', body, 'x.png');
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(json<Problem>(res).errors![0]!.field, 'file');
      }
      const headerOnly = await upload(manager, 'accounts', '客户名称\n');
      assert.equal(headerOnly.statusCode, 400);
      assert.equal(json<Problem>(headerOnly).code, 'no_rows');
    });

    it('handles duplicates as chosen: skip, update or create', async () => {
      const name = '常州恒立液压有限公司';
      const setup = json<Job>(
        await upload(manager, 'accounts', `客户名称,统一社会信用代码,城市\n${name},${CODE_B},常州市\n`),
      );
      await validate(manager, setup.id, setup.suggestedMapping);
      assert.equal((await commit(manager, setup.id)).status, 'committed');
      const original = (await accountNamed(name))!;

      const file = `客户名称,统一社会信用代码,城市,电话\n恒立液压（常州）股份公司,${CODE_B},武进区,0519-1\n${name},,,0519-2\n常州新客户有限公司,,,\n常州新客户有限公司,,,\n`;
      const skip = json<Job>(await upload(manager, 'accounts', file));
      const skipResult = await validate(manager, skip.id, skip.suggestedMapping, 'skip');
      assert.deepEqual(skipResult.counts, { create: 1, update: 0, skip: 3, error: 0, duplicate: 3, similar: 0 });
      const skipped = json<ErrorPage>(await manager('GET', `/api/v1/imports/${skip.id}/duplicates`));
      assert.deepEqual(
        skipped.items.map((row) => [
          row.rowNo,
          row.outcome,
          row.problems[0]!.code,
          row.problems[0]!.params?.name ?? null,
        ]),
        [
          [2, 'skip', 'duplicate_existing', name],
          [3, 'skip', 'duplicate_existing', name],
          [5, 'skip', 'duplicate_in_file', null],
        ],
        'each duplicate is listed with the record it matches, not only counted',
      );

      const upd = json<Job>(await upload(manager, 'accounts', file));
      const updateResult = await validate(manager, upd.id, upd.suggestedMapping, 'update');
      assert.deepEqual(
        updateResult.counts,
        { create: 1, update: 2, skip: 0, error: 1, duplicate: 3, similar: 0 },
        'a repeated name within the file cannot be two updates',
      );
      const updates = json<ErrorPage>(await manager('GET', `/api/v1/imports/${upd.id}/duplicates`));
      assert.deepEqual(
        updates.items.map((row) => [row.rowNo, row.outcome]),
        [
          [2, 'update'],
          [3, 'update'],
          [5, 'error'],
        ],
      );
      assert.equal(updates.items[0]!.problems[0]!.params?.name, name, 'names the account the row will update');
      assert.equal((await commit(manager, upd.id, true)).status, 'committed');
      const after = await testApp.db.kysely
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', original.id)
        .executeTakeFirstOrThrow();
      assert.equal(after.id, original.id, 'matched by credit code and updated in place');
      assert.equal(after.city, '武进区');
      assert.equal(after.phone, '0519-2', 'the name match updated the same account, blank cells left alone');
      assert.ok(after.version > original.version);

      const create = json<Job>(await upload(manager, 'accounts', file));
      const createResult = await validate(manager, create.id, create.suggestedMapping, 'create');
      assert.equal(createResult.counts!.error, 1, 'a credit code is never duplicated');
      assert.equal(createResult.counts!.create, 3);
    });

    it('is all or nothing: a failure while writing leaves no rows behind', async () => {
      if (engine === 'sqlite') {
        await sql`create trigger boom before insert on accounts when new.name = '爆炸测试公司' begin select raise(abort, 'boom'); end`.execute(
          testApp.db.kysely,
        );
      } else {
        await sql`create function boom() returns trigger language plpgsql as $$ begin if new.name = '爆炸测试公司' then raise exception 'boom'; end if; return new; end $$`.execute(
          testApp.db.kysely,
        );
        await sql`create trigger boom before insert on accounts for each row execute function boom()`.execute(
          testApp.db.kysely,
        );
      }
      const lines = ['客户名称'];
      for (let i = 1; i <= 700; i++) lines.push(i === 650 ? '爆炸测试公司' : `批量导入测试公司${i}号`);
      const job = json<Job>(await upload(manager, 'accounts', lines.join('\n')));
      const checked = await validate(manager, job.id, job.suggestedMapping);
      assert.deepEqual(checked.counts, { create: 700, update: 0, skip: 0, error: 0, duplicate: 0, similar: 0 });
      const before = await accountCount();
      const done = await commit(manager, job.id);
      assert.equal(done.status, 'failed');
      assert.match(done.failure ?? '', /nothing was saved/);
      assert.equal(await accountCount(), before, 'the first 500 rows were rolled back too');
      const audit = await testApp.db.kysely
        .selectFrom('audit_log')
        .select('id')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('target_id', '=', job.id)
        .where('action', '=', 'import.accounts')
        .execute();
      assert.equal(audit.length, 0);
      await sql`drop trigger boom${sql.raw(engine === 'postgres' ? ' on accounts' : '')}`.execute(testApp.db.kysely);
    });

    it('remembers the mapping for the next file of the same kind', async () => {
      const first = json<Job>(await upload(manager, 'accounts', '单位,备忘\n甲公司,x\n'));
      assert.equal(first.suggestedMapping.name, null, '"单位" is not a known header…');
      await validate(manager, first.id, { name: 0, notes: 1 });
      const second = json<Job>(await upload(manager, 'accounts', '备忘,其他,单位\ny,z,乙公司\n'));
      assert.equal(second.suggestedMapping.name, 2, '…but the remembered mapping follows the column');
      assert.equal(second.suggestedMapping.notes, 0);
    });

    it('warns about names resembling an existing account, and still creates them (docs/archive.md)', async () => {
      // 杭州海康精工有限公司 exists (first test); a look-alike, a same-key duplicate and an unrelated name.
      const csv = ['客户名称', '杭州海康精工机械有限公司', '海康精工有限公司', '成都天府软件园有限公司'].join('\n');
      const job = json<Job>(await upload(manager, 'accounts', csv));
      const checked = await validate(manager, job.id, job.suggestedMapping);
      assert.deepEqual(checked.counts, { create: 2, update: 0, skip: 1, error: 0, duplicate: 1, similar: 1 });
      const warnings = json<ErrorPage>(await manager('GET', `/api/v1/imports/${job.id}/warnings`));
      assert.equal(warnings.total, 1);
      assert.equal(warnings.items[0]!.rowNo, 2);
      assert.equal(warnings.items[0]!.problems[0]!.code, 'similar_existing');
      assert.match(warnings.items[0]!.problems[0]!.message, /杭州海康精工有限公司 \(\d+% alike\)/);
      assert.equal(
        json<ErrorPage>(await manager('GET', `/api/v1/imports/${job.id}/errors`)).total,
        0,
        'a warning is not an error',
      );
      const done = await commit(manager, job.id);
      assert.equal(done.status, 'committed', done.failure ?? '');
      assert.ok(await accountNamed('杭州海康精工机械有限公司'), 'warned, and created');
      assert.equal((await rep('GET', `/api/v1/imports/${job.id}/warnings`)).statusCode, 404, "another user's import");
    });
  });
}
