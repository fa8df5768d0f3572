import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import {
  client,
  createTestApp,
  json,
  seedWorkspace,
  sessionCookie,
  type Fixture,
  type TestApp,
} from '../helpers/app.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { BulkRefusal, BulkResult } from '../../src/contracts/bulk.ts';

type Refused = Problem & { refused?: BulkRefusal[]; limit?: number; held?: number };

/**
 * Bulk claim from the pool, bulk tier change and the export of a selection (issue 11): all or
 * nothing as the bulk reassignment, the claim limit counted for the whole selection, history and
 * audit with the reason, an exported selection limited to its rows and audited.
 */
for (const engine of testEngines()) {
  describe(`bulk claim, tier and export [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const kysely = () => testApp.db.kysely;
    const as = async (who: keyof Fixture['users']) =>
      client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
    let seq = 0;
    const account = async (opts: { ownerId?: number | null; unitId: number; tier?: string; archived?: boolean }) =>
      (
        await kysely()
          .insertInto('accounts')
          .values({
            workspace_id: fixture.workspaceId,
            name: `批量客户 ${++seq}`,
            name_key: `批量客户 ${seq}`,
            owner_id: opts.ownerId ?? null,
            org_unit_id: opts.unitId,
            tier: opts.tier ?? 'C',
            tier_computed: opts.tier ?? 'C',
            in_pool: opts.ownerId ? 0 : 1,
            pool_since: opts.ownerId ? null : Date.now(),
            archived_at: opts.archived ? Date.now() : null,
            created_at: Date.now(),
            updated_at: Date.now(),
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const rowsOf = (ids: number[]) =>
      kysely()
        .selectFrom('accounts')
        .select([
          'id',
          'owner_id',
          'in_pool',
          'org_unit_id',
          'tier',
          'tier_override',
          'tier_override_reason',
          'version',
        ])
        .where('id', 'in', ids)
        .orderBy('id')
        .execute();
    const history = (ids: number[], field: string) =>
      kysely()
        .selectFrom('record_history')
        .selectAll()
        .where('entity_type', '=', 'account')
        .where('entity_id', 'in', ids)
        .where('field', '=', field)
        .execute();
    const lastAudit = (action: string) =>
      kysely()
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', action)
        .orderBy('id', 'desc')
        .executeTakeFirst();
    const setClaimLimit = (claimLimit: number | null) =>
      kysely()
        .updateTable('workspaces')
        .set({ settings: claimLimit === null ? '{}' : JSON.stringify({ claimLimit }) })
        .where('id', '=', fixture.workspaceId)
        .execute();

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'bulk2');
      await kysely().updateTable('users').set({ can_export: 1 }).where('id', '=', fixture.users.manager.id).execute();
    });
    after(() => testApp.close());

    it('a rep claims two pool accounts at once: owner, unit, history and one audit row', async () => {
      const { rep } = fixture.users;
      const ids = [await account({ unitId: fixture.units.shanghai }), await account({ unitId: fixture.units.sales1 })];
      const res = await (await as('rep'))('POST', '/api/v1/accounts/bulk/claim', { ids: [...ids, ids[1]] });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(json<BulkResult>(res), { updated: 2 });
      for (const row of await rowsOf(ids)) {
        assert.equal(row.owner_id, rep.id);
        assert.equal(row.in_pool, 0);
        assert.equal(row.org_unit_id, fixture.units.sales1, 'the account joins the claimer’s unit');
        assert.equal(row.version, 2);
      }
      const claims = await history(ids, 'owner');
      assert.equal(claims.length, 2);
      assert.ok(claims.every((row) => row.reason === 'pool_claim' && row.new_value === String(rep.id)));
      assert.deepEqual(JSON.parse((await lastAudit('pool.bulk_claim'))!.detail!), { rows: 2, accountIds: ids });
      const log = json<{ items: { kind: string; accountId: number }[] }>(
        await (
          await as('rep')
        )('GET', '/api/v1/pool/events'),
      );
      assert.ok(ids.every((id) => log.items.some((e) => e.accountId === id && e.kind === 'pool_claim')));
    });

    it('refuses the whole claim when a row left the pool, is out of sight, or passes the limit', async () => {
      const free = await account({ unitId: fixture.units.shanghai });
      const owned = await account({ ownerId: fixture.users.rep.id, unitId: fixture.units.sales1 });
      const rep = await as('rep');
      const taken = await rep('POST', '/api/v1/accounts/bulk/claim', { ids: [free, owned] });
      assert.equal(taken.statusCode, 403, taken.body);
      assert.equal(json<Refused>(taken).code, 'bulk_refused');
      assert.deepEqual(json<Refused>(taken).refused, [{ id: owned, reason: 'not_in_pool' }]);
      // A Guangzhou pool account is no pool of the Shanghai rep's: 400 naming its place.
      const south = await account({ unitId: fixture.units.guangzhou });
      const unseen = await rep('POST', '/api/v1/accounts/bulk/claim', { ids: [free, south] });
      assert.equal(unseen.statusCode, 400, unseen.body);
      assert.deepEqual(
        json<Problem>(unseen).errors?.map((e) => e.field),
        ['ids.1'],
      );
      const owns = Number(
        (
          await kysely()
            .selectFrom('accounts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('owner_id', '=', fixture.users.rep.id)
            .where('in_pool', '=', 0)
            .where('archived_at', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
      await setClaimLimit(owns + 1);
      const second = await account({ unitId: fixture.units.shanghai });
      const over = await rep('POST', '/api/v1/accounts/bulk/claim', { ids: [free, second] });
      assert.equal(over.statusCode, 409, over.body);
      assert.equal(json<Refused>(over).code, 'claim_limit_reached');
      assert.equal(json<Refused>(over).limit, owns + 1);
      assert.equal(json<Refused>(over).held, owns);
      assert.equal(json<Problem>(over).errors?.[0]?.field, 'ids');
      assert.deepEqual(
        (await rowsOf([free, second])).map((row) => row.in_pool),
        [1, 1],
        'nothing half-claimed',
      );
      const one = await rep('POST', '/api/v1/accounts/bulk/claim', { ids: [second] });
      assert.equal(one.statusCode, 200, one.body);
      await setClaimLimit(null);
      const byAuditor = await (await as('auditor'))('POST', '/api/v1/accounts/bulk/claim', { ids: [free] });
      assert.equal(byAuditor.statusCode, 403);
      const empty = await rep('POST', '/api/v1/accounts/bulk/claim', { ids: [] });
      assert.equal(empty.statusCode, 400);
      assert.equal(json<Problem>(empty).errors?.[0]?.field, 'ids');
      const strings = await rep('POST', '/api/v1/accounts/bulk/claim', { ids: ['1'] });
      assert.equal(strings.statusCode, 400);
    });

    it('a manager sets the tier of accounts by hand with a reason, and clears it again', async () => {
      const ids = [
        await account({ ownerId: fixture.users.rep.id, unitId: fixture.units.sales1, tier: 'C' }),
        await account({ ownerId: fixture.users.manager.id, unitId: fixture.units.sales2, tier: 'B' }),
      ];
      const mgr = await as('manager');
      const noReason = await mgr('POST', '/api/v1/accounts/bulk/tier', { ids, tier: 'A' });
      assert.equal(noReason.statusCode, 400);
      assert.equal(json<Problem>(noReason).errors?.[0]?.field, 'reason');
      const badTier = await mgr('POST', '/api/v1/accounts/bulk/tier', { ids, tier: 'D', reason: 'x' });
      assert.equal(badTier.statusCode, 400);
      assert.equal(json<Problem>(badTier).errors?.[0]?.field, 'tier');
      const res = await mgr('POST', '/api/v1/accounts/bulk/tier', { ids, tier: 'A', reason: '集团战略客户' });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(json<BulkResult>(res), { updated: 2 });
      for (const row of await rowsOf(ids)) {
        assert.equal(row.tier, 'A');
        assert.equal(row.tier_override, 'A');
        assert.equal(row.tier_override_reason, '集团战略客户');
        assert.equal(row.version, 2);
      }
      const changes = await history(ids, 'tier');
      assert.deepEqual(changes.map((row) => `${row.old_value}>${row.new_value}:${row.reason}`).sort(), [
        'B>A:集团战略客户',
        'C>A:集团战略客户',
      ]);
      assert.deepEqual(JSON.parse((await lastAudit('account.bulk_tier'))!.detail!), {
        override: 'A',
        reason: '集团战略客户',
        rows: 2,
        selected: 2,
      });
      const again = await mgr('POST', '/api/v1/accounts/bulk/tier', { ids, tier: 'A', reason: '再来一次' });
      assert.deepEqual(json<BulkResult>(again), { updated: 0 }, 'rows already set are left alone');
      const cleared = await mgr('POST', '/api/v1/accounts/bulk/tier', { ids, tier: null, reason: '恢复计算' });
      assert.equal(cleared.statusCode, 200, cleared.body);
      assert.deepEqual(
        (await rowsOf(ids)).map((row) => [row.tier, row.tier_override, row.tier_override_reason]),
        [
          ['C', null, null],
          ['B', null, null],
        ],
      );
    });

    it('refuses the tier change for a rep, and for rows out of reach or archived, writing nothing', async () => {
      const mine = await account({ ownerId: fixture.users.manager.id, unitId: fixture.units.sales1 });
      const archived = await account({
        ownerId: fixture.users.manager.id,
        unitId: fixture.units.sales1,
        archived: true,
      });
      const mgr = await as('manager');
      const refused = await mgr('POST', '/api/v1/accounts/bulk/tier', {
        ids: [mine, archived],
        tier: 'B',
        reason: 'x',
      });
      assert.equal(refused.statusCode, 403, refused.body);
      assert.deepEqual(json<Refused>(refused).refused, [{ id: archived, reason: 'archived' }]);
      const outside = await mgr('POST', '/api/v1/accounts/bulk/tier', {
        ids: [mine, fixture.accounts.rep2Account],
        tier: 'B',
        reason: 'x',
      });
      assert.equal(outside.statusCode, 400);
      assert.deepEqual(
        json<Problem>(outside).errors?.map((e) => e.field),
        ['ids.1'],
      );
      const byRep = await (
        await as('rep')
      )('POST', '/api/v1/accounts/bulk/tier', { ids: [fixture.accounts.repAccount], tier: 'A', reason: 'x' });
      assert.equal(byRep.statusCode, 403);
      assert.deepEqual(
        (await rowsOf([mine, fixture.accounts.repAccount])).map((row) => row.tier_override),
        [null, null],
      );
    });

    it('exports the selected rows only, within sight, capped and audited with the ids', async () => {
      const ids = [
        await account({ ownerId: fixture.users.rep.id, unitId: fixture.units.sales1 }),
        await account({ ownerId: fixture.users.manager.id, unitId: fixture.units.sales2 }),
      ];
      const mgr = await as('manager');
      const res = await mgr('GET', `/api/v1/accounts/export?ids=${ids.join(',')}&lang=en-US`);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['x-export-rows'], '2');
      const lines = res.body
        .replace(/^\ufeff/, '')
        .trimEnd()
        .split('\r\n');
      assert.equal(lines.length, 3);
      const names = (await kysely().selectFrom('accounts').select('name').where('id', 'in', ids).execute()).map(
        (row) => row.name,
      );
      assert.ok(names.every((name) => lines.some((line) => line.startsWith(name))));
      const audit = JSON.parse((await lastAudit('export.accounts'))!.detail!) as { rows: number; ids: number[] };
      assert.equal(audit.rows, 2);
      assert.deepEqual(audit.ids, ids);
      // Filters still narrow the selection: a tier no selected row has gives none.
      const narrowed = await mgr('GET', `/api/v1/accounts/export?ids=${ids.join(',')}&tier=A`);
      assert.equal(narrowed.headers['x-export-rows'], '0');
      const outside = await mgr('GET', `/api/v1/accounts/export?ids=${ids[0]},${fixture.accounts.rep2Account}`);
      assert.equal(outside.statusCode, 400, outside.body);
      assert.deepEqual(
        json<Problem>(outside).errors?.map((e) => e.field),
        ['query.ids.1'],
      );
      for (const bad of ['1,,2', 'a', '0', Array.from({ length: 501 }, (_, i) => i + 1).join(',')]) {
        const res = await mgr('GET', `/api/v1/accounts/export?ids=${bad}`);
        assert.equal(res.statusCode, 400, `ids=${bad.slice(0, 20)}`);
        assert.equal(json<Problem>(res).errors?.[0]?.field, 'query.ids');
      }
      const deal = (
        await kysely()
          .insertInto('opportunities')
          .values({
            workspace_id: fixture.workspaceId,
            account_id: ids[0]!,
            name: '批量导出商机',
            owner_id: fixture.users.rep.id,
            org_unit_id: fixture.units.sales1,
            amount: 100_000_00,
            status: 'open',
            created_at: Date.now(),
            updated_at: Date.now(),
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      const deals = await mgr('GET', `/api/v1/opportunities/export?ids=${deal}`);
      assert.equal(deals.statusCode, 200, deals.body);
      assert.equal(deals.headers['x-export-rows'], '1');
      assert.match(deals.body, /批量导出商机/);
      const noRight = await (await as('rep'))('GET', `/api/v1/accounts/export?ids=${ids[0]}`);
      assert.equal(noRight.statusCode, 403, 'the export permission still applies');
    });
  });
}
