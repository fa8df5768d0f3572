import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, seedWorkspace, sessionCookie, type Call, type TestApp } from '../helpers/app.ts';
import { commitImport, uploadImport, validateImport } from '../helpers/imports.ts';
import { substringScan } from '../helpers/substring-scan.ts';
import { backfillStatements, SEARCHED } from '../../src/db/migrations/0018_search_index.ts';
import { makeCreditCode } from '../../src/domain/credit-code.ts';
import type { ImportJob as Job } from '../../src/contracts/imports.ts';

/**
 * Imported rows are in the search index as rows written one at a time are (docs/search.md): an
 * import inserts hundreds of rows per statement, which PostgreSQL indexes together (migration
 * 0040), so its grams are compared with the ones migration 0018's row statements give, and the
 * lists' search over them with the substring scan.
 */
type Page = { items: { id: number }[]; total: number };

/** mulberry32: the same random names on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let mixed = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

// Characters with several pinyin readings (长, 行, 重), case, accents, an emoji and LIKE's own characters.
const ALPHABET = [...'张伟王科技公司华为长行重aBcZw12%_\\-Éé😀'];

for (const engine of testEngines()) {
  describe(`imported rows in the search index [${engine}]`, () => {
    let testApp: TestApp;
    let admin: Call;
    let workspaceId: number;
    before(async () => {
      testApp = await createTestApp(engine);
      const fixture = await seedWorkspace(testApp, 'simp');
      workspaceId = fixture.workspaceId;
      admin = client(testApp, await sessionCookie(testApp, workspaceId, fixture.users.admin.id));
    });
    after(() => testApp.close());

    it('gives the grams of one-row writes and exactly what the substring scan gives', async () => {
      const kysely = testApp.db.kysely;
      const random = rng(20261206);
      const word = (min: number, max: number) =>
        Array.from(
          { length: min + Math.floor(random() * (max - min + 1)) },
          () => ALPHABET[Math.floor(random() * ALPHABET.length)],
        ).join('');
      const names = Array.from({ length: 150 }, (_, i) => `${word(1, 12)}号${i}`);
      const accountsCsv = [
        '客户名称,统一社会信用代码,备注',
        ...names.map(
          (name, i) => `${name},${random() < 0.5 ? makeCreditCode(`9144${String(i).padStart(13, '0')}`) : ''},`,
        ),
      ].join('\n');
      const contactsCsv = [
        '公司名称,姓名,职务,手机,邮箱,微信',
        ...Array.from({ length: 150 }, (_, row) =>
          [
            names[Math.floor(random() * names.length)],
            `${word(1, 5)}${row}`,
            random() < 0.5 ? word(1, 5) : '',
            random() < 0.5 ? `139${String(row).padStart(8, '0')}` : '',
            random() < 0.3 ? `u${row}@x.cn` : '',
            random() < 0.3 ? word(2, 6) : '',
          ].join(','),
        ),
      ].join('\n');
      const ids: Record<'accounts' | 'contacts', number[]> = { accounts: [], contacts: [] };
      for (const [kind, csv] of [
        ['accounts', accountsCsv],
        ['contacts', contactsCsv],
      ] as const) {
        const before = await kysely
          .selectFrom(kind)
          .select((eb) => eb.fn.max<number>('id').as('id'))
          .executeTakeFirstOrThrow();
        const job = json<Job>(await uploadImport(admin, kind, csv));
        await validateImport(admin, job.id, { mapping: job.suggestedMapping, duplicateMode: 'create' });
        const done = await commitImport(admin, job.id, true);
        assert.equal(done.status, 'committed', JSON.stringify(done));
        ids[kind] = (
          await kysely
            .selectFrom(kind)
            .select('id')
            .where('workspace_id', '=', workspaceId)
            .where('id', '>', Number(before.id ?? 0))
            .execute()
        ).map((row) => row.id);
        assert.ok(ids[kind].length > 100, `${kind}: ${ids[kind].length} imported`);
      }

      // The grams the import wrote, then the ones 0018's statements write for the same rows.
      const theirs = sql`workspace_id = ${workspaceId}
        and ((kind in ('a', 'ap') and record_id in (${sql.join(ids.accounts)}))
          or (kind in ('c', 'cp') and record_id in (${sql.join(ids.contacts)})))`;
      const grams = async () =>
        (
          await sql<{ gram: string; kind: string; record_id: number }>`select gram, kind, record_id from search_grams
            where ${theirs}`.execute(kysely)
        ).rows
          .map((row) => `${row.kind} ${row.record_id} ${row.gram}`)
          .sort();
      const imported = await grams();
      assert.ok(imported.length > 3000, `${imported.length} grams`);
      await sql`delete from search_grams where ${theirs}`.execute(kysely);
      for (const spec of SEARCHED.filter((searched) => searched.table !== 'opportunities'))
        for (const statement of backfillStatements(
          spec,
          `x.workspace_id = ${workspaceId} and x.id in (${ids[spec.table as 'accounts' | 'contacts'].join(', ')})`,
        ))
          await sql.raw(statement).execute(kysely);
      assert.deepEqual(imported, await grams());

      if (engine === 'postgres') await sql`analyze`.execute(kysely);
      const scan = substringScan(kysely, engine, workspaceId);
      const sorted = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
      const listed = async (path: string, query: string) =>
        json<Page>(await admin('GET', `/api/v1/${path}?q=${encodeURIComponent(query)}&limit=500`))
          .items.map((item) => item.id)
          .sort((a, b) => a - b);
      const queries = new Set<string>();
      while (queries.size < 60) {
        const chars = [...names[Math.floor(random() * names.length)]!];
        const at = Math.floor(random() * chars.length);
        queries.add(
          chars
            .slice(at, at + 1 + Math.floor(random() * 3))
            .join('')
            .trim() || 'a',
        );
      }
      let found = 0;
      for (const query of queries) {
        const accounts = await listed('accounts', query);
        assert.deepEqual(accounts, sorted(await scan.accounts(query)), `accounts ${JSON.stringify(query)}`);
        assert.deepEqual(
          await listed('contacts', query),
          sorted(await scan.contacts(query)),
          `contacts ${JSON.stringify(query)}`,
        );
        if (accounts.length > 0) found++;
      }
      assert.ok(found > 40, `most queries should find something (${found})`);
    });
  });
}
