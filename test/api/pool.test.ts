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
import { insertUser } from '../../src/modules/users/repository.ts';
import { releaseStaleAccounts, runReleaseJob } from '../../src/modules/pool/release.ts';
import { DAY_MS } from '../../src/domain/pool.ts';
import type { AccountDetail } from '../../src/contracts/accounts.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { Allowance, PoolEventPage, PoolPage, ReleaseRun } from '../../src/contracts/pool.ts';

/** The public pool (docs/archive.md): automatic release per tier, claims, limits, release by hand, logs. */
for (const engine of testEngines()) {
  describe(`public pool [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let as: (who: keyof Fixture['users'] | number) => Promise<Call>;
    const kysely = () => testApp.db.kysely;
    const NOW = Date.now();

    async function account(
      name: string,
      options: {
        tier?: 'A' | 'B' | 'C';
        ownerId?: number | null;
        unitId?: number;
        followUpDaysAgo?: number | null;
        createdDaysAgo?: number;
        inPool?: boolean;
        archived?: boolean;
        workspaceId?: number;
      },
    ) {
      const created = NOW - (options.createdDaysAgo ?? 400) * DAY_MS;
      return (
        await kysely()
          .insertInto('accounts')
          .values({
            workspace_id: options.workspaceId ?? fixture.workspaceId,
            name,
            name_key: name,
            owner_id: options.ownerId === undefined ? fixture.users.rep.id : options.ownerId,
            org_unit_id: options.unitId ?? fixture.units.sales1,
            tier: options.tier ?? 'C',
            tier_computed: options.tier ?? 'C',
            in_pool: options.inPool ? 1 : 0,
            pool_since: options.inPool ? NOW - 3 * DAY_MS : null,
            last_follow_up_at:
              options.followUpDaysAgo === null || options.followUpDaysAgo === undefined
                ? null
                : NOW - options.followUpDaysAgo * DAY_MS,
            archived_at: options.archived ? NOW : null,
            created_at: created,
            updated_at: created,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }
    const row = (id: number) =>
      kysely().selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const history = (id: number) =>
      kysely()
        .selectFrom('record_history')
        .selectAll()
        .where('entity_type', '=', 'account')
        .where('entity_id', '=', id)
        .where('field', '=', 'owner')
        .orderBy('id')
        .execute();
    async function newUser(role: 'rep' | 'manager' | 'presales', unitId: number, key: string) {
      const hash = (
        await kysely()
          .selectFrom('users')
          .select('password_hash')
          .where('id', '=', fixture.users.rep.id)
          .executeTakeFirstOrThrow()
      ).password_hash;
      return insertUser(kysely(), {
        workspaceId: fixture.workspaceId,
        orgUnitId: unitId,
        email: `${key}-${engine}-${Math.random().toString(36).slice(2)}@pool.test`,
        name: key,
        role,
        title: null,
        phone: null,
        passwordHash: hash,
        locale: 'zh-CN',
        canExport: false,
        now: NOW,
      });
    }

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'pool');
      as = async (who) =>
        client(
          testApp,
          await sessionCookie(testApp, fixture.workspaceId, typeof who === 'number' ? who : fixture.users[who].id),
        );
    });
    after(() => testApp.close());

    it('releases stale accounts per tier (A never, B after 60 days, C after 30), one history row each, unit kept', async () => {
      const ids = {
        aStale: await account('A stale', { tier: 'A', followUpDaysAgo: 300 }),
        bStale: await account('B stale', { tier: 'B', followUpDaysAgo: 61 }),
        bFresh: await account('B fresh', { tier: 'B', followUpDaysAgo: 59 }),
        cStale: await account('C stale', { tier: 'C', followUpDaysAgo: 31 }),
        cNever: await account('C never followed', { tier: 'C', followUpDaysAgo: null }),
        cNew: await account('C created recently', { tier: 'C', followUpDaysAgo: null, createdDaysAgo: 10 }),
        cArchived: await account('C archived', { tier: 'C', followUpDaysAgo: 90, archived: true }),
        cClaimed: await account('C claimed recently', { tier: 'C', followUpDaysAgo: 90, unitId: fixture.units.sales2 }),
      };
      // Assigned to its owner 5 days ago: the owner gets the full period from then.
      await kysely()
        .insertInto('record_history')
        .values({
          workspace_id: fixture.workspaceId,
          entity_type: 'account',
          entity_id: ids.cClaimed,
          field: 'owner',
          old_value: null,
          new_value: String(fixture.users.rep.id),
          reason: 'pool_claim',
          actor_user_id: fixture.users.rep.id,
          created_at: NOW - 5 * DAY_MS,
        })
        .execute();
      const res = await (await as('admin'))('POST', '/api/v1/pool/release-run', {});
      assert.equal(res.statusCode, 200, res.body);
      const body = json<ReleaseRun>(res);
      assert.deepEqual(body.released, { A: 0, B: 1, C: 2 });
      for (const id of [ids.bStale, ids.cStale, ids.cNever]) {
        const accountRow = await row(id);
        assert.equal(accountRow.owner_id, null);
        assert.equal(accountRow.in_pool, 1);
        assert.ok(Number(accountRow.pool_since) >= NOW);
        assert.equal(accountRow.org_unit_id, fixture.units.sales1, 'stays in its unit: the unit pool');
        const historyRows = await history(id);
        assert.equal(historyRows.length, 1);
        assert.equal(historyRows[0]!.reason, 'pool_release');
        assert.equal(historyRows[0]!.old_value, String(fixture.users.rep.id));
        assert.equal(historyRows[0]!.new_value, null);
      }
      for (const id of [ids.aStale, ids.bFresh, ids.cNew, ids.cArchived, ids.cClaimed]) {
        const accountRow = await row(id);
        assert.equal(accountRow.in_pool, 0, `account ${id} kept`);
        assert.equal(accountRow.owner_id, fixture.users.rep.id);
      }
      // A second run finds nothing more.
      const again = json<ReleaseRun>(await (await as('admin'))('POST', '/api/v1/pool/release-run', {}));
      assert.equal(again.total, 0);
    });

    it('honours the workspace settings (B released after 10 days when configured)', async () => {
      await kysely()
        .updateTable('workspaces')
        .set({ settings: JSON.stringify({ poolReleaseDays: { B: 10 } }) })
        .where('id', '=', fixture.workspaceId)
        .execute();
      const id = await account('B 11 days', { tier: 'B', followUpDaysAgo: 11 });
      const result = await releaseStaleAccounts(kysely(), testApp.db.engine, fixture.workspaceId, NOW);
      assert.equal(result.released.B, 2, 'the 11-day account and the 59-day one of the first test');
      assert.equal((await row(id)).in_pool, 1);
      await kysely().updateTable('workspaces').set({ settings: '{}' }).where('id', '=', fixture.workspaceId).execute();
    });

    it('two concurrent runs release each account exactly once', async () => {
      const ids = await Promise.all(
        [1, 2, 3, 4].map((n) => account(`Concurrent ${n}`, { tier: 'C', followUpDaysAgo: 45 })),
      );
      const [r1, r2] = await Promise.all([
        releaseStaleAccounts(kysely(), testApp.db.engine, fixture.workspaceId, NOW + 1),
        releaseStaleAccounts(kysely(), testApp.db.engine, fixture.workspaceId, NOW + 2),
      ]);
      assert.equal(r1.total + r2.total, 4);
      for (const id of ids) assert.equal((await history(id)).length, 1, `one history row for ${id}`);
      // Through the scheduler's lease: of two processes' ticks, one runs the job.
      const more = await account('Concurrent 5', { tier: 'C', followUpDaysAgo: 45 });
      const later = NOW + 3 * DAY_MS;
      const runs = await Promise.all([runReleaseJob(testApp.db, later), runReleaseJob(testApp.db, later)]);
      assert.equal(runs.filter((r) => r.ran).length, 1);
      assert.match(runs.find((r) => r.ran)!.result!, /released/);
      assert.equal((await history(more)).length, 1);
      assert.equal((await row(more)).in_pool, 1);
    });

    it('a rep claims a visible pool account; it becomes theirs in their unit, logged as pool_claim', async () => {
      const id = await account('Shanghai pool 1', { ownerId: null, unitId: fixture.units.shanghai, inPool: true });
      const rep = await as('rep');
      const list = json<PoolPage>(await rep('GET', '/api/v1/pool?limit=500'));
      assert.ok(list.items.some((i) => i.id === id));
      assert.equal(list.items.find((i) => i.id === id)!.daysInPool, 3);
      assert.equal(list.allowance!.limit, 200);
      const res = await rep('POST', `/api/v1/accounts/${id}/claim`, { version: 1 });
      assert.equal(res.statusCode, 200, res.body);
      const acc = json<AccountDetail>(res);
      assert.equal(acc.ownerId, fixture.users.rep.id);
      assert.equal(acc.orgUnitId, fixture.units.sales1);
      assert.equal(acc.inPool, false);
      const historyRows = await history(id);
      assert.equal(historyRows.at(-1)!.reason, 'pool_claim');
      assert.equal(historyRows.at(-1)!.new_value, String(fixture.users.rep.id));
      const after = json<PoolPage>(await rep('GET', '/api/v1/pool'));
      assert.equal(after.allowance!.held, list.allowance!.held + 1);
      // Claiming it again: no longer in the pool.
      assert.equal((await rep('POST', `/api/v1/accounts/${id}/claim`, { version: acc.version })).statusCode, 409);
    });

    it('a rep of another branch cannot see or claim a Shanghai pool account (404)', async () => {
      const id = await account('Shanghai pool 2', { ownerId: null, unitId: fixture.units.shanghai, inPool: true });
      const rep2 = await as('rep2');
      assert.equal((await rep2('POST', `/api/v1/accounts/${id}/claim`, { version: 1 })).statusCode, 404);
      const list = json<PoolPage>(await rep2('GET', '/api/v1/pool?limit=500'));
      assert.ok(!list.items.some((i) => i.id === id));
      // A rep of a sister department does not see the pool of sales1 either (only their unit and above).
      const sales2Rep = await newUser('rep', fixture.units.sales2, 'sales2-rep');
      const own = await account('Sales1 pool', { ownerId: null, unitId: fixture.units.sales1, inPool: true });
      assert.equal(
        (await (await as(sales2Rep))('POST', `/api/v1/accounts/${own}/claim`, { version: 1 })).statusCode,
        404,
      );
    });

    it('of two reps claiming at once exactly one wins; the other gets 409', async () => {
      const id = await account('Contested', { ownerId: null, unitId: fixture.units.shanghai, inPool: true });
      const other = await newUser('rep', fixture.units.sales1, 'rival');
      const [repClaim, rivalClaim] = await Promise.all([
        (await as('rep'))('POST', `/api/v1/accounts/${id}/claim`, { version: 1 }),
        (await as(other))('POST', `/api/v1/accounts/${id}/claim`, { version: 1 }),
      ]);
      assert.deepEqual([repClaim.statusCode, rivalClaim.statusCode].sort(), [200, 409]);
      const claims = (await history(id)).filter((r) => r.reason === 'pool_claim');
      assert.equal(claims.length, 1);
      const winner = repClaim.statusCode === 200 ? fixture.users.rep.id : other;
      assert.equal((await row(id)).owner_id, winner);
    });

    it('refuses a claim beyond the limit of private accounts', async () => {
      const holder = await newUser('rep', fixture.units.sales1, 'holder');
      await account('Held 1', { ownerId: holder, followUpDaysAgo: 1 });
      await account('Held 2', { ownerId: holder, followUpDaysAgo: 1 });
      await kysely()
        .updateTable('workspaces')
        .set({ settings: JSON.stringify({ claimLimit: 2 }) })
        .where('id', '=', fixture.workspaceId)
        .execute();
      const id = await account('Over limit', { ownerId: null, unitId: fixture.units.shanghai, inPool: true });
      const res = await (await as(holder))('POST', `/api/v1/accounts/${id}/claim`, { version: 1 });
      assert.equal(res.statusCode, 409);
      const problem = json<Problem & Pick<Allowance, 'limit' | 'held'>>(res);
      assert.equal(problem.code, 'claim_limit_reached');
      assert.equal(problem.limit, 2);
      assert.equal(problem.held, 2);
      const list = json<PoolPage>(await (await as(holder))('GET', '/api/v1/pool'));
      assert.equal(list.allowance!.remaining, 0);
      assert.equal((await row(id)).in_pool, 1);
      await kysely().updateTable('workspaces').set({ settings: '{}' }).where('id', '=', fixture.workspaceId).execute();
    });

    it('two concurrent claims of different accounts by one rep with one place left: exactly one succeeds', async () => {
      await kysely()
        .updateTable('workspaces')
        .set({ settings: JSON.stringify({ claimLimit: 2 }) })
        .where('id', '=', fixture.workspaceId)
        .execute();
      // Whether two requests overlap is up to timing, so three reps race at once, each for two accounts.
      const race = async (racerIndex: number) => {
        const racer = await newUser('rep', fixture.units.sales1, `racer${racerIndex}`);
        await account(`Racer ${racerIndex} held`, { ownerId: racer, followUpDaysAgo: 1 });
        const ids = [
          await account(`Race ${racerIndex}.1`, { ownerId: null, unitId: fixture.units.shanghai, inPool: true }),
          await account(`Race ${racerIndex}.2`, { ownerId: null, unitId: fixture.units.shanghai, inPool: true }),
        ];
        return { racer, ids, call: await as(racer) };
      };
      const racers = await Promise.all([1, 2, 3].map(race));
      const results = await Promise.all(
        racers.map((racer) =>
          Promise.all(racer.ids.map((id) => racer.call('POST', `/api/v1/accounts/${id}/claim`, { version: 1 }))),
        ),
      );
      for (const [index, res] of results.entries()) {
        const { racer, ids } = racers[index]!;
        assert.deepEqual(res.map((r) => r.statusCode).sort(), [200, 409], res.map((r) => r.body).join('\n'));
        assert.equal(json<Problem>(res.find((r) => r.statusCode === 409)!).code, 'claim_limit_reached');
        const held = await kysely()
          .selectFrom('accounts')
          .select('id')
          .where('owner_id', '=', racer)
          .where('in_pool', '=', 0)
          .execute();
        assert.equal(held.length, 2, 'holds exactly the limit');
        assert.equal(
          (await row(ids[res[0]!.statusCode === 200 ? 1 : 0]!)).in_pool,
          1,
          'the other account stays in the pool',
        );
      }
      await kysely().updateTable('workspaces').set({ settings: '{}' }).where('id', '=', fixture.workspaceId).execute();
    });

    it('the owner releases an account by hand with a reason; the log shows who, what and why', async () => {
      const id = await account('Given up', { followUpDaysAgo: 2 });
      const rep = await as('rep');
      const noReason = await rep('POST', `/api/v1/accounts/${id}/release`, { version: 1 });
      assert.equal(noReason.statusCode, 400);
      assert.equal(json<Problem>(noReason).errors?.[0]?.field, 'reason');
      const res = await rep('POST', `/api/v1/accounts/${id}/release`, { version: 1, reason: '客户已转向竞争对手' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(json<AccountDetail>(res).inPool, true);
      const historyRows = await history(id);
      assert.equal(historyRows.at(-1)!.reason, 'pool_release_manual');
      assert.equal(historyRows.at(-1)!.old_value, String(fixture.users.rep.id));
      const events = json<PoolEventPage>(
        await (
          await as('manager')
        )('GET', `/api/v1/pool/events?orgUnitId=${fixture.units.shanghai}&limit=500`),
      );
      const event = events.items.find((x) => x.accountId === id && x.kind === 'pool_release_manual');
      assert.ok(event, "release is in the manager's log");
      assert.equal(event.note, '客户已转向竞争对手');
      assert.equal(event.fromUserName, 'rep pool');
      assert.equal(event.actorName, 'rep pool');
      // The pool list names the previous owner and the kind of release.
      const item = json<PoolPage>(await rep('GET', '/api/v1/pool?limit=500')).items.find((i) => i.id === id)!;
      assert.equal(item.previousOwnerName, 'rep pool');
      assert.equal(item.releaseReason, 'pool_release_manual');
      // Someone else's account: a rep cannot release it (not visible: 404); a stale version: 409.
      assert.equal(
        (
          await (
            await as('rep2')
          )('POST', `/api/v1/accounts/${fixture.accounts.repAccount}/release`, { version: 1, reason: 'x' })
        ).statusCode,
        404,
      );
      const asManager = await as('manager');
      const other = await account('Manager releases', { followUpDaysAgo: 2 });
      assert.equal(
        (await asManager('POST', `/api/v1/accounts/${other}/release`, { version: 7, reason: 'stale' })).statusCode,
        409,
      );
      assert.equal(
        (await asManager('POST', `/api/v1/accounts/${other}/release`, { version: 1, reason: '重新分配' })).statusCode,
        200,
      );
    });

    it('a manager assigns a pool account to a rep of their subtree, not beyond it', async () => {
      const id = await account('To assign', { ownerId: null, unitId: fixture.units.shanghai, inPool: true });
      const asManager = await as('manager');
      const outside = await asManager('POST', `/api/v1/accounts/${id}/assign`, {
        version: 1,
        toUserId: fixture.users.rep2.id,
        reason: '跨区支援',
      });
      assert.equal(outside.statusCode, 400);
      assert.equal(json<Problem>(outside).errors?.[0]?.field, 'toUserId');
      const noReason = await asManager('POST', `/api/v1/accounts/${id}/assign`, {
        version: 1,
        toUserId: fixture.users.rep.id,
      });
      assert.equal(noReason.statusCode, 400, 'a manager says why');
      assert.equal(json<Problem>(noReason).errors?.[0]?.field, 'reason');
      const blank = await asManager('POST', `/api/v1/accounts/${id}/assign`, {
        version: 1,
        toUserId: fixture.users.rep.id,
        reason: '   ',
      });
      assert.equal(blank.statusCode, 400);
      const res = await asManager('POST', `/api/v1/accounts/${id}/assign`, {
        version: 1,
        toUserId: fixture.users.rep.id,
        reason: '熟悉该行业',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(json<AccountDetail>(res).ownerId, fixture.users.rep.id);
      assert.equal((await history(id)).at(-1)!.reason, 'pool_assign');
      const audit = await kysely()
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'pool.assign')
        .where('target_id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal((JSON.parse(audit.detail!) as { reason: string }).reason, '熟悉该行业');
      // Reps cannot assign; presales cannot claim.
      assert.equal(
        (
          await (
            await as('rep')
          )('POST', `/api/v1/accounts/${id}/assign`, { version: 2, toUserId: fixture.users.rep.id, reason: 'x' })
        ).statusCode,
        403,
      );
      assert.equal(
        (await (await as('presales'))('POST', `/api/v1/accounts/${fixture.accounts.poolAccount}/claim`, { version: 1 }))
          .statusCode,
        403,
      );
    });

    async function deal(accountId: number, options: { status?: string; stageDaysAgo?: number; amount?: number }) {
      const at = NOW - (options.stageDaysAgo ?? 200) * DAY_MS;
      await kysely()
        .insertInto('opportunities')
        .values({
          workspace_id: fixture.workspaceId,
          account_id: accountId,
          name: `deal of ${accountId}`,
          owner_id: fixture.users.rep.id,
          org_unit_id: fixture.units.sales1,
          amount: options.amount ?? 10_000_00,
          status: options.status ?? 'open',
          closed_at: (options.status ?? 'open') === 'open' ? null : at,
          stage_entered_at: at,
          created_at: NOW - 300 * DAY_MS,
          updated_at: at,
          version: 1,
        })
        .execute();
    }

    it('never releases an account with an open deal (the ¥2.4M case), nor one whose deals moved recently', async () => {
      const ids = {
        openBig: await account('Open 2.4M', { tier: 'C', followUpDaysAgo: 200 }),
        openStale: await account('Open, stage untouched for 200 days', { tier: 'B', followUpDaysAgo: 300 }),
        wonRecently: await account('Won 10 days ago', { tier: 'C', followUpDaysAgo: 200 }),
        lostLongAgo: await account('Lost 200 days ago', { tier: 'C', followUpDaysAgo: 200 }),
      };
      await deal(ids.openBig, { amount: 2_400_000_00, stageDaysAgo: 90 });
      await deal(ids.openStale, {});
      await deal(ids.wonRecently, { status: 'won', stageDaysAgo: 10 });
      await deal(ids.lostLongAgo, { status: 'lost', stageDaysAgo: 200 });
      await releaseStaleAccounts(kysely(), testApp.db.engine, fixture.workspaceId, NOW + 10);
      assert.equal((await row(ids.openBig)).in_pool, 0, 'an open ¥2.4M deal keeps its account');
      assert.equal((await row(ids.openStale)).in_pool, 0, 'any open deal, however quiet');
      assert.equal((await row(ids.wonRecently)).in_pool, 0, 'a deal won within the window is activity');
      assert.equal((await row(ids.lostLongAgo)).in_pool, 1, 'an old lost deal does not hold it');
      assert.equal((await row(ids.openBig)).owner_id, fixture.users.rep.id);
      // By hand neither: the owner and a manager are told why, and nothing changes.
      for (const who of ['rep', 'manager'] as const) {
        const res = await (
          await as(who)
        )('POST', `/api/v1/accounts/${ids.openBig}/release`, {
          version: 1,
          reason: '不再跟进',
        });
        assert.equal(res.statusCode, 409, res.body);
        const problem = json<Problem & { count: number }>(res);
        assert.equal(problem.code, 'open_opportunities');
        assert.equal(problem.count, 1);
      }
      assert.equal((await row(ids.openBig)).in_pool, 0);
      assert.equal((await history(ids.openBig)).length, 0);
    });

    it("the manager's pool view filters by unit and tier; another workspace sees none of it", async () => {
      const asManager = await as('manager');
      const all = json<PoolPage>(await asManager('GET', `/api/v1/pool?orgUnitId=${fixture.units.sales1}&limit=500`));
      assert.ok(all.total > 0);
      assert.ok(all.items.every((i) => i.orgUnitId === fixture.units.sales1));
      const onlyB = json<PoolPage>(await asManager('GET', '/api/v1/pool?tier=B&limit=500'));
      assert.ok(onlyB.items.length > 0 && onlyB.items.every((i) => i.tier === 'B'));
      const fixtureB = await seedWorkspace(testApp, 'other');
      const adminB = client(testApp, await sessionCookie(testApp, fixtureB.workspaceId, fixtureB.users.admin.id));
      const ids = json<PoolPage>(await adminB('GET', '/api/v1/pool?limit=500')).items.map((i) => i.id);
      assert.deepEqual(ids, [fixtureB.accounts.poolAccount]);
      assert.equal(json<PoolEventPage>(await adminB('GET', '/api/v1/pool/events')).total, 0);
    });
  });
}
