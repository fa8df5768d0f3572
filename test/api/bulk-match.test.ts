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
import { BULK_MATCH_LIMIT, type BulkRefusal, type BulkResult } from '../../src/contracts/bulk.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';

type Refused = Problem & { refused?: BulkRefusal[] };
type Listed = { items: { id: number }[]; total: number };

/**
 * "Select all N matching" (issue 11): a bulk action given the list's filter instead of ids applies
 * to exactly the rows that list shows the caller — resolved on the server within the caller's
 * sight, each row checked as a picked one, all or nothing, audited with the filter.
 */
for (const engine of testEngines()) {
  describe(`bulk actions on every matching row [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const kysely = () => testApp.db.kysely;
    const as = async (who: keyof Fixture['users']) =>
      client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
    let seq = 0;
    const account = async (ownerId: number, unitId: number, values: { industry: string; tier?: string }) =>
      (
        await kysely()
          .insertInto('accounts')
          .values({
            workspace_id: fixture.workspaceId,
            name: `筛选客户 ${++seq}`,
            name_key: `筛选客户 ${seq}`,
            owner_id: ownerId,
            org_unit_id: unitId,
            tier: values.tier ?? 'C',
            tier_computed: values.tier ?? 'C',
            industry: values.industry,
            in_pool: 0,
            created_at: Date.now(),
            updated_at: Date.now(),
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const deal = async (accountId: number, ownerId: number, unitId: number, status = 'open') => {
      const id = (
        await kysely()
          .insertInto('opportunities')
          .values({
            workspace_id: fixture.workspaceId,
            account_id: accountId,
            name: `筛选商机 ${++seq}`,
            owner_id: ownerId,
            org_unit_id: unitId,
            amount: 100_000_00,
            status,
            created_at: Date.now(),
            updated_at: Date.now(),
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      await rebuildFunnel(kysely(), fixture.workspaceId);
      return id;
    };
    const ownersOf = async (table: 'accounts' | 'opportunities', ids: number[]) =>
      (await kysely().selectFrom(table).select(['id', 'owner_id']).where('id', 'in', ids).orderBy('id').execute()).map(
        (row) => row.owner_id,
      );
    const lastAudit = async (action: string) =>
      kysely()
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', action)
        .orderBy('id', 'desc')
        .executeTakeFirst();

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'bulk-match');
    });
    after(() => testApp.close());

    it('reassigns exactly the accounts the filtered list shows the manager, none outside their reach', async () => {
      const { rep, rep2, manager } = fixture.users;
      const inReach = [
        await account(manager.id, fixture.units.sales1, { industry: 'energy' }),
        await account(manager.id, fixture.units.sales2, { industry: 'energy' }),
        await account(rep.id, fixture.units.sales1, { industry: 'energy' }),
      ];
      const guangzhou = await account(rep2.id, fixture.units.sales3, { industry: 'energy' });
      const otherIndustry = await account(manager.id, fixture.units.sales1, { industry: 'food' });
      const mgr = await as('manager');
      const listed = json<Listed>(await mgr('GET', '/api/v1/accounts?industry=energy&limit=100'));
      assert.deepEqual(
        listed.items.map((row) => row.id).sort((x, y) => x - y),
        inReach,
      );

      // A filter naming someone out of the manager's reach finds no row, as the list does: nothing moves.
      const foreign = await mgr('POST', '/api/v1/accounts/bulk/reassign', {
        match: { industry: 'energy', ownerId: String(rep2.id) },
        toUserId: rep.id,
        reason: 'x',
      });
      assert.equal(foreign.statusCode, 200, foreign.body);
      assert.deepEqual(json<BulkResult>(foreign), { updated: 0 });

      const res = await mgr('POST', '/api/v1/accounts/bulk/reassign', {
        match: { industry: 'energy' },
        toUserId: rep.id,
        reason: '按行业调整',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(json<BulkResult>(res), { updated: 2 }, 'the rep’s own account does not move');
      assert.deepEqual(await ownersOf('accounts', inReach), [rep.id, rep.id, rep.id]);
      assert.deepEqual(await ownersOf('accounts', [guangzhou]), [rep2.id], 'out of reach: untouched');
      assert.deepEqual(await ownersOf('accounts', [otherIndustry]), [manager.id], 'outside the filter: untouched');
      assert.deepEqual(JSON.parse((await lastAudit('account.bulk_reassign'))!.detail!), {
        toUserId: rep.id,
        reason: '按行业调整',
        rows: 2,
        selected: 3,
        filter: { industry: 'energy' },
      });
    });

    it('sets the tier of every matching account, and refuses them all when one may not change', async () => {
      const { manager } = fixture.users;
      const ids = [
        await account(manager.id, fixture.units.sales1, { industry: 'chemicals' }),
        await account(manager.id, fixture.units.sales2, { industry: 'chemicals', tier: 'B' }),
      ];
      const mgr = await as('manager');
      const res = await mgr('POST', '/api/v1/accounts/bulk/tier', {
        match: { industry: 'chemicals', tier: 'C' },
        tier: 'A',
        reason: '行业重点',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(json<BulkResult>(res), { updated: 1 }, 'only the row of tier C matched');
      const tiers = await kysely().selectFrom('accounts').select('tier').where('id', 'in', ids).orderBy('id').execute();
      assert.deepEqual(
        tiers.map((row) => row.tier),
        ['A', 'B'],
      );
      // An archived account in the filter: the whole match is refused, naming it.
      const archived = await account(manager.id, fixture.units.sales1, { industry: 'chemicals' });
      await kysely().updateTable('accounts').set({ archived_at: Date.now() }).where('id', '=', archived).execute();
      const none = await mgr('POST', '/api/v1/accounts/bulk/tier', {
        match: { industry: 'chemicals', archived: 'true' },
        tier: 'B',
        reason: 'x',
      });
      assert.equal(none.statusCode, 403, none.body);
      assert.deepEqual(json<Refused>(none).refused, [{ id: archived, reason: 'archived' }]);
      // A rep has no such right at all.
      const byRep = await (
        await as('rep')
      )('POST', '/api/v1/accounts/bulk/tier', { match: { industry: 'chemicals' }, tier: 'B', reason: 'x' });
      assert.equal(byRep.statusCode, 403);
    });

    it('reassigns the matching open deals; a closed or foreign deal in the filter refuses the whole match', async () => {
      const { rep, manager } = fixture.users;
      const acc = await account(manager.id, fixture.units.sales1, { industry: 'pharma' });
      const open = [await deal(acc, manager.id, fixture.units.sales1), await deal(acc, rep.id, fixture.units.sales1)];
      const won = await deal(acc, manager.id, fixture.units.sales1, 'won');
      const mgr = await as('manager');
      const withClosed = await mgr('POST', '/api/v1/opportunities/bulk/reassign', {
        match: { accountId: String(acc) },
        toUserId: rep.id,
        reason: 'x',
      });
      assert.equal(withClosed.statusCode, 403, withClosed.body);
      assert.deepEqual(json<Refused>(withClosed).refused, [{ id: won, reason: 'closed' }]);
      assert.deepEqual(await ownersOf('opportunities', open), [manager.id, rep.id], 'nothing half-saved');

      // Within the rep's sight only their own deal matches: nothing else is reached, nothing moves.
      const repCall = await as('rep');
      const rebody = { match: { accountId: String(acc), status: 'open' }, toUserId: rep.id, reason: 'x' };
      const own = await repCall('POST', '/api/v1/opportunities/bulk/reassign', rebody);
      assert.equal(own.statusCode, 200, own.body);
      assert.deepEqual(json<BulkResult>(own), { updated: 0 });
      // On the manager's deal's team the rep sees it, but may not give it away: refused by row.
      await kysely()
        .insertInto('opportunity_team')
        .values({
          workspace_id: fixture.workspaceId,
          opportunity_id: open[0]!,
          user_id: rep.id,
          team_role: 'support',
          created_at: Date.now(),
        })
        .execute();
      const byRep = await repCall('POST', '/api/v1/opportunities/bulk/reassign', rebody);
      assert.equal(byRep.statusCode, 403, byRep.body);
      assert.deepEqual(json<Refused>(byRep).refused, [{ id: open[0], reason: 'forbidden' }]);
      assert.deepEqual(await ownersOf('opportunities', open), [manager.id, rep.id]);

      const res = await mgr('POST', '/api/v1/opportunities/bulk/reassign', {
        match: { accountId: String(acc), status: 'open' },
        toUserId: rep.id,
        reason: '客户归属调整',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(json<BulkResult>(res), { updated: 1 });
      assert.deepEqual(await ownersOf('opportunities', [...open, won]), [rep.id, rep.id, manager.id]);
      assert.deepEqual(JSON.parse((await lastAudit('opportunity.bulk_reassign'))!.detail!), {
        toUserId: rep.id,
        reason: '客户归属调整',
        rows: 1,
        selected: 2,
        filter: { accountId: acc, status: 'open' },
      });
    });

    it('names the field: ids and match together or neither, an unknown filter, a filter matching too many', async () => {
      const { rep, manager } = fixture.users;
      const mgr = await as('manager');
      const both = await mgr('POST', '/api/v1/accounts/bulk/reassign', {
        ids: [fixture.accounts.repAccount],
        match: { tier: 'A' },
        toUserId: rep.id,
        reason: 'x',
      });
      assert.equal(both.statusCode, 400, both.body);
      assert.deepEqual(
        json<Problem>(both).errors?.map((e) => e.field),
        ['ids'],
      );
      const neither = await mgr('POST', '/api/v1/opportunities/bulk/reassign', { toUserId: rep.id, reason: 'x' });
      assert.equal(neither.statusCode, 400, neither.body);
      assert.deepEqual(
        json<Problem>(neither).errors?.map((e) => e.field),
        ['ids'],
      );
      const unknown = await mgr('POST', '/api/v1/accounts/bulk/tier', {
        match: { colour: 'red' },
        tier: 'A',
        reason: 'x',
      });
      assert.equal(unknown.statusCode, 400, unknown.body);
      assert.ok(
        json<Problem>(unknown).errors?.some((e) => e.field.startsWith('match')),
        unknown.body,
      );

      // One row past the cap: refused before anything is read row by row, nothing written.
      const now = Date.now();
      const rows = Array.from({ length: BULK_MATCH_LIMIT + 1 }, (_, index) => ({
        workspace_id: fixture.workspaceId,
        name: `上限客户 ${index}`,
        name_key: `上限客户 ${index}`,
        owner_id: manager.id,
        org_unit_id: fixture.units.sales2,
        tier: 'C',
        tier_computed: 'C',
        industry: 'telecom',
        in_pool: 0,
        created_at: now,
        updated_at: now,
        version: 1,
      }));
      for (let start = 0; start < rows.length; start += 500)
        await kysely()
          .insertInto('accounts')
          .values(rows.slice(start, start + 500))
          .execute();
      const tooMany = await mgr('POST', '/api/v1/accounts/bulk/reassign', {
        match: { industry: 'telecom' },
        toUserId: rep.id,
        reason: 'x',
      });
      assert.equal(tooMany.statusCode, 400, tooMany.body);
      const error = json<Problem>(tooMany).errors?.[0];
      assert.equal(error?.field, 'match');
      assert.equal(error?.code, 'over_limit');
      const moved = await kysely()
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('industry', '=', 'telecom')
        .where('owner_id', '=', rep.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(moved.n), 0);
    });
  });
}
