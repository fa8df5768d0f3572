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
import type { QuotaFigureDto, QuotaHistory, QuotaImportResponse, QuotaTable } from '../../src/contracts/quotas.ts';

type Problem = { code: string; errors?: { field: string; code: string; params?: Record<string, unknown> }[] };

for (const engine of testEngines()) {
  describe(`quotas [${engine}]`, () => {
    let testApp: TestApp;
    let fixtureA: Fixture;
    let admin: Call;
    let manager: Call;
    let rep: Call;
    let rep2: Call;
    let otherAdmin: Call;
    const FY = 2026;
    before(async () => {
      testApp = await createTestApp(engine);
      fixtureA = await seedWorkspace(testApp, 'a');
      const fixtureB = await seedWorkspace(testApp, 'b');
      admin = client(testApp, await sessionCookie(testApp, fixtureA.workspaceId, fixtureA.users.admin.id));
      manager = client(testApp, await sessionCookie(testApp, fixtureA.workspaceId, fixtureA.users.manager.id));
      rep = client(testApp, await sessionCookie(testApp, fixtureA.workspaceId, fixtureA.users.rep.id));
      rep2 = client(testApp, await sessionCookie(testApp, fixtureA.workspaceId, fixtureA.users.rep2.id));
      otherAdmin = client(testApp, await sessionCookie(testApp, fixtureB.workspaceId, fixtureB.users.admin.id));
    });
    after(() => testApp.close());

    const row = (table: QuotaTable, type: 'user' | 'unit', id: number) =>
      table.rows.find((r) => r.subjectType === type && r.subjectId === id);

    it('a manager sets the quotas of their subtree; units add up their members and show the difference when set otherwise', async () => {
      const save = await manager('PUT', '/api/v1/quotas', {
        fiscalYear: FY,
        reason: '年度目标下达',
        items: [
          {
            subjectType: 'user',
            subjectId: fixtureA.users.rep.id,
            amount: 1_200_000_00,
            quarterRatios: [22, 28, 25, 25],
            categories: [
              { key: 'small', share: 70 },
              { key: 'large', share: 30 },
            ],
          },
        ],
      });
      assert.equal(save.statusCode, 200, save.body);
      assert.deepEqual(json(save), { changed: 1 });
      const table = json<QuotaTable>(await manager('GET', `/api/v1/quotas?fiscalYear=${FY}`));
      const repRow = row(table, 'user', fixtureA.users.rep.id)!;
      assert.deepEqual(repRow.effective.quarters, [264_000_00, 336_000_00, 300_000_00, 300_000_00]);
      assert.deepEqual(repRow.effective.categories.small, [184_800_00, 235_200_00, 210_000_00, 210_000_00]);
      assert.equal(repRow.canEdit, true);
      // sales1 has no quota of its own: it is its members' sum, and so is Shanghai above it.
      const sales1 = row(table, 'unit', fixtureA.units.sales1)!;
      assert.equal(sales1.quota, null);
      assert.equal(sales1.effective.year, 1_200_000_00);
      assert.equal(row(table, 'unit', fixtureA.units.shanghai)!.effective.year, 1_200_000_00);
      assert.equal(
        row(table, 'unit', fixtureA.units.shanghai)!.canEdit,
        false,
        "a manager's own unit is set from above",
      );
      assert.equal(row(table, 'unit', fixtureA.units.south), undefined, "outside the manager's subtree");
      // Set otherwise: the unit's own figure counts, the difference is shown.
      const unitSave = await manager('PUT', '/api/v1/quotas', {
        fiscalYear: FY,
        reason: '部门目标上调',
        items: [{ subjectType: 'unit', subjectId: fixtureA.units.sales1, amount: 1_500_000_00 }],
      });
      assert.equal(unitSave.statusCode, 200, unitSave.body);
      const t2 = json<QuotaTable>(await manager('GET', `/api/v1/quotas?fiscalYear=${FY}`));
      assert.equal(row(t2, 'unit', fixtureA.units.sales1)!.effective.year, 1_500_000_00);
      assert.equal(row(t2, 'unit', fixtureA.units.sales1)!.difference, 300_000_00);
      assert.equal(row(t2, 'unit', fixtureA.units.shanghai)!.effective.year, 1_500_000_00);
    });

    it('the quota of a scope in a period: quarters by ratio, months a third, the workspace the sum of its units', async () => {
      const q2 = json<QuotaFigureDto>(
        await rep('GET', `/api/v1/quotas/figure?scope=user:${fixtureA.users.rep.id}&period=FY${FY}-Q2`),
      );
      assert.equal(q2.amount, 336_000_00);
      assert.equal(q2.set, true);
      assert.deepEqual(q2.categories, { small: 235_200_00, large: 100_800_00 });
      const may = json<QuotaFigureDto>(await rep('GET', `/api/v1/quotas/figure?period=${FY}-05`));
      assert.equal(may.scope.kind, 'user', "a rep's default scope is themselves");
      assert.equal(may.amount, 112_000_00);
      const ws = json<QuotaFigureDto>(await admin('GET', `/api/v1/quotas/figure?scope=workspace&period=FY${FY}`));
      assert.equal(ws.amount, 1_500_000_00);
      assert.equal(ws.set, false);
      const unit = json<QuotaFigureDto>(
        await admin('GET', `/api/v1/quotas/figure?scope=unit:${fixtureA.units.sales1}&period=FY${FY}-Q1`),
      );
      assert.deepEqual([unit.amount, unit.set, unit.membersAmount], [375_000_00, true, 264_000_00]);
      const net = json<QuotaFigureDto>(
        await admin('GET', `/api/v1/quotas/figure?scope=user:${fixtureA.users.rep.id}&period=FY${FY}&basis=net`),
      );
      assert.equal(net.amount, Math.round((1_200_000_00 * 100) / 113));
    });

    it('visibility: a rep sees only their own numbers, a manager their subtree; others are 403', async () => {
      assert.equal((await rep('GET', `/api/v1/quotas/figure?scope=unit:${fixtureA.units.sales1}`)).statusCode, 403);
      assert.equal((await rep2('GET', `/api/v1/quotas/figure?scope=user:${fixtureA.users.rep.id}`)).statusCode, 403);
      assert.equal((await manager('GET', `/api/v1/quotas/figure?scope=unit:${fixtureA.units.south}`)).statusCode, 403);
      assert.equal((await manager('GET', '/api/v1/quotas/figure?scope=workspace')).statusCode, 403);
      assert.equal(
        (await otherAdmin('GET', `/api/v1/quotas/figure?scope=user:${fixtureA.users.rep.id}`)).statusCode,
        403,
      );
      const repTable = json<QuotaTable>(await rep('GET', `/api/v1/quotas?fiscalYear=${FY}`));
      assert.deepEqual(
        repTable.rows.map((r) => [r.subjectType, r.subjectId]),
        [['user', fixtureA.users.rep.id]],
      );
      assert.equal(repTable.rows[0]!.canEdit, false);
      assert.equal(
        (
          await rep('PUT', '/api/v1/quotas', {
            fiscalYear: FY,
            reason: 'x',
            items: [{ subjectType: 'user', subjectId: fixtureA.users.rep.id, amount: 1 }],
          })
        ).statusCode,
        403,
      );
      const own = await manager('PUT', '/api/v1/quotas', {
        fiscalYear: FY,
        reason: 'x',
        items: [{ subjectType: 'user', subjectId: fixtureA.users.manager.id, amount: 1 }],
      });
      assert.equal(own.statusCode, 403);
      const out = await manager('PUT', '/api/v1/quotas', {
        fiscalYear: FY,
        reason: 'x',
        items: [{ subjectType: 'user', subjectId: fixtureA.users.rep2.id, amount: 1 }],
      });
      assert.equal(out.statusCode, 400);
      assert.equal(json<Problem>(out).errors![0]!.field, 'items.0.subjectId');
    });

    it('bad input names the field: negative or fractional fen, ratios not adding to 100, a period that does not parse', async () => {
      const item = { subjectType: 'user', subjectId: fixtureA.users.rep.id };
      const cases: [unknown, string, string][] = [
        [{ ...item, amount: -1 }, 'items.0.amount', 'too_small'],
        [{ ...item, amount: 10.5 }, 'items.0.amount', 'invalid_type'],
        [{ ...item, amount: 100, quarterRatios: [25, 25, 25, 20] }, 'items.0.quarterRatios', 'must_total_100'],
        [{ ...item, amount: 100, categories: [{ key: 'small', share: 60 }] }, 'items.0.categories', 'must_total_100'],
      ];
      for (const [body, field] of cases) {
        const res = await manager('PUT', '/api/v1/quotas', { fiscalYear: FY, reason: 'x', items: [body] });
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.equal(json<Problem>(res).errors![0]!.field, field);
      }
      const ratios = await manager('PUT', '/api/v1/quotas', {
        fiscalYear: FY,
        reason: 'x',
        items: [{ ...item, amount: 100, quarterRatios: [25, 25, 25, 20] }],
      });
      assert.deepEqual(json<Problem>(ratios).errors![0]!.params, { total: 95 });
      for (const period of ['2026-13', 'FY2026-Q5', 'FY2026-W60', 'Q3']) {
        const res = await admin('GET', `/api/v1/quotas/figure?period=${period}`);
        assert.equal(res.statusCode, 400, period);
        assert.equal(json<Problem>(res).errors![0]!.field, 'query.period');
      }
      // Nothing half-saved: a bad second item leaves the first unchanged.
      const before = row(
        json<QuotaTable>(await manager('GET', `/api/v1/quotas?fiscalYear=${FY}`)),
        'user',
        fixtureA.users.rep.id,
      )!;
      const res = await manager('PUT', '/api/v1/quotas', {
        fiscalYear: FY,
        reason: 'x',
        items: [
          { ...item, amount: 1 },
          { subjectType: 'unit', subjectId: fixtureA.units.sales2, amount: 5, version: 3 },
        ],
      });
      assert.equal(res.statusCode, 409);
      const after = row(
        json<QuotaTable>(await manager('GET', `/api/v1/quotas?fiscalYear=${FY}`)),
        'user',
        fixtureA.users.rep.id,
      )!;
      assert.deepEqual(after.quota, before.quota);
    });

    it("history keeps every change with its reason; a stale version is 409; amount null removes a unit's own quota", async () => {
      const table = json<QuotaTable>(await manager('GET', `/api/v1/quotas?fiscalYear=${FY}`));
      const unit = row(table, 'unit', fixtureA.units.sales1)!;
      const stale = await manager('PUT', '/api/v1/quotas', {
        fiscalYear: FY,
        reason: 'x',
        items: [{ subjectType: 'unit', subjectId: fixtureA.units.sales1, amount: 1, version: unit.quota!.version + 1 }],
      });
      assert.equal(stale.statusCode, 409);
      const cleared = await manager('PUT', '/api/v1/quotas', {
        fiscalYear: FY,
        reason: '恢复为成员合计',
        items: [{ subjectType: 'unit', subjectId: fixtureA.units.sales1, amount: null, version: unit.quota!.version }],
      });
      assert.equal(cleared.statusCode, 200, cleared.body);
      const quotaHistory = json<QuotaHistory>(
        await manager('GET', `/api/v1/quotas/history?subjectType=unit&subjectId=${fixtureA.units.sales1}`),
      );
      assert.deepEqual(
        quotaHistory.items.map((i) => i.reason),
        ['恢复为成员合计', '部门目标上调'],
      );
      assert.equal(quotaHistory.items[0]!.after, null);
      assert.equal(JSON.parse(quotaHistory.items[1]!.after!).amount, 1_500_000_00);
      assert.equal(
        (await rep2('GET', `/api/v1/quotas/history?subjectType=unit&subjectId=${fixtureA.units.sales1}`)).statusCode,
        404,
      );
      const t2 = json<QuotaTable>(await manager('GET', `/api/v1/quotas?fiscalYear=${FY}`));
      assert.equal(row(t2, 'unit', fixtureA.units.sales1)!.effective.year, 1_200_000_00);
    });

    it('imports a spreadsheet: checks every row first (dry run), refuses a file with errors, saves one without in one go', async () => {
      const csv = (body: string) => Buffer.from(`邮箱,年度定额,Q1,Q2,Q3,Q4,口径\n${body}`);
      const upload = (body: string, dryRun: boolean) =>
        manager(
          'POST',
          `/api/v1/quotas/import?fiscalYear=2027&dryRun=${dryRun}&reason=${encodeURIComponent('2027 年目标')}`,
          csv(body),
          { 'content-type': 'application/octet-stream' },
        );
      const bad = await upload(
        `${fixtureA.users.rep.email},-5,25,25,25,25,含税\n${fixtureA.users.rep2.email},100,25,25,25,25,含税\nnobody@x.test,1,,,,,\n`,
        true,
      );
      assert.equal(bad.statusCode, 200, bad.body);
      const preview = json<QuotaImportResponse>(bad);
      assert.deepEqual(
        preview.errors.map((e) => [e.row, e.code]),
        [
          [2, 'invalid'],
          [3, 'not_in_reach'],
          [4, 'not_in_reach'],
        ],
      );
      assert.equal(
        (await upload(`${fixtureA.users.rep.email},-5,25,25,25,25,含税\n`, false)).statusCode,
        400,
        'a file with errors saves nothing',
      );
      const good = await upload(`${fixtureA.users.rep.email},"1,500,000.50",10,20,30,40,不含税\n`, false);
      assert.equal(good.statusCode, 200, good.body);
      assert.equal(json<QuotaImportResponse>(good).changed, 1);
      const table = json<QuotaTable>(await manager('GET', '/api/v1/quotas?fiscalYear=2027'));
      const mine = row(table, 'user', fixtureA.users.rep.id)!;
      assert.deepEqual(
        [mine.quota!.amount, mine.quota!.quarterRatios, mine.quota!.basis],
        [1_500_000_50, [10, 20, 30, 40], 'net'],
      );
      const quotaHistory = json<QuotaHistory>(
        await manager(
          'GET',
          `/api/v1/quotas/history?subjectType=user&subjectId=${fixtureA.users.rep.id}&fiscalYear=2027`,
        ),
      );
      assert.equal(quotaHistory.items[0]!.reason, '2027 年目标');
      assert.equal(
        (
          await rep('POST', '/api/v1/quotas/import?fiscalYear=2027', csv(''), {
            'content-type': 'application/octet-stream',
          })
        ).statusCode,
        403,
      );
    });
  });
}
