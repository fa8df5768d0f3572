import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, seedWorkspace, sessionCookie, type Call, type TestApp } from '../helpers/app.ts';
import type { Page, Problem } from '../../src/contracts/common.ts';
import type { ImportJob as Job, ReportRow } from '../../src/contracts/imports.ts';
import { commitImport, uploadImport, validateImport } from '../helpers/imports.ts';

/**
 * The import speaks the app's vocabulary and asks once per unknown word (docs/archive.md § Import
 * and export): the value-mapping step lists each unrecognised value with its row count and a
 * suggestion, and the user's answers apply to the dry run and the commit.
 */
for (const engine of testEngines()) {
  describe(`import value mapping [${engine}]`, () => {
    let testApp: TestApp;
    let workspaceId: number;
    let manager: Call;
    before(async () => {
      testApp = await createTestApp(engine);
      const fixture = await seedWorkspace(testApp, 'impv');
      workspaceId = fixture.workspaceId;
      manager = client(testApp, await sessionCookie(testApp, workspaceId, fixture.users.manager.id));
      // Managers export by default; the seeded users start without the grant.
      await testApp.db.kysely
        .updateTable('users')
        .set({ can_export: 1 })
        .where('id', '=', fixture.users.manager.id)
        .execute();
    });
    after(() => testApp.close());

    const industryOf = async (name: string) =>
      (
        await testApp.db.kysely
          .selectFrom('accounts')
          .select('industry')
          .where('workspace_id', '=', workspaceId)
          .where('name', '=', name)
          .executeTakeFirst()
      )?.industry;

    it('accepts the words the app shows, lists unknown words once with a suggestion, and applies the answers', async () => {
      const csv = [
        '客户名称,行业,规模',
        '宁波拓普汽配有限公司,汽车零部件,50-200人',
        '宁波均胜汽配有限公司,汽车零部件,',
        '合肥阳光储能有限公司,新能源,',
        '上海光明乳业有限公司,食品饮料,',
        '上海老字号食品有限公司,食品,',
        '火星贸易有限公司,外星产业,',
      ].join('\n');
      const job = json<Job>(await uploadImport(manager, 'accounts', csv));
      const first = await validateImport(manager, job.id, { mapping: job.suggestedMapping, duplicateMode: 'skip' });
      assert.equal(first.counts!.error, 4, 'the two 汽车零部件 rows, 新能源 and 外星产业; 食品饮料 and 食品 are known');
      assert.deepEqual(first.unknownValues, [
        { field: 'industry', value: '汽车零部件', rows: 2, suggestion: 'automotive' },
        { field: 'industry', value: '外星产业', rows: 1, suggestion: null },
        { field: 'industry', value: '新能源', rows: 1, suggestion: 'energy' },
      ]);

      const refused = await manager('POST', `/api/v1/imports/${job.id}/validate`, {
        mapping: job.suggestedMapping,
        duplicateMode: 'skip',
        valueMapping: { industry: { 新能源: 'solar' } },
      });
      assert.equal(refused.statusCode, 400);
      const problem = json<Problem>(refused);
      assert.equal(problem.errors?.[0]?.field, 'valueMapping.industry.新能源', refused.body);
      assert.equal(problem.errors?.[0]?.code, 'invalid_value');

      const second = await validateImport(manager, job.id, {
        mapping: job.suggestedMapping,
        duplicateMode: 'skip',
        valueMapping: { industry: { ' 汽车零部件 ': 'automotive', 新能源: 'energy' } },
      });
      assert.equal(second.counts!.error, 1, 'only 外星产业 is left');
      assert.deepEqual(second.valueMapping, { industry: { 汽车零部件: 'automotive', 新能源: 'energy' } });
      assert.deepEqual(
        second.unknownValues.map((unknown) => unknown.value),
        ['外星产业'],
      );
      const errors = json<Page<ReportRow>>(await manager('GET', `/api/v1/imports/${job.id}/errors`));
      assert.deepEqual(
        errors.items.map((row) => [row.rowNo, row.problems[0]!.code, row.problems[0]!.params?.value]),
        [[7, 'unknown_value', '外星产业']],
      );

      // Re-checking without valueMapping keeps the answers given before.
      const third = await validateImport(manager, job.id, { mapping: job.suggestedMapping, duplicateMode: 'skip' });
      assert.equal(third.counts!.error, 1);

      const done = await commitImport(manager, job.id, true);
      assert.equal(done.status, 'committed', done.failure ?? '');
      assert.equal(await industryOf('宁波拓普汽配有限公司'), 'automotive', 'the commit applies the mapping too');
      assert.equal(await industryOf('合肥阳光储能有限公司'), 'energy');
      assert.equal(await industryOf('上海光明乳业有限公司'), 'food');
      assert.equal(await industryOf('上海老字号食品有限公司'), 'food', 'the label of older exports still reads');
      assert.equal(await industryOf('火星贸易有限公司'), undefined, 'the row left with an error was not imported');
    });

    it('exports write the words the app shows (食品饮料, not 食品), in either language, and such a file imports back with nothing unknown', async () => {
      for (const [lang, food, auto] of [
        ['zh-CN', '食品饮料', '汽车'],
        ['en-US', 'Food and beverage', 'Automotive'],
      ] as const) {
        const exported = await manager(
          'GET',
          `/api/v1/accounts/export?format=csv&lang=${lang}&q=${encodeURIComponent('有限公司')}`,
        );
        assert.equal(exported.statusCode, 200, exported.body);
        const lines = exported.body.replace(/^\uFEFF/, '').split(/\r?\n/);
        const rowOf = (name: string) => lines.find((line) => line.startsWith(name)) ?? '';
        assert.equal(
          rowOf('上海老字号食品有限公司').split(',')[2],
          food,
          `${lang}: imported as 食品, exported as the app says`,
        );
        assert.equal(rowOf('宁波拓普汽配有限公司').split(',')[2], auto);
        const again = json<Job>(await uploadImport(manager, 'accounts', exported.body, `export-${lang}.csv`));
        const checked = await validateImport(manager, again.id, {
          mapping: again.suggestedMapping,
          duplicateMode: 'update',
        });
        assert.deepEqual(checked.unknownValues, [], `${lang}: every coded word of the export is one the import knows`);
        assert.equal(checked.counts!.error, 0, JSON.stringify(checked.counts));
      }
    });

    it('建材 and other trade words are asked about with a suggestion; a word unlike any is asked with none', async () => {
      const csv = ['客户名称,行业', '杭州某建材有限公司,建材', '常州某光伏有限公司,光伏', '某某有限公司,星际旅行'].join(
        '\n',
      );
      const job = json<Job>(await uploadImport(manager, 'accounts', csv, '建材.csv'));
      const checked = await validateImport(manager, job.id, { mapping: job.suggestedMapping, duplicateMode: 'skip' });
      assert.deepEqual(
        checked.unknownValues.map((unknown) => [unknown.value, unknown.suggestion]),
        [
          ['光伏', 'energy'],
          ['建材', 'construction'],
          ['星际旅行', null],
        ],
      );
    });
  });
}
