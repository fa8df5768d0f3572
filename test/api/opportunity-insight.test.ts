import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { loadDemo } from '../../src/demo/load.ts';
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
import type { Insight, Review } from '../../src/contracts/opportunity-insight.ts';
import type { TimelinePage } from '../../src/contracts/timeline.ts';

for (const engine of testEngines()) {
  describe(`opportunity insight [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture & Extras;
    let other: Fixture & Extras;
    let as: Record<'admin' | 'executive' | 'manager' | 'rep' | 'rep2' | 'presales' | 'finance' | 'otherAdmin', Call>;
    let opp: number;
    before(async () => {
      testApp = await createTestApp(engine);
      const base = await seedWorkspace(testApp, 'ins');
      fixture = { ...base, ...(await seedExtras(testApp, base)) };
      const ob = await seedWorkspace(testApp, 'other');
      other = { ...ob, ...(await seedExtras(testApp, ob)) };
      const clientFor = async (userId: number, ws = fixture.workspaceId) =>
        client(testApp, await sessionCookie(testApp, ws, userId));
      as = {
        admin: await clientFor(fixture.users.admin.id),
        executive: await clientFor(fixture.users.executive.id),
        manager: await clientFor(fixture.users.manager.id),
        rep: await clientFor(fixture.users.rep.id),
        rep2: await clientFor(fixture.users.rep2.id),
        presales: await clientFor(fixture.users.presales.id),
        finance: await clientFor(fixture.users.finance.id),
        otherAdmin: await clientFor(other.users.admin.id, other.workspaceId),
      };
      opp = fixture.opportunities.repOpp;
    });
    after(() => testApp.close());

    const insight = async (call: Call = as.rep) => {
      const res = await call('GET', `/api/v1/opportunities/${opp}/insight`);
      assert.equal(res.statusCode, 200, res.body);
      return json<Insight>(res);
    };
    const all = (answer: 'yes' | 'partly' | 'no') =>
      Object.fromEntries(['pain', 'power', 'vision', 'value', 'control', 'criteria'].map((k) => [k, { answer }]));

    it('starts empty: no facts, score 0, empty SWOT, no strategy, with the buying phases', async () => {
      const state = await insight();
      assert.deepEqual(state.qualification, {
        pain: null,
        power: null,
        vision: null,
        value: null,
        control: null,
        criteria: null,
      });
      assert.equal(state.qualificationScore, 0);
      assert.deepEqual(state.weakened, []);
      assert.deepEqual(state.swot, { strengths: [], weaknesses: [], opportunities: [], threats: [] });
      assert.deepEqual(state.competitors, []);
      assert.equal(state.strategy, null);
      assert.equal(state.advantageLost, false);
      assert.equal(state.version, 1);
      assert.equal(typeof state.stageAheadOfBuyer, 'boolean');
    });

    it('scores the qualification; a weaker fact marks the advantage as lost, in history and in the problems', async () => {
      let state = await insight();
      const first = await as.rep('PUT', `/api/v1/opportunities/${opp}/qualification`, {
        version: state.version,
        facts: {
          pain: { answer: 'yes', note: '  产线良率低于 92%  ' },
          power: { answer: 'yes' },
          vision: { answer: 'partly' },
          value: { answer: 'no' },
          control: null,
        },
      });
      assert.equal(first.statusCode, 200, first.body);
      state = json<Insight>(first);
      assert.deepEqual(state.qualification.pain, { answer: 'yes', note: '产线良率低于 92%' });
      assert.equal(state.qualification.control, null);
      assert.equal(state.qualification.criteria, null);
      assert.equal(state.qualificationScore, 42); // (2 + 2 + 1) of 12
      assert.deepEqual(state.weakened, []);
      assert.equal(state.advantageLost, false);
      assert.ok(!state.problems.includes('advantage_lost'));

      // Stale version: 409, nothing changes.
      const stale = await as.rep('PUT', `/api/v1/opportunities/${opp}/qualification`, {
        version: state.version - 1,
        facts: {},
      });
      assert.equal(stale.statusCode, 409);
      assert.equal((await insight()).qualificationScore, 42);

      // Power drops from yes to partly, vision is no longer assessed: both weakened.
      const second = await as.rep('PUT', `/api/v1/opportunities/${opp}/qualification`, {
        version: state.version,
        facts: {
          pain: { answer: 'yes' },
          power: { answer: 'partly', note: '新任总经理未接触' },
          value: { answer: 'partly' },
        },
      });
      assert.equal(second.statusCode, 200, second.body);
      state = json<Insight>(second);
      assert.deepEqual(state.weakened, ['power', 'vision']);
      assert.equal(state.qualificationScore, 33);
      assert.equal(state.advantageLost, true);
      const detail = json<{ problems: string[]; version: number }>(await as.rep('GET', `/api/v1/opportunities/${opp}`));
      assert.ok(detail.problems.includes('advantage_lost'), JSON.stringify(detail.problems));
      const attention = json<{ items: { id: number; problems: string[] }[]; counts: { advantage_lost: number } }>(
        await as.manager('GET', '/api/v1/opportunities/attention?problem=advantage_lost'),
      );
      assert.deepEqual(
        attention.items.map((o) => o.id),
        [opp],
        "the manager's needs-attention list shows it",
      );
      assert.equal(attention.counts.advantage_lost, 1);
      const hist = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['old_value', 'new_value', 'reason', 'actor_user_id'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('entity_type', '=', 'opportunity')
        .where('entity_id', '=', opp)
        .where('field', '=', 'qualification')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        hist.map((h) => [h.old_value, h.new_value, h.reason]),
        [
          ['0', '42', null],
          ['42', '33', 'weakened: power, vision'],
        ],
      );
      assert.equal(hist[1]!.actor_user_id, fixture.users.rep.id);

      // A stronger assessment does not clear the mark; only a manager does.
      state = json<Insight>(
        await as.rep('PUT', `/api/v1/opportunities/${opp}/qualification`, {
          version: state.version,
          facts: all('yes'),
        }),
      );
      assert.equal(state.qualificationScore, 100);
      assert.deepEqual(state.weakened, []);
      assert.equal(state.advantageLost, true);
      assert.equal(
        (await as.rep('PATCH', `/api/v1/opportunities/${opp}`, { version: state.version, advantageLost: false }))
          .statusCode,
        403,
      );
      const cleared = await as.manager('PATCH', `/api/v1/opportunities/${opp}`, {
        version: state.version,
        advantageLost: false,
      });
      assert.equal(cleared.statusCode, 200, cleared.body);
      assert.ok(!json<{ problems: string[] }>(cleared).problems.includes('advantage_lost'));
      assert.equal((await insight()).advantageLost, false);
    });

    it('rejects bad qualification input naming the field', async () => {
      const version = (await insight()).version;
      const cases: [unknown, string][] = [
        [{ version: version, facts: { pain: { answer: 'maybe' } } }, 'facts.pain.answer'],
        [{ version: version, facts: { budget: { answer: 'yes' } } }, 'facts.budget'],
        [{ version: version, facts: { power: { answer: 'yes', note: 'x'.repeat(1001) } } }, 'facts.power.note'],
        [{ version: version }, 'facts'],
        [{ facts: {} }, 'version'],
      ];
      for (const [body, field] of cases) {
        const res = await as.rep('PUT', `/api/v1/opportunities/${opp}/qualification`, body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
        assert.ok(
          json<Problem>(res).errors!.some((e) => e.field === field),
          `${field}: ${res.body}`,
        );
      }
      assert.equal((await insight()).version, version);
    });

    it('saves SWOT and competitors, trimmed, and names the bad field', async () => {
      const version = (await insight()).version;
      const ok = await as.rep('PUT', `/api/v1/opportunities/${opp}/analysis`, {
        version: version,
        swot: {
          strengths: [' 本地服务团队 ', '一期项目口碑'],
          weaknesses: ['价格偏高'],
          opportunities: ['二期扩产'],
          threats: ['西门子低价进入'],
        },
        competitors: [
          { name: '西门子', strengths: '品牌、PLC 装机量', weaknesses: '本地响应慢', status: 'leading' },
          { name: '中控技术', status: 'behind' },
        ],
      });
      assert.equal(ok.statusCode, 200, ok.body);
      const saved = json<Insight>(ok);
      assert.deepEqual(saved.swot.strengths, ['本地服务团队', '一期项目口碑']);
      assert.deepEqual(saved.swot.threats, ['西门子低价进入']);
      assert.deepEqual(saved.competitors, [
        { name: '西门子', strengths: '品牌、PLC 装机量', weaknesses: '本地响应慢', status: 'leading' },
        { name: '中控技术', strengths: '', weaknesses: '', status: 'behind' },
      ]);
      assert.equal(saved.version, version + 1);
      assert.deepEqual(
        (await insight(as.manager)).competitors.map((c) => c.name),
        ['西门子', '中控技术'],
      );

      const comp = (name: string, status = 'close') => ({ name, status });
      const swot = { strengths: [], weaknesses: [], opportunities: [], threats: [] };
      const cases: [unknown, string][] = [
        [{ version: saved.version, swot, competitors: [comp('A'), comp('B'), comp('  ')] }, 'competitors.2.name'],
        [{ version: saved.version, swot, competitors: [comp('A', 'winning')] }, 'competitors.0.status'],
        [{ version: saved.version, swot, competitors: [comp('A'), comp('a')] }, 'competitors.1.name'],
        [
          { version: saved.version, swot, competitors: Array.from({ length: 11 }, (_, k) => comp(`C${k}`)) },
          'competitors',
        ],
        [
          { version: saved.version, swot: { ...swot, threats: ['ok', 'x'.repeat(301)] }, competitors: [] },
          'swot.threats.1',
        ],
        [
          {
            version: saved.version,
            swot: { ...swot, strengths: Array.from({ length: 11 }, (_, k) => `S${k}`) },
            competitors: [],
          },
          'swot.strengths',
        ],
        [{ version: saved.version, swot: { ...swot, risks: [] }, competitors: [] }, 'swot.risks'],
      ];
      for (const [body, field] of cases) {
        const res = await as.rep('PUT', `/api/v1/opportunities/${opp}/analysis`, body);
        assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
        assert.ok(
          json<Problem>(res).errors!.some((e) => e.field === field),
          `${field}: ${res.body}`,
        );
      }
      assert.equal(
        (await as.rep('PUT', `/api/v1/opportunities/${opp}/analysis`, { version: version, swot, competitors: [] }))
          .statusCode,
        409,
      );
      assert.equal((await insight()).competitors.length, 2);
    });

    it('walks the win-strategy wizard to every strategy without saving', async () => {
      const next = async (answers: Record<string, boolean>) => {
        const res = await as.rep('POST', `/api/v1/opportunities/${opp}/strategy/next`, { answers });
        assert.equal(res.statusCode, 200, res.body);
        return json<{ done: boolean; next?: string; strategy?: string; path: { question: string; answer: boolean }[] }>(
          res,
        );
      };
      assert.deepEqual(await next({}), { done: false, next: 'urgentNeed', path: [] });
      assert.deepEqual(await next({ urgentNeed: true }), {
        done: false,
        next: 'canDeliver',
        path: [{ question: 'urgentNeed', answer: true }],
      });
      const leaves: [Record<string, boolean>, string][] = [
        [{ urgentNeed: false, accountMattersForFuture: true }, 'develop'],
        [{ urgentNeed: false, accountMattersForFuture: false, worthWaiting: true }, 'delay'],
        [{ urgentNeed: false, accountMattersForFuture: false, worthWaiting: false }, 'withdraw'],
        [{ urgentNeed: true, canDeliver: false, smallerPiece: true }, 'fragment'],
        [{ urgentNeed: true, canDeliver: false, smallerPiece: false }, 'withdraw'],
        [{ urgentNeed: true, canDeliver: true, incumbent: true }, 'defend'],
        [{ urgentNeed: true, canDeliver: true, incumbent: false, threeToOne: true }, 'frontal'],
        [
          { urgentNeed: true, canDeliver: true, incumbent: false, threeToOne: false, canChangeCriteria: true },
          'flanking',
        ],
        [
          {
            urgentNeed: true,
            canDeliver: true,
            incumbent: false,
            threeToOne: false,
            canChangeCriteria: false,
            smallerPiece: true,
          },
          'fragment',
        ],
        [
          {
            urgentNeed: true,
            canDeliver: true,
            incumbent: false,
            threeToOne: false,
            canChangeCriteria: false,
            smallerPiece: false,
            strategic: true,
          },
          'develop',
        ],
        [
          {
            urgentNeed: true,
            canDeliver: true,
            incumbent: false,
            threeToOne: false,
            canChangeCriteria: false,
            smallerPiece: false,
            strategic: false,
          },
          'withdraw',
        ],
      ];
      for (const [answers, strategy] of leaves) {
        const outcome = await next(answers);
        assert.equal(outcome.done, true, JSON.stringify(answers));
        assert.equal(outcome.strategy, strategy, JSON.stringify(answers));
        assert.deepEqual(
          outcome.path.map((s) => s.question),
          Object.keys(answers),
        );
      }
      // The executive may try the wizard (read-only), but it saves nothing.
      assert.equal(
        (await as.executive('POST', `/api/v1/opportunities/${opp}/strategy/next`, { answers: { urgentNeed: true } }))
          .statusCode,
        200,
      );
      assert.equal((await insight()).strategy, null);
      const bad = await as.rep('POST', `/api/v1/opportunities/${opp}/strategy/next`, {
        answers: { urgentNeed: 'yes' },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(json<Problem>(bad).errors![0]!.field, 'answers.urgentNeed');
      const unknown = await as.rep('POST', `/api/v1/opportunities/${opp}/strategy/next`, { answers: { budget: true } });
      assert.equal(json<Problem>(unknown).errors![0]!.field, 'answers.budget');
    });

    it('stores a strategy only when the answers reach one, with its path and in the history', async () => {
      let version = (await insight()).version;
      const partial = await as.rep('PUT', `/api/v1/opportunities/${opp}/strategy`, {
        version: version,
        answers: { urgentNeed: true, canDeliver: true },
      });
      assert.equal(partial.statusCode, 400, partial.body);
      assert.deepEqual(
        json<Problem>(partial).errors!.map((e) => e.field),
        ['answers.incumbent'],
      );
      const empty = await as.rep('PUT', `/api/v1/opportunities/${opp}/strategy`, { version: version, answers: {} });
      assert.deepEqual(
        json<Problem>(empty).errors!.map((e) => e.field),
        ['answers.urgentNeed'],
      );
      assert.equal((await insight()).strategy, null);

      const res = await as.rep('PUT', `/api/v1/opportunities/${opp}/strategy`, {
        version: version,
        answers: {
          urgentNeed: true,
          canDeliver: true,
          incumbent: false,
          threeToOne: false,
          canChangeCriteria: true,
          worthWaiting: true,
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      const saved = json<Insight>(res);
      assert.equal(saved.strategy!.strategy, 'flanking');
      assert.deepEqual(saved.strategy!.path, [
        { question: 'urgentNeed', answer: true },
        { question: 'canDeliver', answer: true },
        { question: 'incumbent', answer: false },
        { question: 'threeToOne', answer: false },
        { question: 'canChangeCriteria', answer: true },
      ]);
      assert.deepEqual(
        saved.strategy!.answers,
        { urgentNeed: true, canDeliver: true, incumbent: false, threeToOne: false, canChangeCriteria: true },
        'the answer off the path is dropped',
      );
      assert.equal(saved.strategy!.decidedBy, fixture.users.rep.id);
      assert.equal(saved.strategy!.decidedByName, `rep ins`);
      assert.ok(Math.abs(saved.strategy!.decidedAt - Date.now()) < 60_000);
      version = saved.version;
      assert.equal(
        (
          await as.rep('PUT', `/api/v1/opportunities/${opp}/strategy`, {
            version: version - 1,
            answers: { urgentNeed: true, canDeliver: true, incumbent: true },
          })
        ).statusCode,
        409,
      );
      const again = json<Insight>(
        await as.manager('PUT', `/api/v1/opportunities/${opp}/strategy`, {
          version: version,
          answers: { urgentNeed: true, canDeliver: true, incumbent: true },
        }),
      );
      assert.equal(again.strategy!.strategy, 'defend');
      assert.equal(again.strategy!.decidedByName, 'manager ins');
      const hist = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['old_value', 'new_value', 'reason'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('entity_id', '=', opp)
        .where('field', '=', 'strategy')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        hist.map((h) => [h.old_value, h.new_value]),
        [
          [null, 'flanking'],
          ['flanking', 'defend'],
        ],
      );
      assert.equal(
        hist[0]!.reason,
        'urgentNeed=yes → canDeliver=yes → incumbent=no → threeToOne=no → canChangeCriteria=yes',
      );
    });

    it('records pipeline reviews by the owner and a manager over it, newest first; refuses others', async () => {
      const url = `/api/v1/opportunities/${opp}/reviews`;
      const repReview = await as.rep('POST', url, {
        completedStep: '完成技术交流',
        evidence: '会议纪要已上传',
        nextAction: '安排高层拜访',
        jointPlan: null,
      });
      assert.equal(repReview.statusCode, 201, repReview.body);
      assert.equal(json<Review>(repReview).reviewerName, 'rep ins');
      const managerReview = await as.manager('POST', url, {
        completedStep: '方案汇报',
        nextAction: '提交报价',
        jointPlan: '经理陪同拜访总经理',
      });
      assert.equal(managerReview.statusCode, 201, managerReview.body);
      const created = json<Review>(managerReview);
      assert.deepEqual(
        [created.completedStep, created.evidence, created.nextAction, created.jointPlan],
        ['方案汇报', null, '提交报价', '经理陪同拜访总经理'],
      );
      // Presales may see it but is neither owner nor manager; rep2 cannot see it at all; finance has no access.
      assert.equal((await as.presales('POST', url, { completedStep: 'x', nextAction: 'y' })).statusCode, 404);
      assert.equal((await as.rep2('POST', url, { completedStep: 'x', nextAction: 'y' })).statusCode, 404);
      assert.equal((await as.finance('POST', url, { completedStep: 'x', nextAction: 'y' })).statusCode, 403);
      const missing = await as.rep('POST', url, { evidence: 'only evidence' });
      assert.equal(missing.statusCode, 400);
      assert.deepEqual(
        json<Problem>(missing)
          .errors!.map((e) => e.field)
          .sort(),
        ['completedStep', 'nextAction'],
      );
      const blank = await as.rep('POST', url, { completedStep: '  ', nextAction: '跟进' });
      assert.deepEqual(
        json<Problem>(blank).errors!.map((e) => e.field),
        ['completedStep'],
      );
      const list = json<{ items: Review[] }>(await as.executive('GET', url)).items;
      assert.deepEqual(
        list.map((r) => r.completedStep),
        ['方案汇报', '完成技术交流'],
      );
      assert.deepEqual(
        list.map((r) => r.reviewerName),
        ['manager ins', 'rep ins'],
      );
    });

    it('a review with a dated next action plans the deal (no longer "no plan"), and records the root cause it found', async () => {
      const url = `/api/v1/opportunities/${opp}/reviews`;
      const before = json<{ version: number; nextStep: string | null; problems: string[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opp}`),
      );
      const badCause = await as.manager('POST', url, { completedStep: 'x', nextAction: 'y', rootCause: 'bad_luck' });
      assert.equal(badCause.statusCode, 400);
      assert.equal(json<Problem>(badCause).errors![0]!.field, 'rootCause');
      const badDate = await as.manager('POST', url, {
        completedStep: 'x',
        nextAction: 'y',
        nextActionDate: '2027-02-30',
      });
      assert.equal(json<Problem>(badDate).errors![0]!.field, 'nextActionDate');
      const due = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
      const res = await as.manager('POST', url, {
        completedStep: '方案汇报',
        nextAction: '约采购总监确认预算',
        nextActionDate: due,
        rootCause: 'poor_execution',
      });
      assert.equal(res.statusCode, 201, res.body);
      const review = json<Review & { rootCause: string; nextActionDate: string }>(res);
      assert.deepEqual([review.rootCause, review.nextActionDate], ['poor_execution', due]);
      const after = json<{ version: number; nextStep: string | null; nextStepDate: string | null; problems: string[] }>(
        await as.rep('GET', `/api/v1/opportunities/${opp}`),
      );
      assert.deepEqual([after.nextStep, after.nextStepDate], ['约采购总监确认预算', due]);
      assert.ok(!after.problems.includes('no_plan'), after.problems.join());
      assert.equal(
        after.version,
        before.version + 1,
        'an open edit form of the deal learns of the change (409), not overwrites it',
      );
      const timeline = json<TimelinePage>(await as.rep('GET', `/api/v1/opportunities/${opp}/timeline`)).items;
      assert.equal(timeline.find((e) => e.kind === 'review')!.reason, 'poor_execution');
    });

    it('lets a manager mark an advantage as lost with a reason, kept in the history; not the owner; clearing needs no reason', async () => {
      const opportunity = json<{ version: number }>(await as.rep('GET', `/api/v1/opportunities/${opp}`));
      const reason = '客户新任总经理偏向西门子方案';
      assert.equal(
        (
          await as.rep('PATCH', `/api/v1/opportunities/${opp}`, {
            version: opportunity.version,
            advantageLost: true,
            advantageReason: reason,
          })
        ).statusCode,
        403,
      );
      for (const extra of [{}, { advantageReason: '   ' }, { advantageReason: 'x'.repeat(501) }]) {
        const res = await as.manager('PATCH', `/api/v1/opportunities/${opp}`, {
          version: opportunity.version,
          advantageLost: true,
          ...extra,
        });
        assert.equal(res.statusCode, 400, res.body);
        assert.deepEqual(
          json<Problem>(res).errors!.map((e) => e.field),
          ['advantageReason'],
          res.body,
        );
      }
      assert.equal((await insight()).advantageLost, false, 'a refused mark changes nothing');
      const marked = await as.manager('PATCH', `/api/v1/opportunities/${opp}`, {
        version: opportunity.version,
        advantageLost: true,
        advantageReason: ` ${reason} `,
      });
      assert.equal(marked.statusCode, 200, marked.body);
      assert.ok(json<{ problems: string[] }>(marked).problems.includes('advantage_lost'));
      const cleared = await as.manager('PATCH', `/api/v1/opportunities/${opp}`, {
        version: json<{ version: number }>(marked).version,
        advantageLost: false,
      });
      assert.equal(cleared.statusCode, 200, cleared.body);
      const hist = await testApp.db.kysely
        .selectFrom('record_history')
        .select(['old_value', 'new_value', 'reason', 'actor_user_id'])
        .where('workspace_id', '=', fixture.workspaceId)
        .where('entity_id', '=', opp)
        .where('field', '=', 'advantage_lost')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        hist.slice(-2).map((h) => [h.old_value, h.new_value, h.reason, h.actor_user_id]),
        [
          ['false', 'true', reason, fixture.users.manager.id],
          ['true', 'false', null, fixture.users.manager.id],
        ],
      );
      const timeline = json<TimelinePage>(
        await as.manager('GET', `/api/v1/opportunities/${opp}/timeline?limit=100`),
      ).items;
      assert.ok(
        timeline.some((e) => e.reason === reason),
        'the timeline shows why',
      );
    });

    it('lets a team member who is not the owner write insight but not reviews', async () => {
      await testApp.db.kysely
        .insertInto('opportunity_team')
        .values({
          workspace_id: fixture.workspaceId,
          opportunity_id: opp,
          user_id: fixture.users.presales.id,
          team_role: 'presales',
          created_at: Date.now(),
        })
        .execute();
      const version = (await insight(as.presales)).version;
      const ok = await as.presales('PUT', `/api/v1/opportunities/${opp}/analysis`, {
        version: version,
        swot: { strengths: ['售前驻场'] },
        competitors: [],
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(json<Insight>(ok).swot.strengths, ['售前驻场']);
      const review = await as.presales('POST', `/api/v1/opportunities/${opp}/reviews`, {
        completedStep: 'x',
        nextAction: 'y',
      });
      assert.equal(review.statusCode, 403);
      // The executive sees everything but edits nothing.
      assert.equal(
        (
          await as.executive('PUT', `/api/v1/opportunities/${opp}/analysis`, {
            version: version + 1,
            swot: {},
            competitors: [],
          })
        ).statusCode,
        403,
      );
    });

    it('hides the opportunity from people out of reach and other workspaces (404)', async () => {
      const version = (await insight()).version;
      for (const call of [as.rep2, as.otherAdmin]) {
        assert.equal((await call('GET', `/api/v1/opportunities/${opp}/insight`)).statusCode, 404);
        assert.equal((await call('GET', `/api/v1/opportunities/${opp}/reviews`)).statusCode, 404);
        assert.equal(
          (await call('POST', `/api/v1/opportunities/${opp}/strategy/next`, { answers: {} })).statusCode,
          404,
        );
        assert.equal(
          (await call('PUT', `/api/v1/opportunities/${opp}/qualification`, { version: version, facts: all('no') }))
            .statusCode,
          404,
        );
        assert.equal(
          (
            await call('PUT', `/api/v1/opportunities/${opp}/strategy`, {
              version: version,
              answers: { urgentNeed: false, accountMattersForFuture: true },
            })
          ).statusCode,
          404,
        );
        assert.equal(
          (await call('PUT', `/api/v1/opportunities/${opp}/analysis`, { version: version, swot: {}, competitors: [] }))
            .statusCode,
          404,
        );
        assert.equal(
          (await call('POST', `/api/v1/opportunities/${opp}/reviews`, { completedStep: 'x', nextAction: 'y' }))
            .statusCode,
          404,
        );
      }
      const after = await insight();
      assert.equal(after.version, version);
      assert.equal(after.qualificationScore, 100);
      // The other workspace's own opportunity is not reachable from here either.
      assert.equal(
        (await as.admin('GET', `/api/v1/opportunities/${other.opportunities.repOpp}/insight`)).statusCode,
        404,
      );
    });

    it('refuses changes to a closed opportunity (409) but still shows its insight', async () => {
      await testApp.db.kysely
        .updateTable('opportunities')
        .set({ status: 'lost', closed_at: Date.now() })
        .where('id', '=', opp)
        .execute();
      const version = (await insight()).version;
      const res = await as.rep('PUT', `/api/v1/opportunities/${opp}/qualification`, { version: version, facts: {} });
      assert.equal(res.statusCode, 409);
      assert.equal(json<Problem>(res).code, 'closed');
      assert.equal((await insight()).qualificationScore, 100);
    });
  });

  describe(`demo opportunity insight [${engine}]`, () => {
    let testApp: TestApp;
    let workspaceId: number;
    before(async () => {
      testApp = await createTestApp(engine);
      workspaceId = (await loadDemo(testApp.db, { force: true })).workspaceId;
    });
    after(() => testApp.close());

    it('fills qualification, analysis, strategies, reviews and opportunity buying roles', async () => {
      const kysely = testApp.db.kysely;
      const open = await kysely
        .selectFrom('opportunities')
        .select(['id', 'amount', 'qualification', 'competitors', 'win_strategy', 'advantage_lost', 'owner_id'])
        .where('workspace_id', '=', workspaceId)
        .where('status', '=', 'open')
        .orderBy('id')
        .execute();
      const share = (n: number) => n / open.length;
      const qualified = open.filter((o) => o.qualification !== '{}');
      assert.ok(
        share(qualified.length) > 0.6 && share(qualified.length) < 0.95,
        `qualified ${qualified.length}/${open.length}`,
      );
      const withStrategy = open.filter((o) => o.win_strategy !== null);
      assert.ok(
        share(withStrategy.length) > 0.3 && share(withStrategy.length) < 0.7,
        `strategies ${withStrategy.length}/${open.length}`,
      );
      const lost = open.filter((o) => o.advantage_lost === 1);
      assert.ok(lost.length >= 3 && share(lost.length) < 0.2, `advantage lost ${lost.length}`);
      const large = open.filter((o) => o.amount >= 200_000_00);
      for (const opportunity of large) {
        const names = (JSON.parse(opportunity.competitors) as { name: string }[]).map((c) => c.name);
        assert.ok(
          names.length >= 1 && names.length <= 3 && new Set(names).size === names.length,
          `${opportunity.id}: ${opportunity.competitors}`,
        );
      }
      const reviews = await kysely
        .selectFrom('opportunity_reviews as r')
        .innerJoin('users as u', 'u.id', 'r.reviewer_id')
        .select(['u.role'])
        .where('r.workspace_id', '=', workspaceId)
        .execute();
      assert.ok(reviews.length >= 5, `reviews ${reviews.length}`);
      assert.ok(reviews.every((r) => r.role === 'manager'));
      const oppRoles = await kysely
        .selectFrom('buying_roles')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('opportunity_id', 'is not', null)
        .executeTakeFirstOrThrow();
      assert.ok(Number(oppRoles.n) > 0);

      // Through the API, as the owner of a weakened one: the facts, the problem, the strategy path.
      const item = lost[0]!;
      const as = client(testApp, await sessionCookie(testApp, workspaceId, item.owner_id));
      const insight = json<Insight>(await as('GET', `/api/v1/opportunities/${item.id}/insight`));
      assert.ok(insight.weakened.length >= 1, JSON.stringify(insight.weakened));
      assert.ok(insight.problems.includes('advantage_lost'));
      assert.ok(insight.qualificationScore >= 0 && insight.qualificationScore < 100);
      const strategyOpportunity = withStrategy[0]!;
      const owner = client(testApp, await sessionCookie(testApp, workspaceId, strategyOpportunity.owner_id));
      const si = json<Insight>(await owner('GET', `/api/v1/opportunities/${strategyOpportunity.id}/insight`));
      assert.ok(si.strategy && si.strategy.path.length >= 2 && si.strategy.decidedByName, JSON.stringify(si.strategy));
    });
  });
}
