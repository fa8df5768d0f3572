import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json, type Call } from '../helpers/app.ts';
import {
  businessLinesWorld,
  LINES,
  PRODUCT_SETS,
  rng,
  type BusinessLinesWorld,
  type Problem,
} from '../helpers/business-lines-world.ts';
import type { FunnelResponse, HealthResponse } from '../../src/contracts/funnel.ts';
import type { QuotaLines, QuotaTable } from '../../src/contracts/quotas.ts';
import type { ForecastView, GapView } from '../../src/contracts/forecasts.ts';
import { drillDown } from '../../web/src/features/funnel/links.ts';

/**
 * Business lines on the deals (docs/targets.md § Business lines): every writer stamps the line of the
 * products and the kept totals follow (checked against a full recount through a seeded sequence of
 * changes), then the funnel, the opportunity list, quotas, gap analysis, the forecast and the exports
 * narrowed to a line, on the deals that sequence left. The tests run in order. The lines are set
 * first, as an admin sets them (test/api/business-lines-rules.test.ts).
 */
for (const engine of testEngines()) {
  describe(`business lines: the deals, the funnel, quotas and the gap by line [${engine}]`, () => {
    let testApp: BusinessLinesWorld['testApp'];
    let fixture: BusinessLinesWorld['fixture'];
    let extras: BusinessLinesWorld['extras'];
    let admin: Call;
    let manager: Call;
    let rep: Call;
    let setLines: BusinessLinesWorld['setLines'];
    let assertTotalsEqualRecount: BusinessLinesWorld['assertTotalsEqualRecount'];
    let createDeal: BusinessLinesWorld['createDeal'];
    before(async () => {
      ({ testApp, fixture, extras, admin, manager, rep, setLines, assertTotalsEqualRecount, createDeal } =
        await businessLinesWorld(engine));
      const set = await setLines(LINES);
      assert.equal(set.statusCode, 200, set.body);
    });
    after(() => testApp.close());

    it('every writer stamps the line of the products, and the kept totals keyed by line equal a full recount after each change, new lines included', async () => {
      const random = rng(9);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
      const deals: number[] = [];
      for (let step = 0; step < 30; step++) {
        const op = deals.length < 3 ? 0 : Math.floor(random() * 4);
        if (op === 0) deals.push((await createDeal(pick(PRODUCT_SETS), Math.round(random() * 300_000_00))).id);
        else {
          const id = pick(deals);
          const current = json<{ version: number; status: string }>(await admin('GET', `/api/v1/opportunities/${id}`));
          const res =
            op === 1
              ? await admin('PATCH', `/api/v1/opportunities/${id}`, {
                  version: current.version,
                  products: pick(PRODUCT_SETS),
                })
              : op === 2
                ? await admin('PATCH', `/api/v1/opportunities/${id}`, {
                    version: current.version,
                    ownerId: pick([fixture.users.rep.id, fixture.users.rep2.id]),
                    ownerReason: '调整',
                  })
                : current.status === 'open'
                  ? await admin('POST', `/api/v1/opportunities/${id}/close`, {
                      version: current.version,
                      outcome: 'won',
                      contractAmount: 1 + Math.round(random() * 300_000_00),
                      override: true,
                      note: '签约',
                    })
                  : await admin('POST', `/api/v1/opportunities/${id}/reopen`, {
                      version: current.version,
                      reason: '客户重新启动',
                    });
          // A closed deal cannot be edited (409): the totals must not have moved either.
          assert.ok(res.statusCode < 300 || json<Problem>(res).code === 'closed', res.body);
        }
        await assertTotalsEqualRecount();
        if (step === 15) {
          // ERP moves to services: every deal is sorted again.
          assert.equal(
            (
              await setLines([
                { ...LINES[0], products: ['MES'] },
                { ...LINES[1], products: ['实施服务', '培训', 'ERP'] },
              ])
            ).statusCode,
            200,
          );
          await assertTotalsEqualRecount();
        }
      }
      assert.equal((await setLines(LINES)).statusCode, 200);
      await assertTotalsEqualRecount();
      const lineOf = async (id: number) =>
        (
          await testApp.db.kysely
            .selectFrom('opportunities')
            .select('business_line')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).business_line;
      const mixed = await createDeal(['实施服务', 'ERP', 'MES'], 10_000_00);
      assert.equal(await lineOf(mixed.id), 'software', 'two software products against one service');
      const tie = await createDeal(['实施服务', 'ERP'], 10_000_00);
      assert.equal(await lineOf(tie.id), 'services', 'a tie goes to the product listed first');
      assert.equal(await lineOf((await createDeal(['咨询'], 10_000_00)).id), '', 'a product of no line');
    });

    it('the funnel narrowed to a line holds only its deals; the lines and no line add up to the whole; an unknown line is a 400', async () => {
      const funnel = async (line?: string, scope = 'workspace') =>
        json<FunnelResponse>(
          await admin(
            'GET',
            `/api/v1/funnel?scope=${scope}&processId=${extras.processes.small.id}&period=all${line ? `&line=${line}` : ''}`,
          ),
        );
      const whole = await funnel();
      const parts = [await funnel('software'), await funnel('services'), await funnel('none')];
      for (const field of ['count', 'amount', 'expectedAmount'] as const)
        assert.equal(
          parts.reduce((sum, part) => sum + part.total[field], 0),
          whole.total[field],
          field,
        );
      const open = await testApp.db.kysely
        .selectFrom('opportunities')
        .select(['amount'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('process_id', '=', extras.processes.small.id)
        .where('status', '=', 'open')
        .where('business_line', '=', 'software')
        .execute();
      assert.ok(open.length > 0, 'the sequence left open software deals');
      assert.equal(parts[0]!.total.count, open.length);
      assert.equal(
        parts[0]!.total.amount,
        open.reduce((sum, deal) => sum + Number(deal.amount), 0),
      );
      // A person's funnel (per-owner totals) and a week (the deals themselves) narrow the same way.
      const repSoftware = await funnel('software', `user:${fixture.users.rep.id}`);
      assert.ok(repSoftware.total.count <= parts[0]!.total.count);
      const week = json<FunnelResponse>(
        await admin('GET', `/api/v1/funnel?processId=${extras.processes.small.id}&period=FY2026-W51&line=software`),
      );
      assert.ok(week.total.count <= parts[0]!.total.count);
      const unknown = await admin('GET', '/api/v1/funnel?period=all&line=hardware');
      assert.equal(unknown.statusCode, 400);
      assert.equal(json<Problem>(unknown).errors![0]!.field, 'query.line');
      assert.equal((await admin('GET', '/api/v1/funnel/members?period=all&line=software')).statusCode, 200);
      assert.equal((await admin('GET', '/api/v1/funnel/health?line=nope')).statusCode, 400);
    });

    it("the opportunity list takes the funnel's line: a funnel narrowed to a line and its drill-down count the same", async () => {
      const processId = extras.processes.small.id;
      const listCount = async (call: Call, url: string) => {
        const res = await call('GET', `/api/v1${url.replace('/opportunities/list', '/opportunities')}&limit=1`);
        assert.equal(res.statusCode, 200, res.body);
        return json<{ total: number; totals: { count: number; amount: number } }>(res);
      };
      const cases: [Call, string][] = [
        [admin, 'workspace'],
        [admin, `unit:${fixture.units.shanghai}`],
        [manager, `user:${fixture.users.rep.id}`],
        [rep, `user:${fixture.users.rep.id}`],
      ];
      let seen = 0;
      for (const [call, scope] of cases)
        for (const period of ['all', 'FY2026-Q4', '2026-12'])
          for (const line of [undefined, 'software', 'services', 'none']) {
            const res = await call(
              'GET',
              `/api/v1/funnel?scope=${scope}&processId=${processId}&period=${period}${line ? `&line=${line}` : ''}`,
            );
            assert.equal(res.statusCode, 200, res.body);
            const funnel = json<FunnelResponse>(res);
            assert.equal(funnel.line, line ?? null, 'the funnel says which line it shows');
            // The very link the Funnel page builds (web/src/features/funnel/links.ts).
            const url = drillDown(funnel);
            assert.equal(new URL(url, 'http://x').searchParams.get('line'), line ?? null);
            const list = await listCount(call, url);
            assert.equal(list.total, funnel.total.count, `${scope} ${period} ${line}: count`);
            assert.equal(list.totals.amount, funnel.total.amount, `${scope} ${period} ${line}: amount`);
            for (const stage of funnel.stages) {
              const byStage = await listCount(call, drillDown(funnel, { stageId: stage.stageId }));
              assert.equal(byStage.total, stage.count, `${scope} ${period} ${line} stage ${stage.name}`);
            }
            seen += funnel.total.count;
          }
      assert.ok(seen > 0, 'the funnels held deals');
      // The line filter alone, against the deals: "none" is the deals of no line; a key that is no line matches nothing.
      const stamped = await testApp.db.kysely
        .selectFrom('opportunities')
        .select(['business_line'])
        .where('workspace_id', '=', fixture.workspaceId)
        .execute();
      for (const [param, line] of [
        ['software', 'software'],
        ['none', ''],
      ] as const) {
        const list = await listCount(admin, `/opportunities?line=${param}`);
        assert.equal(list.total, stamped.filter((deal) => deal.business_line === line).length, param);
      }
      assert.equal((await listCount(admin, '/opportunities?line=hardware')).total, 0);
      const bad = await admin('GET', '/api/v1/opportunities?line=Bad%20Line');
      assert.equal(bad.statusCode, 400);
      assert.equal(json<Problem>(bad).errors![0]!.field, 'query.line');
      // The export writes the same rows.
      const exported = await admin('GET', '/api/v1/opportunities/export?format=csv&line=software');
      assert.equal(exported.statusCode, 200, exported.body);
      const rows = exported.body.trim().split('\n').length - 1;
      assert.equal(rows, stamped.filter((deal) => deal.business_line === 'software').length);
    });

    it('quotas split by line: attainment per line for a scope and period, from the quota table to what each line won', async () => {
      const repId = fixture.users.rep.id;
      const save = await manager('PUT', '/api/v1/quotas', {
        fiscalYear: 2026,
        reason: '按业务线下达',
        items: [
          {
            subjectType: 'user',
            subjectId: repId,
            amount: 1_200_000_00,
            quarterRatios: [22, 28, 25, 25],
            categories: [
              { key: 'software', share: 60 },
              { key: 'services', share: 40 },
            ],
          },
        ],
      });
      assert.equal(save.statusCode, 200, save.body);
      const table = json<QuotaTable>(await manager('GET', '/api/v1/quotas?fiscalYear=2026'));
      const row = table.rows.find((r) => r.subjectType === 'user' && r.subjectId === repId)!;
      assert.deepEqual(row.effective.categories.software, [158_400_00, 201_600_00, 180_000_00, 180_000_00]);
      // What rep won this quarter, by line, counted from the deals themselves.
      const won = await testApp.db.kysely
        .selectFrom('opportunities')
        .select(['business_line', 'amount'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('owner_id', '=', repId)
        .where('status', '=', 'won')
        .where('expected_close_date', '>=', '2026-10-01')
        .where('expected_close_date', '<', '2027-01-01')
        .execute();
      const wonBy = (line: string) =>
        won.filter((deal) => deal.business_line === line).reduce((sum, deal) => sum + Number(deal.amount), 0);
      const res = await rep('GET', `/api/v1/quotas/lines?scope=user:${repId}&period=FY2026-Q4`);
      assert.equal(res.statusCode, 200, res.body);
      const lines = json<QuotaLines>(res);
      const software = lines.lines.find((line) => line.key === 'software')!;
      assert.equal(software.quota, 180_000_00);
      assert.equal(lines.lines.find((line) => line.key === 'services')!.quota, 120_000_00);
      assert.equal(lines.total.quota, 300_000_00);
      assert.equal(lines.total.unassignedQuota, 0);
      assert.equal(software.realised, wonBy('software'));
      assert.equal(software.attainment, wonBy('software') / 180_000_00);
      assert.equal(lines.noLine.realised, wonBy(''));
      assert.equal(
        lines.total.realised,
        won.reduce((sum, deal) => sum + Number(deal.amount), 0),
      );
      // Health of a line stands against the line's quota.
      const health = json<HealthResponse>(
        await rep('GET', `/api/v1/funnel/health?scope=user:${repId}&period=FY2026-Q4&line=software`),
      );
      assert.equal(health.quota, 180_000_00);
      // Visibility as the quota figures have it: a rep sees only their own numbers.
      assert.equal(
        (await rep('GET', `/api/v1/quotas/lines?scope=user:${fixture.users.rep2.id}&period=FY2026-Q4`)).statusCode,
        403,
      );
      assert.equal((await rep('GET', '/api/v1/quotas/lines?period=2026-13')).statusCode, 400);
      assert.equal((await manager('GET', `/api/v1/quotas/lines?scope=unit:${fixture.units.sales1}`)).statusCode, 200);
    });

    it("gap analysis and the forecast by line: the line's part of the quota against its own deals; the lines add up to the whole; exports carry the line", async () => {
      const repId = fixture.users.rep.id;
      const scope = `user:${repId}`;
      const gapOf = async (line?: string) => {
        const res = await rep(
          'GET',
          `/api/v1/forecasts/gap?scope=${scope}&period=FY2026-Q4${line ? `&line=${line}` : ''}`,
        );
        assert.equal(res.statusCode, 200, res.body);
        return json<GapView>(res);
      };
      const whole = await gapOf();
      const parts = { software: await gapOf('software'), services: await gapOf('services'), none: await gapOf('none') };
      assert.equal(whole.line, null);
      assert.equal(parts.software.line, 'software');
      // The quota saved in the test before: 60 / 40 of the quarter's 300,000.
      assert.equal(parts.software.quota, 180_000_00);
      assert.equal(parts.services.quota, 120_000_00);
      assert.equal(parts.none.quota, 0, 'the deals of no line have no quota');
      assert.ok(parts.software.finished > 0 && parts.software.finished < whole.finished, 'software won some, not all');
      assert.ok(parts.software.commit + parts.software.nonCommit > 0, 'software has open deals in the quarter');
      for (const field of ['finished', 'commit', 'nonCommit'] as const)
        assert.equal(
          parts.software[field] + parts.services[field] + parts.none[field],
          whole[field],
          `${field}: the lines and no line add up to the whole`,
        );
      // Against the deals themselves.
      const deals = await testApp.db.kysely
        .selectFrom('opportunities')
        .select(['business_line', 'amount', 'status', 'forecast_category', 'expected_close_date'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('owner_id', '=', repId)
        .execute();
      const commitOf = (line: string) =>
        deals
          .filter(
            (deal) =>
              deal.business_line === line &&
              deal.status === 'open' &&
              deal.forecast_category === 'commit' &&
              deal.expected_close_date !== null &&
              deal.expected_close_date >= '2026-10-01' &&
              deal.expected_close_date < '2027-01-01',
          )
          .reduce((sum, deal) => sum + Number(deal.amount), 0);
      assert.equal(parts.software.commit, commitOf('software'));
      assert.equal(parts.none.commit, commitOf(''));
      assert.equal(parts.software.gap0, parts.software.quota - parts.software.finished);
      const unknown = await rep('GET', `/api/v1/forecasts/gap?scope=${scope}&line=hardware`);
      assert.equal(unknown.statusCode, 400);
      assert.equal(json<Problem>(unknown).errors![0]!.field, 'query.line');

      // The forecast keeps the reps' submissions whole and gives the line's own figures beside them.
      const forecast = async (line?: string) =>
        json<ForecastView>(
          await rep('GET', `/api/v1/forecasts?scope=${scope}&period=FY2026-Q4${line ? `&line=${line}` : ''}`),
        );
      const plain = await forecast();
      assert.equal(plain.line, null);
      const bySoftware = await forecast('software');
      assert.equal(bySoftware.forecast, plain.forecast, 'submissions are per rep, of every line');
      assert.equal(bySoftware.line!.quota, 180_000_00);
      assert.equal(bySoftware.line!.realised, parts.software.finished);
      const funnelSoftware = json<FunnelResponse>(
        await rep('GET', `/api/v1/funnel?scope=${scope}&period=FY2026-Q4&line=software`),
      );
      const objectiveParts = await Promise.all(['software', 'services', 'none'].map((line) => forecast(line)));
      assert.equal(
        objectiveParts.reduce((sum, view) => sum + view.line!.objective.amount, 0),
        plain.objective.amount,
        "the lines' objective figures add up to the whole",
      );
      assert.ok(
        bySoftware.line!.objective.deals >= funnelSoftware.total.count,
        'every process, the funnel one of them',
      );

      // The exports carry the line they were shown with, in the file and the audit log.
      const exported = await admin(
        'GET',
        `/api/v1/forecasts/export?report=gap&scope=${scope}&period=FY2026-Q4&line=software&format=csv&lang=en-US`,
      );
      assert.equal(exported.statusCode, 200, exported.body);
      assert.match(exported.body, /Business line,software/);
      assert.match(exported.body, new RegExp(`Quota \\(CNY\\),${parts.software.quota / 100}`));
      const funnelExport = await admin(
        'GET',
        `/api/v1/forecasts/export?report=funnel&scope=${scope}&period=FY2026-Q4&line=software&format=csv&lang=en-US`,
      );
      assert.equal(funnelExport.statusCode, 200, funnelExport.body);
      assert.match(funnelExport.body, /Business line,software/);
      const audit = await testApp.db.kysely
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'export.report')
        .orderBy('id', 'desc')
        .limit(2)
        .execute();
      for (const row of audit) assert.equal(JSON.parse(row.detail!).line, 'software');
      const accuracyByLine = await admin(
        'GET',
        `/api/v1/forecasts/export?report=accuracy&scope=${scope}&line=software&format=csv`,
      );
      assert.equal(accuracyByLine.statusCode, 400);
      assert.equal(json<Problem>(accuracyByLine).errors![0]!.field, 'query.line');
    });
  });
}
