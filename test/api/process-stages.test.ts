import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import type { Problem as ProblemOf } from '../../src/contracts/common.ts';
import type { Process, Stage, StageInUse } from '../../src/contracts/sales-processes.ts';
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

/** Adding, removing and reordering the stages of a sales process (docs/sales-process.md § Sales processes and stages): admin only, versioned, history untouched. */
interface Opp {
  id: number;
  stageId: number;
  stageName: string;
  version: number;
}
interface HistoryRow {
  stageId: number;
  stageName: string;
  probability: number;
  enteredAt: number;
  leftAt: number | null;
  exitDirection: string | null;
}
type Problem = ProblemOf & { opportunities?: StageInUse };

for (const engine of testEngines()) {
  describe(`sales process stages: add, remove, reorder [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    let other: Fixture & Extras;
    let as: Record<'admin' | 'manager' | 'rep' | 'otherAdmin', Call>;
    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'stg');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
      const otherFixture = await seedWorkspace(testApp, 'stg-other');
      other = { ...otherFixture, ...(await seedExtras(testApp, otherFixture)) };
      as = {
        admin: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.admin.id)),
        manager: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.manager.id)),
        rep: client(testApp, await sessionCookie(testApp, fixture.workspaceId, fixture.users.rep.id)),
        otherAdmin: client(testApp, await sessionCookie(testApp, other.workspaceId, other.users.admin.id)),
      };
    });
    after(() => testApp.close());

    /** A fresh copy of the small template: 意向 20 → 方案 35 → 谈判 70 → 成交 100 (won). */
    const copySmall = async () =>
      json<Process>(
        await as.admin('POST', '/api/v1/sales-processes', {
          templateKey: 'small',
          name: `小项目 ${Math.random().toString(36).slice(2, 7)}`,
        }),
      );
    const read = async (id: number) => json<Process>(await as.admin('GET', `/api/v1/sales-processes/${id}`));
    const shape = (p: Process) => p.stages.map((s) => [s.name, s.probability, s.position]);
    const audit = async (action: string) =>
      json<{ items: { action: string; targetId: number | null; detail: Record<string, unknown> | null }[] }>(
        await as.admin('GET', `/api/v1/audit-log?action=${action}&limit=500`),
      ).items;
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
          note: evidenceItem.requires === 'note' ? '已确认' : null,
          attachmentId: evidenceItem.requires === 'attachment' ? await upload() : null,
        })),
      );
    /** An opportunity of rep's, moved with full evidence into the stage at `index`. */
    const openOpp = async (salesProcess: Process, index = 0) => {
      const res = await as.rep('POST', '/api/v1/opportunities', {
        accountId: fixture.accounts.repAccount,
        name: `项目${Math.random().toString(36).slice(2, 6)}`,
        processId: salesProcess.id,
        amount: 100_000_00,
        expectedCloseDate: '2027-03-01',
      });
      assert.equal(res.statusCode, 201, res.body);
      const opportunity = json<Opp>(res);
      if (index === 0) return opportunity;
      const evidence = (await Promise.all(salesProcess.stages.slice(0, index).map(fullEvidence))).flat();
      const moved = await as.rep('POST', `/api/v1/opportunities/${opportunity.id}/stage`, {
        version: opportunity.version,
        stageId: salesProcess.stages[index]!.id,
        evidence,
      });
      assert.equal(moved.statusCode, 200, moved.body);
      return json<Opp>(moved);
    };
    const history = async (oppId: number) =>
      json<{ items: HistoryRow[] }>(await as.rep('GET', `/api/v1/opportunities/${oppId}/stage-history`)).items;

    it('adds a stage at a position; later stages move down, and the process version moves on', async () => {
      const salesProcess = await copySmall();
      const res = await as.admin('POST', `/api/v1/sales-processes/${salesProcess.id}/stages`, {
        version: salesProcess.version,
        position: 1,
        name: '需求确认',
        probability: 25,
        purpose: '确认需求',
        expectedDays: 10,
        evidence: [{ key: 'needs_signed', label: '需求确认函', requires: 'attachment' }],
        roles: ['presales'],
        buyingPhase: 'criteria',
      });
      assert.equal(res.statusCode, 201, res.body);
      const after = json<Process>(res);
      assert.deepEqual(shape(after), [
        ['意向', 20, 0],
        ['需求确认', 25, 1],
        ['方案', 35, 2],
        ['谈判', 70, 3],
        ['成交', 100, 4],
      ]);
      assert.equal(after.version, salesProcess.version + 1);
      const added = after.stages[1]!;
      assert.deepEqual([added.won, added.evidence.map((e) => e.key)], [false, ['needs_signed']]);
      assert.deepEqual(shape(await read(salesProcess.id)), shape(after), 'saved');
      // First place works too, and the stage count in the list follows.
      const first = json<Process>(
        await as.admin('POST', `/api/v1/sales-processes/${salesProcess.id}/stages`, {
          version: after.version,
          position: 0,
          name: '线索',
          probability: 0,
        }),
      );
      assert.deepEqual(
        first.stages.map((s) => s.position),
        [0, 1, 2, 3, 4, 5],
      );
      assert.equal(first.stages[0]!.name, '线索');
      const listed = json<{ items: { id: number; stageCount: number }[] }>(
        await as.admin('GET', '/api/v1/sales-processes'),
      ).items.find((x) => x.id === salesProcess.id)!;
      assert.equal(listed.stageCount, 6);
      const log = (await audit('process.stage_add')).filter((e) => e.targetId === salesProcess.id);
      assert.deepEqual(log.map((e) => e.detail?.name).sort(), ['线索', '需求确认'].sort());
    });

    it('refuses a stage after the won stage, a probability out of order, a stale version, and non-admins — saving nothing', async () => {
      const salesProcess = await copySmall();
      const add = (call: Call, body: Record<string, unknown>, id = salesProcess.id) =>
        call('POST', `/api/v1/sales-processes/${id}/stages`, {
          version: salesProcess.version,
          position: 1,
          name: '新阶段',
          probability: 30,
          ...body,
        });
      const cases: [Record<string, unknown>, number, string][] = [
        [{ position: 4 }, 400, 'position'],
        [{ position: 3, probability: 60 }, 400, 'probability'],
        [{ probability: 50 }, 400, 'probability'],
        [{ probability: 10 }, 400, 'probability'],
        [{ name: '' }, 400, 'name'],
        [{ position: -1 }, 400, 'position'],
        [
          {
            evidence: [
              { key: 'a', label: 'A', requires: 'check' },
              { key: 'a', label: 'B', requires: 'check' },
            ],
          },
          400,
          'evidence',
        ],
        [{ version: salesProcess.version + 5 }, 409, 'version'],
      ];
      for (const [body, status, field] of cases) {
        const res = await add(as.admin, body);
        assert.equal(res.statusCode, status, `${JSON.stringify(body)} → ${res.body}`);
        assert.ok(
          json<Problem>(res).errors!.some((e) => e.field === field),
          `${field} in ${res.body}`,
        );
      }
      // The probability problem carries its bounds, so the web app says it in the user's language (issue 11).
      const between = json<{ errors: { field: string; code: string; params?: unknown }[] }>(
        await add(as.admin, { probability: 50 }),
      ).errors;
      const neighbours = [salesProcess.stages[0]!.probability, salesProcess.stages[1]!.probability];
      assert.deepEqual(between, [
        {
          field: 'probability',
          code: 'between',
          params: { min: neighbours[0], max: neighbours[1] },
          message: `must lie between the neighbouring stages (${neighbours[0]}–${neighbours[1]})`,
        },
      ]);
      const tooLong = json<{ errors: { field: string; code: string; params?: unknown }[] }>(
        await add(as.admin, { name: 'n'.repeat(101) }),
      ).errors[0]!;
      assert.deepEqual(
        [tooLong.field, tooLong.code, tooLong.params],
        ['name', 'too_big', { max: 100, origin: 'string' }],
      );
      const missing = json<{ errors: { field: string; code: string }[] }>(
        await as.admin('POST', `/api/v1/sales-processes/${salesProcess.id}/stages`, {
          version: salesProcess.version,
          position: 1,
          probability: 30,
        }),
      ).errors;
      assert.deepEqual(
        missing.map((e) => [e.field, e.code]),
        [['name', 'required']],
      );
      assert.equal((await add(as.manager, {})).statusCode, 403);
      assert.equal((await add(as.rep, {})).statusCode, 403);
      assert.equal((await add(as.otherAdmin, {})).statusCode, 404, "another workspace's process");
      const now = await read(salesProcess.id);
      assert.deepEqual(shape(now), shape(salesProcess), 'nothing saved');
      assert.equal(now.version, salesProcess.version, 'a refused change leaves the version');
    });

    it('removes a stage nobody is in; the stage history keeps its name and probability', async () => {
      const salesProcess = await copySmall();
      const opportunity = await openOpp(salesProcess, 1);
      const before = await history(opportunity.id);
      assert.deepEqual(
        before.map((h) => [h.stageName, h.probability]),
        [
          ['意向', 20],
          ['方案', 35],
        ],
      );

      const res = await as.admin(
        'DELETE',
        `/api/v1/process-stages/${salesProcess.stages[0]!.id}?version=${salesProcess.version}`,
      );
      assert.equal(res.statusCode, 200, res.body);
      const after = json<Process>(res);
      assert.deepEqual(shape(after), [
        ['方案', 35, 0],
        ['谈判', 70, 1],
        ['成交', 100, 2],
      ]);
      assert.equal(after.version, salesProcess.version + 1);
      assert.deepEqual(await history(opportunity.id), before, 'history unchanged');
      const opp = json<Opp>(await as.rep('GET', `/api/v1/opportunities/${opportunity.id}`));
      assert.deepEqual([opp.stageId, opp.stageName], [salesProcess.stages[1]!.id, '方案']);
      assert.equal(
        (await as.admin('PATCH', `/api/v1/process-stages/${salesProcess.stages[0]!.id}`, { version: 1, name: 'x' }))
          .statusCode,
        404,
        'the stage is gone',
      );
      const log = (await audit('process.stage_remove')).find((e) => e.targetId === salesProcess.id);
      assert.equal(log?.detail?.name, '意向');
    });

    it('refuses to remove a stage an opportunity is in, open or closed, naming how many and which', async () => {
      const salesProcess = await copySmall();
      const stage = salesProcess.stages[1]!;
      const opportunityA = await openOpp(salesProcess, 1);
      const opportunityB = await openOpp(salesProcess, 1);
      const lost = await as.rep('POST', `/api/v1/opportunities/${opportunityB.id}/close`, {
        version: opportunityB.version,
        outcome: 'lost',
        reason: 'price',
        competitor: '西门子',
      });
      assert.equal(lost.statusCode, 200, lost.body);
      const res = await as.admin('DELETE', `/api/v1/process-stages/${stage.id}?version=${salesProcess.version}`);
      assert.equal(res.statusCode, 409, res.body);
      const problem = json<Problem>(res);
      assert.equal(problem.code, 'stage_in_use');
      assert.deepEqual([problem.opportunities!.total, problem.opportunities!.byStatus], [2, { open: 1, lost: 1 }]);
      assert.deepEqual(
        problem.opportunities!.items.map((x) => x.id),
        [opportunityA.id, opportunityB.id],
      );
      assert.match(problem.detail ?? '', /2 opportunities are in stage "方案"/);
      assert.match(problem.detail ?? '', /1 open, 1 lost/);
      const now = await read(salesProcess.id);
      assert.deepEqual(shape(now), shape(salesProcess), 'nothing removed');
      assert.equal(now.version, salesProcess.version);
    });

    it('never removes the won stage, keeps two stages, and refuses stale versions, non-admins and other workspaces', async () => {
      const salesProcess = await copySmall();
      const del = (call: Call, id: number, version = salesProcess.version) =>
        call('DELETE', `/api/v1/process-stages/${id}?version=${version}`);
      const won = await del(as.admin, salesProcess.stages[3]!.id);
      assert.deepEqual([won.statusCode, json<Problem>(won).code], [409, 'won_stage']);
      assert.equal((await del(as.manager, salesProcess.stages[0]!.id)).statusCode, 403);
      assert.equal((await del(as.rep, salesProcess.stages[0]!.id)).statusCode, 403);
      assert.equal((await del(as.otherAdmin, salesProcess.stages[0]!.id)).statusCode, 404);
      const stale = await del(as.admin, salesProcess.stages[0]!.id, salesProcess.version + 3);
      assert.deepEqual([stale.statusCode, json<Problem>(stale).code], [409, 'version_conflict']);
      assert.deepEqual(shape(await read(salesProcess.id)), shape(salesProcess), 'nothing removed');

      let version = salesProcess.version;
      for (const text of [salesProcess.stages[0]!, salesProcess.stages[1]!]) {
        const res = await del(as.admin, text.id, version);
        assert.equal(res.statusCode, 200, res.body);
        version = json<Process>(res).version;
      }
      const two = await del(as.admin, salesProcess.stages[2]!.id, version);
      assert.deepEqual([two.statusCode, json<Problem>(two).code], [409, 'too_few_stages']);
      assert.deepEqual(shape(await read(salesProcess.id)), [
        ['谈判', 70, 0],
        ['成交', 100, 1],
      ]);
      // Without a version the removal is judged on what it finds.
      const secondCopy = await copySmall();
      assert.equal((await as.admin('DELETE', `/api/v1/process-stages/${secondCopy.stages[2]!.id}`)).statusCode, 200);
    });

    it('reorders stages; a move that breaks the probability order is refused unless it carries a fitting probability', async () => {
      const salesProcess = await copySmall();
      const [intent, proposal, negotiation, won] = salesProcess.stages as [Stage, Stage, Stage, Stage];
      const opp = await openOpp(salesProcess, 1);
      const before = await history(opp.id);
      const order = (...stages: (Stage | { stage: Stage; probability: number })[]) => ({
        version: salesProcess.version,
        stages: stages.map((s) => ('stage' in s ? { id: s.stage.id, probability: s.probability } : { id: s.id })),
      });

      const broken = await as.admin(
        'PUT',
        `/api/v1/sales-processes/${salesProcess.id}/stage-order`,
        order(intent, negotiation, proposal, won),
      );
      assert.equal(broken.statusCode, 400, broken.body);
      const problem = json<Problem>(broken);
      assert.equal(problem.errors![0]!.field, 'stages.2.probability');
      assert.match(problem.errors![0]!.message, /"方案" \(35%\) would follow "谈判" \(70%\)/);

      const res = await as.admin(
        'PUT',
        `/api/v1/sales-processes/${salesProcess.id}/stage-order`,
        order(intent, negotiation, { stage: proposal, probability: 80 }, won),
      );
      assert.equal(res.statusCode, 200, res.body);
      const after = json<Process>(res);
      assert.deepEqual(shape(after), [
        ['意向', 20, 0],
        ['谈判', 70, 1],
        ['方案', 80, 2],
        ['成交', 100, 3],
      ]);
      assert.equal(after.version, salesProcess.version + 1);
      assert.equal(after.stages[2]!.version, proposal.version + 1, 'a probability change is a change of the stage');
      assert.equal(after.stages[1]!.version, negotiation.version, 'a move alone leaves the stage as it was');
      assert.deepEqual(shape(await read(salesProcess.id)), shape(after), 'saved');
      assert.deepEqual(await history(opp.id), before, 'history unchanged: 方案 stays 35% there');
      assert.equal(
        json<Opp>(await as.rep('GET', `/api/v1/opportunities/${opp.id}`)).stageId,
        proposal.id,
        'the opportunity stays in its stage',
      );
      const log = (await audit('process.stage_reorder')).find((e) => e.targetId === salesProcess.id);
      assert.deepEqual(log?.detail?.to, [intent.id, negotiation.id, proposal.id, won.id]);
    });

    it('refuses a wrong list of stage ids, the won stage anywhere but last, stale versions and non-admins', async () => {
      const salesProcess = await copySmall();
      const secondCopy = await copySmall();
      const [stageA, stageB, stageC, won] = salesProcess.stages.map((s) => s.id) as [number, number, number, number];
      const put = (
        call: Call,
        stages: { id: number; probability?: number }[],
        version = salesProcess.version,
        id = salesProcess.id,
      ) => call('PUT', `/api/v1/sales-processes/${id}/stage-order`, { version, stages });
      const ids = (...xs: number[]) => xs.map((id) => ({ id }));
      const otherWs = json<Process>(
        await as.otherAdmin('GET', `/api/v1/sales-processes/${other.processes.small.id}`),
      ).stages.map((s) => s.id);
      const cases: [{ id: number; probability?: number }[], string, RegExp][] = [
        [ids(stageA, stageB, won), 'stages', /missing: /],
        [ids(stageA, stageB, stageC, stageC, won), 'stages', /listed twice: /],
        [ids(stageA, stageB, secondCopy.stages[2]!.id, won), 'stages', /not stages of this process/],
        [ids(stageA, stageB, otherWs[2]!, won), 'stages', /not stages of this process/],
        [ids(stageA, stageB, won, stageC), 'stages', /won stage "成交" must stay last/],
        [[...ids(stageA, stageB, stageC), { id: won, probability: 90 }], 'stages.3.probability', /won stage is 100/],
        [[{ id: stageA, probability: 50 }, ...ids(stageB, stageC, won)], 'stages.1.probability', /must not decrease/],
        [[...ids(stageA, stageB, stageC), { id: won, probability: 101 }], 'stages.3.probability', /0–100/],
      ];
      for (const [stages, field, message] of cases) {
        const res = await put(as.admin, stages);
        assert.equal(res.statusCode, 400, `${JSON.stringify(stages)} → ${res.body}`);
        const error = json<Problem>(res).errors!.find((x) => x.field === field);
        assert.ok(error, `${field} in ${res.body}`);
        assert.match(error.message, message);
      }
      const stale = await put(as.admin, ids(stageA, stageB, stageC, won), salesProcess.version + 2);
      assert.deepEqual([stale.statusCode, json<Problem>(stale).code], [409, 'version_conflict']);
      assert.equal((await put(as.manager, ids(stageA, stageB, stageC, won))).statusCode, 403);
      assert.equal((await put(as.rep, ids(stageA, stageB, stageC, won))).statusCode, 403);
      assert.equal(
        (await put(as.otherAdmin, ids(stageA, stageB, stageC, won))).statusCode,
        404,
        "another workspace's process",
      );
      const now = await read(salesProcess.id);
      assert.deepEqual(shape(now), shape(salesProcess), 'nothing changed');
      assert.equal(now.version, salesProcess.version);
      assert.deepEqual(shape(await read(secondCopy.id)), shape(secondCopy), 'the other process untouched');
    });
  });
}
