import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, seedWorkspace, sessionCookie, type Call, type TestApp } from '../helpers/app.ts';
import type { Page } from '../../src/contracts/common.ts';
import type { ImportJob as Job, ReportRow } from '../../src/contracts/imports.ts';
import { uploadImport, validateImport } from '../helpers/imports.ts';

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
