import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json, type Call } from '../helpers/app.ts';
import { opportunityWorld, type OpportunityWorld } from '../helpers/opportunity-world.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { OpportunityDetail as Opp } from '../../src/contracts/opportunities.ts';

const fieldOf = (res: { json(): unknown }) => (res.json() as Problem).errors?.[0]?.field;

for (const engine of testEngines()) {
  describe(`opportunity team and what each member may do (docs/sales-process.md § The opportunity, §5.7) [${engine}]`, () => {
    let testApp: OpportunityWorld['testApp'];
    let fixture: OpportunityWorld['fixture'];
    let other: OpportunityWorld['other'];
    let stageIds: OpportunityWorld['stageIds'];
    let stages: OpportunityWorld['stages'];
    let as: OpportunityWorld['as'];
    let upload: OpportunityWorld['upload'];
    let evidenceOf: OpportunityWorld['evidenceOf'];
    let create: OpportunityWorld['create'];
    let get: OpportunityWorld['get'];
    let rights: OpportunityWorld['rights'];
    before(async () => {
      ({ testApp, fixture, other, stageIds, stages, as, upload, evidenceOf, create, get, rights } =
        await opportunityWorld(engine));
    });
    after(() => testApp.close());

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
  });
}
