import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json } from '../helpers/app.ts';
import { forecastWorld, T0, type ForecastWorld } from '../helpers/forecast-world.ts';
import type { BehindResponse } from '../../src/contracts/forecasts.ts';

/**
 * The revenue forecast's reports (docs/targets.md § Revenue forecast): the units furthest behind
 * their quota, and each report's export (the funnel's too) with its scope and period, audited.
 * On the forecast world with no submissions made. The clock is fixed on Wednesday 2 December
 * 2026 (Shanghai): FY2026-Q4 has weeks to run.
 */
for (const engine of testEngines()) {
  describe(`forecasts: who is behind, and the exports [${engine}]`, () => {
    let testApp: ForecastWorld['testApp'];
    let fixture: ForecastWorld['fixture'];
    let extras: ForecastWorld['extras'];
    let as: ForecastWorld['as'];
    const kysely = () => testApp.db.kysely;

    before(async () => {
      ({ testApp, fixture, extras, as } = await forecastWorld(engine, () => T0));
    });
    after(() => testApp.close());

    it('names the units furthest behind their quota, lowest attainment first', async () => {
      const saved = await (
        await as('admin')
      )('PUT', '/api/v1/quotas', {
        fiscalYear: 2026,
        reason: '年度目标',
        items: [
          { subjectType: 'unit', subjectId: fixture.units.sales1, amount: 400_000_00 },
          { subjectType: 'unit', subjectId: fixture.units.sales2, amount: 800_000_00 },
          { subjectType: 'user', subjectId: fixture.users.rep.id, amount: 300_000_00 },
        ],
      });
      assert.equal(saved.statusCode, 200, saved.body);
      const res = await (
        await as('manager')
      )('GET', `/api/v1/forecasts/behind?scope=unit:${fixture.units.shanghai}&period=FY2026-Q4`);
      assert.equal(res.statusCode, 200, res.body);
      const behindResponse = json<BehindResponse>(res);
      assert.deepEqual(
        behindResponse.items.map((i) => [i.kind, i.id]),
        [
          ['unit', fixture.units.sales2],
          ['unit', fixture.units.sales1],
        ],
        'sales2 has won nothing',
      );
      const s1 = behindResponse.items.find((i) => i.id === fixture.units.sales1)!;
      assert.equal(s1.realised, 30_000_00);
      assert.ok(s1.quota > 0);
      assert.equal(s1.attainment, 30_000_00 / s1.quota);
      // A unit without sub-units: its people with a quota.
      const people = json<BehindResponse>(
        await (
          await as('manager')
        )('GET', `/api/v1/forecasts/behind?scope=unit:${fixture.units.sales1}`),
      );
      // Every quota read at once for the list is the one each scope's own lookup gives.
      const admin = await as('admin');
      for (const scope of ['workspace', `unit:${fixture.units.shanghai}`, `unit:${fixture.units.sales1}`]) {
        const all = json<BehindResponse>(
          await admin('GET', `/api/v1/forecasts/behind?scope=${scope}&period=2026-11&limit=50`),
        );
        assert.ok(all.items.length > 0, scope);
        for (const item of all.items) {
          const figure = json<{ amount: number }>(
            await admin('GET', `/api/v1/quotas/figure?scope=${item.kind}:${item.id}&period=2026-11`),
          );
          assert.equal(item.quota, figure.amount, `${scope}: ${item.kind} ${item.id}`);
        }
      }
      assert.ok(
        people.items.every((i) => i.kind === 'user') && people.items.some((i) => i.id === fixture.users.rep.id),
      );
      assert.equal(
        (await (await as('rep'))('GET', `/api/v1/forecasts/behind?scope=unit:${fixture.units.shanghai}`)).statusCode,
        403,
      );
    });

    it('exports each report with the scope and period it shows, audited, only with the export permission', async () => {
      const admin = await as('admin');
      for (const report of ['forecast', 'accuracy', 'gap', 'analyses']) {
        const res = await admin(
          'GET',
          `/api/v1/forecasts/export?report=${report}&scope=unit:${fixture.units.shanghai}&period=FY2026-Q4&format=csv`,
        );
        assert.equal(res.statusCode, 200, `${report}: ${res.body}`);
        assert.match(res.headers['content-type'] as string, /text\/csv/);
        assert.match(res.body, /上海分公司/);
        assert.match(res.body, /FY2026-Q4/);
      }
      const xlsx = await admin(
        'GET',
        `/api/v1/forecasts/export?report=forecast&scope=unit:${fixture.units.shanghai}&format=xlsx&lang=en-US`,
      );
      assert.equal(xlsx.statusCode, 200);
      assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
      const audit = await kysely()
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'export.report')
        .execute();
      assert.equal(audit.length, 5);
      assert.equal(JSON.parse(audit[0]!.detail!).period, 'FY2026-Q4');
      assert.equal(
        (await (await as('rep'))('GET', '/api/v1/forecasts/export?report=forecast')).statusCode,
        403,
        'a rep without the export grant',
      );
      await kysely().updateTable('users').set({ can_export: 1 }).where('id', '=', fixture.users.manager.id).execute();
      assert.equal(
        (await (await as('manager'))('GET', `/api/v1/forecasts/export?report=gap&scope=unit:${fixture.units.sales3}`))
          .statusCode,
        403,
        'a scope out of reach',
      );
      assert.equal((await admin('GET', '/api/v1/forecasts/export?report=nothing')).statusCode, 400);
      const all = await admin('GET', '/api/v1/forecasts/export?report=gap&period=all');
      assert.equal(all.statusCode, 400, 'period=all is the funnel’s only');
      assert.equal(json<{ errors: { field: string }[] }>(all).errors[0]!.field, 'query.period');
    });

    it('exports the funnel as shown: scope, process and period, per stage with the expected collections, and the members', async () => {
      const admin = await as('admin');
      const query = `scope=unit:${fixture.units.shanghai}&processId=${extras.processes.small.id}&period=FY2026-Q4`;
      const shown = json<{
        stages: { name: string; count: number; amount: number }[];
        total: { count: number; amount: number };
      }>(await admin('GET', `/api/v1/funnel?${query}`));
      const res = await admin('GET', `/api/v1/forecasts/export?report=funnel&${query}&format=csv&lang=en-US`);
      assert.equal(res.statusCode, 200, res.body);
      // The file opens with a byte-order mark (Excel reads UTF-8 by it).
      const lines = res.body
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)
        .map((line) => line.split(','));
      assert.ok(lines.some((cells) => cells[0] === 'Scope' && /上海分公司 · /.test(cells[1] ?? '')));
      assert.ok(lines.some((cells) => cells[0] === 'Period' && cells[1] === 'FY2026-Q4'));
      for (const stage of shown.stages)
        assert.deepEqual(
          lines.find((cells) => cells[0] === stage.name)?.slice(2, 4),
          [String(stage.count), String(stage.amount / 100)],
          stage.name,
        );
      assert.deepEqual(lines.find((cells) => cells[0] === 'Total')?.slice(2, 3), [String(shown.total.count)]);
      assert.ok(lines.some((cells) => cells[0] === 'Expected collections'));
      // Every member of the scope, not the API's first page of them.
      const header = lines.findIndex((cells) => cells[0] === 'Person' && cells[1] === 'Unit');
      assert.ok(header > 0);
      const table = json<{ total: number; members: { name: string }[] }>(
        await admin('GET', `/api/v1/funnel/members?${query}&limit=1`),
      );
      const memberLines = lines.slice(header + 1).filter((cells) => cells.length > 1);
      assert.ok(table.total > 1, 'more members than the page asked for');
      assert.equal(memberLines.length, table.total);
      assert.equal(memberLines[0]![0], table.members[0]!.name, 'in the page’s default order');
      const audit = await kysely()
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'export.report')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(JSON.parse(audit.detail!).processId, extras.processes.small.id);
      const every = await admin('GET', `/api/v1/forecasts/export?report=funnel&period=all&format=xlsx`);
      assert.equal(every.statusCode, 200, 'period=all: every open deal');
      await kysely().updateTable('users').set({ can_export: 1 }).where('id', '=', fixture.users.manager.id).execute();
      assert.equal(
        (
          await (
            await as('manager')
          )('GET', `/api/v1/forecasts/export?report=funnel&scope=unit:${fixture.units.sales3}`)
        ).statusCode,
        403,
        'a scope out of reach',
      );
    });
  });
}
