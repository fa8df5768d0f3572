import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../helpers/db.ts';
import { json } from '../helpers/app.ts';
import { insightWorld, type InsightWorld } from '../helpers/opportunity-world.ts';
import type { Problem } from '../../src/contracts/common.ts';
import type { Insight } from '../../src/contracts/opportunity-insight.ts';

for (const engine of testEngines()) {
  describe(`opportunity insight: qualification, SWOT and competitors, who may read and write it [${engine}]`, () => {
    let testApp: InsightWorld['testApp'];
    let fixture: InsightWorld['fixture'];
    let other: InsightWorld['other'];
    let as: InsightWorld['as'];
    let opp: InsightWorld['opp'];
    let insight: InsightWorld['insight'];
    let all: InsightWorld['all'];
    before(async () => {
      ({ testApp, fixture, other, as, opp, insight, all } = await insightWorld(engine));
    });
    after(() => testApp.close());

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
}
