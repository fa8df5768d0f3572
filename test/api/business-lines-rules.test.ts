import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json } from '../helpers/app.ts';
import { businessLinesWorld, LINES, type BusinessLinesWorld, type Problem } from '../helpers/business-lines-world.ts';
import type { QuotaImportResponse, QuotaTable } from '../../src/contracts/quotas.ts';

/**
 * Business lines in the rules (docs/targets.md § Business lines): who sets them, the fields a bad set
 * names with nothing saved, and the quota import's share per line, by key or name, on the lines set.
 */
for (const engine of testEngines()) {
  describe(`business lines: the rules and the quota import [${engine}]`, () => {
    let testApp: BusinessLinesWorld['testApp'];
    let fixture: BusinessLinesWorld['fixture'];
    let manager: BusinessLinesWorld['manager'];
    let rules: BusinessLinesWorld['rules'];
    let setLines: BusinessLinesWorld['setLines'];
    before(async () => {
      ({ testApp, fixture, manager, rules, setLines } = await businessLinesWorld(engine));
    });
    after(() => testApp.close());

    it('admins set the lines in the rules; bad lines are a 400 naming the field and nothing is saved; others are refused', async () => {
      const before = await rules();
      assert.deepEqual(before.businessLines, []);
      const twice = await setLines([LINES[0], { ...LINES[1], products: ['实施服务', 'erp'] }]);
      assert.equal(twice.statusCode, 400, twice.body);
      assert.deepEqual(
        json<Problem>(twice).errors!.map((e) => e.field),
        ['businessLines.1.products.1'],
      );
      const sameKey = await setLines([LINES[0], { ...LINES[1], key: 'software' }]);
      assert.deepEqual(
        json<Problem>(sameKey).errors!.map((e) => e.field),
        ['businessLines.1.key'],
      );
      const reserved = await setLines([{ ...LINES[0], key: 'none' }]);
      assert.equal(reserved.statusCode, 400);
      assert.equal(json<Problem>(reserved).errors![0]!.field, 'businessLines.0.key');
      const noName = await setLines([{ ...LINES[0], nameEn: ' ' }]);
      assert.equal(json<Problem>(noName).errors![0]!.field, 'businessLines.0.nameEn');
      assert.equal((await rules()).version, before.version, 'nothing saved');
      const byManager = await manager('PATCH', '/api/v1/workspace/rules', {
        version: before.version,
        businessLines: LINES,
      });
      assert.equal(byManager.statusCode, 403);
      assert.equal((await setLines(LINES)).statusCode, 200);
      assert.deepEqual((await rules()).businessLines, LINES);
    });

    it('the quota import takes a share per line, by key or name; shares that do not add up to 100 save nothing', async () => {
      const upload = (body: string, dryRun: boolean) =>
        manager(
          'POST',
          `/api/v1/quotas/import?fiscalYear=2027&dryRun=${dryRun}`,
          Buffer.from(`邮箱,年度定额,软件,services\n${body}`),
          { 'content-type': 'application/octet-stream' },
        );
      const bad = json<QuotaImportResponse>(await upload(`${fixture.users.rep.email},1000000,70,20\n`, true));
      assert.deepEqual(
        bad.errors.map((e) => [e.row, e.code]),
        [[2, 'must_total_100']],
      );
      assert.equal((await upload(`${fixture.users.rep.email},1000000,70,20\n`, false)).statusCode, 400);
      const good = await upload(`${fixture.users.rep.email},1000000,70,30\n`, false);
      assert.equal(good.statusCode, 200, good.body);
      const table = json<QuotaTable>(await manager('GET', '/api/v1/quotas?fiscalYear=2027'));
      assert.deepEqual(
        table.rows.find((r) => r.subjectType === 'user' && r.subjectId === fixture.users.rep.id)!.quota!.categories,
        [
          { key: 'software', share: 70 },
          { key: 'services', share: 30 },
        ],
      );
    });
  });
}
