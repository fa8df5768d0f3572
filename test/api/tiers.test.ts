import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import type { AccountDetail } from '../../src/contracts/accounts.ts';
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
import { JOBS } from '../../src/server/housekeeping.ts';

const DAY = 86_400_000;

type Account = AccountDetail;

for (const engine of testEngines()) {
  describe(`ABC tiers, value types and named accounts [${engine}]`, () => {
    let testApp: TestApp;
    let fixtureA: Fixture;
    let fixtureB: Fixture;
    let admin: Call;
    let manager: Call;
    let rep: Call;
    let adminB: Call;
    const acc: Record<'big' | 'second' | 'mid' | 'small' | 'tail' | 'archived', number> = {
      big: 0,
      second: 0,
      mid: 0,
      small: 0,
      tail: 0,
      archived: 0,
    };
    const now = Date.now();

    const getAccount = async (id: number) => json<Account>(await admin('GET', `/api/v1/accounts/${id}`));
    const won = async (
      fixture: Fixture,
      accountId: number,
      amount: number,
      closedAt: number | null,
      status = 'won',
    ) => {
      await testApp.db.kysely
        .insertInto('opportunities')
        .values({
          workspace_id: fixture.workspaceId,
          account_id: accountId,
          name: `opp ${amount}`,
          owner_id: fixture.users.rep.id,
          org_unit_id: fixture.units.sales1,
          amount,
          status,
          closed_at: closedAt,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
    };

    before(async () => {
      testApp = await createTestApp(engine);
      fixtureA = await seedWorkspace(testApp, 'a');
      fixtureB = await seedWorkspace(testApp, 'b');
      admin = client(testApp, await sessionCookie(testApp, fixtureA.workspaceId, fixtureA.users.admin.id));
      manager = client(testApp, await sessionCookie(testApp, fixtureA.workspaceId, fixtureA.users.manager.id));
      rep = client(testApp, await sessionCookie(testApp, fixtureA.workspaceId, fixtureA.users.rep.id));
      adminB = client(testApp, await sessionCookie(testApp, fixtureB.workspaceId, fixtureB.users.admin.id));
      const kysely = testApp.db.kysely;
      const mk = async (name: string, archived = false) =>
        (
          await kysely
            .insertInto('accounts')
            .values({
              workspace_id: fixtureA.workspaceId,
              name,
              name_key: name,
              owner_id: fixtureA.users.rep.id,
              org_unit_id: fixtureA.units.sales1,
              created_at: now,
              updated_at: now,
              archived_at: archived ? now : null,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      acc.big = fixtureA.accounts.repAccount;
      acc.second = fixtureA.accounts.rep2Account;
      acc.mid = await mk('中型客户');
      acc.small = await mk('小客户');
      acc.tail = await mk('尾部客户');
      acc.archived = await mk('已归档客户', true);
      // Trailing 12 months: 500 + 300 + 100 + 60 + 40 = 1000 (in 万 fen, scaled below).
      const wan = 10_000_00;
      await won(fixtureA, acc.big, 300 * wan, now - 10 * DAY);
      await won(fixtureA, acc.big, 200 * wan, now - 200 * DAY);
      await won(fixtureA, acc.second, 300 * wan, now - 30 * DAY);
      await won(fixtureA, acc.mid, 100 * wan, now - 60 * DAY);
      await won(fixtureA, acc.small, 60 * wan, now - 90 * DAY);
      await won(fixtureA, acc.tail, 40 * wan, now - 100 * DAY);
      // The window before: second steady (300 → 300), tail shrinking (1000 → 40), small growing (40 → 60).
      await won(fixtureA, acc.second, 300 * wan, now - 400 * DAY);
      await won(fixtureA, acc.tail, 1000 * wan, now - 380 * DAY);
      await won(fixtureA, acc.small, 40 * wan, now - 500 * DAY);
      // Ignored: open and lost deals, deals older than both windows, other workspaces, archived accounts.
      await won(fixtureA, acc.tail, 99_999 * wan, null, 'open');
      await won(fixtureA, acc.tail, 99_999 * wan, now - 5 * DAY, 'lost');
      await won(fixtureA, acc.tail, 99_999 * wan, now - 800 * DAY);
      await won(fixtureB, fixtureB.accounts.repAccount, 99_999 * wan, now - 5 * DAY);
      await won(fixtureA, acc.archived, 99_999 * wan, now - 5 * DAY);
    });
    after(() => testApp.close());

    it('reps cannot recompute (403); a manager recomputes the workspace and gets counts', async () => {
      assert.equal((await rep('POST', '/api/v1/tiers/recompute', {})).statusCode, 403);
      const res = await manager('POST', '/api/v1/tiers/recompute', {});
      assert.equal(res.statusCode, 200, res.body);
      const summary = json<{
        accounts: number;
        updated: number;
        tierChanged: number;
        byTier: Record<string, number>;
        window: { months: number };
      }>(res);
      assert.equal(summary.accounts, 6, 'active accounts of workspace A: 3 fixture + 3 made here');
      assert.deepEqual(summary.byTier, { A: 2, B: 2, C: 2 });
      assert.equal(summary.tierChanged, 4, 'big, second → A; mid, small → B; tail and pool stay C');
      assert.equal(summary.window.months, 12);
    });

    it('writes tiers, value types and the trailing and prior amounts', async () => {
      const wan = 10_000_00;
      const big = await getAccount(acc.big);
      assert.deepEqual(
        [big.tier, big.tierComputed, big.trailingAmount, big.priorAmount, big.valueType],
        ['A', 'A', 500 * wan, 0, 'growth'],
      );
      const second = await getAccount(acc.second);
      assert.deepEqual(
        [second.tier, second.trailingAmount, second.priorAmount, second.valueType],
        ['A', 300 * wan, 300 * wan, 'value'],
      );
      assert.equal((await getAccount(acc.mid)).tier, 'B');
      const small = await getAccount(acc.small);
      assert.deepEqual([small.tier, small.valueType], ['B', 'growth']);
      const tail = await getAccount(acc.tail);
      assert.deepEqual(
        [tail.tier, tail.trailingAmount, tail.priorAmount, tail.valueType],
        ['C', 40 * wan, 1000 * wan, 'shrinking'],
      );
      const pool = await getAccount(fixtureA.accounts.poolAccount);
      assert.deepEqual([pool.tier, pool.valueType, pool.trailingAmount], ['C', null, 0]);
      const archived = await testApp.db.kysely
        .selectFrom('accounts')
        .select(['tier', 'trailing_amount'])
        .where('id', '=', acc.archived)
        .executeTakeFirstOrThrow();
      assert.deepEqual([archived.tier, Number(archived.trailing_amount)], ['C', 0], 'archived accounts are left alone');
      const other = await testApp.db.kysely
        .selectFrom('accounts')
        .select('tier')
        .where('id', '=', fixtureB.accounts.repAccount)
        .executeTakeFirstOrThrow();
      assert.equal(other.tier, 'C', 'another workspace is not recomputed');
    });

    it('logs each effective tier change in the history; an unchanged recompute writes nothing', async () => {
      const hist = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['entity_id', 'old_value', 'new_value', 'reason', 'actor_user_id'])
        .where('workspace_id', '=', fixtureA.workspaceId)
        .where('field', '=', 'tier')
        .orderBy('entity_id')
        .execute();
      assert.deepEqual(
        hist.map((h) => [h.entity_id, h.old_value, h.new_value, h.reason]),
        [
          [acc.big, 'C', 'A', 'recompute'],
          [acc.second, 'C', 'A', 'recompute'],
          [acc.mid, 'C', 'B', 'recompute'],
          [acc.small, 'C', 'B', 'recompute'],
        ].sort((x, y) => (x[0] as number) - (y[0] as number)),
      );
      assert.ok(hist.every((h) => h.actor_user_id === fixtureA.users.manager.id));
      const again = json<{ updated: number; tierChanged: number }>(await admin('POST', '/api/v1/tiers/recompute', {}));
      assert.deepEqual([again.updated, again.tierChanged], [0, 0]);
      const audit = await testApp.db.kysely
        .selectFrom('audit_log')
        .select('action')
        .where('workspace_id', '=', fixtureA.workspaceId)
        .where('action', '=', 'tiers.recompute')
        .execute();
      assert.equal(audit.length, 2);
    });

    it('versions are not bumped by a recompute (no stale forms)', async () => {
      assert.equal((await getAccount(acc.mid)).version, 1);
    });

    it('an override needs a manager over the account and a reason; it is logged', async () => {
      const tail = await getAccount(acc.tail);
      assert.equal(
        (
          await rep('POST', `/api/v1/accounts/${acc.tail}/tier-override`, {
            version: tail.version,
            tier: 'A',
            reason: 'x',
          })
        ).statusCode,
        403,
      );
      const noReason = await manager('POST', `/api/v1/accounts/${acc.tail}/tier-override`, {
        version: tail.version,
        tier: 'A',
      });
      assert.equal(noReason.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(noReason).errors[0]!.field, 'reason');
      const badTier = await manager('POST', `/api/v1/accounts/${acc.tail}/tier-override`, {
        version: tail.version,
        tier: 'D',
        reason: 'x',
      });
      assert.equal(badTier.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(badTier).errors[0]!.field, 'tier');
      // rep2's account lies outside the Shanghai manager's subtree: not visible, so 404.
      const second = await getAccount(acc.second);
      assert.equal(
        (
          await manager('POST', `/api/v1/accounts/${acc.second}/tier-override`, {
            version: second.version,
            tier: 'B',
            reason: 'x',
          })
        ).statusCode,
        404,
      );
      assert.equal(
        (
          await adminB('POST', `/api/v1/accounts/${acc.tail}/tier-override`, {
            version: tail.version,
            tier: 'A',
            reason: 'x',
          })
        ).statusCode,
        404,
      );
      assert.equal(
        (
          await manager('POST', `/api/v1/accounts/${acc.tail}/tier-override`, {
            version: tail.version + 5,
            tier: 'A',
            reason: 'x',
          })
        ).statusCode,
        409,
      );

      const res = await manager('POST', `/api/v1/accounts/${acc.tail}/tier-override`, {
        version: tail.version,
        tier: 'A',
        reason: '集团年度框架协议即将签署',
      });
      assert.equal(res.statusCode, 200, res.body);
      const account = json<Account & { permissions: { manage: boolean } }>(res);
      assert.deepEqual(
        [account.tier, account.tierComputed, account.tierOverride, account.tierOverrideReason, account.version],
        ['A', 'C', 'A', '集团年度框架协议即将签署', tail.version + 1],
      );
      assert.equal(account.permissions.manage, true);
      const history = json<{ items: { field: string; oldValue: string; newValue: string; reason: string }[] }>(
        await rep('GET', `/api/v1/accounts/${acc.tail}/history`),
      ).items;
      assert.deepEqual(
        [history[0]!.field, history[0]!.oldValue, history[0]!.newValue, history[0]!.reason],
        ['tier', 'C', 'A', '集团年度框架协议即将签署'],
      );
      const audit = await testApp.db.kysely
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'account.tier_override')
        .where('target_id', '=', acc.tail)
        .execute();
      assert.equal(audit.length, 1);
    });

    it('the override keeps the effective tier through a recompute, and clearing it restores the computed tier', async () => {
      const summary = json<{ tierChanged: number; byTier: Record<string, number> }>(
        await admin('POST', '/api/v1/tiers/recompute', {}),
      );
      assert.equal(summary.tierChanged, 0);
      assert.deepEqual(summary.byTier, { A: 3, B: 2, C: 1 });
      const tail = await getAccount(acc.tail);
      assert.deepEqual([tail.tier, tail.tierComputed, tail.tierOverride], ['A', 'C', 'A']);
      const cleared = await admin('POST', `/api/v1/accounts/${acc.tail}/tier-override`, {
        version: tail.version,
        tier: null,
      });
      assert.equal(cleared.statusCode, 200, cleared.body);
      const account = json<Account>(cleared);
      assert.deepEqual([account.tier, account.tierOverride, account.tierOverrideReason], ['C', null, null]);
      const historyRow = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['old_value', 'new_value', 'reason'])
        .where('entity_id', '=', acc.tail)
        .where('field', '=', 'tier')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.deepEqual([historyRow.old_value, historyRow.new_value, historyRow.reason], ['A', 'C', 'override cleared']);
    });

    it('summary: counts and amounts per tier and value type within reach, with the thresholds', async () => {
      const wan = 10_000_00;
      const all = json<{
        tiers: { tier: string; count: number; trailingAmount: number }[];
        valueTypes: { valueType: string | null; count: number; strategy: string | null }[];
        total: { count: number; trailingAmount: number };
        thresholds: { aShareBp: number; bShareBp: number; windowMonths: number };
        computedAt: number | null;
      }>(await admin('GET', '/api/v1/tiers/summary'));
      assert.deepEqual(
        all.tiers.map((x) => [x.tier, x.count, x.trailingAmount]),
        [
          ['A', 2, 800 * wan],
          ['B', 2, 160 * wan],
          ['C', 2, 40 * wan],
        ],
      );
      assert.deepEqual(
        all.valueTypes.map((x) => [x.valueType, x.count]),
        [
          ['value', 1],
          ['growth', 3],
          ['shrinking', 1],
          [null, 1],
        ],
      );
      assert.ok(all.valueTypes[0]!.strategy && all.valueTypes[3]!.strategy === null);
      assert.deepEqual(all.thresholds, {
        aShareBp: 8000,
        bShareBp: 9500,
        windowMonths: 12,
        growthBp: 2000,
        shrinkBp: 1000,
      });
      assert.equal(all.total.count, 6);
      assert.ok(all.computedAt && all.computedAt >= now);
      // The Shanghai manager does not see rep2's account (Guangzhou).
      const mine = json<{ tiers: { tier: string; count: number }[]; total: { count: number } }>(
        await manager('GET', '/api/v1/tiers/summary'),
      );
      assert.equal(mine.total.count, 5);
      assert.deepEqual(
        mine.tiers.map((x) => x.count),
        [1, 2, 2],
      );
      const unit = json<{ total: { count: number } }>(
        await admin('GET', `/api/v1/tiers/summary?orgUnitId=${fixtureA.units.south}`),
      );
      assert.equal(unit.total.count, 1);
      assert.equal(
        (await admin('GET', `/api/v1/tiers/summary?orgUnitId=${fixtureB.units.south}`)).statusCode,
        400,
        "another workspace's unit",
      );
    });

    it('named accounts: the owner ticks the criteria, only a manager sets the flag', async () => {
      let account = await getAccount(acc.mid);
      const ticked = await rep('PUT', `/api/v1/accounts/${acc.mid}/named`, {
        version: account.version,
        criteria: { large_budget: true, product_fit: true },
      });
      assert.equal(ticked.statusCode, 200, ticked.body);
      assert.deepEqual(json<Account>(ticked).namedCriteria, { large_budget: true, product_fit: true });
      account = json<Account>(ticked);
      assert.equal(
        (await rep('PUT', `/api/v1/accounts/${acc.mid}/named`, { version: account.version, named: true })).statusCode,
        403,
      );
      const unknown = await rep('PUT', `/api/v1/accounts/${acc.mid}/named`, {
        version: account.version,
        criteria: { cheap: true },
      });
      assert.equal(unknown.statusCode, 400);
      const set = await manager('PUT', `/api/v1/accounts/${acc.mid}/named`, {
        version: account.version,
        named: true,
        criteria: { product_fit: false, industry_standing: true },
      });
      assert.equal(set.statusCode, 200, set.body);
      const namedAccount = json<Account>(set);
      assert.equal(namedAccount.named, true);
      assert.deepEqual(namedAccount.namedCriteria, { large_budget: true, product_fit: false, industry_standing: true });
      const historyRows = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['old_value', 'new_value'])
        .where('entity_id', '=', acc.mid)
        .where('field', '=', 'named')
        .execute();
      assert.deepEqual(
        historyRows.map((x) => [x.old_value, x.new_value]),
        [['false', 'true']],
      );
      // A named account gets the key-account profile (docs/archive.md), although it is tier B.
      const profile = await rep('PUT', `/api/v1/accounts/${acc.mid}/profile`, {
        version: 0,
        businessOverview: '华东最大的配电设备集成商',
      });
      assert.equal(profile.statusCode, 200, profile.body);
      assert.equal(
        (await adminB('PUT', `/api/v1/accounts/${acc.mid}/named`, { version: namedAccount.version, named: false }))
          .statusCode,
        404,
      );
      assert.equal(
        (await manager('PUT', `/api/v1/accounts/${acc.mid}/named`, { version: 1, named: false })).statusCode,
        409,
      );
    });

    it('most value needs size as well as a steady trend (SPEC §3.1): a small steady account has none until named', async () => {
      // small bought 40 before and 60 now; 20 more before makes it steady at tier B.
      const wan = 10_000_00;
      await won(fixtureA, acc.small, 20 * wan, now - 450 * DAY);
      assert.equal((await manager('POST', '/api/v1/tiers/recompute', {})).statusCode, 200);
      let small = await getAccount(acc.small);
      assert.deepEqual(
        [small.tier, small.trailingAmount, small.priorAmount, small.valueType],
        ['B', 60 * wan, 60 * wan, null],
      );
      const named = await manager('PUT', `/api/v1/accounts/${acc.small}/named`, {
        version: small.version,
        named: true,
      });
      assert.equal(named.statusCode, 200, named.body);
      assert.equal(json<Account>(named).valueType, 'value', 'a named account buying steadily is most value at once');
      small = json<Account>(named);
      const unnamed = await manager('PUT', `/api/v1/accounts/${acc.small}/named`, {
        version: small.version,
        named: false,
      });
      assert.equal(json<Account>(unnamed).valueType, null);
      small = json<Account>(unnamed);
      const raised = await manager('POST', `/api/v1/accounts/${acc.small}/tier-override`, {
        version: small.version,
        tier: 'A',
        reason: '战略客户',
      });
      assert.equal(raised.statusCode, 200, raised.body);
      assert.equal(json<Account>(raised).valueType, 'value', 'an A-tier account buying steadily is most value');
      // The workspace's thresholds decide the trend: with growth at 10%, 60 over 60 stays steady, and
      // a 40% shrink threshold keeps tail (1000 → 40) shrinking.
      const rules = json<{ version: number }>(await admin('GET', '/api/v1/workspace/rules'));
      const patched = await admin('PATCH', '/api/v1/workspace/rules', {
        version: rules.version,
        valueGrowthBp: 1000,
        valueShrinkBp: 4000,
      });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.equal((await manager('POST', '/api/v1/tiers/recompute', {})).statusCode, 200);
      assert.equal((await getAccount(acc.small)).valueType, 'value');
      assert.equal((await getAccount(acc.tail)).valueType, 'shrinking');
      const summary = json<{ thresholds: { growthBp: number; shrinkBp: number } }>(
        await admin('GET', '/api/v1/tiers/summary'),
      );
      assert.deepEqual([summary.thresholds.growthBp, summary.thresholds.shrinkBp], [1000, 4000]);
    });

    it('the nightly job recomputes every workspace', async () => {
      const job = JOBS.find((j) => j.name === 'tiers.recompute');
      assert.ok(job);
      const later = now + DAY;
      const result = await job.run(testApp.db, testApp.config, later);
      assert.match(result, /2 workspaces/);
      const row = await testApp.db.kysely
        .selectFrom('accounts')
        .select('tier')
        .where('id', '=', fixtureB.accounts.repAccount)
        .executeTakeFirstOrThrow();
      assert.equal(row.tier, 'A', "workspace B's single buyer is A");
      const stamps = await testApp.db.kysely
        .selectFrom('workspaces')
        .select('tiers_computed_at')
        .where('id', 'in', [fixtureA.workspaceId, fixtureB.workspaceId])
        .execute();
      assert.deepEqual(
        stamps.map((stamp) => Number(stamp.tiers_computed_at)),
        [later, later],
        'each workspace stamped',
      );
      const hist = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['actor_user_id', 'reason'])
        .where('workspace_id', '=', fixtureB.workspaceId)
        .where('field', '=', 'tier')
        .execute();
      assert.deepEqual(
        hist.map((h) => [h.actor_user_id, h.reason]),
        [[null, 'recompute']],
      );
    });

    it('a recompute that changes no value rewrites no account; the summary says when it ran (migration 0049)', async () => {
      // Every account row rewritten each night cost PostgreSQL a row version in each of the table's
      // indexes and its index-only scans their shortcut until autovacuum came (docs/benchmarks.md, 7 December).
      const job = JOBS.find((j) => j.name === 'tiers.recompute')!;
      await job.run(testApp.db, testApp.config, now + DAY);
      const accountsOf = () =>
        testApp.db.kysely
          .selectFrom('accounts')
          .selectAll()
          .where('workspace_id', '=', fixtureA.workspaceId)
          .orderBy('id')
          .execute();
      const before = await accountsOf();
      const again = now + DAY + 60_000;
      assert.match(await job.run(testApp.db, testApp.config, again), /0 tier changes/);
      assert.deepEqual(await accountsOf(), before, 'no account written');
      const summary = json<{ computedAt: number | null }>(await admin('GET', '/api/v1/tiers/summary'));
      assert.equal(summary.computedAt, again);
    });
  });
}
