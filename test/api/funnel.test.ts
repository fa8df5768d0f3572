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
        await admin('GET', '/api/v1/funnel/members?scope=workspace&period=all&limit=500'),
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
        const table = json<FunnelMembersResponse>(await admin('GET', `/api/v1/funnel/members?${query}&limit=500`));
        assert.equal(table.members.length, table.total, query);
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
            sum((m) => m.counts[index]!),
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
      const members = json<FunnelMembersResponse>(await manager('GET', `/api/v1/funnel/members?period=all&limit=500`));
      assert.ok(members.members.length > 0 && members.members.length === members.total);
      assert.ok(
        members.members.every((m) => m.userId !== fixture.users.rep2.id),
        'no one outside the subtree',
      );
      // Nor on any page, sorted or searched.
      for (const query of ['limit=1&offset=0', 'limit=1&offset=1', 'sort=-won&limit=2', `q=rep2`]) {
        const page = json<FunnelMembersResponse>(
          await manager('GET', `/api/v1/funnel/members?period=FY2026-Q4&${query}`),
        );
        assert.equal(page.total, query === 'q=rep2' ? 0 : members.total, query);
        assert.ok(
          page.members.every((m) => m.userId !== fixture.users.rep2.id),
          query,
        );
      }
      assert.equal(
        (await rep('GET', `/api/v1/funnel/members?scope=unit:${fixture.units.sales1}&limit=1`)).statusCode,
        403,
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

    it('the per-member table: server pages, sorts and search equal a sort of the whole table; quota, attainment and gap per person', async () => {
      // After the health test, which sets the rep's quota: here the others'.
      const period = 'FY2026-Q4';
      await admin('PUT', '/api/v1/quotas', {
        fiscalYear: 2026,
        reason: '年度目标',
        items: [
          { subjectType: 'user', subjectId: fixture.users.rep2.id, amount: 1_000_000_00 },
          { subjectType: 'user', subjectId: fixture.users.manager.id, amount: 8_000_000_00 },
        ],
      });
      const base = `/api/v1/funnel/members?scope=workspace&period=${period}`;
      const whole = json<FunnelMembersResponse>(await admin('GET', `${base}&limit=500&sort=name`));
      assert.ok(whole.total >= 4, 'people enough to page');
      assert.equal(whole.members.length, whole.total);
      type Member = FunnelMembersResponse['members'][number];
      // Each person's quota is the quota report's, and attainment and gap follow from it.
      for (const member of whole.members) {
        const figure = json<{ amount: number }>(
          await admin('GET', `/api/v1/quotas/figure?scope=user:${member.userId}&period=${period}`),
        );
        assert.equal(member.quota, figure.amount, member.name);
        assert.equal(member.attainment, figure.amount > 0 ? member.won / figure.amount : null, member.name);
        assert.equal(member.gap, figure.amount - member.won - member.expectedAmount, member.name);
      }
      assert.ok(whole.members.some((m) => m.attainment === null) && whole.members.some((m) => m.quota! > 0));
      // The expected order, written here from the contract's words: the column (descending with -),
      // people without the figure last either way, then the largest gap, then the id.
      const expectedOrder = (sort: string, rows: Member[]) => {
        const desc = sort.startsWith('-');
        const column = sort.replace(/^-/, '');
        const stageAt = whole.stages.findIndex((s) => `stage:${s.stageId}` === column);
        const value = (member: Member): number | string | null =>
          column === 'name'
            ? member.name
            : column === 'unit'
              ? member.orgUnitName
              : stageAt >= 0
                ? member.counts[stageAt]!
                : (member[column as keyof Member] as number | null);
        const cmp = (left: number | string, right: number | string) =>
          typeof left === 'string' ? left.localeCompare(right as string, 'zh-CN') : left - (right as number);
        return [...rows]
          .sort((first, second) => {
            const [left, right] = [value(first), value(second)];
            if (left === null || right === null) {
              if (left !== right) return left === null ? 1 : -1;
            } else if (cmp(left, right) !== 0) return desc ? -cmp(left, right) : cmp(left, right);
            if (first.gap !== second.gap)
              return first.gap === null ? 1 : second.gap === null ? -1 : second.gap - first.gap;
            return first.userId - second.userId;
          })
          .map((m) => m.userId);
      };
      const stage = whole.stages[0]!.stageId;
      for (const sort of [
        undefined,
        'attainment',
        '-attainment',
        'gap',
        '-gap',
        'quota',
        '-expectedAmount',
        'count',
        '-won',
        'name',
        '-unit',
        `-stage:${stage}`,
      ]) {
        const ask = sort ? `&sort=${sort}` : '';
        const pages: number[] = [];
        for (let offset = 0; offset < whole.total; offset += 3) {
          const page = json<FunnelMembersResponse>(await admin('GET', `${base}${ask}&limit=3&offset=${offset}`));
          assert.equal(page.total, whole.total);
          assert.equal(page.sort, sort ?? 'attainment', 'the default: furthest behind first');
          assert.ok(page.members.length <= 3);
          pages.push(...page.members.map((m) => m.userId));
        }
        assert.deepEqual(pages, expectedOrder(sort ?? 'attainment', whole.members), String(sort));
      }
      // The furthest behind (a quota, little won) come first; those without a quota last.
      const first = json<FunnelMembersResponse>(await admin('GET', `${base}&limit=1`)).members[0]!;
      const attained = whole.members.filter((m) => m.attainment !== null).map((m) => m.attainment!);
      assert.equal(first.attainment, Math.min(...attained));
      // Past the end: an empty page, the same total.
      const beyond = json<FunnelMembersResponse>(await admin('GET', `${base}&offset=${whole.total}`));
      assert.deepEqual([beyond.members.length, beyond.total], [0, whole.total]);
      // Search by part of a name, then sorted and paged as the rest.
      const named = json<FunnelMembersResponse>(await admin('GET', `${base}&q=REP&sort=-gap&limit=500`));
      const matching = whole.members.filter((m) => m.name.toLowerCase().includes('rep'));
      assert.ok(matching.length >= 2 && matching.length < whole.total);
      assert.equal(named.total, matching.length);
      assert.deepEqual(
        named.members.map((m) => m.userId),
        expectedOrder('-gap', matching),
      );
      // Without a period there is no quota: the default is the largest expected amount first.
      const all = json<FunnelMembersResponse>(await admin('GET', '/api/v1/funnel/members?scope=workspace&period=all'));
      assert.equal(all.sort, '-expectedAmount');
      assert.ok(all.members.every((m) => m.quota === null && m.attainment === null && m.gap === null));
      // Bad paging and sorting name their parameter.
      for (const [query, field] of [
        ['sort=probability', 'query.sort'],
        ['sort=stage:999999', 'query.sort'],
        ['limit=0', 'query.limit'],
        ['limit=501', 'query.limit'],
        ['offset=-1', 'query.offset'],
        ['q=' + 'x'.repeat(101), 'query.q'],
      ]) {
        const res = await admin('GET', `${base}&${query}`);
        assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
        assert.deepEqual(
          json<{ errors: { field: string }[] }>(res).errors.map((e) => e.field),
          [field],
          query,
        );
      }
    });
  });
}
