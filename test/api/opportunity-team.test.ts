import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { client, createTestApp, json, seedExtras, seedWorkspace, sessionCookie, type Call, type Extras, type Fixture, type TestApp } from '../helpers/app.ts';

interface Member { id: number; userId: number; userName: string; teamRole: string }
interface Opp {
  id: number; version: number; status: string; stageId: number; stageName: string; amount: number; ownerId: number; closedAt: number | null;
  closeReason: string | null; closeCompetitor: string | null; contractAmount: number | null; team: Member[]; suggestedRoles: string[];
}
interface HistoryItem { field: string; oldValue: string | null; newValue: string | null; oldLabel: string | null; newLabel: string | null; reason: string | null; actorName: string | null; createdAt: number }
type Problem = { status: number; code: string; errors?: { field: string; message: string }[] };
const fieldOf = (res: { json(): unknown }) => (res.json() as Problem).errors?.[0]?.field;

for (const engine of testEngines()) {
  describe(`opportunity team, closing and audit trail (SPEC §5.2, §5.7) [${engine}]`, () => {
    let t: TestApp;
    let f: Fixture & Extras;
    let other: Fixture & Extras;
    let stageIds: number[];
    let as: Record<'admin' | 'manager' | 'rep' | 'rep2' | 'presales' | 'otherAdmin', Call>;
    before(async () => {
      t = await createTestApp(engine);
      const base = await seedWorkspace(t, 'team');
      f = { ...base, ...(await seedExtras(t, base)) };
      const ob = await seedWorkspace(t, 'team-other');
      other = { ...ob, ...(await seedExtras(t, ob)) };
      stageIds = f.processes.small.stageIds;
      as = {
        admin: client(t, await sessionCookie(t, f.workspaceId, f.users.admin.id)),
        manager: client(t, await sessionCookie(t, f.workspaceId, f.users.manager.id)),
        rep: client(t, await sessionCookie(t, f.workspaceId, f.users.rep.id)),
        rep2: client(t, await sessionCookie(t, f.workspaceId, f.users.rep2.id)),
        presales: client(t, await sessionCookie(t, f.workspaceId, f.users.presales.id)),
        otherAdmin: client(t, await sessionCookie(t, other.workspaceId, other.users.admin.id)),
      };
    });
    after(() => t.close());

    /** A fresh rep opportunity in the small process at the Proposal stage (roles: sales lead, presales). */
    const create = async (stage = 1, amount = 120_000_00) => json<Opp>(await as.rep('POST', '/api/v1/opportunities', {
      accountId: f.accounts.repAccount, name: `团队测试 ${Math.random()}`, processId: f.processes.small.id, stageId: stageIds[stage], amount, expectedCloseDate: '2027-02-28',
    }));
    const get = async (call: Call, id: number) => json<Opp>(await call('GET', `/api/v1/opportunities/${id}`));

    it('suggests the current stage\'s roles nobody holds yet, and adds people from any unit', async () => {
      const o = await create();
      assert.deepEqual(o.suggestedRoles, ['presales'], 'sales lead is the owner; presales is missing');
      // rep2 sits in Guangzhou, outside the rep's branch: the team may still include them.
      const res = await as.rep('POST', `/api/v1/opportunities/${o.id}/team`, { userId: f.users.presales.id, teamRole: 'presales' });
      assert.equal(res.statusCode, 200, res.body);
      const withPresales = json<Opp>(res);
      assert.deepEqual(withPresales.team.map((m) => [m.userId, m.teamRole]), [[f.users.rep.id, 'sales_lead'], [f.users.presales.id, 'presales']]);
      assert.deepEqual(withPresales.suggestedRoles, []);
      const sponsor = json<Opp>(await as.rep('POST', `/api/v1/opportunities/${o.id}/team`, { userId: f.users.rep2.id, teamRole: 'executive_sponsor' }));
      assert.equal(sponsor.team.length, 3);
      // Joining the team makes the opportunity visible to them (SPEC §2).
      assert.equal((await as.presales('GET', `/api/v1/opportunities/${o.id}`)).statusCode, 200);
      assert.equal((await as.rep2('GET', `/api/v1/opportunities/${o.id}`)).statusCode, 200);
    });

    it('refuses duplicates, inactive or foreign users, a second sales lead, and outsiders', async () => {
      const o = await create();
      const dup = await as.rep('POST', `/api/v1/opportunities/${o.id}/team`, { userId: f.users.rep.id, teamRole: 'consultant' });
      assert.equal(dup.statusCode, 409);
      assert.equal(json<Problem>(dup).code, 'duplicate_member');
      assert.equal(fieldOf(dup), 'userId');
      assert.equal(fieldOf(await as.rep('POST', `/api/v1/opportunities/${o.id}/team`, { userId: other.users.rep.id, teamRole: 'consultant' })), 'userId', 'a user of another workspace');
      await t.db.kysely.updateTable('users').set({ active: 0 }).where('id', '=', f.users.auditor.id).execute();
      assert.equal(fieldOf(await as.rep('POST', `/api/v1/opportunities/${o.id}/team`, { userId: f.users.auditor.id, teamRole: 'consultant' })), 'userId', 'an inactive user');
      assert.equal(fieldOf(await as.rep('POST', `/api/v1/opportunities/${o.id}/team`, { userId: f.users.finance.id, teamRole: 'sales_lead' })), 'teamRole');
      assert.equal(fieldOf(await as.rep('POST', `/api/v1/opportunities/${o.id}/team`, { userId: f.users.finance.id, teamRole: 'boss' })), 'teamRole');
      assert.equal((await as.rep2('POST', `/api/v1/opportunities/${o.id}/team`, { userId: f.users.rep2.id, teamRole: 'consultant' })).statusCode, 404, 'rep2 cannot see it');
      assert.equal((await as.otherAdmin('POST', `/api/v1/opportunities/${o.id}/team`, { userId: other.users.rep.id, teamRole: 'consultant' })).statusCode, 404);
      assert.equal((await get(as.rep, o.id)).team.length, 1, 'nothing was added');
      const both = await Promise.all([as.rep, as.manager].map((call) => call('POST', `/api/v1/opportunities/${o.id}/team`, { userId: f.users.presales.id, teamRole: 'presales' })));
      assert.deepEqual(both.map((r) => r.statusCode).sort(), [200, 409], 'two simultaneous adds of the same person: one wins');
      assert.equal((await get(as.rep, o.id)).team.length, 2);
    });

    it('removes members but never the owner\'s sales-lead seat; a member of another opportunity is 404', async () => {
      const o = await create();
      const added = json<Opp>(await as.rep('POST', `/api/v1/opportunities/${o.id}/team`, { userId: f.users.presales.id, teamRole: 'presales' }));
      const lead = added.team.find((m) => m.teamRole === 'sales_lead')!;
      const seat = await as.manager('DELETE', `/api/v1/opportunities/${o.id}/team/${lead.id}`);
      assert.equal(seat.statusCode, 409);
      assert.equal(json<Problem>(seat).code, 'owner_seat');
      const foreign = (await get(as.rep, f.opportunities.repOpp)).team[0]!;
      assert.equal((await as.rep('DELETE', `/api/v1/opportunities/${o.id}/team/${foreign.id}`)).statusCode, 404);
      const presales = added.team.find((m) => m.teamRole === 'presales')!;
      assert.equal((await as.otherAdmin('DELETE', `/api/v1/opportunities/${o.id}/team/${presales.id}`)).statusCode, 404);
      const res = await as.rep('DELETE', `/api/v1/opportunities/${o.id}/team/${presales.id}`);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(json<Opp>(res).team.map((m) => m.teamRole), ['sales_lead']);
      assert.deepEqual(json<Opp>(res).suggestedRoles, ['presales']);
      assert.equal((await as.presales('GET', `/api/v1/opportunities/${o.id}`)).statusCode, 404, 'off the team, out of sight');
    });

    it('closes as won only with a positive contract amount, at the won stage, with the stage history closed', async () => {
      const o = await create(2);
      for (const contractAmount of [undefined, 0, -5]) {
        const res = await as.rep('POST', `/api/v1/opportunities/${o.id}/close`, { version: o.version, outcome: 'won', ...(contractAmount === undefined ? {} : { contractAmount }) });
        assert.equal(res.statusCode, 400, String(contractAmount));
        assert.equal(fieldOf(res), 'contractAmount');
      }
      assert.equal((await as.rep('POST', `/api/v1/opportunities/${o.id}/close`, { version: o.version + 1, outcome: 'won', contractAmount: 1 })).statusCode, 409, 'stale version');
      const res = await as.rep('POST', `/api/v1/opportunities/${o.id}/close`, { version: o.version, outcome: 'won', contractAmount: 118_500_00, note: '年底签约' });
      assert.equal(res.statusCode, 200, res.body);
      const won = json<Opp>(res);
      assert.equal(won.status, 'won');
      assert.equal(won.stageId, stageIds[3]);
      assert.equal(won.contractAmount, 118_500_00);
      assert.equal(won.amount, 118_500_00);
      assert.ok(won.closedAt !== null);
      const history = json<{ items: { stageId: number; leftAt: number | null; exitDirection: string | null; exitReason: string | null }[] }>(await as.rep('GET', `/api/v1/opportunities/${o.id}/stage-history`)).items;
      assert.deepEqual(history.map((h) => [h.stageId, h.exitDirection, h.leftAt !== null]), [[stageIds[2], 'forward', true], [stageIds[3], 'closed', true]]);
      assert.equal(history[0]!.exitReason, '年底签约');
      assert.equal((await as.rep('POST', `/api/v1/opportunities/${o.id}/close`, { version: won.version, outcome: 'lost', reason: 'price', competitor: 'X' })).statusCode, 409, 'already closed');
    });

    it('closes as lost only with a reason and the competitor, as abandoned with a reason', async () => {
      const o = await create();
      const noReason = await as.rep('POST', `/api/v1/opportunities/${o.id}/close`, { version: o.version, outcome: 'lost', competitor: '西门子' });
      assert.equal(fieldOf(noReason), 'reason');
      const noCompetitor = await as.rep('POST', `/api/v1/opportunities/${o.id}/close`, { version: o.version, outcome: 'lost', reason: 'price' });
      assert.equal(fieldOf(noCompetitor), 'competitor');
      assert.equal(fieldOf(await as.rep('POST', `/api/v1/opportunities/${o.id}/close`, { version: o.version, outcome: 'lost', reason: 'moon_phase', competitor: 'x' })), 'reason');
      assert.equal(fieldOf(await as.rep('POST', `/api/v1/opportunities/${o.id}/close`, { version: o.version, outcome: 'lost', reason: 'price', competitor: '  ' })), 'competitor');
      assert.equal((await get(as.rep, o.id)).status, 'open', 'nothing saved');
      const lost = json<Opp>(await as.rep('POST', `/api/v1/opportunities/${o.id}/close`, { version: o.version, outcome: 'lost', reason: 'price', competitor: '西门子' }));
      assert.deepEqual([lost.status, lost.closeReason, lost.closeCompetitor, lost.stageId], ['lost', 'price', '西门子', stageIds[1]]);
      assert.equal((await as.rep('PATCH', `/api/v1/opportunities/${o.id}`, { version: lost.version, amount: 1 })).statusCode, 409, 'a closed opportunity is not edited');

      const a = await create();
      assert.equal(fieldOf(await as.rep('POST', `/api/v1/opportunities/${a.id}/close`, { version: a.version, outcome: 'abandoned' })), 'reason');
      const abandoned = json<Opp>(await as.rep('POST', `/api/v1/opportunities/${a.id}/close`, { version: a.version, outcome: 'abandoned', reason: 'no_decision' }));
      assert.deepEqual([abandoned.status, abandoned.closeReason, abandoned.closeCompetitor], ['abandoned', 'no_decision', null]);
      const none = await create();
      assert.equal(json<Opp>(await as.rep('POST', `/api/v1/opportunities/${none.id}/close`, { version: none.version, outcome: 'lost', reason: 'budget_cut', competitor: 'none' })).closeCompetitor, 'none');
      assert.equal((await as.otherAdmin('POST', `/api/v1/opportunities/${none.id}/close`, { version: 1, outcome: 'abandoned', reason: 'other' })).statusCode, 404);
    });

    it('lets only managers reopen, back at the stage it was in, with a reason', async () => {
      const o = await create();
      const lost = json<Opp>(await as.rep('POST', `/api/v1/opportunities/${o.id}/close`, { version: o.version, outcome: 'lost', reason: 'relationship', competitor: 'ABB' }));
      assert.equal((await as.rep('POST', `/api/v1/opportunities/${o.id}/reopen`, { version: lost.version, reason: '客户重启' })).statusCode, 403);
      assert.equal(fieldOf(await as.manager('POST', `/api/v1/opportunities/${o.id}/reopen`, { version: lost.version })), 'reason');
      const res = await as.manager('POST', `/api/v1/opportunities/${o.id}/reopen`, { version: lost.version, reason: '客户重新启动采购' });
      assert.equal(res.statusCode, 200, res.body);
      const open = json<Opp>(res);
      assert.deepEqual([open.status, open.stageId, open.closedAt, open.closeReason, open.closeCompetitor], ['open', stageIds[1], null, null, null]);
      assert.equal((await as.manager('POST', `/api/v1/opportunities/${o.id}/reopen`, { version: open.version, reason: 'again' })).statusCode, 409, 'already open');

      const w = await create(2);
      const won = json<Opp>(await as.rep('POST', `/api/v1/opportunities/${w.id}/close`, { version: w.version, outcome: 'won', contractAmount: 5 }));
      const back = json<Opp>(await as.admin('POST', `/api/v1/opportunities/${w.id}/reopen`, { version: won.version, reason: '合同作废' }));
      assert.deepEqual([back.status, back.stageId, back.contractAmount], ['open', stageIds[2], null], 'a won one goes back to the stage before won');
      const history = json<{ items: { stageId: number; leftAt: number | null }[] }>(await as.rep('GET', `/api/v1/opportunities/${w.id}/stage-history`)).items;
      assert.deepEqual(history.map((h) => [h.stageId, h.leftAt === null]), [[stageIds[2], false], [stageIds[3], false], [stageIds[2], true]]);
    });

    it('keeps the audit trail: owner and team by name, stage, amount, status with reasons, newest first', async () => {
      const o = await create(2, 90_000_00);
      await as.rep('POST', `/api/v1/opportunities/${o.id}/team`, { userId: f.users.presales.id, teamRole: 'presales' });
      const patched = await as.manager('PATCH', `/api/v1/opportunities/${o.id}`, { version: o.version, ownerId: f.users.manager.id, ownerReason: '转给经理跟进' });
      assert.equal(patched.statusCode, 200, patched.body);
      const moved = json<Opp>(patched);
      await as.manager('POST', `/api/v1/opportunities/${o.id}/close`, { version: moved.version, outcome: 'won', contractAmount: 88_000_00 });
      const res = await as.rep2('GET', `/api/v1/opportunities/${o.id}/history`);
      assert.equal(res.statusCode, 404, 'only those who see the opportunity see its history');
      assert.equal((await as.otherAdmin('GET', `/api/v1/opportunities/${o.id}/history`)).statusCode, 404);
      const items = json<{ items: HistoryItem[] }>(await as.manager('GET', `/api/v1/opportunities/${o.id}/history`)).items;
      const by = (field: string) => items.filter((i) => i.field === field);
      assert.deepEqual(by('owner').map((i) => [i.oldLabel, i.newLabel, i.reason]), [[`rep team`, `manager team`, '转给经理跟进'], [null, 'rep team', 'creator']]);
      assert.deepEqual(by('team').map((i) => [i.newLabel, i.reason]), [['presales team', 'presales']]);
      assert.deepEqual(by('status').map((i) => [i.oldValue, i.newValue, i.actorName]), [['open', 'won', 'manager team']]);
      assert.deepEqual(by('amount').map((i) => [i.oldValue, i.newValue]), [['9000000', '8800000'], [null, '9000000']]);
      assert.deepEqual(by('stage').map((i) => [i.oldValue, i.newValue]), [['谈判', '成交']]);
      assert.equal(items[0]!.field === 'status' || items[0]!.field === 'stage' || items[0]!.field === 'amount', true, 'newest first');
      assert.ok(items.every((i, k) => k === 0 || items[k - 1]!.createdAt >= i.createdAt));
    });
  });
}
