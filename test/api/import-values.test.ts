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
  });
}
