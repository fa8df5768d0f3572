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

/**
 * Issue 9's "Bad input" across every live figure of docs/targets.md at once: a period that
 * does not parse is 400 naming `query.period`, a malformed scope 400 naming `query.scope`, and a
 * scope the caller cannot see — another's, a unit outside their subtree, one that does not exist,
 * one of another workspace — is 403, never an empty report. Plus the calculators' and the
 * adjustments' numbers the other suites leave out.
 */
const LIVE = [
  '/api/v1/funnel',
  '/api/v1/funnel/members',
  '/api/v1/funnel/health',
  '/api/v1/funnel/collections',
  '/api/v1/forecasts',
  '/api/v1/forecasts/gap',
  '/api/v1/forecasts/accuracy',
  '/api/v1/forecasts/behind',
  '/api/v1/analyses',
  '/api/v1/quotas/figure',
  '/api/v1/forecasts/export?report=gap&',
];
const url = (base: string, query: string) => (base.endsWith('&') ? `${base}${query}` : `${base}?${query}`);

type Problem = { errors: { field: string; code: string }[] };

for (const engine of testEngines()) {
  describe(`targets: bad input and scopes out of reach [${engine}]`, () => {
    let testApp: TestApp;
    let fixture: Fixture;
    let other: Fixture;
    let admin: Call;
    let manager: Call;
    let rep: Call;

    before(async () => {
      testApp = await createTestApp(engine);
      fixture = await seedWorkspace(testApp, 'bad');
      other = await seedWorkspace(testApp, 'other');
      const as = async (id: number) => client(testApp, await sessionCookie(testApp, fixture.workspaceId, id));
      admin = await as(fixture.users.admin.id);
      manager = await as(fixture.users.manager.id);
      rep = await as(fixture.users.rep.id);
    });
    after(() => testApp.close());

    it('a period that does not parse is 400 naming query.period, on every live figure', async () => {
      for (const base of LIVE)
        for (const period of ['2026-13', 'FY2026-Q5', 'FY2026-W99', 'next-quarter']) {
          const res = await admin('GET', url(base, `period=${period}`));
          assert.equal(res.statusCode, 400, `${base} ${period}: ${res.body}`);
          assert.deepEqual(
            json<Problem>(res).errors.map((e) => e.field),
            ['query.period'],
            `${base} ${period}`,
          );
        }
    });

    it('a malformed scope is 400 naming query.scope', async () => {
      for (const base of LIVE)
        for (const scope of ['team:1', 'unit:', 'user:abc', 'unit:0']) {
          const res = await admin('GET', url(base, `scope=${scope}`));
          assert.equal(res.statusCode, 400, `${base} ${scope}: ${res.body}`);
          assert.deepEqual(
            json<Problem>(res).errors.map((e) => e.field),
            ['query.scope'],
            `${base} ${scope}`,
          );
        }
    });

    it('a scope out of reach is 403 on every live figure: no empty report', async () => {
      const outOfReach: [Call, string, string][] = [
        [rep, `user:${fixture.users.rep2.id}`, "a rep asking another rep's"],
        [rep, `unit:${fixture.units.sales1}`, "a rep asking their unit's"],
        [rep, 'workspace', "a rep asking the company's"],
        [manager, `unit:${fixture.units.sales3}`, 'a manager asking outside the subtree'],
        [manager, 'workspace', "a manager asking the company's"],
        [admin, 'unit:2000000000', 'a unit that does not exist'],
        [admin, `user:${other.users.rep.id}`, 'a person of another workspace'],
        [admin, `unit:${other.units.sales1}`, 'a unit of another workspace'],
      ];
      for (const base of LIVE) {
        // Exports need the grant: the reps of the fixture have none, so only the others export here.
        for (const [call, scope, why] of outOfReach) {
          if (base.includes('export') && call === rep) continue;
          const res = await call('GET', url(base, `scope=${scope}`));
          assert.equal(res.statusCode, 403, `${base} ${why}: ${res.body}`);
        }
      }
    });

    it('the calculators name the field: probability outside 0–100, zero weeks, a zero average deal, fractional fen', async () => {
      const funnelStage = { name: 'a', probability: 20 };
      const cases: [string, unknown, string][] = [
        [
          '/api/v1/planning/standard-funnel',
          { quota: 100, averageDeal: 10, weeks: 13, stages: [{ ...funnelStage, probability: -1 }] },
          'stages.0.probability',
        ],
        [
          '/api/v1/planning/standard-funnel',
          { quota: 100, averageDeal: 10, weeks: 13, stages: [{ ...funnelStage, probability: 12.5 }] },
          'stages.0.probability',
        ],
        [
          '/api/v1/planning/standard-funnel',
          { quota: 100, averageDeal: 10, weeks: 13, stages: [{ ...funnelStage, weeks: 0 }] },
          'stages.0.weeks',
        ],
        [
          '/api/v1/planning/standard-funnel',
          { quota: 100.5, averageDeal: 10, weeks: 13, stages: [funnelStage] },
          'quota',
        ],
        [
          '/api/v1/planning/funnel-gap',
          { quota: 100, realised: 0, averageDeal: 0, stages: [{ ...funnelStage, count: 1 }] },
          'averageDeal',
        ],
        [
          '/api/v1/planning/funnel-gap',
          { quota: 100, realised: -5, averageDeal: 10, stages: [{ ...funnelStage, count: 1 }] },
          'realised',
        ],
        ['/api/v1/planning/gap', { quota: 100, finished: 0, commit: 0, nonCommit: 0, averageDeal: 0 }, 'averageDeal'],
        ['/api/v1/planning/gap', { quota: 100, finished: 0, commit: 0.5, nonCommit: 0, averageDeal: 5 }, 'commit'],
        [
          '/api/v1/planning/forecast',
          { quota: 100, realised: 0, commit: 0, possible: 0, weeksLeft: 1, commitWeight: 101 },
          'commitWeight',
        ],
        ['/api/v1/planning/forecast', { quota: 100, realised: 0, commit: 0, possible: 0, weeksLeft: -1 }, 'weeksLeft'],
      ];
      for (const [path, body, field] of cases) {
        const res = await rep('POST', path, body);
        assert.equal(res.statusCode, 400, `${path} ${JSON.stringify(body)}`);
        assert.deepEqual(
          json<Problem>(res).errors.map((e) => e.field),
          [field],
          `${path} ${JSON.stringify(body)}`,
        );
      }
    });

    it('live P1–P4 overrides outside their range name the field', async () => {
      for (const [query, field] of [
        ['p1=101', 'query.p1'],
        ['p2=-1', 'query.p2'],
        ['p3=0', 'query.p3'],
      ] as const) {
        const res = await admin('GET', `/api/v1/forecasts/gap?${query}`);
        assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
        assert.equal(json<Problem>(res).errors[0]!.field, field);
      }
    });

    it("a manager's adjusted figure refuses negative or fractional fen and a unit out of reach, saving nothing", async () => {
      for (const [body, field] of [
        [{ unitId: fixture.units.sales1, amount: -1 }, 'amount'],
        [{ unitId: fixture.units.sales1, amount: 10.5 }, 'amount'],
        [{ unitId: fixture.units.sales3, amount: 100 }, 'unitId'],
      ] as const) {
        const res = await manager('PUT', '/api/v1/forecasts/adjustments', body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
        assert.equal(json<Problem>(res).errors[0]!.field, field);
      }
      const stored = await testApp.db.kysely
        .selectFrom('forecast_adjustments')
        .select('id')
        .where('workspace_id', '=', fixture.workspaceId)
        .execute();
      assert.equal(stored.length, 0);
    });
  });
}
