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
import type { Page } from '../../src/contracts/common.ts';
import type { ImportJob as Job, ReportRow } from '../../src/contracts/imports.ts';
import { commitImport, uploadImport, validateImport, validateMapping } from '../helpers/imports.ts';

type ErrorPage = Page<ReportRow>;

/**
 * A contact named twice in one file (docs/archive.md § Import and export): with duplicates
 * skipped the second row is skipped, naming the first; where they update, it is an error (one
 * file updates one contact once); where they are created, both rows create.
 */
for (const engine of testEngines()) {
  describe(`contacts import: the same contact twice in a file [${engine}]`, () => {
    let testApp: TestApp;
    let rep: Call;
    let file: string;
    before(async () => {
      testApp = await createTestApp(engine);
      const fixture = await seedWorkspace(testApp, 'impc');
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      const { name } = await testApp.db.kysely
        .selectFrom('accounts')
        .select('name')
        .where('id', '=', fixture.accounts.repAccount)
        .executeTakeFirstOrThrow();
      file = `公司名称,姓名,职务,手机\n${name},陈新,工程师,13900000011\n${name},陈新,经理,13900000011\n${name},黄一,采购,\n`;
    });
    after(() => testApp.close());

    const dryRun = async (duplicateMode: string) => {
      const job = json<Job>(await uploadImport(rep, 'contacts', file));
      const checked = await validateImport(rep, job.id, { mapping: job.suggestedMapping, duplicateMode });
      const listed = async (list: 'errors' | 'duplicates') =>
        json<Page<ReportRow>>(await rep('GET', `/api/v1/imports/${job.id}/${list}`)).items.map((row) => [
          row.rowNo,
          row.outcome,
          row.problems.map((problem) => [problem.field, problem.code, problem.params ?? null]),
        ]);
      return { counts: checked.counts, errors: await listed('errors'), duplicates: await listed('duplicates') };
    };
    const again = [['name', 'duplicate_in_file', { row: 2 }]];

    it('skips the second row, naming the first, when duplicates are skipped', async () => {
      const { counts, duplicates, errors } = await dryRun('skip');
      assert.deepEqual(counts, { create: 2, update: 0, skip: 1, error: 0, duplicate: 1, similar: 0 });
      assert.deepEqual(duplicates, [[3, 'skip', again]]);
      assert.deepEqual(errors, []);
    });

    it('refuses the second row when duplicates update', async () => {
      const { counts, errors } = await dryRun('update');
      assert.deepEqual(counts, { create: 2, update: 0, skip: 0, error: 1, duplicate: 1, similar: 0 });
      assert.deepEqual(errors, [[3, 'error', again]]);
    });

    it('creates both when duplicates are created', async () => {
      const { counts, errors } = await dryRun('create');
      assert.deepEqual(counts, { create: 3, update: 0, skip: 0, error: 0, duplicate: 0, similar: 0 });
      assert.deepEqual(errors, []);
    });
  });
}

/**
 * Contacts join accounts by name (docs/archive.md § Import and export): only accounts the importer
 * sees, the existing contact updated in place; reports-to from a name in the file or in Keyline.
 */
for (const engine of testEngines()) {
  describe(`contacts import: accounts and reports-to [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let rep: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'impl');
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
    });
    after(() => testApp.close());

    const upload = uploadImport;
    const validate = validateMapping;
    const commit = commitImport;

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
  });
}
