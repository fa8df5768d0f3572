import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, seedWorkspace, sessionCookie, type Call, type TestApp } from '../helpers/app.ts';
import { commitImport, uploadImport, validateImport } from '../helpers/imports.ts';
import { backfillStatements, SEARCHED } from '../../src/db/migrations/0018_search_index.ts';
import { indexingKick, indexPendingHere, SEARCH_INDEX_JOB } from '../../src/modules/search/indexing.ts';
import { runExclusive } from '../../src/modules/jobs/lease.ts';
import { liveProgress } from '../../src/modules/imports/run-phase.ts';
import type { ImportJob as Job } from '../../src/contracts/imports.ts';
import type { SearchResponse } from '../../src/contracts/search.ts';

/**
 * An import commits its records without their search entries; the indexing job writes them
 * (migration 0048, docs/search.md § Imported records). The import's kick is off here, so each
 * test sees the records before the job and runs the job itself.
 */
type Kind = 'accounts' | 'contacts';

for (const engine of testEngines()) {
  describe(`imported records indexed after the commit [${engine}]`, () => {
    let testApp: TestApp;
    let admin: Call;
    let workspaceId: number;
    before(async () => {
      indexingKick.enabled = false;
      testApp = await createTestApp(engine);
      const fixture = await seedWorkspace(testApp, 'sdef');
      workspaceId = fixture.workspaceId;
      admin = client(testApp, await sessionCookie(testApp, workspaceId, fixture.users.admin.id));
    });
    after(async () => {
      indexingKick.enabled = true;
      await testApp.close();
    });

    const kysely = () => testApp.db.kysely;
    const kindOf = (table: Kind) => SEARCHED.find((spec) => spec.table === table)!;
    /** Imports `csv` without waiting for the index; returns the job and the ids it created. */
    const importRows = async (table: Kind, csv: string) => {
      const before = await kysely()
        .selectFrom(table)
        .select((eb) => eb.fn.max<number>('id').as('id'))
        .executeTakeFirstOrThrow();
      const job = json<Job>(await uploadImport(admin, table, csv));
      await validateImport(admin, job.id, { mapping: job.suggestedMapping, duplicateMode: 'create' });
      const done = await commitImport(admin, job.id, true, false);
      assert.equal(done.status, 'committed', JSON.stringify(done));
      // Its worker refreshes the planner's statistics after the commit, holding SQLite's write lock
      // for a moment: the job run below on this connection would meet it (database is locked).
      while (liveProgress(job.id) !== undefined) await new Promise((resolve) => setTimeout(resolve, 25));
      const ids = (
        await kysely()
          .selectFrom(table)
          .select('id')
          .where('workspace_id', '=', workspaceId)
          .where('id', '>', Number(before.id ?? 0))
          .orderBy('id')
          .execute()
      ).map((row) => row.id);
      return { job: done, ids };
    };
    const where = (table: Kind, ids: number[]) =>
      sql`workspace_id = ${workspaceId} and kind in (${kindOf(table).kind}, ${`${kindOf(table).kind}p`}) and record_id in (${sql.join(ids)})`;
    const grams = async (table: Kind, ids: number[]) =>
      (
        await sql<{
          gram: string;
          kind: string;
          record_id: number;
          sort_key: number;
          unit_id: number;
        }>`select * from search_grams where ${where(table, ids)}`.execute(kysely())
      ).rows
        .map((row) => `${row.kind} ${row.record_id} ${row.gram} ${row.sort_key} ${row.unit_id}`)
        .sort();
    /** The grams the triggers' own statements (migration 0018's, as now) write for these records. */
    const triggersGrams = async (table: Kind, ids: number[]) => {
      const kept = await grams(table, ids);
      await sql`delete from search_grams where ${where(table, ids)}`.execute(kysely());
      for (const statement of backfillStatements(kindOf(table), `x.id in (${ids.join(', ')})`))
        await sql.raw(statement).execute(kysely());
      const written = await grams(table, ids);
      assert.deepEqual(kept, written, `${table}: the job's grams are the triggers'`);
      return written;
    };
    const pending = async () =>
      (
        await kysely()
          .selectFrom('search_pending')
          .select(['kind', 'record_id', 'import_job_id'])
          .where('workspace_id', '=', workspaceId)
          .orderBy('kind')
          .orderBy('record_id')
          .execute()
      ).map((row) => `${row.kind} ${row.record_id} ${row.import_job_id}`);
    const found = async (query: string) => {
      const res = json<SearchResponse>(await admin('GET', `/api/v1/search?q=${encodeURIComponent(query)}`));
      return { accounts: res.accounts!.total, contacts: res.contacts!.total };
    };
    const taken = (result: string) => Number(/^(\d+) records indexed/.exec(result)?.[1]);

    it('commits no grams, a pending row per record; the job writes the triggers’ grams and search finds them', async () => {
      const names = Array.from({ length: 40 }, (_, i) => `延迟索引测试${i}号长行公司`);
      const accounts = await importRows(
        'accounts',
        ['客户名称,统一社会信用代码', ...names.map((n) => `${n},`)].join('\n'),
      );
      const contacts = await importRows(
        'contacts',
        [
          '公司名称,姓名,手机,邮箱',
          ...names.slice(0, 30).map((n, i) => `${n},缓建联系人${i},1390000${String(i).padStart(4, '0')},d${i}@x.cn`),
        ].join('\n'),
      );
      assert.equal(accounts.ids.length, 40);
      assert.equal(contacts.ids.length, 30);
      assert.equal(accounts.job.searchPending, 40);
      assert.equal(contacts.job.searchPending, 30);
      assert.deepEqual(await pending(), [
        ...accounts.ids.map((id) => `a ${id} ${accounts.job.id}`),
        ...contacts.ids.map((id) => `c ${id} ${contacts.job.id}`),
      ]);
      assert.deepEqual(await grams('accounts', accounts.ids), []);
      assert.deepEqual(await grams('contacts', contacts.ids), []);
      assert.deepEqual(await found('延迟索引'), { accounts: 0, contacts: 0 });
      assert.deepEqual(await kysely().selectFrom('search_defer').selectAll().execute(), [], 'the flag is lowered');
      // Every other writer indexes in its own statement, meanwhile too.
      const made = await admin('POST', '/api/v1/accounts', { name: '延迟索引测试同步写入' });
      assert.equal(made.statusCode, 201, made.body);
      assert.deepEqual(await found('延迟索引'), { accounts: 1, contacts: 0 });
      assert.equal((await pending()).length, 70);

      // Batches of 7: ten or so short transactions.
      assert.equal(taken(await indexPendingHere(kysely(), testApp.db.engine, { size: 7 })), 70);
      assert.deepEqual(await pending(), []);
      assert.ok((await triggersGrams('accounts', accounts.ids)).length > 40 * 20);
      assert.ok((await triggersGrams('contacts', contacts.ids)).length > 30 * 20);
      assert.deepEqual(await found('延迟索引'), { accounts: 41, contacts: 0 });
      assert.deepEqual(await found('缓建联系人'), { accounts: 0, contacts: 30 });
      assert.ok((await found('ycsy')).accounts >= 40, 'the pinyin initials of 延迟索引 are indexed');
      const status = json<Job>(await admin('GET', `/api/v1/imports/${accounts.job.id}`));
      assert.equal(status.searchPending, 0);
    });

    it('a pending record renamed or deleted before the job ends right', async () => {
      const { ids } = await importRows(
        'accounts',
        ['客户名称', '改名前的待索引甲公司', '不变的待索引乙公司', '删除的待索引丙公司'].join('\n'),
      );
      const [renamed, kept, deleted] = ids as [number, number, number];
      // The update trigger indexes the renamed record at once; the job re-indexes it the same.
      await sql`update accounts set name = '改名后的待索引甲公司' where id = ${renamed}`.execute(kysely());
      await sql`delete from accounts where id = ${deleted}`.execute(kysely());
      assert.ok((await grams('accounts', [renamed])).length > 0);
      assert.equal(taken(await indexPendingHere(kysely(), testApp.db.engine)), 3);
      assert.deepEqual(await pending(), []);
      await triggersGrams('accounts', [renamed, kept]);
      assert.deepEqual(await grams('accounts', [deleted]), []);
      assert.deepEqual(await found('改名前'), { accounts: 0, contacts: 0 });
      assert.deepEqual(await found('改名后的待索引'), { accounts: 1, contacts: 0 });
      assert.deepEqual(await found('删除的待索引'), { accounts: 0, contacts: 0 });
      assert.deepEqual(await found('不变的待索引'), { accounts: 1, contacts: 0 });
    });

    it('run twice, or in two sessions at once, it writes each entry once; the lease lets one run it', async () => {
      const { ids } = await importRows(
        'accounts',
        ['客户名称', ...Array.from({ length: 30 }, (_, i) => `并发索引${i}号公司`)].join('\n'),
      );
      const results = await Promise.all([
        indexPendingHere(kysely(), testApp.db.engine, { size: 4 }),
        indexPendingHere(kysely(), testApp.db.engine, { size: 4 }),
      ]);
      assert.equal(taken(results[0]) + taken(results[1]), 30, results.join('; '));
      const written = await triggersGrams('accounts', ids);
      assert.equal(taken(await indexPendingHere(kysely(), testApp.db.engine)), 0);
      // Re-run after a crash: the same records taken again give the same grams.
      await kysely()
        .insertInto('search_pending')
        .values(ids.map((id) => ({ workspace_id: workspaceId, kind: 'a', record_id: id, import_job_id: null })))
        .execute();
      assert.equal(taken(await indexPendingHere(kysely(), testApp.db.engine)), 30);
      assert.deepEqual(await grams('accounts', ids), written);
      const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve('ok'), 200));
      const runs = await Promise.all([
        runExclusive(kysely(), SEARCH_INDEX_JOB, { everyMs: 0, force: true }, slow),
        runExclusive(kysely(), SEARCH_INDEX_JOB, { everyMs: 0, force: true }, slow),
      ]);
      assert.deepEqual(runs.map((run) => run.ran).sort(), [false, true]);
    });

    it('the commit kicks the job: the import becomes searchable by itself', async () => {
      indexingKick.enabled = true;
      try {
        const job = json<Job>(await uploadImport(admin, 'accounts', ['客户名称', '自动索引测试公司'].join('\n')));
        await validateImport(admin, job.id, { mapping: job.suggestedMapping, duplicateMode: 'create' });
        const done = await commitImport(admin, job.id, true);
        assert.equal(done.searchPending, 0);
        assert.deepEqual(await found('自动索引测试'), { accounts: 1, contacts: 0 });
      } finally {
        indexingKick.enabled = false;
      }
    });
  });
}
