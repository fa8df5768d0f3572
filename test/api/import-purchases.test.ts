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
import { makeCreditCode } from '../../src/domain/credit-code.ts';
import { addDays, dateIn } from '../../src/domain/calendar.ts';
import { commitImport, uploadImport, validateImport } from '../helpers/imports.ts';

/**
 * Purchase history from another system (docs/archive.md § Import and export): rows find their
 * account among those the importer may edit, dates and yuan amounts are checked, repeats are
 * duplicates, and the imported purchases count in the next tier recompute.
 */
for (const engine of testEngines()) {
  describe(`purchase history import [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let rep: Call;
    let admin: Call;
    let names: { own: string; others: string };
    const code = makeCreditCode('91330200MA2AP0001');
    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'impp');
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      await testApp.db.kysely
        .updateTable('accounts')
        .set({ credit_code: code })
        .where('id', '=', fixture.accounts.repAccount)
        .execute();
      const nameOf = async (id: number) =>
        (await testApp.db.kysely.selectFrom('accounts').select('name').where('id', '=', id).executeTakeFirstOrThrow())
          .name;
      names = { own: await nameOf(fixture.accounts.repAccount), others: await nameOf(fixture.accounts.rep2Account) };
    });
    after(() => testApp.close());

    const purchasesOf = (accountId: number) =>
      testApp.db.kysely
        .selectFrom('purchases')
        .select(['purchased_on', 'amount', 'product', 'created_by'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('account_id', '=', accountId)
        .orderBy('purchased_on')
        .execute();

    it('checks every row, lists repeats as duplicates, writes the rest and counts them in the tiers', async () => {
      const today = dateIn(Date.now(), 'Asia/Shanghai');
      const monthAgo = addDays(today, -30);
      const csv = [
        '客户名称,统一社会信用代码,采购日期,金额（元）,产品',
        `${names.own},,${monthAgo},"1,280,000.00",MES 一期`,
        `,${code},${addDays(today, -60).replaceAll('-', '/')},128.5万,WMS`,
        `${names.own},,${monthAgo},1280000,MES 一期`,
        `${names.others},,${monthAgo},100,X`,
        `${names.own},,${addDays(today, 2)},100,X`,
        `${names.own},,2025-02-30,100,X`,
        `${names.own},,${monthAgo},-5,X`,
        `${names.own},,${monthAgo},12.345,X`,
      ].join('\n');
      const job = json<Job>(await uploadImport(rep, 'purchases', csv));
      assert.equal(job.kind, 'purchases');
      const checked = await validateImport(rep, job.id, { mapping: job.suggestedMapping, duplicateMode: 'skip' });
      assert.deepEqual(checked.counts, { create: 2, update: 0, skip: 1, error: 5, duplicate: 1, similar: 0 });
      const errors = json<Page<ReportRow>>(await rep('GET', `/api/v1/imports/${job.id}/errors`));
      assert.deepEqual(
        errors.items.map((row) => [row.rowNo, row.problems[0]!.field, row.problems[0]!.code]),
        [
          [5, 'accountName', 'account_not_found'],
          [6, 'purchasedOn', 'future_date'],
          [7, 'purchasedOn', 'invalid_date'],
          [8, 'amount', 'invalid_amount'],
          [9, 'amount', 'invalid_amount'],
        ],
        "another rep's account is not found: the importer cannot see it",
      );
      const duplicates = json<Page<ReportRow>>(await rep('GET', `/api/v1/imports/${job.id}/duplicates`));
      assert.deepEqual(
        duplicates.items.map((row) => [row.rowNo, row.outcome, row.problems[0]!.code, row.problems[0]!.params?.row]),
        [[4, 'skip', 'duplicate_in_file', 2]],
      );

      const done = await commitImport(rep, job.id, true);
      assert.equal(done.status, 'committed', done.failure ?? '');
      assert.deepEqual(done.result, { created: 2, updated: 0, skipped: 6 });
      assert.deepEqual(
        (await purchasesOf(fixture.accounts.repAccount)).map((row) => ({ ...row, amount: Number(row.amount) })),
        [
          { purchased_on: addDays(today, -60), amount: 128_500_000, product: 'WMS', created_by: fixture.users.rep.id },
          { purchased_on: monthAgo, amount: 128_000_000, product: 'MES 一期', created_by: fixture.users.rep.id },
        ],
      );

      // The same file again: both purchases are recorded already.
      const again = json<Job>(await uploadImport(rep, 'purchases', csv));
      const rechecked = await validateImport(rep, again.id, { mapping: again.suggestedMapping, duplicateMode: 'skip' });
      assert.equal(rechecked.counts!.create, 0);
      assert.equal(rechecked.counts!.duplicate, 3);

      const recompute = await admin('POST', '/api/v1/tiers/recompute', {});
      assert.equal(recompute.statusCode, 200, recompute.body);
      const account = await testApp.db.kysely
        .selectFrom('accounts')
        .select(['trailing_amount'])
        .where('id', '=', fixture.accounts.repAccount)
        .executeTakeFirstOrThrow();
      assert.equal(Number(account.trailing_amount), 256_500_000, 'imported purchases count as purchases of the window');
    });

    it('asks for the account, the date and the amount columns', async () => {
      const job = json<Job>(await uploadImport(rep, 'purchases', '产品,备注\nMES,x\n'));
      const res = await rep('POST', `/api/v1/imports/${job.id}/validate`, {
        mapping: { product: 0 },
        duplicateMode: 'skip',
      });
      assert.equal(res.statusCode, 400);
      const fields = (json<{ errors: { field: string }[] }>(res).errors ?? []).map((error) => error.field).sort();
      assert.deepEqual(fields, ['mapping.accountName', 'mapping.amount', 'mapping.purchasedOn']);
    });
  });
}
