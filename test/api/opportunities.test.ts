import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import type { Process, Stage } from '../../src/contracts/sales-processes.ts';
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

import type { Problem as ProblemOf } from '../../src/contracts/common.ts';
import type { MissingEvidence, OpportunityDetail as Opp } from '../../src/contracts/opportunities.ts';
import type { TimelinePage } from '../../src/contracts/timeline.ts';

/** evidence_required names what is missing. */
type Problem = ProblemOf & { missing?: MissingEvidence[] };

for (const engine of testEngines()) {
  describe(`sales processes and opportunities [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    let as: Record<'admin' | 'manager' | 'rep' | 'rep2' | 'presales', Call>;
    let small: Process;
    let large: Process;
    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'opp');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
      as = {
        admin: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id)),
        manager: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id)),
        rep: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id)),
        rep2: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep2.id)),
        presales: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.presales.id)),
      };
      const list = json<{ items: { id: number; templateKey: string }[] }>(
        await as.rep('GET', '/api/v1/sales-processes'),
      ).items;
      small = json<Process>(
        await as.rep('GET', `/api/v1/sales-processes/${list.find((p) => p.templateKey === 'small')!.id}`),
      );
      large = json<Process>(
        await as.rep('GET', `/api/v1/sales-processes/${list.find((p) => p.templateKey === 'large')!.id}`),
      );
    });
    after(() => testApp.close());

    const create = (call: Call, body: Record<string, unknown>) =>
      call('POST', '/api/v1/opportunities', {
        accountId: fixture.accounts.repAccount,
        name: '视觉检测项目',
        processId: small.id,
        amount: 180_000_00,
        expectedCloseDate: '2027-01-15',
        ...body,
      });
    const intent = () => small.stages[0]!;
    // Items that require an attachment get a freshly uploaded file (it becomes this opportunity's evidence).
    const upload = async () =>
      json<{ id: number }>(
        await as.rep('POST', '/api/v1/attachments?fileName=proof.pdf', Buffer.from('%PDF-1.4 proof'), {
          'content-type': 'application/pdf',
        }),
      ).id;
    const fullEvidence = async (stage: Stage) =>
      Promise.all(
        stage.evidence.map(async (evidenceItem) => ({
          stageId: stage.id,
          key: evidenceItem.key,
          note: evidenceItem.requires === 'note' ? '客户确认了产线良率问题' : null,
          attachmentId: evidenceItem.requires === 'attachment' ? await upload() : null,
        })),
      );

    it('ships the four processes of docs/sales-process.md § Sales processes and stages with ordered stages and probabilities', async () => {
      const list = json<{ items: { templateKey: string; stageCount: number }[] }>(
        await as.rep('GET', '/api/v1/sales-processes'),
      ).items;
      assert.deepEqual(
        list.map((p) => [p.templateKey, p.stageCount]),
        [
          ['small', 4],
          ['large', 6],
          ['seven_steps', 7],
          ['p0_p7', 8],
        ],
      );
      // Each process counts the open deals the caller may see, as the list does (the board opens on the busiest).
      for (const call of [as.rep, as.manager, as.rep2]) {
        for (const salesProcess of json<{ items: { id: number; openOpportunities: number }[] }>(
          await call('GET', '/api/v1/sales-processes'),
        ).items) {
          const listed = json<{ total: number }>(
            await call('GET', `/api/v1/opportunities?status=open&processId=${salesProcess.id}&limit=1`),
          ).total;
          assert.equal(salesProcess.openOpportunities, listed);
        }
      }
      assert.deepEqual(
        small.stages.map((s) => [s.name, s.probability]),
        [
          ['意向', 20],
          ['方案', 35],
          ['谈判', 70],
          ['成交', 100],
        ],
      );
      assert.deepEqual(
        large.stages.map((s) => s.probability),
        [10, 20, 30, 50, 70, 100],
      );
      assert.equal(small.stages.at(-1)!.won, true);
    });

    it('lets only admins copy a template or edit a stage; probabilities stay in order', async () => {
      assert.equal((await as.manager('POST', '/api/v1/sales-processes', { templateKey: 'small' })).statusCode, 403);
      const copy = await as.admin('POST', '/api/v1/sales-processes', {
        templateKey: 'seven_steps',
        name: '七步法（华东版）',
      });
      assert.equal(copy.statusCode, 201);
      const processCopy = json<Process>(copy);
      assert.equal(processCopy.stages.length, 7);
      const stage = processCopy.stages[2]!;
      const bad = await as.admin('PATCH', `/api/v1/process-stages/${stage.id}`, {
        version: stage.version,
        probability: 5,
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(json<Problem>(bad).errors![0]!.field, 'probability');
      assert.equal(
        (await as.admin('PATCH', `/api/v1/process-stages/${stage.id}`, { version: stage.version, probability: 101 }))
          .statusCode,
        400,
      );
      const ok = await as.admin('PATCH', `/api/v1/process-stages/${stage.id}`, {
        version: stage.version,
        probability: 25,
        evidence: [{ key: 'budget_known', label: '预算已知', requires: 'note' }],
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(json<Stage>(ok).probability, 25);
      const dupKeys = await as.admin('PATCH', `/api/v1/process-stages/${stage.id}`, {
        version: stage.version + 1,
        evidence: [
          { key: 'a', label: 'A', requires: 'check' },
          { key: 'a', label: 'B', requires: 'check' },
        ],
      });
      assert.equal(json<Problem>(dupKeys).errors![0]!.field, 'evidence');
    });

    it('creates an opportunity with derived size, expected amount, and the owner on the team', async () => {
      const res = await create(as.rep, {});
      assert.equal(res.statusCode, 201, res.body);
      const opportunity = json<Opp>(res);
      assert.deepEqual(
        [
          opportunity.processId,
          opportunity.stageId,
          opportunity.status,
          opportunity.probability,
          opportunity.expectedAmount,
          opportunity.sizeClass,
        ],
        [small.id, intent().id, 'open', 20, 36_000_00, 'small'],
      );
      assert.deepEqual(
        opportunity.team.map((m) => [m.userId, m.teamRole]),
        [[fixture.users.rep.id, 'sales_lead']],
      );
      assert.equal(json<Opp>(await create(as.rep, { amount: 200_000_00 })).sizeClass, 'large');
    });

    it('records the products being sold (docs/sales-process.md § The opportunity)', async () => {
      const opportunity = json<Opp & { products: string[] }>(
        await create(as.rep, { products: ['MES 系统', '视觉检测工作站'] }),
      );
      assert.deepEqual(opportunity.products, ['MES 系统', '视觉检测工作站']);
      const changed = json<Opp & { products: string[] }>(
        await as.rep('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
          version: opportunity.version,
          products: ['AGV 物流系统'],
        }),
      );
      assert.deepEqual(changed.products, ['AGV 物流系统']);
      const bad = await as.rep('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
        version: changed.version,
        products: [''],
      });
      assert.equal(json<Problem>(bad).errors![0]!.field, 'products.0');
    });

    it('rejects bad input naming the field, and saves nothing', async () => {
      const before = json<{ total: number }>(await as.admin('GET', '/api/v1/opportunities?limit=1')).total;
      const cases: [Record<string, unknown>, string][] = [
        [{ amount: -1 }, 'amount'],
        [{ amount: '100' }, 'amount'],
        [{ amount: 12.5 }, 'amount'],
        [{ expectedCloseDate: '15/01/2027' }, 'expectedCloseDate'],
        [{ expectedCloseDate: '2027-02-30' }, 'expectedCloseDate'],
        [{ stageId: large.stages[1]!.id }, 'stageId'],
        [{ stageId: small.stages.at(-1)!.id }, 'stageId'],
        [{ processId: 999999 }, 'processId'],
        [{ accountId: fixture.accounts.rep2Account }, 'accountId'],
        [{ name: '' }, 'name'],
      ];
      for (const [body, field] of cases) {
        const res = await create(as.rep, body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)} → ${res.body}`);
        assert.ok(
          json<Problem>(res).errors!.some((e) => e.field === field),
          `${field} in ${res.body}`,
        );
      }
      assert.equal(json<{ total: number }>(await as.admin('GET', '/api/v1/opportunities?limit=1')).total, before);
    });

    it('refuses a forward move without the evidence of the stage left, listing what is missing', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: small.stages[1]!.id,
        evidence: [{ stageId: intent().id, key: 'need_confirmed', note: '' }],
      });
      assert.equal(res.statusCode, 422);
      const problem = json<Problem>(res);
      assert.equal(problem.code, 'evidence_missing');
      assert.deepEqual(
        problem.missing!.map((m) => [m.key, m.problem]),
        [
          ['need_confirmed', 'note_required'],
          ['budget_known', 'missing'],
        ],
      );
      assert.match(problem.detail ?? '', /意向/);
      assert.equal(
        json<Opp>(await as.rep('GET', `/api/v1/opportunities/${opportunity.id}`)).stageId,
        intent().id,
        'nothing moved',
      );
    });

    it('moves forward with evidence and records the stage history with who and what', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: small.stages[1]!.id,
        evidence: await fullEvidence(intent()),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual([json<Opp>(res).stageName, json<Opp>(res).probability], ['方案', 35]);
      const history = json<{
        items: {
          stageName: string;
          leftAt: number | null;
          exitDirection: string | null;
          exitEvidence: { key: string; note: string | null }[];
          enteredByName: string;
        }[];
      }>(await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`)).items;
      assert.deepEqual(
        history.map((x) => [x.stageName, x.exitDirection]),
        [
          ['意向', 'forward'],
          ['方案', null],
        ],
      );
      assert.equal(history[0]!.exitEvidence.find((e) => e.key === 'need_confirmed')!.note, '客户确认了产线良率问题');
      assert.equal(history[1]!.enteredByName, 'rep opp');
    });

    it('skips stages only with the evidence of every skipped stage', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const target = small.stages[2]!;
      const partial = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: target.id,
        evidence: await fullEvidence(intent()),
      });
      assert.equal(partial.statusCode, 422);
      assert.ok(json<Problem>(partial).missing!.every((m) => m.stageId === small.stages[1]!.id));
      const ok = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: target.id,
        evidence: [...(await fullEvidence(intent())), ...(await fullEvidence(small.stages[1]!))],
      });
      assert.equal(json<Opp>(ok).stageName, '谈判');
    });

    it('lets a manager override missing evidence with a reason, but not a rep', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const repTry = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: small.stages[1]!.id,
        evidence: [],
        override: true,
        reason: 'trust me',
      });
      assert.equal(repTry.statusCode, 403, 'a clear refusal, not a list of missing evidence');
      assert.match(json<Problem>(repTry).detail ?? '', /manager/);
      const noReason = await as.manager('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: small.stages[1]!.id,
        evidence: [],
        override: true,
      });
      assert.equal(json<Problem>(noReason).errors![0]!.field, 'reason');
      const ok = await as.manager('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: small.stages[1]!.id,
        evidence: [],
        override: true,
        reason: '老客户复购，需求明确',
      });
      assert.equal(ok.statusCode, 200, ok.body);
      const stageEntry = json<{ items: { exitOverridden: unknown[]; exitReason: string }[] }>(
        await as.manager('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`),
      ).items[0]!;
      assert.equal(stageEntry.exitOverridden.length, 2);
      assert.equal(stageEntry.exitReason, '老客户复购，需求明确');
    });

    it('refuses evidence that proves nothing of the move, naming the item, and stores nothing', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const move = (evidence: unknown[]) =>
        as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
          version: opportunity.version,
          stageId: small.stages[1]!.id,
          evidence,
        });
      const full = await fullEvidence(intent());
      const unknownKey = await move([...full, { stageId: intent().id, key: 'zzz' }]);
      assert.equal(unknownKey.statusCode, 400, unknownKey.body);
      assert.deepEqual(
        json<Problem>(unknownKey).errors!.map((e) => e.field),
        [`evidence.${full.length}.key`],
      );
      const target = await move([{ stageId: small.stages[1]!.id, key: 'proposal_sent' }, ...full]);
      assert.deepEqual(
        json<Problem>(target).errors!.map((e) => e.field),
        ['evidence.0.stageId'],
        'the stage entered is not being left',
      );
      const foreign = await move([...full, { stageId: large.stages[0]!.id, key: 'pain_found' }]);
      assert.deepEqual(
        json<Problem>(foreign).errors!.map((e) => e.field),
        [`evidence.${full.length}.stageId`],
      );
      const history = json<{ items: { leftAt: number | null }[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`),
      ).items;
      assert.deepEqual(
        history.map((x) => x.leftAt),
        [null],
        'nothing moved, nothing stored',
      );
    });

    it('creates past the first stage only with the evidence of every stage skipped, recorded as the move', async () => {
      const count = async () => json<{ total: number }>(await as.admin('GET', '/api/v1/opportunities?limit=1')).total;
      const before = await count();
      const negotiation = small.stages[2]!;
      const bare = await create(as.rep, { stageId: negotiation.id });
      assert.equal(bare.statusCode, 422, bare.body);
      assert.equal(json<Problem>(bare).code, 'evidence_missing');
      assert.deepEqual(
        json<Problem>(bare).missing!.map((m) => [m.stageId, m.key, m.problem]),
        [
          [intent().id, 'need_confirmed', 'missing'],
          [intent().id, 'budget_known', 'missing'],
          [small.stages[1]!.id, 'proposal_sent', 'missing'],
          [small.stages[1]!.id, 'proposal_accepted', 'missing'],
        ],
      );
      const partial = await create(as.rep, { stageId: negotiation.id, evidence: await fullEvidence(intent()) });
      assert.deepEqual(
        json<Problem>(partial).missing!.map((m) => m.key),
        ['proposal_sent', 'proposal_accepted'],
      );
      const zzz = await create(as.rep, { stageId: negotiation.id, evidence: [{ stageId: intent().id, key: 'zzz' }] });
      assert.deepEqual([zzz.statusCode, json<Problem>(zzz).errors![0]!.field], [400, 'evidence.0.key']);
      const notSkipped = await create(as.rep, {
        stageId: negotiation.id,
        evidence: [{ stageId: negotiation.id, key: 'price_approved' }],
      });
      assert.deepEqual(
        [notSkipped.statusCode, json<Problem>(notSkipped).errors![0]!.field],
        [400, 'evidence.0.stageId'],
      );
      const atFirst = await create(as.rep, { evidence: [{ stageId: intent().id, key: 'budget_known' }] });
      assert.deepEqual(
        [atFirst.statusCode, json<Problem>(atFirst).errors![0]!.field],
        [400, 'evidence.0.stageId'],
        'the first stage skips nothing',
      );
      // A file that proves another opportunity is refused after the checks of the gate: the creation rolls back.
      const borrowed = [
        ...(await fullEvidence(intent())),
        ...(await fullEvidence(small.stages[1]!)).map((err) =>
          err.attachmentId ? { ...err, attachmentId: fixture.attachments.repProof } : err,
        ),
      ];
      const stolen = await create(as.rep, { stageId: negotiation.id, evidence: borrowed });
      assert.equal(stolen.statusCode, 400, stolen.body);
      assert.equal(json<Problem>(stolen).errors![0]!.field, `evidence.${small.stages[1]!.id}.proposal_sent`);
      assert.equal(
        (
          await as.rep('POST', '/api/v1/opportunities', {
            accountId: fixture.accounts.repAccount,
            name: 'x',
            processId: small.id,
            amount: 1,
            expectedCloseDate: '2027-01-15',
            stageId: negotiation.id,
            override: true,
            reason: '老客户',
          })
        ).statusCode,
        403,
        'a rep may not override',
      );
      assert.equal(await count(), before, 'nothing saved');

      const evidence = [...(await fullEvidence(intent())), ...(await fullEvidence(small.stages[1]!))];
      const res = await create(as.rep, { name: '老客户复购', stageId: negotiation.id, evidence });
      assert.equal(res.statusCode, 201, res.body);
      const opportunity = json<Opp>(res);
      assert.deepEqual([opportunity.stageName, opportunity.probability], ['谈判', 70]);
      type H = {
        stageName: string;
        enteredAt: number;
        leftAt: number | null;
        exitDirection: string | null;
        exitEvidence: { stageId: number; key: string; attachmentId?: number | null }[];
        leftByName: string | null;
      };
      const history = json<{ items: H[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`),
      ).items;
      assert.deepEqual(
        history.map((x) => [x.stageName, x.exitDirection, x.leftByName]),
        [
          ['意向', 'forward', 'rep opp'],
          ['谈判', null, null],
        ],
      );
      assert.deepEqual(
        history[0]!.exitEvidence.map((e) => e.key),
        evidence.map((e) => e.key),
        "the skipped stages' evidence, as a move keeps it",
      );
      assert.equal(history[0]!.leftAt, history[0]!.enteredAt, 'no time was spent in the first stage');
      const file = evidence.find((e) => e.attachmentId)!.attachmentId;
      const files = json<{ items: { id: number }[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/attachments`),
      ).items;
      assert.deepEqual(
        files.map((x) => x.id),
        [file],
        'the file proves this opportunity now',
      );
      const trail = json<{ items: { field: string; oldValue: string | null; newValue: string | null }[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/history`),
      ).items;
      assert.deepEqual(
        trail.filter((i) => i.field === 'stage').map((i) => [i.oldValue, i.newValue]),
        [['意向', '谈判']],
      );
      // The timeline tells it as it happened, newest first: the file uploaded, the deal created, then moved into 谈判 with the evidence.
      const tl = json<TimelinePage>(await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/timeline`)).items;
      assert.deepEqual(
        tl.map((e) => e.kind),
        ['stage_moved', 'opportunity_created', 'file_added'],
      );
      assert.deepEqual(
        [tl[0]!.from, tl[0]!.subject, tl[0]!.direction, tl[0]!.evidenceCount],
        ['意向', '谈判', 'forward', evidence.length],
      );
    });

    it('lets a manager create past the first stage overriding missing evidence with a reason', async () => {
      const noReason = await create(as.manager, {
        ownerId: fixture.users.rep.id,
        stageId: small.stages[1]!.id,
        override: true,
      });
      assert.equal(json<Problem>(noReason).errors![0]!.field, 'reason');
      const res = await create(as.manager, {
        ownerId: fixture.users.rep.id,
        stageId: small.stages[1]!.id,
        override: true,
        reason: '老客户复购，需求已明确',
      });
      assert.equal(res.statusCode, 201, res.body);
      const history = json<{ items: { exitOverridden: unknown[]; exitReason: string | null }[] }>(
        await as.manager('GET', `/api/v1/opportunities/${json<Opp>(res).id}/stage-history`),
      ).items;
      assert.deepEqual([history[0]!.exitOverridden.length, history[0]!.exitReason], [2, '老客户复购，需求已明确']);
    });

    it('moves back only with a reason; refuses stages of another process', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const moved = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
          version: opportunity.version,
          stageId: small.stages[1]!.id,
          evidence: await fullEvidence(intent()),
        }),
      );
      const noReason = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: moved.version,
        stageId: intent().id,
        evidence: [],
      });
      assert.equal(json<Problem>(noReason).code, 'reason_required');
      const back = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: moved.version,
        stageId: intent().id,
        evidence: [],
        reason: '客户预算冻结，重新确认需求',
      });
      assert.equal(json<Opp>(back).stageName, '意向');
      const foreign = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: json<Opp>(back).version,
        stageId: large.stages[1]!.id,
        evidence: [],
      });
      assert.equal(foreign.statusCode, 400);
      assert.equal(json<Problem>(foreign).errors![0]!.field, 'stageId');
    });

    it('takes the fixed-point body {stageId, evidence, reason?} without a version too', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const res = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        stageId: small.stages[1]!.id,
        evidence: await fullEvidence(intent()),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(json<Opp>(res).stageName, '方案');
      const refused = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        stageId: small.stages[2]!.id,
        evidence: [],
      });
      assert.equal(refused.statusCode, 422, 'still refused without the evidence');
    });

    it('lets exactly one of two simultaneous moves win (409 for the other)', async () => {
      const opportunity = json<Opp>(await create(as.rep, {}));
      const body = {
        version: opportunity.version,
        stageId: small.stages[1]!.id,
        evidence: await fullEvidence(intent()),
      };
      const [repMove, managerMove] = await Promise.all([
        as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, body),
        as.manager('POST', `/api/v1/opportunities/${opportunity.id}/stage`, body),
      ]);
      assert.deepEqual([repMove.statusCode, managerMove.statusCode].sort(), [200, 409]);
      const history = json<{ items: unknown[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opportunity.id}/stage-history`),
      ).items;
      assert.equal(history.length, 2, 'one move recorded');
    });

    it('closes as won at the won stage only with the contract amount', async () => {
      let opportunity = json<Opp>(await create(as.rep, {}));
      for (const stage of small.stages.slice(0, 2)) {
        opportunity = json<Opp>(
          await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
            version: opportunity.version,
            stageId: small.stages[stage.position + 1]!.id,
            evidence: await fullEvidence(stage),
          }),
        );
      }
      const won = small.stages.at(-1)!;
      const noAmount = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: won.id,
        evidence: await fullEvidence(small.stages[2]!),
      });
      assert.equal(json<Problem>(noAmount).errors![0]!.field, 'contractAmount');
      const closed = json<Opp>(
        await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
          version: opportunity.version,
          stageId: won.id,
          evidence: await fullEvidence(small.stages[2]!),
          contractAmount: 175_000_00,
        }),
      );
      assert.deepEqual([closed.status, closed.amount], ['won', 175_000_00]);
      const again = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: closed.version,
        stageId: intent().id,
        evidence: [],
        reason: 'x',
      });
      assert.equal(json<Problem>(again).code, 'closed');
    });

    it('shows opportunities by docs/organisation.md and keeps reassignment to owners and managers', async () => {
      const ids = async (call: Call) =>
        json<{ items: Opp[] }>(await call('GET', '/api/v1/opportunities?limit=500')).items.map((o) => o.id);
      assert.ok((await ids(as.rep)).includes(fixture.opportunities.repOpp));
      assert.ok(!(await ids(as.rep2)).includes(fixture.opportunities.repOpp));
      assert.equal((await as.rep2('GET', `/api/v1/opportunities/${fixture.opportunities.repOpp}`)).statusCode, 404);
      assert.ok((await ids(as.manager)).includes(fixture.opportunities.repOpp));
      assert.ok(!(await ids(as.presales)).includes(fixture.opportunities.repOpp));
      await testApp.db.kysely
        .insertInto('opportunity_team')
        .values({
          workspace_id: fixture.workspaceId,
          opportunity_id: fixture.opportunities.repOpp,
          user_id: fixture.users.presales.id,
          team_role: 'presales',
          created_at: Date.now(),
        })
        .execute();
      assert.ok((await ids(as.presales)).includes(fixture.opportunities.repOpp));
      const opportunity = json<Opp>(await as.presales('GET', `/api/v1/opportunities/${fixture.opportunities.repOpp}`));
      const steal = await as.presales('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
        version: opportunity.version,
        ownerId: fixture.users.presales.id,
        ownerReason: 'mine',
      });
      assert.equal(steal.statusCode, 403, 'a team member who does not own it cannot reassign it');
      assert.equal(
        (
          await as.presales('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
            version: opportunity.version,
            nextStep: '技术交流',
            amount: 60_000_00,
          })
        ).statusCode,
        403,
        "the amount is the owner's",
      );
      const edit = await as.presales('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
        version: opportunity.version,
        nextStep: '技术交流',
        nextStepDate: '2027-01-05',
      });
      assert.equal(edit.statusCode, 200, edit.body);
      const moved = await as.manager('PATCH', `/api/v1/opportunities/${opportunity.id}`, {
        version: json<Opp>(edit).version,
        ownerId: fixture.users.presales.id,
        ownerReason: '售前牵头',
      });
      assert.equal(json<Opp>(moved).ownerId, fixture.users.presales.id);
      const history = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['field', 'old_value', 'new_value'])
        .where('entity_type', '=', 'opportunity')
        .where('entity_id', '=', opportunity.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        history.map((h) => h.field),
        ['owner'],
      );
    });

    it('filters by status, process, stage and close period', async () => {
      const list = async (qs: string) =>
        json<{ items: Opp[] }>(await as.admin('GET', `/api/v1/opportunities?limit=500&${qs}`)).items;
      assert.ok((await list(`processId=${small.id}`)).every((o) => o.processId === small.id));
      assert.ok((await list(`stageId=${intent().id}`)).every((o) => o.stageId === intent().id));
      assert.ok((await list('status=won')).every((o) => o.status === 'won'));
      const jan = await list('closeFrom=2027-01-01&closeTo=2027-01-31');
      assert.ok(jan.length > 0);
      // "Closing soon" leaves out the long shots: a stage probability floor, on the list and its export.
      const likely = await list('status=open&minProbability=30');
      const open = await list('status=open');
      assert.ok(likely.length > 0 && likely.length < open.length, 'the floor removes some open deals, not all');
      assert.ok(likely.every((o) => (o.probability ?? -1) >= 30));
      assert.deepEqual(
        likely.map((o) => o.id).sort(),
        open
          .filter((o) => (o.probability ?? -1) >= 30)
          .map((o) => o.id)
          .sort(),
      );
      assert.equal((await as.admin('GET', '/api/v1/opportunities?minProbability=101')).statusCode, 400);
      const bad = await as.admin('GET', '/api/v1/opportunities?closeFrom=jan&status=maybe');
      assert.deepEqual(
        json<Problem>(bad)
          .errors!.map((e) => e.field)
          .sort(),
        ['query.closeFrom', 'query.status'],
      );
    });
  });
}
