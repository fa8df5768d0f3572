/**
 * A quota split by business line from the quota table (docs/targets.md § Business lines): a
 * manager sets a person's and a unit's shares per line with a reason, reads them back with the
 * per-line amounts, and bad splits are refused naming the field with nothing of the table saved.
 */
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
import type { QuotaHistory, QuotaTable } from '../../src/contracts/quotas.ts';
import type { Rules } from '../../src/contracts/rules.ts';

type Problem = { code: string; errors?: { field: string; code: string; params?: Record<string, unknown> }[] };

const LINES = [
  { key: 'software', nameZh: '软件', nameEn: 'Software', products: ['ERP'] },
  { key: 'services', nameZh: '服务', nameEn: 'Services', products: ['实施服务'] },
];
const FY = 2026;

for (const engine of testEngines()) {
  describe(`quota split by business line [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let admin: Call;
    let manager: Call;
    before(async () => {
      testApp = await createTestApp(engine, {}, { clock: () => Date.UTC(2026, 11, 5, 4) });
      fixture = await seedWorkspace(testApp, 'a');
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      const rules = json<Rules>(await admin('GET', '/api/v1/workspace/rules'));
      const saved = await admin('PATCH', '/api/v1/workspace/rules', { version: rules.version, businessLines: LINES });
      assert.equal(saved.statusCode, 200, saved.body);
    });
    after(() => testApp.close());

    const table = async () => json<QuotaTable>(await manager('GET', `/api/v1/quotas?fiscalYear=${FY}`));
    const rowOf = (quotaTable: QuotaTable, type: 'user' | 'unit', id: number) =>
      quotaTable.rows.find((r) => r.subjectType === type && r.subjectId === id)!;

    it('bad splits name the field and save nothing of the table', async () => {
      const good = { subjectType: 'user', subjectId: fixture.users.rep.id, amount: 1_000_000_00 };
      const unit = { subjectType: 'unit', subjectId: fixture.units.sales1, amount: 3_000_000_00 };
      const cases: [unknown, string, string, Record<string, unknown> | undefined][] = [
        [
          [
            { key: 'software', share: 60 },
            { key: 'services', share: 30 },
          ],
          'items.1.categories',
          'must_total_100',
          { total: 90 },
        ],
        [
          [
            { key: 'software', share: 60 },
            { key: 'hardware', share: 40 },
          ],
          'items.1.categories.1.key',
          'unknown_line',
          { key: 'hardware' },
        ],
        [
          [
            { key: 'software', share: -10 },
            { key: 'services', share: 110 },
          ],
          'items.1.categories.0.share',
          'too_small',
          undefined,
        ],
        [
          [
            { key: 'small', share: 50 },
            { key: 'software', share: 50 },
          ],
          'items.1.categories',
          'mixed_split',
          undefined,
        ],
      ];
      for (const [categories, field, code, params] of cases) {
        const res = await manager('PUT', '/api/v1/quotas', {
          fiscalYear: FY,
          reason: '按业务线下达',
          items: [good, { ...unit, categories }],
        });
        assert.equal(res.statusCode, 400, JSON.stringify(categories));
        const error = json<Problem>(res).errors![0]!;
        assert.equal(error.field, field);
        assert.equal(error.code, code);
        if (params) assert.deepEqual(error.params, params);
      }
      const after = await table();
      assert.equal(rowOf(after, 'user', fixture.users.rep.id).quota, null, "the good row of the table wasn't saved");
      assert.equal(rowOf(after, 'unit', fixture.units.sales1).quota, null);
      const history = json<QuotaHistory>(
        await manager('GET', `/api/v1/quotas/history?subjectType=user&subjectId=${fixture.users.rep.id}`),
      );
      assert.deepEqual(history.items, []);
    });

    it("round trip: a person's and a unit's split by line, the per-line amounts, the history, kept and removed", async () => {
      const split = [
        { key: 'software', share: 70 },
        { key: 'services', share: 30 },
      ];
      const saved = await manager('PUT', '/api/v1/quotas', {
        fiscalYear: FY,
        reason: '按业务线下达',
        items: [
          {
            subjectType: 'user',
            subjectId: fixture.users.rep.id,
            amount: 1_000_000_01,
            quarterRatios: [22, 28, 25, 25],
            categories: split,
          },
          {
            subjectType: 'unit',
            subjectId: fixture.units.sales1,
            amount: 3_000_000_00,
            categories: [{ key: 'services', share: 100 }],
          },
        ],
      });
      assert.equal(saved.statusCode, 200, saved.body);
      const read = await table();
      const person = rowOf(read, 'user', fixture.users.rep.id);
      assert.deepEqual(person.quota!.categories, split);
      // Every quarter splits in whole fen that add up to the quarter (largest remainder).
      assert.deepEqual(person.effective.quarters, [220_000_00, 280_000_01, 250_000_00, 250_000_00]);
      assert.deepEqual(person.effective.categories.software, [154_000_00, 196_000_01, 175_000_00, 175_000_00]);
      assert.deepEqual(person.effective.categories.services, [66_000_00, 84_000_00, 75_000_00, 75_000_00]);
      const unit = rowOf(read, 'unit', fixture.units.sales1);
      assert.deepEqual(unit.quota!.categories, [{ key: 'services', share: 100 }]);
      assert.deepEqual(unit.effective.categories, { services: [750_000_00, 750_000_00, 750_000_00, 750_000_00] });
      // The unit above sums its members' lines: its own sub-unit's and nothing of the others.
      const shanghai = rowOf(read, 'unit', fixture.units.shanghai);
      assert.equal(shanghai.quota, null);
      assert.deepEqual(shanghai.effective.categories.services, [750_000_00, 750_000_00, 750_000_00, 750_000_00]);

      const history = json<QuotaHistory>(
        await manager('GET', `/api/v1/quotas/history?subjectType=user&subjectId=${fixture.users.rep.id}`),
      );
      assert.equal(history.items[0]!.reason, '按业务线下达');
      assert.deepEqual((JSON.parse(history.items[0]!.after!) as { categories: unknown }).categories, split);

      // A change of the amount alone keeps the split; [] removes it, with its own history entry.
      const version = () => table().then((t) => rowOf(t, 'user', fixture.users.rep.id).quota!.version);
      const item = { subjectType: 'user', subjectId: fixture.users.rep.id };
      const amountOnly = await manager('PUT', '/api/v1/quotas', {
        fiscalYear: FY,
        reason: '调整',
        items: [{ ...item, amount: 2_000_000_00, version: await version() }],
      });
      assert.equal(amountOnly.statusCode, 200, amountOnly.body);
      assert.deepEqual(rowOf(await table(), 'user', fixture.users.rep.id).quota!.categories, split);
      const removed = await manager('PUT', '/api/v1/quotas', {
        fiscalYear: FY,
        reason: '不再按业务线',
        items: [{ ...item, amount: 2_000_000_00, categories: [], version: await version() }],
      });
      assert.equal(removed.statusCode, 200, removed.body);
      const cleared = rowOf(await table(), 'user', fixture.users.rep.id);
      assert.deepEqual(cleared.quota!.categories, []);
      assert.deepEqual(cleared.effective.categories, {});
      const entries = json<QuotaHistory>(
        await manager('GET', `/api/v1/quotas/history?subjectType=user&subjectId=${fixture.users.rep.id}`),
      ).items;
      assert.deepEqual(
        entries.map((entry) => entry.reason),
        ['不再按业务线', '调整', '按业务线下达'],
      );
    });
  });
}
