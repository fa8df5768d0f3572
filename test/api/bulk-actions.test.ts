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

type Refused = Problem & { refused?: BulkRefusal[] };

/**
 * Bulk reassignment from the account and opportunity lists (issue 11): all or nothing, each row
 * checked with the single change's right, history and audit written, nothing half-saved.
 */
for (const engine of testEngines()) {
  describe(`bulk actions [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const kysely = () => testApp.db.kysely;
    const as = async (who: keyof Fixture['users']) =>
      client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
    let seq = 0;
    const account = async (ownerId: number, unitId: number, extra: { in_pool?: number } = {}) =>
      (
        await kysely()
          .insertInto('accounts')
          .values({
            workspace_id: fixture.workspaceId,
            name: `批量客户 ${++seq}`,
            name_key: `批量客户 ${seq}`,
            owner_id: extra.in_pool ? null : ownerId,
            org_unit_id: unitId,
            tier: 'C',
            tier_computed: 'C',
            in_pool: extra.in_pool ?? 0,
            created_at: Date.now(),
            updated_at: Date.now(),
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const deal = async (accountId: number, ownerId: number, unitId: number, status = 'open') =>
      (
        await kysely()
          .insertInto('opportunities')
          .values({
            workspace_id: fixture.workspaceId,
            account_id: accountId,
            name: `批量商机 ${++seq}`,
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
    const owners = async (table: 'accounts' | 'opportunities', ids: number[]) =>
      (await kysely().selectFrom(table).select(['id', 'owner_id']).where('id', 'in', ids).orderBy('id').execute()).map(
        (row) => row.owner_id,
      );
    const ownerHistory = (type: string, ids: number[]) =>
      kysely()
        .selectFrom('record_history')
        .selectAll()
        .where('entity_type', '=', type)
        .where('entity_id', 'in', ids)
        .where('field', '=', 'owner')
        .execute();

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'bulk');
    });
    after(() => testApp.close());

    it('a manager gives accounts of their units to a rep with a reason; history and audit say so', async () => {
      const { rep, manager } = fixture.users;
      const ids = [
        await account(manager.id, fixture.units.sales1),
        await account(manager.id, fixture.units.sales2),
        await account(rep.id, fixture.units.sales1),
      ];
      const mgr = await as('manager');
      const noReason = await mgr('POST', '/api/v1/accounts/bulk/reassign', { ids, toUserId: rep.id });
      assert.equal(noReason.statusCode, 400);
      assert.equal(json<Problem>(noReason).errors?.[0]?.field, 'reason');
      const res = await mgr('POST', '/api/v1/accounts/bulk/reassign', {
        ids: [...ids, ids[0]],
        toUserId: rep.id,
        reason: '区域调整',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(json<BulkResult>(res), { updated: 2 }, 'the rep’s own account does not move');
      assert.deepEqual(await owners('accounts', ids), [rep.id, rep.id, rep.id]);
      const history = await ownerHistory('account', ids);
      assert.equal(history.length, 2);
      assert.ok(history.every((row) => row.reason === '区域调整' && row.new_value === String(rep.id)));
      const audit = await kysely()
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', 'account.bulk_reassign')
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(audit.detail!), { toUserId: rep.id, reason: '区域调整', rows: 2, selected: 3 });
    });

    it('refuses the whole selection when one row is out of reach, in the pool, or the caller is a rep', async () => {
      const { rep, rep2, manager } = fixture.users;
      const mine = await account(manager.id, fixture.units.sales1);
      const mgr = await as('manager');
      // rep2's account is in Guangzhou, outside the Shanghai manager's reach: 400 naming its place.
      const outside = await mgr('POST', '/api/v1/accounts/bulk/reassign', {
        ids: [mine, fixture.accounts.rep2Account],
        toUserId: rep.id,
        reason: 'x',
      });
      assert.equal(outside.statusCode, 400, outside.body);
      assert.deepEqual(
        json<Problem>(outside).errors?.map((e) => e.field),
        ['ids.1'],
      );
      const pooled = await account(manager.id, fixture.units.sales1, { in_pool: 1 });
      const inPool = await mgr('POST', '/api/v1/accounts/bulk/reassign', {
        ids: [mine, pooled],
        toUserId: rep.id,
        reason: 'x',
      });
      assert.equal(inPool.statusCode, 403, inPool.body);
      assert.equal(json<Refused>(inPool).code, 'bulk_refused');
      assert.deepEqual(json<Refused>(inPool).refused, [{ id: pooled, reason: 'in_pool' }]);
      assert.deepEqual(await owners('accounts', [mine]), [manager.id], 'nothing half-saved');
      const byRep = await (
        await as('rep')
      )('POST', '/api/v1/accounts/bulk/reassign', {
        ids: [fixture.accounts.repAccount],
        toUserId: rep2.id,
        reason: 'x',
      });
      assert.equal(byRep.statusCode, 403);
      const tooMany = await mgr('POST', '/api/v1/accounts/bulk/reassign', {
        ids: Array.from({ length: 501 }, (_, i) => i + 1),
        toUserId: rep.id,
        reason: 'x',
      });
      assert.equal(tooMany.statusCode, 400);
    });

    it('a rep cannot reassign others’ deals; a manager can, open ones only; the new owner leads the team', async () => {
      const { rep, rep2, manager } = fixture.users;
      const acc = await account(rep.id, fixture.units.sales1);
      const own = await deal(acc, rep.id, fixture.units.sales1);
      const colleagues = await deal(acc, manager.id, fixture.units.sales1);
      const closed = await deal(acc, rep.id, fixture.units.sales1, 'won');
      const guangzhou = await deal(fixture.accounts.rep2Account, rep2.id, fixture.units.sales3);
      // The rep sees the colleague's deal on their own account but may not give it away.
      await kysely()
        .insertInto('opportunity_team')
        .values({
          workspace_id: fixture.workspaceId,
          opportunity_id: colleagues,
          user_id: rep.id,
          team_role: 'support',
          created_at: Date.now(),
        })
        .execute();
      const repCall = await as('rep');
      const unseen = await repCall('POST', '/api/v1/opportunities/bulk/reassign', {
        ids: [own, guangzhou],
        toUserId: rep.id,
        reason: 'x',
      });
      assert.equal(unseen.statusCode, 400, unseen.body);
      assert.deepEqual(
        json<Problem>(unseen).errors?.map((e) => e.field),
        ['ids.1'],
      );
      const refused = await repCall('POST', '/api/v1/opportunities/bulk/reassign', {
        ids: [own, colleagues, closed],
        toUserId: rep.id,
        reason: 'x',
      });
      assert.equal(refused.statusCode, 403, refused.body);
      assert.deepEqual(
        json<Refused>(refused).refused!.sort((x, y) => x.id - y.id),
        [
          { id: colleagues, reason: 'forbidden' },
          { id: closed, reason: 'closed' },
        ],
      );
      const res = await (
        await as('admin')
      )('POST', '/api/v1/opportunities/bulk/reassign', {
        ids: [own, colleagues, guangzhou],
        toUserId: rep2.id,
        reason: '客户迁往华南',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(json<BulkResult>(res), { updated: 2 });
      assert.deepEqual(await owners('opportunities', [own, colleagues, guangzhou]), [rep2.id, rep2.id, rep2.id]);
      const units = await kysely()
        .selectFrom('opportunities')
        .select('org_unit_id')
        .where('id', '=', own)
        .executeTakeFirstOrThrow();
      assert.equal(units.org_unit_id, fixture.units.sales3, 'the deal moves to its new owner’s unit');
      const leads = await kysely()
        .selectFrom('opportunity_team')
        .select(['opportunity_id', 'user_id'])
        .where('opportunity_id', 'in', [own, colleagues])
        .where('team_role', '=', 'sales_lead')
        .execute();
      assert.deepEqual(
        leads.map((row) => row.user_id),
        [rep2.id, rep2.id],
      );
      assert.equal((await ownerHistory('opportunity', [own, colleagues])).length, 2);
    });
  });
}
