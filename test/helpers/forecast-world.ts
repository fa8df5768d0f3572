import { client, createTestApp, seedExtras, seedWorkspace, sessionCookie, type Call, type Fixture } from './app.ts';
import type { Engine } from '../../src/db/dialect.ts';
import { insertUser } from '../../src/modules/users/repository.ts';
import { rebuildFunnel } from '../../src/modules/funnel/upkeep.ts';

export const WEEK = 7 * 86_400_000;
/** Wednesday 2 December 2026 (Shanghai): FY2026-Q4 has weeks to run. */
export const T0 = Date.parse('2026-12-02T04:00:00Z');

/**
 * The world of the forecast suites (test/api/forecasts-submissions, forecasts-reports): a
 * workspace with its extras on the clock given (sessions last long enough for it to run a week
 * ahead), none of the fixture's submissions, a second manager of Shanghai, and the rep's and
 * rep2's deals written straight to the table with the funnel's totals rebuilt. Each suite makes its own.
 */
export async function forecastWorld(engine: Engine, clock: () => number) {
  const opp: Record<'commit' | 'possible' | 'later' | 'other' | 'won', number> = {
    commit: 0,
    possible: 0,
    later: 0,
    other: 0,
    won: 0,
  };
  // Sessions are made on the real clock; the fixed one may be a week on from it.
  const testApp = await createTestApp(
    engine,
    { sessionIdleMs: 400 * 86_400_000, sessionAbsoluteMs: 400 * 86_400_000 },
    { clock },
  );
  const kysely = () => testApp.db.kysely;
  const fixture = await seedWorkspace(testApp, 'forecast');
  const extras = await seedExtras(testApp, fixture);

  async function deal(
    name: string,
    spec: {
      owner: number;
      unit: number;
      account: number;
      amount: number;
      close: string;
      category: string;
      status?: string;
      closedAt?: number;
      stage?: number;
    },
  ) {
    return (
      await kysely()
        .insertInto('opportunities')
        .values({
          workspace_id: fixture.workspaceId,
          account_id: spec.account,
          name,
          owner_id: spec.owner,
          org_unit_id: spec.unit,
          amount: spec.amount,
          status: spec.status ?? 'open',
          expected_close_date: spec.close,
          closed_at: spec.closedAt ?? null,
          process_id: extras.processes.small.id,
          stage_id: extras.processes.small.stageIds[spec.stage ?? 1]!,
          stage_entered_at: T0,
          forecast_category: spec.category,
          created_at: T0 - 30 * 86_400_000,
          updated_at: T0,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  // The fixture's own submission would be this week's too: these tests start from none.
  await kysely().deleteFrom('forecast_submission_deals').where('workspace_id', '=', fixture.workspaceId).execute();
  await kysely().deleteFrom('forecast_submissions').where('workspace_id', '=', fixture.workspaceId).execute();
  const as = async (who: keyof Fixture['users'] | number): Promise<Call> =>
    client(
      testApp,
      await sessionCookie(testApp, fixture.workspaceId, typeof who === 'number' ? who : fixture.users[who].id),
    );
  const hash = (
    await kysely()
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', fixture.users.rep.id)
      .executeTakeFirstOrThrow()
  ).password_hash;
  const manager2 = await insertUser(kysely(), {
    workspaceId: fixture.workspaceId,
    orgUnitId: fixture.units.shanghai,
    email: `m2-${engine}-${Date.now()}@forecast.test`,
    name: '副经理',
    role: 'manager',
    title: null,
    phone: null,
    passwordHash: hash,
    locale: 'zh-CN',
    canExport: false,
    now: T0,
  });
  const rep = { owner: fixture.users.rep.id, unit: fixture.units.sales1, account: fixture.accounts.repAccount };
  opp.commit = await deal('华为 MES 二期', {
    ...rep,
    amount: 100_000_00,
    close: '2026-12-20',
    category: 'commit',
    stage: 2,
  });
  opp.possible = await deal('华为 WMS', { ...rep, amount: 50_000_00, close: '2026-12-15', category: 'possible' });
  opp.later = await deal('华为 明年项目', { ...rep, amount: 80_000_00, close: '2027-03-01', category: 'pipeline' });
  opp.won = await deal('华为 已签', {
    ...rep,
    amount: 30_000_00,
    close: '2026-11-20',
    category: 'commit',
    status: 'won',
    closedAt: Date.parse('2026-11-20T04:00:00Z'),
  });
  opp.other = await deal('白云 配电', {
    owner: fixture.users.rep2.id,
    unit: fixture.units.sales3,
    account: fixture.accounts.rep2Account,
    amount: 70_000_00,
    close: '2026-12-10',
    category: 'commit',
  });
  // Deals written straight to the table, as a bulk load: the funnel's kept totals count them once.
  await rebuildFunnel(kysely(), fixture.workspaceId);

  /** The objective figure counted from the deals themselves: open, in a process, closing before `end` (overdue too). */
  async function recountObjective(unitId: number, from: string | null, end: string) {
    const unit = await kysely()
      .selectFrom('org_units')
      .select('path')
      .where('id', '=', unitId)
      .executeTakeFirstOrThrow();
    let query = kysely()
      .selectFrom('opportunities')
      .innerJoin('org_units', 'org_units.id', 'opportunities.org_unit_id')
      .innerJoin('process_stages', 'process_stages.id', 'opportunities.stage_id')
      .select(['process_stages.probability', 'opportunities.amount'])
      .where('opportunities.workspace_id', '=', fixture.workspaceId)
      .where('opportunities.status', '=', 'open')
      .where('org_units.path', 'like', `${unit.path}%`)
      .where('opportunities.expected_close_date', '<', end);
    if (from) query = query.where('opportunities.expected_close_date', '>=', from);
    const byStage = new Map<number, { amount: number; deals: number }>();
    for (const row of await query.execute()) {
      const stage = byStage.get(row.probability) ?? { amount: 0, deals: 0 };
      stage.amount += Number(row.amount);
      stage.deals += 1;
      byStage.set(row.probability, stage);
    }
    const stages = [...byStage];
    return {
      amount: stages.reduce((a, [, s]) => a + s.amount, 0),
      expectedAmount: stages.reduce((a, [p, s]) => a + Math.round((s.amount * p) / 100), 0),
      deals: stages.reduce((a, [, s]) => a + s.deals, 0),
    };
  }
  return { testApp, fixture, extras, as, manager2, opp, recountObjective };
}

export type ForecastWorld = Awaited<ReturnType<typeof forecastWorld>>;
