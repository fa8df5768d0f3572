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
import { recountTotals, storedTotals } from '../../src/modules/funnel/repository/recount.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';
import type { HandoverContacts, HandoverDetail as Detail, HandoverPage } from '../../src/contracts/handovers.ts';

/** Handover on departure (docs/archive.md): inventory, successors, key-account notes, completion. */
for (const engine of testEngines()) {
  describe(`handover [${engine}]`, () => {
    let testApp: TestApp;
    let fixtureA: Fixture;
    let fixtureB: Fixture;
    let colleague: number;
    let oppId: number;
    let as: (who: keyof Fixture['users'] | number, fixture?: Fixture) => Promise<Call>;
    const kysely = () => testApp.db.kysely;
    const now = Date.now();

    before(async () => {
      testApp = await createTestApp(engine);
      fixtureA = await seedWorkspace(testApp, 'ho');
      fixtureB = await seedWorkspace(testApp, 'other');
      as = async (who, field = fixtureA) =>
        client(
          testApp,
          await sessionCookie(testApp, field.workspaceId, typeof who === 'number' ? who : field.users[who].id),
        );
      const hash = (
        await kysely()
          .selectFrom('users')
          .select('password_hash')
          .where('id', '=', fixtureA.users.rep.id)
          .executeTakeFirstOrThrow()
      ).password_hash;
      colleague = await insertUser(kysely(), {
        workspaceId: fixtureA.workspaceId,
        orgUnitId: fixtureA.units.sales1,
        email: `colleague-${engine}-${now}@ho.test`,
        name: '同事',
        role: 'rep',
        title: null,
        phone: null,
        passwordHash: hash,
        locale: 'zh-CN',
        canExport: false,
        now,
      });
      // What the departing rep owns or takes part in: a key account, a plain one, an opportunity with a team seat, a relationship, a territory.
      await kysely()
        .updateTable('accounts')
        .set({ tier: 'A' })
        .where('id', '=', fixtureA.accounts.repAccount)
        .execute();
      await kysely()
        .insertInto('accounts')
        .values({
          workspace_id: fixtureA.workspaceId,
          name: '普通客户',
          name_key: '普通客户',
          owner_id: fixtureA.users.rep.id,
          org_unit_id: fixtureA.units.sales1,
          tier: 'C',
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
      oppId = (
        await kysely()
          .insertInto('opportunities')
          .values({
            workspace_id: fixtureA.workspaceId,
            account_id: fixtureA.accounts.repAccount,
            name: '数字化工厂项目',
            owner_id: fixtureA.users.rep.id,
            org_unit_id: fixtureA.units.sales1,
            amount: 150_000_00,
            status: 'open',
            expected_close_date: null,
            closed_at: null,
            created_at: now,
            updated_at: now,
            version: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      await kysely()
        .insertInto('opportunity_team')
        .values({
          workspace_id: fixtureA.workspaceId,
          opportunity_id: oppId,
          user_id: fixtureA.users.rep.id,
          team_role: 'sales_lead',
          created_at: now,
        })
        .execute();
      // The colleague already sits on this team too: the departing seat must fold into theirs.
      await kysely()
        .insertInto('opportunity_team')
        .values({
          workspace_id: fixtureA.workspaceId,
          opportunity_id: oppId,
          user_id: colleague,
          team_role: 'commercial',
          created_at: now,
        })
        .execute();
      await kysely()
        .updateTable('buying_roles')
        .set({ holder_user_id: fixtureA.users.rep.id })
        .where('id', '=', fixtureA.buyingRoles.repRole)
        .execute();
      await kysely()
        .insertInto('territory_rules')
        .values({
          workspace_id: fixtureA.workspaceId,
          name: '上海制造业',
          province: '上海',
          industry: 'manufacturing',
          user_id: fixtureA.users.rep.id,
          active: 1,
          created_at: now,
          updated_at: now,
          version: 1,
        })
        .execute();
      // In a process, so the funnel's totals count it (and must follow it to the successor).
      const small = await kysely()
        .selectFrom('sales_processes')
        .select('id')
        .where('workspace_id', '=', fixtureA.workspaceId)
        .where('template_key', '=', 'small')
        .executeTakeFirstOrThrow();
      const first = await kysely()
        .selectFrom('process_stages')
        .select('id')
        .where('process_id', '=', small.id)
        .orderBy('position')
        .executeTakeFirstOrThrow();
      await kysely()
        .updateTable('opportunities')
        .set({ process_id: small.id, stage_id: first.id, expected_close_date: '2027-03-31' })
        .where('id', '=', oppId)
        .execute();
      await rebuildFunnel(kysely(), fixtureA.workspaceId);
    });
    after(() => testApp.close());

    it('only admins and managers over the user start a handover', async () => {
      assert.equal((await (await as('rep'))('POST', '/api/v1/handovers', { fromUserId: colleague })).statusCode, 403);
      const outside = await (await as('manager'))('POST', '/api/v1/handovers', { fromUserId: fixtureA.users.rep2.id });
      assert.equal(outside.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(outside).errors[0]!.field, 'fromUserId');
      assert.equal(
        (await (await as('manager'))('POST', '/api/v1/handovers', { fromUserId: fixtureA.users.manager.id }))
          .statusCode,
        400,
        'not oneself',
      );
      assert.equal(
        (await (await as('admin', fixtureB))('POST', '/api/v1/handovers', { fromUserId: fixtureA.users.rep.id }))
          .statusCode,
        400,
        "another workspace's user is unknown",
      );
    });

    let handover: Detail;
    it('a draft lists everything the rep owns or takes part in', async () => {
      const res = await (await as('manager'))('POST', '/api/v1/handovers', { fromUserId: fixtureA.users.rep.id });
      assert.equal(res.statusCode, 201, res.body);
      handover = json<Detail>(res);
      assert.equal(handover.status, 'draft');
      assert.deepEqual(handover.counts, {
        account: 2,
        opportunity: 1,
        team: 1,
        relationship: 1,
        territory: 1,
        tasks: 0,
        visits: 0,
      });
      assert.equal(
        handover.items
          .filter((i) => i.keyAccount)
          .map((i) => i.entityId)
          .join(),
        String(fixtureA.accounts.repAccount),
      );
      assert.equal(handover.missing.filter((m) => m.problem === 'no_successor').length, 6);
      assert.equal(handover.missing.filter((m) => m.problem === 'no_note').length, 1);
      // Codes travel apart from the names, for the page to put in words (no "sales_lead" in a line of text).
      const of = (c: string) => handover.items.find((i) => i.category === c)!;
      const role = (
        await kysely()
          .selectFrom('buying_roles')
          .select('role')
          .where('id', '=', fixtureA.buyingRoles.repRole)
          .executeTakeFirstOrThrow()
      ).role;
      assert.deepEqual(
        [of('team').label, of('team').role, of('team').industry],
        ['数字化工厂项目', 'sales_lead', null],
      );
      assert.equal(of('relationship').role, role);
      // A deal row says what the successor takes on: status, stage and probability, amount.
      for (const category of ['opportunity', 'team'])
        assert.deepEqual(
          [of(category).dealStatus, of(category).stageName, of(category).probability, of(category).amount],
          ['open', '意向', 20, 150_000_00],
        );
      assert.deepEqual([of('account').dealStatus, of('account').stageName], [null, null]);
      assert.deepEqual(
        [of('territory').label, of('territory').detail, of('territory').role, of('territory').industry],
        ['上海制造业', '上海', null, 'manufacturing'],
      );
      for (const item of handover.items)
        assert.ok(
          !/sales_lead|decision_maker|manufacturing/.test(`${item.label} ${item.detail ?? ''}`),
          `${item.label} · ${item.detail}`,
        );
      const again = await (await as('admin'))('POST', '/api/v1/handovers', { fromUserId: fixtureA.users.rep.id });
      assert.equal(again.statusCode, 409);
      assert.equal(json<{ handoverId: number }>(again).handoverId, handover.id);
    });

    it('refuses to complete while successors or key-account notes are missing, and lists them', async () => {
      const res = await (
        await as('manager')
      )('POST', `/api/v1/handovers/${handover.id}/complete`, { version: handover.version });
      assert.equal(res.statusCode, 409);
      const problem = json<{ code: string; missing: unknown[] }>(res);
      assert.equal(problem.code, 'handover_incomplete');
      assert.equal(problem.missing.length, 7);
      assert.equal(
        (
          await kysely()
            .selectFrom('users')
            .select('active')
            .where('id', '=', fixtureA.users.rep.id)
            .executeTakeFirstOrThrow()
        ).active,
        1,
      );
    });

    it('checks successors: active, within reach, of a role that can own the item', async () => {
      const asManager = await as('manager');
      const territory = handover.items.find((i) => i.category === 'territory')!;
      const rel = handover.items.find((i) => i.category === 'relationship')!;
      const bad = await asManager('PATCH', `/api/v1/handovers/${handover.id}/items`, {
        items: [{ itemId: territory.id, toUserId: fixtureA.users.presales.id }],
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(json<{ errors: { field: string }[] }>(bad).errors[0]!.field, 'items.0.toUserId');
      assert.equal(
        (
          await asManager('PATCH', `/api/v1/handovers/${handover.id}/items`, {
            items: [{ itemId: rel.id, toUserId: fixtureA.users.rep2.id }],
          })
        ).statusCode,
        400,
        "outside the manager's subtree",
      );
      assert.equal(
        (
          await asManager('PATCH', `/api/v1/handovers/${handover.id}/items`, {
            items: [{ itemId: rel.id, toUserId: fixtureA.users.rep.id }],
          })
        ).statusCode,
        400,
        'not the departing user',
      );
      // Bulk: everything to the colleague; then one by one: the relationship to presales.
      const bulk = await asManager('PATCH', `/api/v1/handovers/${handover.id}/items`, {
        items: handover.items.map((i) => ({ itemId: i.id, toUserId: colleague })),
      });
      assert.equal(bulk.statusCode, 200, bulk.body);
      const one = json<Detail>(
        await asManager('PATCH', `/api/v1/handovers/${handover.id}/items`, {
          items: [{ itemId: rel.id, toUserId: fixtureA.users.presales.id }],
        }),
      );
      assert.equal(one.items.find((i) => i.id === rel.id)!.toUserId, fixtureA.users.presales.id);
      assert.ok(one.version > handover.version, 'every change bumps the version');
      assert.deepEqual(
        one.missing.map((x) => x.problem),
        ['no_note'],
      );
      handover = one;
    });

    it('requires a complete note for each key account', async () => {
      const asManager = await as('manager');
      const key = handover.items.find((i) => i.keyAccount)!;
      const plain = handover.items.find((i) => i.category === 'account' && !i.keyAccount)!;
      const partial = json<Detail>(
        await asManager('PUT', `/api/v1/handovers/${handover.id}/items/${key.id}/note`, {
          state: '合同执行中',
          openIssues: '',
          keyContacts: '',
        }),
      );
      assert.deepEqual(partial.items.find((i) => i.id === key.id)!.noteGaps, ['openIssues', 'keyContacts']);
      assert.equal(partial.missing.length, 1);
      const wrongContact = await asManager('PUT', `/api/v1/handovers/${handover.id}/items/${key.id}/note`, {
        state: 'x',
        openIssues: 'y',
        contactIds: [fixtureB.contacts.repContact],
      });
      assert.equal(wrongContact.statusCode, 400);
      const contacts = json<HandoverContacts>(
        await asManager('GET', `/api/v1/handovers/${handover.id}/contacts`),
      ).items;
      assert.deepEqual(
        contacts.map((c) => c.id),
        [fixtureA.contacts.repContact],
      );
      const res = await asManager('PUT', `/api/v1/handovers/${handover.id}/items/${key.id}/note`, {
        state: '二期合同执行中，回款正常',
        openIssues: '验收报告待签字',
        keyContacts: '采购总监任正：每周沟通',
        contactIds: [fixtureA.contacts.repContact],
      });
      assert.equal(res.statusCode, 200, res.body);
      handover = json<Detail>(res);
      assert.deepEqual(handover.missing, []);
      assert.equal(
        (
          await asManager('PUT', `/api/v1/handovers/${handover.id}/items/${plain.id}/note`, {
            state: 'a',
            openIssues: 'b',
            keyContacts: 'c',
          })
        ).statusCode,
        200,
        'notes are welcome on any account',
      );
      handover = json<Detail>(await asManager('GET', `/api/v1/handovers/${handover.id}`));
    });

    it('completes in one go: everything moves, nothing is left owned, the user is deactivated and signed out', async () => {
      const repSession = await as('rep');
      assert.equal((await repSession('GET', '/api/v1/auth/me')).statusCode, 200);
      const asManager = await as('manager');
      assert.equal(
        (await asManager('POST', `/api/v1/handovers/${handover.id}/complete`, { version: handover.version - 1 }))
          .statusCode,
        409,
        'stale version',
      );
      const res = await asManager('POST', `/api/v1/handovers/${handover.id}/complete`, { version: handover.version });
      assert.equal(res.statusCode, 200, res.body);
      const done = json<Detail>(res);
      assert.equal(done.status, 'completed');
      assert.equal(done.fromUser.active, false);
      assert.deepEqual(done.summary!.counts, { account: 2, opportunity: 1, team: 1, relationship: 1, territory: 1 });
      // The funnel's kept totals moved with the deal, in the same transaction (docs/targets.md § Funnel).
      const totals = await storedTotals(kysely(), fixtureA.workspaceId);
      assert.deepEqual(
        totals.map((r) => `${r.owner_id}:${r.deals}`).sort(),
        (await recountTotals(kysely(), fixtureA.workspaceId, 200_000_00)).map((r) => `${r.owner_id}:${r.deals}`).sort(),
      );
      assert.ok(
        totals.every((r) => r.owner_id !== fixtureA.users.rep.id),
        'nothing left counted for the departed rep',
      );
      const rep = fixtureA.users.rep.id;
      const ws = fixtureA.workspaceId;
      const left = await Promise.all([
        kysely()
          .selectFrom('accounts')
          .select('id')
          .where('workspace_id', '=', ws)
          .where('owner_id', '=', rep)
          .execute(),
        kysely()
          .selectFrom('opportunities')
          .select('id')
          .where('workspace_id', '=', ws)
          .where('owner_id', '=', rep)
          .execute(),
        kysely()
          .selectFrom('opportunity_team')
          .select('id')
          .where('workspace_id', '=', ws)
          .where('user_id', '=', rep)
          .execute(),
        kysely()
          .selectFrom('buying_roles')
          .select('id')
          .where('workspace_id', '=', ws)
          .where('holder_user_id', '=', rep)
          .execute(),
        kysely()
          .selectFrom('territory_rules')
          .select('id')
          .where('workspace_id', '=', ws)
          .where('user_id', '=', rep)
          .execute(),
        kysely().selectFrom('sessions').select('id').where('user_id', '=', rep).execute(),
      ]);
      assert.deepEqual(
        left.map((l) => l.length),
        [0, 0, 0, 0, 0, 0],
      );
      const acc = await kysely()
        .selectFrom('accounts')
        .select(['owner_id', 'org_unit_id'])
        .where('id', '=', fixtureA.accounts.repAccount)
        .executeTakeFirstOrThrow();
      assert.deepEqual(acc, { owner_id: colleague, org_unit_id: fixtureA.units.sales1 });
      assert.equal(
        (
          await kysely()
            .selectFrom('opportunities')
            .select('owner_id')
            .where('id', '=', oppId)
            .executeTakeFirstOrThrow()
        ).owner_id,
        colleague,
      );
      const team = await kysely()
        .selectFrom('opportunity_team')
        .select('user_id')
        .where('opportunity_id', '=', oppId)
        .execute();
      assert.deepEqual(
        team.map((x) => x.user_id),
        [colleague],
        "the seat folded into the colleague's",
      );
      assert.equal(
        (
          await kysely()
            .selectFrom('buying_roles')
            .select('holder_user_id')
            .where('id', '=', fixtureA.buyingRoles.repRole)
            .executeTakeFirstOrThrow()
        ).holder_user_id,
        fixtureA.users.presales.id,
      );
      const hist = await kysely()
        .selectFrom('record_history')
        .select(['entity_type', 'reason', 'old_value', 'new_value'])
        .where('workspace_id', '=', ws)
        .where('reason', '=', 'handover')
        .execute();
      assert.equal(hist.filter((x) => x.entity_type === 'account').length, 2);
      assert.ok(hist.every((x) => x.old_value === String(rep) && x.new_value === String(colleague)));
      const user = await kysely()
        .selectFrom('users')
        .select(['active', 'deactivated_at'])
        .where('id', '=', rep)
        .executeTakeFirstOrThrow();
      assert.equal(user.active, 0);
      assert.ok(Number(user.deactivated_at) > 0);
      assert.equal((await repSession('GET', '/api/v1/auth/me')).statusCode, 401);
      const audit = await kysely()
        .selectFrom('audit_log')
        .select('action')
        .where('workspace_id', '=', ws)
        .where('target_id', '=', rep)
        .execute();
      assert.ok(audit.some((x) => x.action === 'handover.complete'));
    });

    it('keeps the completed record readable and closed to changes', async () => {
      const asManager = await as('manager');
      const rec = json<Detail>(await asManager('GET', `/api/v1/handovers/${handover.id}`));
      assert.equal(rec.status, 'completed');
      assert.equal(rec.items.length, 6);
      assert.equal(rec.items.find((i) => i.keyAccount)!.note!.state, '二期合同执行中，回款正常');
      assert.equal(
        (
          await asManager('PATCH', `/api/v1/handovers/${handover.id}/items`, {
            items: [{ itemId: rec.items[0]!.id, toUserId: colleague }],
          })
        ).statusCode,
        409,
      );
      const list = json<HandoverPage>(await asManager('GET', '/api/v1/handovers'));
      assert.deepEqual(
        list.items.map((x) => [x.id, x.status, x.itemCount, x.assignedCount]),
        [[handover.id, 'completed', 6, 6]],
      );
    });

    it('a manager sees only handovers in their subtree; another workspace sees none (404)', async () => {
      const admin = await as('admin');
      const other = json<Detail>(await admin('POST', '/api/v1/handovers', { fromUserId: fixtureA.users.rep2.id }));
      const asManager = await as('manager');
      assert.equal((await asManager('GET', `/api/v1/handovers/${other.id}`)).statusCode, 404);
      assert.ok(!json<HandoverPage>(await asManager('GET', '/api/v1/handovers')).items.some((x) => x.id === other.id));
      const adminB = await as('admin', fixtureB);
      assert.equal((await adminB('GET', `/api/v1/handovers/${handover.id}`)).statusCode, 404);
      assert.equal(
        (await adminB('POST', `/api/v1/handovers/${other.id}/complete`, { version: other.version })).statusCode,
        404,
      );
      assert.equal(json<HandoverPage>(await adminB('GET', '/api/v1/handovers')).total, 0);
      // A cancelled draft leaves the user active.
      const cancelled = await admin('POST', `/api/v1/handovers/${other.id}/cancel`, { version: other.version });
      assert.equal(json<Detail>(cancelled).status, 'cancelled');
      assert.equal(
        (
          await kysely()
            .selectFrom('users')
            .select('active')
            .where('id', '=', fixtureA.users.rep2.id)
            .executeTakeFirstOrThrow()
        ).active,
        1,
      );
    });
  });
}
