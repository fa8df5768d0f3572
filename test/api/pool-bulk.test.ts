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
import type { PoolEventPage, PoolPage } from '../../src/contracts/pool.ts';

type Refused = Problem & { refused?: BulkRefusal[]; limit?: number; held?: number };

/**
 * The pool list's bulk actions (issue 11): a manager assigns a selection with a reason, and "select
 * all N matching" claims or assigns every row of the pool's filter — resolved on the server within
 * the caller's sight, capped, all or nothing, within the claim limit of whoever receives them. The
 * contacts list exports a selection.
 */
for (const engine of testEngines()) {
  describe(`pool bulk assign and select all matching [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    const kysely = () => testApp.db.kysely;
    const as = async (who: keyof Fixture['users']) =>
      client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users[who].id));
    let seq = 0;
    const poolAccount = async (unitId: number, opts: { tier?: string; industry?: string } = {}) =>
      (
        await kysely()
          .insertInto('accounts')
          .values({
            workspace_id: fixture.workspaceId,
            name: `公海批量 ${++seq}`,
            name_key: `公海批量 ${seq}`,
            owner_id: null,
            org_unit_id: unitId,
            tier: opts.tier ?? 'C',
            tier_computed: opts.tier ?? 'C',
            industry: opts.industry ?? null,
            in_pool: 1,
            pool_since: Date.now(),
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
        .select(['id', 'owner_id', 'in_pool', 'org_unit_id', 'version'])
        .where('id', 'in', ids)
        .orderBy('id')
        .execute();
    const lastAudit = async (action: string) => {
      const row = await kysely()
        .selectFrom('audit_log')
        .select('detail')
        .where('workspace_id', '=', fixture.workspaceId)
        .where('action', '=', action)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row?.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null;
    };
    const held = async (userId: number) =>
      Number(
        (
          await kysely()
            .selectFrom('accounts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('owner_id', '=', userId)
            .where('in_pool', '=', 0)
            .where('archived_at', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const setClaimLimit = (claimLimit: number | null) =>
      kysely()
        .updateTable('workspaces')
        .set({ settings: claimLimit === null ? '{}' : JSON.stringify({ claimLimit }) })
        .where('id', '=', fixture.workspaceId)
        .execute();

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'poolbulk');
    });
    after(() => testApp.close());

    it('a manager assigns picked pool accounts to a rep with a reason: owner, unit, history, audit, pool log', async () => {
      const { rep } = fixture.users;
      const ids = [await poolAccount(fixture.units.shanghai), await poolAccount(fixture.units.sales2)];
      const mgr = await as('manager');
      const res = await mgr('POST', '/api/v1/accounts/bulk/assign', { ids, toUserId: rep.id, reason: '区域调整' });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(json<BulkResult>(res), { updated: 2 });
      for (const row of await rowsOf(ids)) {
        assert.equal(row.owner_id, rep.id);
        assert.equal(row.in_pool, 0);
        assert.equal(row.org_unit_id, fixture.units.sales1, 'the account joins the assignee’s unit');
      }
      const history = await kysely()
        .selectFrom('record_history')
        .selectAll()
        .where('entity_type', '=', 'account')
        .where('entity_id', 'in', ids)
        .execute();
      assert.deepEqual(
        history.map((row) => `${row.field}:${row.new_value}:${row.reason}`),
        [`owner:${rep.id}:pool_assign`, `owner:${rep.id}:pool_assign`],
      );
      assert.deepEqual(await lastAudit('pool.bulk_assign'), {
        toUserId: rep.id,
        reason: '区域调整',
        rows: 2,
        accountIds: ids,
      });
      const log = json<PoolEventPage>(await mgr('GET', '/api/v1/pool/events?limit=500'));
      for (const id of ids) {
        const event = log.items.find((item) => item.accountId === id);
        assert.equal(event?.kind, 'pool_assign');
        assert.equal(event?.note, '区域调整', 'the pool log shows the reason of the bulk assignment');
      }
    });

    it('refuses a bulk assignment as a whole: no reason, a rep, out of reach, no longer in the pool, past the assignee’s limit', async () => {
      const { rep, rep2 } = fixture.users;
      const mgr = await as('manager');
      const free = await poolAccount(fixture.units.sales1);
      const noReason = await mgr('POST', '/api/v1/accounts/bulk/assign', { ids: [free], toUserId: rep.id });
      assert.equal(noReason.statusCode, 400);
      assert.equal(json<Problem>(noReason).errors?.[0]?.field, 'reason');
      const byRep = await (
        await as('rep')
      )('POST', '/api/v1/accounts/bulk/assign', { ids: [free], toUserId: rep.id, reason: 'x' });
      assert.equal(byRep.statusCode, 403);
      const foreignUser = await mgr('POST', '/api/v1/accounts/bulk/assign', {
        ids: [free],
        toUserId: rep2.id,
        reason: 'x',
      });
      assert.equal(foreignUser.statusCode, 400, foreignUser.body);
      assert.equal(json<Problem>(foreignUser).errors?.[0]?.field, 'toUserId');
      const south = await poolAccount(fixture.units.guangzhou);
      const unseen = await mgr('POST', '/api/v1/accounts/bulk/assign', {
        ids: [free, south],
        toUserId: rep.id,
        reason: 'x',
      });
      assert.equal(unseen.statusCode, 400, unseen.body);
      assert.deepEqual(
        json<Problem>(unseen).errors?.map((e) => e.field),
        ['ids.1'],
      );
      const gone = await mgr('POST', '/api/v1/accounts/bulk/assign', {
        ids: [free, fixture.accounts.repAccount],
        toUserId: rep.id,
        reason: 'x',
      });
      assert.equal(gone.statusCode, 403, gone.body);
      assert.deepEqual(json<Refused>(gone).refused, [{ id: fixture.accounts.repAccount, reason: 'not_in_pool' }]);
      const second = await poolAccount(fixture.units.sales1);
      await setClaimLimit((await held(rep.id)) + 1);
      const over = await mgr('POST', '/api/v1/accounts/bulk/assign', {
        ids: [free, second],
        toUserId: rep.id,
        reason: 'x',
      });
      await setClaimLimit(null);
      assert.equal(over.statusCode, 409, over.body);
      assert.equal(json<Refused>(over).code, 'claim_limit_reached');
      assert.equal(json<Problem>(over).errors?.[0]?.field, 'toUserId');
      assert.deepEqual(
        (await rowsOf([free, second])).map((row) => row.in_pool),
        [1, 1],
        'nothing half-assigned',
      );
    });

    it('claims every pool account the filter gives the rep ("select all N matching"), and nothing else', async () => {
      const { rep } = fixture.users;
      const matching = [
        await poolAccount(fixture.units.sales1, { tier: 'B', industry: 'energy' }),
        await poolAccount(fixture.units.shanghai, { tier: 'B', industry: 'energy' }),
        await poolAccount(fixture.units.east, { tier: 'B', industry: 'energy' }),
      ];
      const otherTier = await poolAccount(fixture.units.sales1, { tier: 'C', industry: 'energy' });
      // Energy, tier B, but in the Guangzhou pool: out of the Shanghai rep's sight.
      const outOfSight = await poolAccount(fixture.units.guangzhou, { tier: 'B', industry: 'energy' });
      const repClient = await as('rep');
      const listed = json<PoolPage>(await repClient('GET', '/api/v1/pool?tier=B&industry=energy&limit=100'));
      assert.deepEqual(listed.items.map((item) => item.id).sort(), [...matching].sort(), 'the list shows these three');
      const both = await repClient('POST', '/api/v1/accounts/bulk/claim', {
        ids: [matching[0]],
        match: { tier: 'B' },
      });
      assert.equal(both.statusCode, 400);
      assert.equal(json<Problem>(both).errors?.[0]?.field, 'ids');
      const unknown = await repClient('POST', '/api/v1/accounts/bulk/claim', { match: { colour: 'red' } });
      assert.equal(unknown.statusCode, 400);
      assert.ok(json<Problem>(unknown).errors?.some((e) => e.field.startsWith('match')));

      await setClaimLimit((await held(rep.id)) + 2);
      const over = await repClient('POST', '/api/v1/accounts/bulk/claim', {
        match: { tier: 'B', industry: 'energy' },
      });
      await setClaimLimit(null);
      assert.equal(over.statusCode, 409, over.body);
      assert.equal(json<Refused>(over).code, 'claim_limit_reached');
      assert.deepEqual(
        (await rowsOf(matching)).map((row) => row.in_pool),
        [1, 1, 1],
        'three asked, two left: nothing claimed',
      );

      const res = await repClient('POST', '/api/v1/accounts/bulk/claim', { match: { tier: 'B', industry: 'energy' } });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(json<BulkResult>(res), { updated: 3 });
      assert.ok((await rowsOf(matching)).every((row) => row.owner_id === rep.id && row.in_pool === 0));
      assert.deepEqual(
        (await rowsOf([otherTier, outOfSight])).map((row) => row.in_pool),
        [1, 1],
      );
      assert.deepEqual(await lastAudit('pool.bulk_claim'), {
        filter: { tier: 'B', industry: 'energy' },
        rows: 3,
        accountIds: matching,
      });
    });

    it('assigns every pool account of a unit’s filter for a manager, and refuses a filter past the cap', async () => {
      const { rep, manager } = fixture.users;
      const mgr = await as('manager');
      const inSales2 = [
        await poolAccount(fixture.units.sales2, { industry: 'chemicals' }),
        await poolAccount(fixture.units.sales2, { industry: 'chemicals' }),
      ];
      const elsewhere = await poolAccount(fixture.units.sales1, { industry: 'chemicals' });
      const res = await mgr('POST', '/api/v1/accounts/bulk/assign', {
        match: { orgUnitId: String(fixture.units.sales2), industry: 'chemicals' },
        toUserId: manager.id,
        reason: '二组接手',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(json<BulkResult>(res), { updated: 2 });
      assert.ok((await rowsOf(inSales2)).every((row) => row.owner_id === manager.id));
      assert.equal((await rowsOf([elsewhere]))[0]?.in_pool, 1);

      const now = Date.now();
      const rows = Array.from({ length: BULK_MATCH_LIMIT + 1 }, (_, index) => ({
        workspace_id: fixture.workspaceId,
        name: `公海上限 ${index}`,
        name_key: `公海上限 ${index}`,
        owner_id: null,
        // The Shanghai pool: the manager's and the rep's sight both.
        org_unit_id: fixture.units.shanghai,
        tier: 'C',
        tier_computed: 'C',
        industry: 'telecom',
        in_pool: 1,
        pool_since: now,
        created_at: now,
        updated_at: now,
        version: 1,
      }));
      for (let start = 0; start < rows.length; start += 500)
        await kysely()
          .insertInto('accounts')
          .values(rows.slice(start, start + 500))
          .execute();
      const tooMany = await mgr('POST', '/api/v1/accounts/bulk/assign', {
        match: { industry: 'telecom' },
        toUserId: rep.id,
        reason: 'x',
      });
      assert.equal(tooMany.statusCode, 400, tooMany.body);
      const error = json<Problem>(tooMany).errors?.[0];
      assert.equal(error?.field, 'match');
      assert.equal(error?.code, 'over_limit');
      const claimTooMany = await (
        await as('rep')
      )('POST', '/api/v1/accounts/bulk/claim', { match: { industry: 'telecom' } });
      assert.equal(claimTooMany.statusCode, 400, claimTooMany.body);
      assert.equal(json<Problem>(claimTooMany).errors?.[0]?.field, 'match');
      const moved = await kysely()
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', fixture.workspaceId)
        .where('industry', '=', 'telecom')
        .where('in_pool', '=', 0)
        .executeTakeFirstOrThrow();
      assert.equal(Number(moved.n), 0);
    });

    it('exports the selected contacts only, within sight, audited with the ids', async () => {
      const contact = async (accountId: number, name: string) =>
        (
          await kysely()
            .insertInto('contacts')
            .values({
              workspace_id: fixture.workspaceId,
              account_id: accountId,
              name,
              mobile: '13800000000',
              created_at: Date.now(),
              updated_at: Date.now(),
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      const picked = [
        await contact(fixture.accounts.repAccount, '选中甲'),
        await contact(fixture.accounts.repAccount, '选中乙'),
      ];
      const notPicked = await contact(fixture.accounts.repAccount, '未选丙');
      const foreign = await contact(fixture.accounts.rep2Account, '他人丁');
      await kysely().updateTable('users').set({ can_export: 1 }).where('id', '=', fixture.users.manager.id).execute();
      const mgr = await as('manager');
      const res = await mgr('GET', `/api/v1/contacts/export?ids=${picked.join(',')}&lang=en-US`);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['x-export-rows'], '2');
      assert.match(res.body, /选中甲/);
      assert.match(res.body, /选中乙/);
      assert.doesNotMatch(res.body, /未选丙/);
      const audit = (await lastAudit('export.contacts')) as { rows: number; ids: number[] };
      assert.equal(audit.rows, 2);
      assert.deepEqual(audit.ids, picked);
      const outside = await mgr('GET', `/api/v1/contacts/export?ids=${picked[0]},${foreign}`);
      assert.equal(outside.statusCode, 400, outside.body);
      assert.deepEqual(
        json<Problem>(outside).errors?.map((e) => e.field),
        ['query.ids.1'],
      );
      const all = await mgr('GET', '/api/v1/contacts/export');
      assert.match(all.body, /未选丙/, 'without ids the filter alone decides');
      assert.ok(notPicked > 0);
    });
  });
}
