import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
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
import { workbook } from '../helpers/xlsx.ts';
import { accountNamedIn, commitImport, uploadImport, validateMapping } from '../helpers/imports.ts';

/**
 * An uploaded file read and its columns mapped (docs/archive.md § Import and export): GBK CSV
 * from Chinese Excel, .xlsx detected by content, files that are neither refused; the required
 * fields a mapping must name, and the mapping remembered for the next file of the same kind.
 */
type ErrorPage = Page<ReportRow>;

const FIXTURES = path.join(import.meta.dirname, '../fixtures/import');

const upload = uploadImport;
const validate = validateMapping;
const commit = commitImport;

for (const engine of testEngines()) {
  describe(`imports: files and mappings [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let manager: Call;
    let rep: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'impu');
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
    });
    after(() => testApp.close());

    const accountNamed = (name: string) => accountNamedIn(testApp, fixture.workspaceId, name);

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

    it('remembers the mapping for the next file of the same kind', async () => {
      const first = json<Job>(await upload(manager, 'accounts', '单位,备忘\n甲公司,x\n'));
      assert.equal(first.suggestedMapping.name, null, '"单位" is not a known header…');
      await validate(manager, first.id, { name: 0, notes: 1 });
      const second = json<Job>(await upload(manager, 'accounts', '备忘,其他,单位\ny,z,乙公司\n'));
      assert.equal(second.suggestedMapping.name, 2, '…but the remembered mapping follows the column');
      assert.equal(second.suggestedMapping.notes, 0);
    });
  });
}
