import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import type { AccountDetail } from '../../src/contracts/accounts.ts';
import { client, createTestApp, json, seedWorkspace, sessionCookie, type Call, type Fixture, type TestApp } from '../helpers/app.ts';
import { JOBS } from '../../src/server/housekeeping.ts';

const DAY = 86_400_000;

type Account = AccountDetail;

for (const engine of testEngines()) {
  describe(`ABC tiers, value types and named accounts [${engine}]`, () => {
    let t: TestApp;
    let a: Fixture;
    let b: Fixture;
    let admin: Call;
    let manager: Call;
    let rep: Call;
    let adminB: Call;
    const acc: Record<'big' | 'second' | 'mid' | 'small' | 'tail' | 'archived', number> = { big: 0, second: 0, mid: 0, small: 0, tail: 0, archived: 0 };
    const now = Date.now();

    const getAccount = async (id: number) => json<Account>(await admin('GET', `/api/v1/accounts/${id}`));
    const won = async (f: Fixture, accountId: number, amount: number, closedAt: number | null, status = 'won') => {
      await t.db.kysely.insertInto('opportunities').values({
        workspace_id: f.workspaceId, account_id: accountId, name: `opp ${amount}`, owner_id: f.users.rep.id, org_unit_id: f.units.sales1,
        amount, status, closed_at: closedAt, created_at: now, updated_at: now, version: 1,
      }).execute();
    };

    before(async () => {
      t = await createTestApp(engine);
      a = await seedWorkspace(t, 'a');
      b = await seedWorkspace(t, 'b');
      admin = client(t, await sessionCookie(t, a.workspaceId, a.users.admin.id));
      manager = client(t, await sessionCookie(t, a.workspaceId, a.users.manager.id));
      rep = client(t, await sessionCookie(t, a.workspaceId, a.users.rep.id));
      adminB = client(t, await sessionCookie(t, b.workspaceId, b.users.admin.id));
      const k = t.db.kysely;
      const mk = async (name: string, archived = false) =>
        (await k.insertInto('accounts').values({ workspace_id: a.workspaceId, name, name_key: name, owner_id: a.users.rep.id, org_unit_id: a.units.sales1, created_at: now, updated_at: now, archived_at: archived ? now : null, version: 1 }).returning('id').executeTakeFirstOrThrow()).id;
      acc.big = a.accounts.repAccount;
      acc.second = a.accounts.rep2Account;
      acc.mid = await mk('中型客户');
      acc.small = await mk('小客户');
      acc.tail = await mk('尾部客户');
      acc.archived = await mk('已归档客户', true);
      // Trailing 12 months: 500 + 300 + 100 + 60 + 40 = 1000 (in 万 fen, scaled below).
      const W = 10_000_00;
      await won(a, acc.big, 300 * W, now - 10 * DAY);
      await won(a, acc.big, 200 * W, now - 200 * DAY);
      await won(a, acc.second, 300 * W, now - 30 * DAY);
      await won(a, acc.mid, 100 * W, now - 60 * DAY);
      await won(a, acc.small, 60 * W, now - 90 * DAY);
      await won(a, acc.tail, 40 * W, now - 100 * DAY);
      // The window before: second steady (300 → 300), tail shrinking (1000 → 40), small growing (40 → 60).
      await won(a, acc.second, 300 * W, now - 400 * DAY);
      await won(a, acc.tail, 1000 * W, now - 380 * DAY);
      await won(a, acc.small, 40 * W, now - 500 * DAY);
      // Ignored: open and lost deals, deals older than both windows, other workspaces, archived accounts.
      await won(a, acc.tail, 99_999 * W, null, 'open');
      await won(a, acc.tail, 99_999 * W, now - 5 * DAY, 'lost');
      await won(a, acc.tail, 99_999 * W, now - 800 * DAY);
      await won(b, b.accounts.repAccount, 99_999 * W, now - 5 * DAY);
      await won(a, acc.archived, 99_999 * W, now - 5 * DAY);
    });
    after(() => t.close());

    it('reps cannot recompute (403); a manager recomputes the workspace and gets counts', async () => {
      assert.equal((await rep('POST', '/api/v1/tiers/recompute', {})).statusCode, 403);
      const res = await manager('POST', '/api/v1/tiers/recompute', {});
      assert.equal(res.statusCode, 200, res.body);
      const r = json<{ accounts: number; updated: number; tierChanged: number; byTier: Record<string, number>; window: { months: number } }>(res);
      assert.equal(r.accounts, 6, 'active accounts of workspace A: 3 fixture + 3 made here');
      assert.deepEqual(r.byTier, { A: 2, B: 2, C: 2 });
      assert.equal(r.tierChanged, 4, 'big, second → A; mid, small → B; tail and pool stay C');
      assert.equal(r.window.months, 12);
    });

    it('writes tiers, value types and the trailing and prior amounts', async () => {
      const W = 10_000_00;
      const big = await getAccount(acc.big);
      assert.deepEqual([big.tier, big.tierComputed, big.trailingAmount, big.priorAmount, big.valueType], ['A', 'A', 500 * W, 0, 'growth']);
      const second = await getAccount(acc.second);
      assert.deepEqual([second.tier, second.trailingAmount, second.priorAmount, second.valueType], ['A', 300 * W, 300 * W, 'value']);
      assert.equal((await getAccount(acc.mid)).tier, 'B');
      const small = await getAccount(acc.small);
      assert.deepEqual([small.tier, small.valueType], ['B', 'growth']);
      const tail = await getAccount(acc.tail);
      assert.deepEqual([tail.tier, tail.trailingAmount, tail.priorAmount, tail.valueType], ['C', 40 * W, 1000 * W, 'shrinking']);
      const pool = await getAccount(a.accounts.poolAccount);
      assert.deepEqual([pool.tier, pool.valueType, pool.trailingAmount], ['C', null, 0]);
      const archived = await t.db.kysely.selectFrom('accounts').select(['tier', 'trailing_amount']).where('id', '=', acc.archived).executeTakeFirstOrThrow();
      assert.deepEqual([archived.tier, Number(archived.trailing_amount)], ['C', 0], 'archived accounts are left alone');
      const other = await t.db.kysely.selectFrom('accounts').select('tier').where('id', '=', b.accounts.repAccount).executeTakeFirstOrThrow();
      assert.equal(other.tier, 'C', 'another workspace is not recomputed');
    });

    it('logs each effective tier change in the history; an unchanged recompute writes nothing', async () => {
      const hist = await t.db.kysely.selectFrom('record_history').select(['entity_id', 'old_value', 'new_value', 'reason', 'actor_user_id'])
        .where('workspace_id', '=', a.workspaceId).where('field', '=', 'tier').orderBy('entity_id').execute();
      assert.deepEqual(hist.map((h) => [h.entity_id, h.old_value, h.new_value, h.reason]), [
        [acc.big, 'C', 'A', 'recompute'], [acc.second, 'C', 'A', 'recompute'], [acc.mid, 'C', 'B', 'recompute'], [acc.small, 'C', 'B', 'recompute'],
      ].sort((x, y) => (x[0] as number) - (y[0] as number)));
      assert.ok(hist.every((h) => h.actor_user_id === a.users.manager.id));
      const again = json<{ updated: number; tierChanged: number }>(await admin('POST', '/api/v1/tiers/recompute', {}));
      assert.deepEqual([again.updated, again.tierChanged], [0, 0]);
      const audit = await t.db.kysely.selectFrom('audit_log').select('action').where('workspace_id', '=', a.workspaceId).where('action', '=', 'tiers.recompute').execute();
      assert.equal(audit.length, 2);
    });

    it('versions are not bumped by a recompute (no stale forms)', async () => {
      assert.equal((await getAccount(acc.mid)).version, 1);
    });

    it('an override needs a manager over the account and a reason; it is logged', async () => {
      const tail = await getAccount(acc.tail);
      assert.equal((await rep('POST', `/api/v1/accounts/${acc.tail}/tier-override`, { version: tail.version, tier: 'A', reason: 'x' })).statusCode, 403);
      const noReason = await manager('POST', `/api/v1/accounts/${acc.tail}/tier-override`, { version: tail.version, tier: 'A' });
      assert.equal(noReason.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(noReason).errors[0]!.field, 'reason');
      const badTier = await manager('POST', `/api/v1/accounts/${acc.tail}/tier-override`, { version: tail.version, tier: 'D', reason: 'x' });
      assert.equal(badTier.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(badTier).errors[0]!.field, 'tier');
      // rep2's account lies outside the Shanghai manager's subtree: not visible, so 404.
      const second = await getAccount(acc.second);
      assert.equal((await manager('POST', `/api/v1/accounts/${acc.second}/tier-override`, { version: second.version, tier: 'B', reason: 'x' })).statusCode, 404);
      assert.equal((await adminB('POST', `/api/v1/accounts/${acc.tail}/tier-override`, { version: tail.version, tier: 'A', reason: 'x' })).statusCode, 404);
      assert.equal((await manager('POST', `/api/v1/accounts/${acc.tail}/tier-override`, { version: tail.version + 5, tier: 'A', reason: 'x' })).statusCode, 409);

      const res = await manager('POST', `/api/v1/accounts/${acc.tail}/tier-override`, { version: tail.version, tier: 'A', reason: '集团年度框架协议即将签署' });
      assert.equal(res.statusCode, 200, res.body);
      const d = json<Account & { permissions: { manage: boolean } }>(res);
      assert.deepEqual([d.tier, d.tierComputed, d.tierOverride, d.tierOverrideReason, d.version], ['A', 'C', 'A', '集团年度框架协议即将签署', tail.version + 1]);
      assert.equal(d.permissions.manage, true);
      const h = json<{ items: { field: string; oldValue: string; newValue: string; reason: string }[] }>(await rep('GET', `/api/v1/accounts/${acc.tail}/history`)).items;
      assert.deepEqual([h[0]!.field, h[0]!.oldValue, h[0]!.newValue, h[0]!.reason], ['tier', 'C', 'A', '集团年度框架协议即将签署']);
      const audit = await t.db.kysely.selectFrom('audit_log').select('detail').where('action', '=', 'account.tier_override').where('target_id', '=', acc.tail).execute();
      assert.equal(audit.length, 1);
    });

    it('the override keeps the effective tier through a recompute, and clearing it restores the computed tier', async () => {
      const r = json<{ tierChanged: number; byTier: Record<string, number> }>(await admin('POST', '/api/v1/tiers/recompute', {}));
      assert.equal(r.tierChanged, 0);
      assert.deepEqual(r.byTier, { A: 3, B: 2, C: 1 });
      const tail = await getAccount(acc.tail);
      assert.deepEqual([tail.tier, tail.tierComputed, tail.tierOverride], ['A', 'C', 'A']);
      const cleared = await admin('POST', `/api/v1/accounts/${acc.tail}/tier-override`, { version: tail.version, tier: null });
      assert.equal(cleared.statusCode, 200, cleared.body);
      const c = json<Account>(cleared);
      assert.deepEqual([c.tier, c.tierOverride, c.tierOverrideReason], ['C', null, null]);
      const h = await t.db.kysely.selectFrom('record_history').select(['old_value', 'new_value', 'reason']).where('entity_id', '=', acc.tail).where('field', '=', 'tier').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual([h.old_value, h.new_value, h.reason], ['A', 'C', 'override cleared']);
    });

    it('summary: counts and amounts per tier and value type within reach, with the thresholds', async () => {
      const W = 10_000_00;
      const all = json<{ tiers: { tier: string; count: number; trailingAmount: number }[]; valueTypes: { valueType: string | null; count: number; strategy: string | null }[]; total: { count: number; trailingAmount: number }; thresholds: { aShareBp: number; bShareBp: number; windowMonths: number }; computedAt: number | null }>(await admin('GET', '/api/v1/tiers/summary'));
      assert.deepEqual(all.tiers.map((x) => [x.tier, x.count, x.trailingAmount]), [['A', 2, 800 * W], ['B', 2, 160 * W], ['C', 2, 40 * W]]);
      assert.deepEqual(all.valueTypes.map((x) => [x.valueType, x.count]), [['value', 1], ['growth', 3], ['shrinking', 1], [null, 1]]);
      assert.ok(all.valueTypes[0]!.strategy && all.valueTypes[3]!.strategy === null);
      assert.deepEqual(all.thresholds, { aShareBp: 8000, bShareBp: 9500, windowMonths: 12, growthBp: 2000, shrinkBp: 1000 });
      assert.equal(all.total.count, 6);
      assert.ok(all.computedAt && all.computedAt >= now);
      // The Shanghai manager does not see rep2's account (Guangzhou).
      const mine = json<{ tiers: { tier: string; count: number }[]; total: { count: number } }>(await manager('GET', '/api/v1/tiers/summary'));
      assert.equal(mine.total.count, 5);
      assert.deepEqual(mine.tiers.map((x) => x.count), [1, 2, 2]);
      const unit = json<{ total: { count: number } }>(await admin('GET', `/api/v1/tiers/summary?orgUnitId=${a.units.south}`));
      assert.equal(unit.total.count, 1);
      assert.equal((await admin('GET', `/api/v1/tiers/summary?orgUnitId=${b.units.south}`)).statusCode, 400, "another workspace's unit");
    });

    it('named accounts: the owner ticks the criteria, only a manager sets the flag', async () => {
      let d = await getAccount(acc.mid);
      const ticked = await rep('PUT', `/api/v1/accounts/${acc.mid}/named`, { version: d.version, criteria: { large_budget: true, product_fit: true } });
      assert.equal(ticked.statusCode, 200, ticked.body);
      assert.deepEqual(json<Account>(ticked).namedCriteria, { large_budget: true, product_fit: true });
      d = json<Account>(ticked);
      assert.equal((await rep('PUT', `/api/v1/accounts/${acc.mid}/named`, { version: d.version, named: true })).statusCode, 403);
      const unknown = await rep('PUT', `/api/v1/accounts/${acc.mid}/named`, { version: d.version, criteria: { cheap: true } });
      assert.equal(unknown.statusCode, 400);
      const set = await manager('PUT', `/api/v1/accounts/${acc.mid}/named`, { version: d.version, named: true, criteria: { product_fit: false, industry_standing: true } });
      assert.equal(set.statusCode, 200, set.body);
      const n = json<Account>(set);
      assert.equal(n.named, true);
      assert.deepEqual(n.namedCriteria, { large_budget: true, product_fit: false, industry_standing: true });
      const h = await t.db.kysely.selectFrom('record_history').select(['old_value', 'new_value']).where('entity_id', '=', acc.mid).where('field', '=', 'named').execute();
      assert.deepEqual(h.map((x) => [x.old_value, x.new_value]), [['false', 'true']]);
      // A named account gets the key-account profile (docs/archive.md), although it is tier B.
      const profile = await rep('PUT', `/api/v1/accounts/${acc.mid}/profile`, { version: 0, businessOverview: '华东最大的配电设备集成商' });
      assert.equal(profile.statusCode, 200, profile.body);
      assert.equal((await adminB('PUT', `/api/v1/accounts/${acc.mid}/named`, { version: n.version, named: false })).statusCode, 404);
      assert.equal((await manager('PUT', `/api/v1/accounts/${acc.mid}/named`, { version: 1, named: false })).statusCode, 409);
    });

    it('the nightly job recomputes every workspace', async () => {
      const job = JOBS.find((j) => j.name === 'tiers.recompute');
      assert.ok(job);
      const later = now + DAY;
      const result = await job.run(t.db, t.config, later);
      assert.match(result, /2 workspaces/);
      const row = await t.db.kysely.selectFrom('accounts').select(['tier', 'tier_computed_at']).where('id', '=', b.accounts.repAccount).executeTakeFirstOrThrow();
      assert.deepEqual([row.tier, Number(row.tier_computed_at)], ['A', later], "workspace B's single buyer is A");
      const hist = await t.db.kysely.selectFrom('record_history').select(['actor_user_id', 'reason']).where('workspace_id', '=', b.workspaceId).where('field', '=', 'tier').execute();
      assert.deepEqual(hist.map((h) => [h.actor_user_id, h.reason]), [[null, 'recompute']]);
    });
  });
}
