import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
import { accountNamedIn, commitImport, uploadImport, validateMapping } from '../helpers/imports.ts';

/**
 * An import of accounts from upload to commit: bad rows listed and skipped, owners, who sees a
 * job, duplicates as chosen, all or nothing, look-alike names. Reading files and mapping their
 * columns: import-upload.test.ts; contacts: import-contacts.test.ts.
 */
type ErrorPage = Page<ReportRow>;

const CODE_A = makeCreditCode('91310000MA1FL0001');
const CODE_B = makeCreditCode('91310000MA1FL0002');

const upload = uploadImport;
const validate = validateMapping;
const commit = commitImport;

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

    const accountNamed = (name: string) => accountNamedIn(testApp, fixture.workspaceId, name);
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
      // Nor records waiting for their search entries (migration 0048), nor its flag raised.
      const waiting = await testApp.db.kysely
        .selectFrom('search_pending')
        .select('record_id')
        .where('workspace_id', '=', fixture.workspaceId)
        .execute();
      assert.deepEqual(waiting, []);
      assert.deepEqual(await testApp.db.kysely.selectFrom('search_defer').selectAll().execute(), []);
      await sql`drop trigger boom${sql.raw(engine === 'postgres' ? ' on accounts' : '')}`.execute(testApp.db.kysely);
    });

    it('checks every row again at the commit: what changed since the dry run is what the report says', async () => {
      // 1,500 rows: two of the check's 1,000-row chunks. After the dry run another user creates the
      // company of row 1,201 (second chunk): the commit skips it as a duplicate, and names like it
      // now resemble an account that exists; the verdicts the commit stored agree with its counts.
      const lines = ['客户名称'];
      for (let i = 1; i <= 1500; i++) lines.push(`复核测试精工${i}号有限公司`);
      const job = json<Job>(await upload(manager, 'accounts', lines.join('\n')));
      const checked = await validate(manager, job.id, job.suggestedMapping);
      assert.deepEqual(checked.counts, { create: 1500, update: 0, skip: 0, error: 0, duplicate: 0, similar: 0 });
      const made = await manager('POST', '/api/v1/accounts', { name: '复核测试精工1200号有限公司' });
      assert.equal(made.statusCode, 201, made.body);
      const before = await accountCount();
      const done = await commit(manager, job.id);
      assert.equal(done.status, 'committed', done.failure ?? '');
      assert.equal(done.result?.created, 1499);
      assert.equal(await accountCount(), before + 1499);
      const duplicates = json<ErrorPage>(await manager('GET', `/api/v1/imports/${job.id}/duplicates?limit=10`));
      assert.deepEqual(
        duplicates.items.map((row) => [row.rowNo, row.outcome, row.problems[0]!.code]),
        [[1201, 'skip', 'duplicate_existing']],
      );
      assert.equal(done.counts?.duplicate, 1);
      const warnings = json<ErrorPage>(await manager('GET', `/api/v1/imports/${job.id}/warnings?limit=1`));
      assert.ok((done.counts?.similar ?? 0) > 0, 'names like the new account resemble it now');
      assert.equal(warnings.total, done.counts?.similar, 'each warning counted is stored on its row');
    });

    it("writes the dry run's progress at most once a second, not once per 1,000-row chunk", async () => {
      // Each write of the job bumps its version: the request that starts the dry run, the progress
      // writes, the verdict at the end. 10,000 rows are ten chunks: ten progress writes before.
      const lines = ['客户名称'];
      for (let i = 1; i <= 10_000; i++) lines.push(`进度测试${i}号有限公司`);
      const job = json<Job>(await upload(manager, 'accounts', lines.join('\n')));
      const version = async () =>
        (
          await testApp.db.kysely
            .selectFrom('import_jobs')
            .select('version')
            .where('id', '=', job.id)
            .executeTakeFirstOrThrow()
        ).version;
      const before = await version();
      const started = Date.now();
      const checked = await validate(manager, job.id, job.suggestedMapping);
      assert.equal(checked.counts?.create, 10_000);
      const progressWrites = (await version()) - before - 2;
      assert.ok(progressWrites >= 1, "the first chunk's progress is written");
      assert.ok(
        progressWrites <= 1 + Math.floor((Date.now() - started) / 1000),
        `${progressWrites} progress writes in ${Date.now() - started} ms`,
      );
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
