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

/** Evidence gathered for the current stage as it is collected, before the move (docs/sales-process.md "what is done is seen"). */
import type { Problem } from '../../src/contracts/common.ts';
import type { OpportunityDetail as Opp } from '../../src/contracts/opportunities.ts';
import type { TimelinePage } from '../../src/contracts/timeline.ts';
const fieldOf = (res: Parameters<typeof json>[0]) => json<Problem>(res).errors?.[0]?.field;

for (const engine of testEngines()) {
  describe(`stage evidence gathered before the move [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    let stageIds: number[];
    let as: Record<'manager' | 'rep' | 'rep2' | 'presales', Call>;
    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'evidence');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
      stageIds = fixture.processes.small.stageIds;
      as = {
        manager: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id)),
        rep: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id)),
        rep2: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep2.id)),
        presales: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.presales.id)),
      };
    });
    after(() => testApp.close());

    const upload = async (call: Call) =>
      json<{ id: number }>(
        await call('POST', '/api/v1/attachments?fileName=poc.pdf', Buffer.from('%PDF-1.4 poc'), {
          'content-type': 'application/pdf',
        }),
      ).id;
    const get = async (call: Call, id: number) => json<Opp>(await call('GET', `/api/v1/opportunities/${id}`));
    const save = (call: Call, item: { id: number; version: number }, evidence: unknown[]) =>
      call('PUT', `/api/v1/opportunities/${item.id}/evidence`, { version: item.version, evidence });
    /** A fresh rep opportunity at 意向 (need_confirmed: note, budget_known: check) with presales on the team. */
    const withPresales = async () => {
      const opportunity = json<Opp>(
        await as.rep('POST', '/api/v1/opportunities', {
          accountId: fixture.accounts.repAccount,
          name: `证据 ${Math.random()}`,
          processId: fixture.processes.small.id,
          amount: 90_000_00,
          expectedCloseDate: '2027-03-31',
        }),
      );
      const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/team`, {
        userId: fixture.users.presales.id,
        teamRole: 'presales',
      });
      assert.equal(res.statusCode, 200, res.body);
      return json<Opp>(res);
    };

    it('a presales engineer on the team records an item with its note; the owner sees 1/2', async () => {
      const opportunity = await withPresales();
      assert.deepEqual([opportunity.evidence, opportunity.evidenceStatus], [[], { given: 0, required: 2 }]);
      const res = await save(as.presales, opportunity, [
        { stageId: stageIds[0], key: 'need_confirmed', note: '  客户 CIO 确认了产线良率问题  ' },
      ]);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(json<Opp>(res).version, opportunity.version + 1);
      const seen = await get(as.rep, opportunity.id);
      assert.deepEqual(seen.evidence, [
        { stageId: stageIds[0], key: 'need_confirmed', note: '客户 CIO 确认了产线良率问题', attachmentId: null },
      ]);
      assert.deepEqual(seen.evidenceStatus, { given: 1, required: 2 });
      // The list and the board carry the same status (no extra query per card).
      const listed = json<{ items: Opp[] }>(
        await as.rep('GET', `/api/v1/opportunities?q=${encodeURIComponent('证据')}&limit=100`),
      ).items.find((x) => x.id === opportunity.id)!;
      assert.deepEqual(listed.evidenceStatus, { given: 1, required: 2 });
      const board = json<{ columns: { cards: Opp[] }[] }>(
        await as.rep('GET', `/api/v1/opportunities/board?processId=${fixture.processes.small.id}`),
      );
      assert.deepEqual(board.columns[0]!.cards.find((c) => c.id === opportunity.id)!.evidenceStatus, {
        given: 1,
        required: 2,
      });
    });

    it('refuses what the current stage does not ask for, or without its note or file, naming the field', async () => {
      const opportunity = await withPresales();
      const cases: [unknown[], string][] = [
        [
          [
            { stageId: stageIds[0], key: 'budget_known' },
            { stageId: stageIds[0], key: 'no_such_item' },
          ],
          'evidence.1.key',
        ],
        [[{ stageId: stageIds[1], key: 'proposal_sent', attachmentId: 1 }], 'evidence.0.stageId'],
        [
          [
            { stageId: stageIds[0], key: 'budget_known' },
            { stageId: stageIds[0], key: 'budget_known' },
          ],
          'evidence.1.key',
        ],
        [[{ stageId: stageIds[0], key: 'need_confirmed', note: '   ' }], 'evidence.0.note'],
      ];
      for (const [evidence, field] of cases) {
        const res = await save(as.presales, opportunity, evidence);
        assert.equal(res.statusCode, 400, `${JSON.stringify(evidence)} → ${res.body}`);
        assert.equal(fieldOf(res), field);
      }
      assert.deepEqual((await get(as.rep, opportunity.id)).evidenceStatus, { given: 0, required: 2 }, 'nothing saved');
    });

    it("an attachment item needs a file, from someone who can see the deal; the file becomes the opportunity's", async () => {
      // At 方案: proposal_sent needs a file, proposal_accepted a note.
      const o0 = await withPresales();
      const moved = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${o0.id}/stage`, {
          version: o0.version,
          stageId: stageIds[1],
          evidence: [
            { stageId: stageIds[0], key: 'need_confirmed', note: '已确认' },
            { stageId: stageIds[0], key: 'budget_known' },
          ],
        }),
      );
      assert.equal(moved.stageId, stageIds[1]);
      const noFile = await save(as.presales, moved, [{ stageId: stageIds[1], key: 'proposal_sent' }]);
      assert.equal(noFile.statusCode, 400, noFile.body);
      assert.equal(fieldOf(noFile), 'evidence.0.attachmentId');
      const outsiders = await upload(as.rep2);
      const foreign = await save(as.presales, moved, [
        { stageId: stageIds[1], key: 'proposal_sent', attachmentId: outsiders },
      ]);
      assert.equal(foreign.statusCode, 400, 'a file uploaded by someone who cannot see the deal');
      const file = await upload(as.presales);
      const ok = await save(as.presales, moved, [{ stageId: stageIds[1], key: 'proposal_sent', attachmentId: file }]);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(json<Opp>(ok).evidenceStatus, { given: 1, required: 2 });
      // The owner downloads the engineer's file, and it is among the opportunity's files.
      assert.equal((await as.rep('GET', `/api/v1/attachments/${file}`)).statusCode, 200);
      const files = json<{ items: { id: number }[] }>(
        await as.rep('GET', `/api/v1/opportunities/${o0.id}/attachments`),
      ).items;
      assert.ok(files.some((x) => x.id === file));
    });

    it('is version-checked, for the team only, and not on a closed deal', async () => {
      const opportunity = await withPresales();
      const first = await save(as.presales, opportunity, [{ stageId: stageIds[0], key: 'budget_known' }]);
      assert.equal(first.statusCode, 200, first.body);
      const stale = await save(as.rep, opportunity, [
        { stageId: stageIds[0], key: 'budget_known' },
        { stageId: stageIds[0], key: 'need_confirmed', note: 'x' },
      ]);
      assert.equal(stale.statusCode, 409);
      assert.equal(json<Problem>(stale).code, 'version_conflict');
      assert.equal((await save(as.rep2, opportunity, [])).statusCode, 404, 'an outsider does not even see it');
      // A manager above the owner contributes too.
      const current = await get(as.rep, opportunity.id);
      const byManager = await save(as.manager, current, []);
      assert.equal(byManager.statusCode, 200, byManager.body);
      assert.deepEqual(json<Opp>(byManager).evidenceStatus, { given: 0, required: 2 });
      const left = await get(as.rep, opportunity.id);
      const closed = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/close`, {
          version: left.version,
          outcome: 'abandoned',
          reason: 'no_decision',
          competitor: 'none',
        }),
      );
      assert.equal(closed.evidenceStatus, null);
      const refused = await save(as.rep, closed, []);
      assert.equal(refused.statusCode, 409);
      assert.equal(json<Problem>(refused).code, 'closed');
    });

    it('a move counts what was gathered unless it sends its own; then the gathered set empties and the history keeps what was given', async () => {
      const opportunity = await withPresales();
      const one = json<Opp>(
        await save(as.presales, opportunity, [
          { stageId: stageIds[0], key: 'need_confirmed', note: '技术交流会上确认' },
        ]),
      );
      // Half gathered: a move that sends nothing is missing only the other half.
      const half = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: one.version,
        stageId: stageIds[1],
        evidence: [],
      });
      assert.equal(half.statusCode, 422, half.body);
      assert.deepEqual(
        json<{ missing: { key: string }[] }>(half).missing.map((m) => m.key),
        ['budget_known'],
      );
      const gathered = json<Opp>(
        await save(as.presales, one, [
          { stageId: stageIds[0], key: 'need_confirmed', note: '技术交流会上确认' },
          { stageId: stageIds[0], key: 'budget_known' },
        ]),
      );
      assert.deepEqual(gathered.evidenceStatus, { given: 2, required: 2 });
      // A note the move sends replaces the gathered one for that item; the rest comes from what was gathered.
      const sent = [{ stageId: stageIds[0], key: 'need_confirmed', note: '技术交流会上确认，预算 90 万' }];
      const moved = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: gathered.version,
        stageId: stageIds[1],
        evidence: sent,
      });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.deepEqual([json<Opp>(moved).evidence, json<Opp>(moved).evidenceStatus], [[], { given: 0, required: 2 }]);
      const history = json<{ items: { stageId: number; exitEvidence: unknown[] }[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`),
      ).items;
      assert.deepEqual(history.find((h) => h.stageId === stageIds[0])!.exitEvidence, [
        ...sent,
        { stageId: stageIds[0], key: 'budget_known', note: null, attachmentId: null },
      ]);
    });

    it('the audit trail and the timeline show the progress', async () => {
      const opportunity = await withPresales();
      const one = json<Opp>(await save(as.presales, opportunity, [{ stageId: stageIds[0], key: 'budget_known' }]));
      await save(as.rep, one, [
        { stageId: stageIds[0], key: 'budget_known' },
        { stageId: stageIds[0], key: 'need_confirmed', note: '已确认' },
      ]);
      const trail = json<{
        items: { field: string; oldValue: string | null; newValue: string | null; actorName: string | null }[];
      }>(await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/history`)).items;
      assert.deepEqual(
        trail.filter((h) => h.field === 'evidence').map((h) => [h.oldValue, h.newValue]),
        [
          ['1/2', '2/2'],
          ['0/2', '1/2'],
        ],
      );
      const timeline = json<TimelinePage>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/timeline`),
      ).items;
      const events = timeline.filter((e) => e.kind === 'opportunity_changed' && e.field === 'evidence');
      assert.deepEqual(
        events.map((e) => [e.from, e.to]),
        [
          ['1/2', '2/2'],
          ['0/2', '1/2'],
        ],
      );
      assert.ok(events[1]!.actorName, 'who recorded it');
    });
  });
}
