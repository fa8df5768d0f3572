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

import type { Problem } from '../../src/contracts/common.ts';
import type { HistoryItem, OpportunityDetail as Opp } from '../../src/contracts/opportunities.ts';
const fieldOf = (res: { json(): unknown }) => (res.json() as Problem).errors?.[0]?.field;

for (const engine of testEngines()) {
  describe(`opportunity team, closing and audit trail (docs/sales-process.md § The opportunity, §5.7) [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    let other: Fixture & Extras;
    let stageIds: number[];
    let stages: { id: number; evidence: { key: string; requires: string }[] }[];
    let as: Record<'admin' | 'manager' | 'rep' | 'rep2' | 'presales' | 'otherAdmin', Call>;
    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'team');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
      const ob = await seedWorkspace(testApp, 'team-other');
      other = { ...ob, ...(await seedExtras(testApp, ob)) };
      stageIds = fixture.processes.small.stageIds;
      as = {
        admin: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id)),
        manager: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id)),
        rep: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id)),
        rep2: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep2.id)),
        presales: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.presales.id)),
        otherAdmin: client(testApp, await sessionCookie(testApp, other.workspaceId, other.users.admin.id)),
      };
      stages = json<{ stages: typeof stages }>(
        await as.rep('GET', `/api/v1/sales-processes/${fixture.processes.small.id}`),
      ).stages;
    });
    after(() => testApp.close());

    const upload = async (call: Call = as.rep) =>
      json<{ id: number }>(
        await call('POST', '/api/v1/attachments?fileName=proof.pdf', Buffer.from('%PDF-1.4 proof'), {
          'content-type': 'application/pdf',
        }),
      ).id;
    /** Every item of the stages given, a note or a fresh file where the item asks. */
    const evidenceOf = async (of: typeof stages) =>
      Promise.all(
        of.flatMap((stage) =>
          stage.evidence.map(async (evidenceItem) => ({
            stageId: stage.id,
            key: evidenceItem.key,
            note: evidenceItem.requires === 'note' ? '客户已确认' : null,
            attachmentId: evidenceItem.requires === 'attachment' ? await upload() : null,
          })),
        ),
      );
    /** A fresh rep opportunity in the small process, by default at the Proposal stage (roles: sales lead, presales), entered with the evidence of the stages before it. */
    const create = async (stage = 1, amount = 120_000_00) =>
      json<Opp>(
        await as.rep('POST', '/api/v1/opportunities', {
          accountId: fixture.accounts.repAccount,
          name: `团队测试 ${Math.random()}`,
          processId: fixture.processes.small.id,
          stageId: stageIds[stage],
          amount,
          expectedCloseDate: '2027-02-28',
          evidence: await evidenceOf(stages.slice(0, stage)),
        }),
      );
    const get = async (call: Call, id: number) => json<Opp>(await call('GET', `/api/v1/opportunities/${id}`));

    it("suggests the current stage's roles nobody holds yet, and adds people from any unit", async () => {
      const opportunity = await create();
      assert.deepEqual(opportunity.suggestedRoles, ['presales'], 'sales lead is the owner; presales is missing');
      // rep2 sits in Guangzhou, outside the rep's branch: the team may still include them.
      const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
        userId: fixture.users.presales.id,
        teamRole: 'presales',
      });
      assert.equal(res.statusCode, 200, res.body);
      const withPresales = json<Opp>(res);
      assert.deepEqual(
        withPresales.team.map((m) => [m.userId, m.teamRole]),
        [
          [fixture.users.rep.id, 'sales_lead'],
          [fixture.users.presales.id, 'presales'],
        ],
      );
      assert.deepEqual(withPresales.suggestedRoles, []);
      const sponsor = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
          userId: fixture.users.rep2.id,
          teamRole: 'executive_sponsor',
        }),
      );
      assert.equal(sponsor.team.length, 3);
      // Joining the team makes the opportunity visible to them (docs/organisation.md).
      assert.equal((await as.presales('GET', `/api/v1/opportunities/${opportunity.id}`)).statusCode, 200);
      assert.equal((await as.rep2('GET', `/api/v1/opportunities/${opportunity.id}`)).statusCode, 200);
    });

    it('refuses duplicates, inactive or foreign users, a second sales lead, and outsiders', async () => {
      const opportunity = await create();
      const dup = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
        userId: fixture.users.rep.id,
        teamRole: 'consultant',
      });
      assert.equal(dup.statusCode, 409);
      assert.equal(json<Problem>(dup).code, 'duplicate_member');
      assert.equal(fieldOf(dup), 'userId');
      assert.equal(
        fieldOf(
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
            userId: other.users.rep.id,
            teamRole: 'consultant',
          }),
        ),
        'userId',
        'a user of another workspace',
      );
      await testApp.db.kysely
        .updateTable('users')
        .set({ active: 0 })
        .where('id', '=', fixture.users.auditor.id)
        .execute();
      assert.equal(
        fieldOf(
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
            userId: fixture.users.auditor.id,
            teamRole: 'consultant',
          }),
        ),
        'userId',
        'an inactive user',
      );
      assert.equal(
        fieldOf(
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
            userId: fixture.users.finance.id,
            teamRole: 'sales_lead',
          }),
        ),
        'teamRole',
      );
      assert.equal(
        fieldOf(
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
            userId: fixture.users.finance.id,
            teamRole: 'boss',
          }),
        ),
        'teamRole',
      );
      assert.equal(
        (
          await as.rep2('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
            userId: fixture.users.rep2.id,
            teamRole: 'consultant',
          })
        ).statusCode,
        404,
        'rep2 cannot see it',
      );
      assert.equal(
        (
          await as.otherAdmin('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
            userId: other.users.rep.id,
            teamRole: 'consultant',
          })
        ).statusCode,
        404,
      );
      assert.equal((await get(as.rep, opportunity.id)).team.length, 1, 'nothing was added');
      const both = await Promise.all(
        [as.rep, as.manager].map((call) =>
          call('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
            userId: fixture.users.presales.id,
            teamRole: 'presales',
          }),
        ),
      );
      assert.deepEqual(
        both.map((r) => r.statusCode).sort(),
        [200, 409],
        'two simultaneous adds of the same person: one wins',
      );
      assert.equal((await get(as.rep, opportunity.id)).team.length, 2);
    });

    it("removes members but never the owner's sales-lead seat; a member of another opportunity is 404", async () => {
      const opportunity = await create();
      const added = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
          userId: fixture.users.presales.id,
          teamRole: 'presales',
        }),
      );
      const lead = added.team.find((m) => m.teamRole === 'sales_lead')!;
      const seat = await as.manager('DELETE', `/api/v1/opportunities/${opportunity.id}/team/${lead.id}`);
      assert.equal(seat.statusCode, 409);
      assert.equal(json<Problem>(seat).code, 'owner_seat');
      const foreign = (await get(as.rep, fixture.opportunities.repOpp)).team[0]!;
      assert.equal(
        (await as.rep('DELETE', `/api/v1/opportunities/${opportunity.id}/team/${foreign.id}`)).statusCode,
        404,
      );
      const presales = added.team.find((m) => m.teamRole === 'presales')!;
      assert.equal(
        (await as.otherAdmin('DELETE', `/api/v1/opportunities/${opportunity.id}/team/${presales.id}`)).statusCode,
        404,
      );
      const res = await as.rep('DELETE', `/api/v1/opportunities/${opportunity.id}/team/${presales.id}`);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        json<Opp>(res).team.map((m) => m.teamRole),
        ['sales_lead'],
      );
      assert.deepEqual(json<Opp>(res).suggestedRoles, ['presales']);
      assert.equal(
        (await as.presales('GET', `/api/v1/opportunities/${opportunity.id}`)).statusCode,
        404,
        'off the team, out of sight',
      );
    });

    it('closes as won only with a positive contract amount, at the won stage, with the stage history closed', async () => {
      const opportunity = await create(2);
      for (const contractAmount of [undefined, 0, -5]) {
        const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
          version: opportunity.version,
          outcome: 'won',
          ...(contractAmount === undefined ? {} : { contractAmount }),
        });
        assert.equal(res.statusCode, 400, String(contractAmount));
        assert.equal(fieldOf(res), 'contractAmount');
      }
      assert.equal(
        (
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
            version: opportunity.version + 1,
            outcome: 'won',
            contractAmount: 1,
          })
        ).statusCode,
        409,
        'stale version',
      );
      // The buyer still only aware of a need: an open deal this far on warns (docs/sales-process.md § Buying phase), a won one no longer does.
      await testApp.db.kysely
        .updateTable('opportunities')
        .set({ buying_phase: 'aware' })
        .where('id', '=', opportunity.id)
        .execute();
      assert.equal(
        ((await get(as.rep, opportunity.id)) as Opp & { stageAheadOfBuyer: boolean }).stageAheadOfBuyer,
        true,
      );
      // Won is the last stage: without the evidence of 谈判 the close is refused like a move (docs/sales-process.md), nothing saved.
      const unproven = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
        version: opportunity.version,
        outcome: 'won',
        contractAmount: 118_500_00,
      });
      assert.equal(unproven.statusCode, 422, unproven.body);
      assert.deepEqual(
        json<{ missing: { stageId: number }[] }>(unproven).missing.map((m) => m.stageId),
        stages[2]!.evidence.map(() => stageIds[2]),
      );
      assert.equal((await get(as.rep, opportunity.id)).status, 'open');
      const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
        version: opportunity.version,
        outcome: 'won',
        contractAmount: 118_500_00,
        note: '年底签约',
        evidence: await evidenceOf(stages.slice(2, 3)),
      });
      assert.equal(res.statusCode, 200, res.body);
      const won = json<Opp & { stageAheadOfBuyer: boolean }>(res);
      assert.equal(won.status, 'won');
      assert.equal(won.stageAheadOfBuyer, false);
      assert.equal(won.stageId, stageIds[3]);
      assert.equal(won.contractAmount, 118_500_00);
      assert.equal(won.amount, 118_500_00);
      assert.ok(won.closedAt !== null);
      const history = json<{
        items: { stageId: number; leftAt: number | null; exitDirection: string | null; exitReason: string | null }[];
      }>(await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`)).items;
      assert.deepEqual(
        history.map((h) => [h.stageId, h.exitDirection, h.leftAt !== null]),
        [
          [stageIds[0], 'forward', true],
          [stageIds[2], 'forward', true],
          [stageIds[3], 'closed', true],
        ],
      );
      assert.equal(history[1]!.exitReason, '年底签约');
      assert.equal(
        (
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
            version: won.version,
            outcome: 'lost',
            reason: 'price',
            competitor: 'X',
          })
        ).statusCode,
        409,
        'already closed',
      );
    });

    it('closes as lost or abandoned only with a reason and the competitor (docs/sales-process.md § The stage gate)', async () => {
      const opportunity = await create();
      const noReason = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
        version: opportunity.version,
        outcome: 'lost',
        competitor: '西门子',
      });
      assert.equal(fieldOf(noReason), 'reason');
      const noCompetitor = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
        version: opportunity.version,
        outcome: 'lost',
        reason: 'price',
      });
      assert.equal(fieldOf(noCompetitor), 'competitor');
      assert.equal(
        fieldOf(
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
            version: opportunity.version,
            outcome: 'lost',
            reason: 'moon_phase',
            competitor: 'x',
          }),
        ),
        'reason',
      );
      assert.equal(
        fieldOf(
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
            version: opportunity.version,
            outcome: 'lost',
            reason: 'price',
            competitor: '  ',
          }),
        ),
        'competitor',
      );
      assert.equal((await get(as.rep, opportunity.id)).status, 'open', 'nothing saved');
      const lost = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
          version: opportunity.version,
          outcome: 'lost',
          reason: 'price',
          competitor: '西门子',
        }),
      );
      assert.deepEqual(
        [lost.status, lost.closeReason, lost.closeCompetitor, lost.stageId],
        ['lost', 'price', '西门子', stageIds[1]],
      );
      assert.equal(
        (await as.rep('PATCH', `/api/v1/opportunities/${opportunity.id}`, { version: lost.version, amount: 1 }))
          .statusCode,
        409,
        'a closed opportunity is not edited',
      );

      const toAbandon = await create();
      assert.equal(
        fieldOf(
          await as.rep('POST', `/api/v1/opportunities/${toAbandon.id}/close`, {
            version: toAbandon.version,
            outcome: 'abandoned',
            competitor: 'none',
          }),
        ),
        'reason',
      );
      assert.equal(
        fieldOf(
          await as.rep('POST', `/api/v1/opportunities/${toAbandon.id}/close`, {
            version: toAbandon.version,
            outcome: 'abandoned',
            reason: 'no_decision',
          }),
        ),
        'competitor',
      );
      assert.equal((await get(as.rep, toAbandon.id)).status, 'open', 'nothing saved');
      const abandoned = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${toAbandon.id}/close`, {
          version: toAbandon.version,
          outcome: 'abandoned',
          reason: 'no_decision',
          competitor: 'none',
        }),
      );
      assert.deepEqual(
        [abandoned.status, abandoned.closeReason, abandoned.closeCompetitor],
        ['abandoned', 'no_decision', 'none'],
      );
      const none = await create();
      assert.equal(
        json<Opp>(
          await as.rep('POST', `/api/v1/opportunities/${none.id}/close`, {
            version: none.version,
            outcome: 'lost',
            reason: 'budget_cut',
            competitor: 'none',
          }),
        ).closeCompetitor,
        'none',
      );
      assert.equal(
        (
          await as.otherAdmin('POST', `/api/v1/opportunities/${none.id}/close`, {
            version: 1,
            outcome: 'abandoned',
            reason: 'other',
            competitor: 'none',
          })
        ).statusCode,
        404,
      );
    });

    it('lets a manager reopen, back at the stage it was in, with a reason', async () => {
      const opportunity = await create();
      const lost = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
          version: opportunity.version,
          outcome: 'lost',
          reason: 'relationship',
          competitor: 'ABB',
        }),
      );
      assert.equal(
        (
          await as.rep2('POST', `/api/v1/opportunities/${opportunity.id}/reopen`, {
            version: lost.version,
            reason: '客户重启',
          })
        ).statusCode,
        404,
        'out of sight',
      );
      assert.equal(
        fieldOf(await as.manager('POST', `/api/v1/opportunities/${opportunity.id}/reopen`, { version: lost.version })),
        'reason',
      );
      const res = await as.manager('POST', `/api/v1/opportunities/${opportunity.id}/reopen`, {
        version: lost.version,
        reason: '客户重新启动采购',
      });
      assert.equal(res.statusCode, 200, res.body);
      const open = json<Opp>(res);
      assert.deepEqual(
        [open.status, open.stageId, open.closedAt, open.closeReason, open.closeCompetitor],
        ['open', stageIds[1], null, null, null],
      );
      assert.equal(
        (
          await as.manager('POST', `/api/v1/opportunities/${opportunity.id}/reopen`, {
            version: open.version,
            reason: 'again',
          })
        ).statusCode,
        409,
        'already open',
      );

      const winning = await create(2);
      const won = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${winning.id}/close`, {
          version: winning.version,
          outcome: 'won',
          contractAmount: 5,
          evidence: await evidenceOf(stages.slice(2, 3)),
        }),
      );
      const back = json<Opp>(
        await as.admin('POST', `/api/v1/opportunities/${winning.id}/reopen`, {
          version: won.version,
          reason: '合同作废',
        }),
      );
      assert.deepEqual(
        [back.status, back.stageId, back.contractAmount],
        ['open', stageIds[2], null],
        'a won one goes back to the stage before won',
      );
      const history = json<{ items: { stageId: number; leftAt: number | null }[] }>(
        await as.rep('GET', `/api/v1/opportunities/${winning.id}/stage-history`),
      ).items;
      assert.deepEqual(
        history.map((h) => [h.stageId, h.leftAt === null]),
        [
          [stageIds[0], false],
          [stageIds[2], false],
          [stageIds[3], false],
          [stageIds[2], true],
        ],
      );
    });

    it('keeps the audit trail: owner and team by name, stage, amount, status with reasons, newest first', async () => {
      const opportunity = await create(2, 90_000_00);
      await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
        userId: fixture.users.presales.id,
        teamRole: 'presales',
      });
      const patched = await as.manager('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
        version: opportunity.version,
        ownerId: fixture.users.manager.id,
        ownerReason: '转给经理跟进',
      });
      assert.equal(patched.statusCode, 200, patched.body);
      const moved = json<Opp>(patched);
      // The manager closes it on their own word: an override, with the note as its reason.
      const closed = await as.manager('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
        version: moved.version,
        outcome: 'won',
        contractAmount: 88_000_00,
        override: true,
        note: '合同原件已在法务归档',
      });
      assert.equal(closed.statusCode, 200, closed.body);
      const res = await as.rep2('GET', `/api/v1/opportunities/${opportunity.id}/history`);
      assert.equal(res.statusCode, 404, 'only those who see the opportunity see its history');
      assert.equal((await as.otherAdmin('GET', `/api/v1/opportunities/${opportunity.id}/history`)).statusCode, 404);
      const items = json<{ items: HistoryItem[] }>(
        await as.manager('GET', `/api/v1/opportunities/${opportunity.id}/history`),
      ).items;
      const by = (field: string) => items.filter((i) => i.field === field);
      assert.deepEqual(
        by('owner').map((i) => [i.oldLabel, i.newLabel, i.reason]),
        [
          [`rep team`, `manager team`, '转给经理跟进'],
          [null, 'rep team', 'creator'],
        ],
      );
      assert.deepEqual(
        by('team').map((i) => [i.newLabel, i.reason]),
        [['presales team', 'presales']],
      );
      assert.deepEqual(
        by('status').map((i) => [i.oldValue, i.newValue, i.actorName]),
        [['open', 'won', 'manager team']],
      );
      assert.deepEqual(
        by('amount').map((i) => [i.oldValue, i.newValue]),
        [
          ['9000000', '8800000'],
          [null, '9000000'],
        ],
      );
      assert.deepEqual(
        by('stage').map((i) => [i.oldValue, i.newValue]),
        [
          ['谈判', '成交'],
          ['意向', '谈判'],
        ],
        'entering at 谈判 is in the trail as the move it is',
      );
      assert.equal(
        items[0]!.field === 'status' || items[0]!.field === 'stage' || items[0]!.field === 'amount',
        true,
        'newest first',
      );
      assert.ok(items.every((i, k) => k === 0 || items[k - 1]!.createdAt >= i.createdAt));
    });

    /** A rep opportunity at Proposal with presales and rep2 on its team (neither owns it). */
    const withTeam = async (amount?: number) => {
      const opportunity = await create(1, amount);
      await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
        userId: fixture.users.presales.id,
        teamRole: 'presales',
      });
      return json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
          userId: fixture.users.rep2.id,
          teamRole: 'consultant',
        }),
      );
    };
    const rights = async (call: Call, id: number) =>
      json<{ permissions: Record<string, boolean> }>(await call('GET', `/api/v1/opportunities/${id}`)).permissions;
    const stateOf = async (id: number) => ({
      row: await testApp.db.kysely
        .selectFrom('opportunities')
        .select([
          'status',
          'stage_id',
          'amount',
          'expected_close_date',
          'forecast_category',
          'owner_id',
          'name',
          'lead_source',
          'version',
        ])
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
      team: await testApp.db.kysely
        .selectFrom('opportunity_team')
        .select(['user_id', 'team_role'])
        .where('opportunity_id', '=', id)
        .orderBy('id')
        .execute(),
      history: (
        await testApp.db.kysely
          .selectFrom('opportunity_stage_history')
          .select('id')
          .where('opportunity_id', '=', id)
          .execute()
      ).length,
    });

    it('answers what each one may do: the owner and a manager lead, the rest of the team contributes, an executive reads', async () => {
      const opportunity = await withTeam(990_000_00); // the largest card of its column, so the board shows it
      assert.deepEqual(await rights(as.rep, opportunity.id), { edit: true, contribute: true, manage: false });
      assert.deepEqual(await rights(as.manager, opportunity.id), { edit: true, contribute: true, manage: true });
      assert.deepEqual(await rights(as.admin, opportunity.id), { edit: true, contribute: true, manage: true });
      assert.deepEqual(await rights(as.presales, opportunity.id), { edit: false, contribute: true, manage: false });
      assert.deepEqual(await rights(as.rep2, opportunity.id), { edit: false, contribute: true, manage: false });
      const insight = json<{ permissions: Record<string, boolean> }>(
        await as.presales('GET', `/api/v1/opportunities/${opportunity.id}/insight`),
      );
      assert.deepEqual(
        insight.permissions,
        { edit: false, contribute: true, manage: false },
        'the insight view answers the same',
      );
      // The board tells whose cards may be dragged: the team member's view of the owner's card says no.
      const card = async (call: Call) => {
        const board = json<{ columns: { cards: { id: number; permissions: { edit: boolean } }[] }[] }>(
          await call('GET', `/api/v1/opportunities/board?processId=${fixture.processes.small.id}`),
        );
        return board.columns.flatMap((c) => c.cards).find((c) => c.id === opportunity.id)!.permissions.edit;
      };
      assert.deepEqual(
        [await card(as.rep), await card(as.presales), await card(as.rep2), await card(as.manager)],
        [true, false, false, true],
      );
    });

    for (const member of ['presales', 'rep2'] as const) {
      it(`refuses a team member who does not own it (${member}) the deal's figures, stage moves, closing, reopening and the team — nothing changes`, async () => {
        const opportunity = await withTeam();
        const call = as[member];
        const before = await stateOf(opportunity.id);
        const url = `/api/v1/opportunities/${opportunity.id}`;
        const refused: [string, 'POST' | 'PATCH' | 'DELETE', string, unknown][] = [
          ['amount', 'PATCH', url, { version: opportunity.version, amount: 1 }],
          ['close date', 'PATCH', url, { version: opportunity.version, expectedCloseDate: '2027-12-31' }],
          ['forecast', 'PATCH', url, { version: opportunity.version, forecastCategory: 'commit' }],
          [
            'owner',
            'PATCH',
            url,
            { version: opportunity.version, ownerId: fixture.users[member].id, ownerReason: 'mine' },
          ],
          ['name', 'PATCH', url, { version: opportunity.version, name: '改名' }],
          [
            'stage move',
            'POST',
            `${url}/stage`,
            { version: opportunity.version, stageId: stageIds[2], evidence: await evidenceOf(stages.slice(1, 2)) },
          ],
          [
            'stage move back',
            'POST',
            `${url}/stage`,
            { version: opportunity.version, stageId: stageIds[0], evidence: [], reason: '退回' },
          ],
          [
            'close lost',
            'POST',
            `${url}/close`,
            { version: opportunity.version, outcome: 'lost', reason: 'price', competitor: '西门子' },
          ],
          ['close won', 'POST', `${url}/close`, { version: opportunity.version, outcome: 'won', contractAmount: 1 }],
          ['add a member', 'POST', `${url}/team`, { userId: fixture.users.manager.id, teamRole: 'executive_sponsor' }],
          [
            'remove another member',
            'DELETE',
            `${url}/team/${opportunity.team.find((m) => m.userId !== fixture.users[member].id && m.teamRole !== 'sales_lead')!.id}`,
            undefined,
          ],
          ['pipeline review', 'POST', `${url}/reviews`, { completedStep: '方案', nextAction: '报价' }],
        ];
        for (const [what, method, path, body] of refused) {
          const res = await call(method, path, body);
          assert.equal(res.statusCode, 403, `${what}: ${res.body}`);
        }
        assert.equal(
          fieldOf(await call('PATCH', url, { version: opportunity.version, amount: 1 })),
          'amount',
          'the refusal names the field',
        );
        assert.deepEqual(await stateOf(opportunity.id), before, 'nothing changed');
        // The owner closes; the member still cannot reopen it.
        const lost = json<Opp>(
          await as.rep('POST', `${url}/close`, {
            version: opportunity.version,
            outcome: 'lost',
            reason: 'price',
            competitor: '西门子',
          }),
        );
        assert.equal(
          (await call('POST', `${url}/reopen`, { version: lost.version, reason: '客户重启' })).statusCode,
          403,
        );
        assert.equal((await get(as.rep, opportunity.id)).status, 'lost');
      });
    }

    it('lets the team contribute the analysis, and a member leave the team', async () => {
      const opportunity = await withTeam();
      const url = `/api/v1/opportunities/${opportunity.id}`;
      const phase = await as.presales('PATCH', url, {
        version: opportunity.version,
        buyingPhase: 'criteria',
        nextStep: '技术交流',
        nextStepDate: '2027-01-10',
        description: '产线视觉检测',
      });
      assert.equal(phase.statusCode, 200, phase.body);
      // A whole form sent back unchanged carries the figures too: unchanged, they are no change.
      const same = await as.presales('PATCH', url, {
        version: json<Opp>(phase).version,
        amount: opportunity.amount,
        products: ['视觉工作站'],
      });
      assert.equal(same.statusCode, 200, same.body);
      let version = json<Opp>(same).version;
      const qual = await as.presales('PUT', `${url}/qualification`, {
        version: version,
        facts: { pain: { answer: 'yes', note: '良率低' } },
      });
      assert.equal(qual.statusCode, 200, qual.body);
      version = json<Opp>(qual).version;
      const swot = await as.rep2('PUT', `${url}/analysis`, {
        version: version,
        swot: { strengths: ['本地服务'], weaknesses: [], opportunities: [], threats: [] },
        competitors: [{ name: '康耐视', strengths: '品牌', weaknesses: '价格', status: 'close' }],
      });
      assert.equal(swot.statusCode, 200, swot.body);
      version = json<Opp>(swot).version;
      const strategy = await as.presales('PUT', `${url}/strategy`, {
        version: version,
        answers: { urgentNeed: true, canDeliver: true, incumbent: true },
      });
      assert.equal(strategy.statusCode, 200, strategy.body);
      // A member's uploaded file is evidence the owner may use for the move.
      const file = await upload(as.presales);
      const current = await get(as.rep, opportunity.id);
      const proposal = stages[1]!;
      const move = await as.rep('POST', `${url}/stage`, {
        version: current.version,
        stageId: stageIds[2],
        evidence: proposal.evidence.map((evidenceItem) => ({
          stageId: proposal.id,
          key: evidenceItem.key,
          note: evidenceItem.requires === 'note' ? '客户认可' : null,
          attachmentId: evidenceItem.requires === 'attachment' ? file : null,
        })),
      });
      assert.equal(move.statusCode, 200, move.body);
      // Leaving: presales removes their own seat and loses sight of the deal.
      const seat = json<Opp>(move).team.find((m) => m.userId === fixture.users.presales.id)!;
      const left = await as.presales('DELETE', `${url}/team/${seat.id}`);
      assert.equal(left.statusCode, 204, left.body);
      assert.deepEqual(
        (await get(as.rep, opportunity.id)).team.map((m) => m.userId),
        [fixture.users.rep.id, fixture.users.rep2.id],
      );
      assert.equal((await as.presales('GET', url)).statusCode, 404);
    });

    it('lets the owner reopen their own closed deal, with a reason logged as now', async () => {
      const opportunity = await create();
      const lost = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
          version: opportunity.version,
          outcome: 'lost',
          reason: 'relationship',
          competitor: 'ABB',
        }),
      );
      assert.deepEqual(await rights(as.rep, opportunity.id), { edit: true, contribute: true, manage: false });
      assert.equal(
        fieldOf(await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/reopen`, { version: lost.version })),
        'reason',
      );
      const before = Date.now();
      const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/reopen`, {
        version: lost.version,
        reason: '客户预算恢复，重新启动',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual([json<Opp>(res).status, json<Opp>(res).stageId], ['open', stageIds[1]]);
      const trail = json<{ items: HistoryItem[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/history`),
      ).items;
      const reopened = trail.find((i) => i.field === 'status' && i.newValue === 'open')!;
      assert.deepEqual(
        [reopened.oldValue, reopened.reason, reopened.actorName],
        ['lost', '客户预算恢复，重新启动', 'rep team'],
      );
      assert.ok(reopened.createdAt >= before, 'logged when it happened');
    });
  });
}
