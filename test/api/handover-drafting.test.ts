import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json } from '../helpers/app.ts';
import { handoverWorld, type HandoverWorld } from '../helpers/handover-world.ts';
import type { HandoverContacts, HandoverDetail as Detail } from '../../src/contracts/handovers.ts';

/**
 * Handover on departure (docs/archive.md), the draft: who may start one, the inventory of what the
 * rep owns or takes part in, and completion refused until every successor is chosen (active, within
 * reach, of a role that can own the item) and every key account has its note. The tests run in
 * order on one handover; test/api/handover-completion.test.ts completes one made ready the same way.
 */
for (const engine of testEngines()) {
  describe(`handover: starting, inventory, successors and notes [${engine}]`, () => {
    let testApp: HandoverWorld['testApp'];
    let fixtureA: HandoverWorld['fixtureA'];
    let fixtureB: HandoverWorld['fixtureB'];
    let colleague: number;
    let as: HandoverWorld['as'];
    const kysely = () => testApp.db.kysely;

    before(async () => {
      const world = await handoverWorld(engine);
      ({ testApp, fixtureA, fixtureB, colleague, as } = world);
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
  });
}
