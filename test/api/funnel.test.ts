import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedExtras,
  seedWorkspace,
  sessionCookie,
  type Call,
  type Extras,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import type { FunnelMembersResponse, FunnelResponse, HealthResponse } from '../../src/contracts/funnel.ts';
import {
  recountTotals,
  recountUnitTotals,
  storedTotals,
  storedUnitTotals,
} from '../../src/modules/funnel/repository/recount.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';

const key = (row: Record<string, unknown>) =>
  ['process_id', 'stage_id', 'org_unit_id', 'owner_id', 'status', 'close_month', 'size_class', 'business_line']
    .map((k) => String(row[k]))
    .join('|');
const sortRows = <T extends Record<string, unknown>>(rows: T[]) =>
  rows
    .map((row) => ({
      ...row,
      process_id: Number(row.process_id),
      stage_id: Number(row.stage_id),
      workspace_id: Number(row.workspace_id),
    }))
    .sort((a, b) => key(a).localeCompare(key(b)));

/** A seeded pseudo-random generator: the same sequence of changes every run. */
function rng(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

for (const engine of testEngines()) {
  describe(`funnel [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let extras: Extras;
    let admin: Call;
    let manager: Call;
    let rep: Call;
    let rep2: Call;
    const stageIds = () => extras.processes.small.stageIds;
    before(async () => {
      // The periods below are read against a fixed day: Saturday 5 December 2026, in December's running month.
      testApp = await createTestApp(engine, {}, { clock: () => Date.UTC(2026, 11, 5, 4) });
      fixture = await seedWorkspace(testApp, 'a');
      extras = await seedExtras(testApp, fixture);
      // The fixture writes its deal directly, as a bulk load would: count it once.
      await rebuildFunnel(testApp.db.kysely, fixture.workspaceId);
      admin = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id));
      manager = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id));
      rep = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id));
      rep2 = client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep2.id));
    });
    after(() => testApp.close());

    const assertTotalsEqualRecount = async () => {
      const stored = sortRows(await storedTotals(testApp.db.kysely, fixture.workspaceId));
      const recount = sortRows(await recountTotals(testApp.db.kysely, fixture.workspaceId, 200_000_00));
      assert.deepEqual(stored, recount);
      const unitKey = (row: Record<string, unknown>) =>
        ['process_id', 'unit_id', 'status', 'close_month', 'stage_id', 'size_class', 'business_line']
          .map((k) => String(row[k]))
          .join('|');
      const units = (rows: Record<string, unknown>[]) =>
        rows.map((r) => `${unitKey(r)}=${Number(r.deals)}/${Number(r.amount)}`).sort();
      assert.deepEqual(
        units(await storedUnitTotals(testApp.db.kysely, fixture.workspaceId)),
        units(await recountUnitTotals(testApp.db.kysely, fixture.workspaceId, 200_000_00)),
      );
    };

    it('after a random sequence of creates, edits, moves, closes, reopens and reassignments the kept totals equal a full recount', async () => {
      const random = rng(20261205);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
      const owners = [fixture.users.rep.id, fixture.users.rep2.id, fixture.users.manager.id];
      const deals: number[] = [extras.opportunities.repOpp];
      const version = async (id: number) =>
        json<{ version: number; status: string }>(await admin('GET', `/api/v1/opportunities/${id}`));
      const months = ['2026-10-15', '2026-11-20', '2026-12-31', '2027-01-10', '2027-03-31'];
      for (let step = 0; step < 60; step++) {
        const op = deals.length < 4 ? 0 : Math.floor(random() * 6);
        let res;
        if (op === 0) {
          res = await admin('POST', '/api/v1/opportunities', {
            accountId: fixture.accounts.repAccount,
            name: `项目${step}`,
            processId: extras.processes.small.id,
            amount: Math.round(random() * 400_000_00),
            expectedCloseDate: pick(months),
            ownerId: pick(owners),
            stageId: pick(stageIds().slice(0, 3)),
            override: true,
            reason: '老客户复购',
          });
          if (res.statusCode === 201 || res.statusCode === 200) deals.push(json<{ id: number }>(res).id);
        } else {
          const id = pick(deals);
          const cur = await version(id);
          if (op === 1)
            res = await admin('PATCH', `/api/v1/opportunities/${id}`, {
              version: cur.version,
              amount: Math.round(random() * 400_000_00),
              expectedCloseDate: pick(months),
            });
          else if (op === 2)
            res = await admin('PATCH', `/api/v1/opportunities/${id}`, {
              version: cur.version,
              ownerId: pick(owners),
              ownerReason: '调整',
            });
          else if (op === 3)
            res = await admin('POST', `/api/v1/opportunities/${id}/stage`, {
              version: cur.version,
              stageId: pick(stageIds().slice(0, -1)),
              evidence: [],
              override: true,
              reason: '复盘调整',
            });
          else if (op === 4) {
            res =
              random() < 0.5
                ? await admin('POST', `/api/v1/opportunities/${id}/close`, {
                    version: cur.version,
                    outcome: 'lost',
                    reason: 'price',
                    competitor: 'none',
                  })
                : await admin('POST', `/api/v1/opportunities/${id}/close`, {
                    version: cur.version,
                    outcome: 'won',
                    contractAmount: 1 + Math.round(random() * 300_000_00),
                    override: true,
                    note: '签约',
                  });
          } else
            res = await admin('POST', `/api/v1/opportunities/${id}/reopen`, {
              version: cur.version,
              reason: '客户重新启动',
            });
        }
        assert.ok(res.statusCode < 500, res.body);
        await assertTotalsEqualRecount();
      }
      // A unit moving in the tree takes its deals to the units above its new place.
      const unit = json<{ version: number }>(await admin('GET', `/api/v1/org-units/${fixture.units.sales1}`));
      const moved = await admin('PATCH', `/api/v1/org-units/${fixture.units.sales1}`, {
        version: unit.version,
        parentId: fixture.units.guangzhou,
      });
      assert.equal(moved.statusCode, 200, moved.body);
      await assertTotalsEqualRecount();
      const south = json<FunnelResponse>(
        await admin('GET', `/api/v1/funnel?scope=unit:${fixture.units.south}&period=all`),
      );
      const sales1 = json<FunnelResponse>(
        await admin('GET', `/api/v1/funnel?scope=unit:${fixture.units.sales1}&period=all`),
      );
      const sales3 = json<FunnelResponse>(
        await admin('GET', `/api/v1/funnel?scope=unit:${fixture.units.sales3}&period=all`),
      );
      assert.equal(
        south.total.count,
        sales1.total.count + sales3.total.count,
        'the region now sums its moved department',
      );
      await admin('PATCH', `/api/v1/org-units/${fixture.units.sales1}`, {
        version: unit.version + 1,
        parentId: fixture.units.shanghai,
      });
      await assertTotalsEqualRecount();
      // A new large-deal threshold re-sorts every deal.
      const rules = json<{ version: number }>(await admin('GET', '/api/v1/workspace/rules'));
      assert.equal(
        (await admin('PATCH', '/api/v1/workspace/rules', { version: rules.version, largeDealThreshold: 100_000_00 }))
          .statusCode,
        200,
      );
      assert.deepEqual(
        sortRows(await storedTotals(testApp.db.kysely, fixture.workspaceId)),
        sortRows(await recountTotals(testApp.db.kysely, fixture.workspaceId, 100_000_00)),
      );
      const back = json<{ version: number }>(await admin('GET', '/api/v1/workspace/rules'));
      await admin('PATCH', '/api/v1/workspace/rules', { version: back.version, largeDealThreshold: 200_000_00 });
      await assertTotalsEqualRecount();
    });

    it('the funnel per stage: count, amount, expected amount and deals; the period holds the deals expected to close in it', async () => {
      const funnel = json<FunnelResponse>(await admin('GET', '/api/v1/funnel?scope=workspace&period=all'));
      const open = await testApp.db.kysely
        .selectFrom('opportunities')
        .innerJoin('process_stages', 'process_stages.id', 'opportunities.stage_id')
        .select([
          'opportunities.amount',
          'opportunities.stage_id',
          'process_stages.probability',
          'opportunities.expected_close_date',
          'opportunities.owner_id',
        ])
        .where('opportunities.workspace_id', '=', fixture.workspaceId)
        .where('opportunities.status', '=', 'open')
        .execute();
      assert.equal(funnel.total.count, open.length);
      assert.equal(
        funnel.total.amount,
        open.reduce((s, o) => s + Number(o.amount), 0),
      );
      for (const stage of funnel.stages) {
        const mine = open.filter((o) => o.stage_id === stage.stageId);
        assert.equal(stage.count, mine.length, stage.name);
        assert.equal(
          stage.expectedAmount,
          Math.round((mine.reduce((x2, o) => x2 + Number(o.amount), 0) * stage.probability) / 100),
        );
        assert.ok(Math.abs(stage.expectedDeals - (mine.length * stage.probability) / 100) < 1e-9);
        assert.equal(stage.small.count + stage.large.count, stage.count);
      }
      const monthFunnel = json<FunnelResponse>(await admin('GET', '/api/v1/funnel?scope=workspace&period=2027-01'));
      assert.equal(
        monthFunnel.total.count,
        open.filter((o) => o.expected_close_date?.startsWith('2027-01')).length,
        'a month not running: only its own deals',
      );
      assert.equal(monthFunnel.closeFrom, '2027-01-01');
      const dec = json<FunnelResponse>(await admin('GET', '/api/v1/funnel?scope=workspace&period=2026-12'));
      assert.equal(
        dec.total.count,
        open.filter((o) => o.expected_close_date! < '2027-01-01').length,
        'the running month also holds the overdue deals',
      );
      assert.equal(dec.closeFrom, null);
      const weekRes = await admin('GET', '/api/v1/funnel?scope=workspace&period=FY2026-W53');
      assert.equal(weekRes.statusCode, 200, weekRes.body);
      // A rep's own funnel, and the members table adds up to the scope.
      const mine = json<FunnelResponse>(await rep('GET', '/api/v1/funnel?period=all'));
      assert.equal(mine.scope.kind, 'user');
      assert.equal(mine.total.count, open.filter((o) => o.owner_id === fixture.users.rep.id).length);
      const members = json<FunnelMembersResponse>(
        await admin('GET', '/api/v1/funnel/members?scope=workspace&period=all'),
      );
      assert.equal(
        members.members.reduce((s, m) => s + m.count, 0),
        funnel.total.count,
      );
      let wonSeen = 0;
      // With a period its one read holds both the open deals (overdue too while it runs) and what was won in it.
      for (const [scope, period] of [
        ['workspace', 'FY2026-Q4'],
        ['workspace', '2026-12'],
        [`unit:${fixture.units.shanghai}`, 'FY2026'],
        ['workspace', 'FY2026-W53'],
      ]) {
        const query = `scope=${scope}&period=${period}`;
        const whole = json<FunnelResponse>(await admin('GET', `/api/v1/funnel?${query}`));
        const table = json<FunnelMembersResponse>(await admin('GET', `/api/v1/funnel/members?${query}`));
        const sum = (pick: (m: FunnelMembersResponse['members'][number]) => number) =>
          table.members.reduce((a, m) => a + pick(m), 0);
        assert.equal(
          sum((m) => m.count),
          whole.total.count,
          query,
        );
        assert.equal(
          sum((m) => m.amount),
          whole.total.amount,
          query,
        );
        assert.equal(
          sum((m) => m.won),
          whole.won.amount,
          query,
        );
        wonSeen += whole.won.amount;
        whole.stages.forEach((stage, index) =>
          assert.equal(
            sum((m) => m.stages[index]!.count),
            stage.count,
            `${query} ${stage.name}`,
          ),
        );
      }
      assert.ok(wonSeen > 0, 'some of these periods won something');
    });

    it('visibility: a rep sees only their own funnel, a manager their subtree; another scope is 403; bad periods are 400', async () => {
      assert.equal((await rep('GET', `/api/v1/funnel?scope=user:${fixture.users.rep2.id}`)).statusCode, 403);
      assert.equal((await rep('GET', `/api/v1/funnel?scope=unit:${fixture.units.sales1}`)).statusCode, 403);
      assert.equal((await rep2('GET', '/api/v1/funnel/health?scope=workspace')).statusCode, 403);
      assert.equal((await manager('GET', `/api/v1/funnel?scope=unit:${fixture.units.guangzhou}`)).statusCode, 403);
      assert.equal((await manager('GET', `/api/v1/funnel?scope=user:${fixture.users.rep2.id}`)).statusCode, 403);
      assert.equal((await manager('GET', '/api/v1/funnel?scope=workspace')).statusCode, 403);
      const sub = await manager('GET', `/api/v1/funnel?scope=unit:${fixture.units.sales1}&period=all`);
      assert.equal(sub.statusCode, 200);
      const members = json<FunnelMembersResponse>(await manager('GET', `/api/v1/funnel/members?period=all`));
      assert.ok(
        members.members.every((m) => m.userId !== fixture.users.rep2.id),
        'no one outside the subtree',
      );
      for (const period of ['2026-13', 'FY2026-Q0', 'FY2026-W99', 'soon']) {
        const res = await admin('GET', `/api/v1/funnel?period=${period}`);
        assert.equal(res.statusCode, 400, period);
      }
    });

    it('health: the standard funnel from the quota, balance, time in step, the flow projection and the gap', async () => {
      await admin('PUT', '/api/v1/quotas', {
        fiscalYear: 2026,
        reason: '年度目标',
        items: [{ subjectType: 'user', subjectId: fixture.users.rep.id, amount: 2_000_000_00 }],
      });
      const res = await admin('GET', `/api/v1/funnel/health?scope=user:${fixture.users.rep.id}&period=FY2026`);
      assert.equal(res.statusCode, 200, res.body);
      const health = json<HealthResponse>(res);
      assert.equal(health.quota, 2_000_000_00);
      assert.equal(health.stages.length, stageIds().length - 1);
      if (health.averageDeal) {
        assert.ok(health.standard);
        assert.equal(health.standard.dealsNeeded, Math.ceil(health.quota / health.averageDeal));
        assert.ok(health.gap);
        assert.equal(
          health.gap.gapAmount,
          health.quota - health.realised - Math.round(health.yield.expectedDeals * health.averageDeal),
        );
      }
      for (const stage of health.stages)
        if (stage.count > 0) assert.ok(stage.medianDays !== null && stage.p80Days! >= stage.medianDays);
    });
  });
}
