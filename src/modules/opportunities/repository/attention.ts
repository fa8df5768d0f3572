import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Engine } from '../../../db/dialect.ts';
import type { Actor } from '../../../domain/policy.ts';
import { shapedQueries } from '../../../db/fixed-query.ts';
import { standActor } from '../../scope.ts';
import { scoped, sortedPageQuery, type PageRequest, type ScopeFilter } from './visible.ts';

export type AttentionProblem = 'stalled' | 'no_plan' | 'advantage_lost';

/** An open deal's row as the problem conditions read it: the deal and its stage. */
type DealBuilder = ExpressionBuilder<Database & { stage: Database['process_stages'] }, 'opportunities' | 'stage'>;

/**
 * The problem conditions of docs/sales-process.md as SQL, matching classifyProblems in
 * domain/stage-gate.ts: stalled = in the stage longer than expected_days × the workspace's stall factor; no plan =
 * no next step, no date, or a date already past; advantage lost = marked by a manager.
 */
function problemCondition(problem: AttentionProblem, now: number, today: string, stalledFactorPercent: number) {
  // An expected day, stretched by the stall factor, in milliseconds (150% → 129,600,000).
  const stalledDayMs = stalledFactorPercent * 864_000;
  return (eb: DealBuilder): Expression<SqlBool> => {
    switch (problem) {
      case 'stalled':
        return eb.and([
          eb('stage.expected_days', '>', 0),
          eb('opportunities.stage_entered_at', 'is not', null),
          sql<SqlBool>`opportunities.stage_entered_at + stage.expected_days * cast(${stalledDayMs} as bigint) < ${now}`,
        ]);
      case 'no_plan':
        return eb.or([
          eb('opportunities.next_step', 'is', null),
          sql<SqlBool>`trim(opportunities.next_step) = ''`,
          eb('opportunities.next_step_date', 'is', null),
          eb('opportunities.next_step_date', '<', today),
        ]);
      case 'advantage_lost':
        return eb('opportunities.advantage_lost', '=', 1);
    }
  };
}

type AttentionFilter = ScopeFilter &
  PageRequest & {
    problem?: AttentionProblem | undefined;
    now: number;
    today: string;
    stalledFactorPercent: number;
  };

/**
 * The attention list's page, and its total with the count of each problem in one statement (a
 * desk card): both read the same open deals within reach, which two statements read twice.
 * Compiled once per shape.
 */
const attentionQueries = shapedQueries(
  async (db: Kysely<Database>, engine: Engine, actor: Actor, filter: AttentionFilter) => {
    const base = (await scoped(db, engine, actor, filter)).where('opportunities.status', '=', 'open');
    const condition = (problem: AttentionProblem) =>
      problemCondition(problem, filter.now, filter.today, filter.stalledFactorPercent);
    const cond = {
      stalled: condition('stalled'),
      no_plan: condition('no_plan'),
      advantage_lost: condition('advantage_lost'),
    };
    const matches = (eb: DealBuilder) =>
      filter.problem ? cond[filter.problem](eb) : eb.or([cond.stalled(eb), cond.no_plan(eb), cond.advantage_lost(eb)]);
    const flag = (condition: (typeof cond)['stalled']) => (eb: DealBuilder) =>
      eb.fn.sum<number | string>(eb.case().when(condition(eb)).then(1).else(0).end());
    return [
      sortedPageQuery(base.where(matches), filter),
      base.select((eb) => [
        flag(matches)(eb).as('n'),
        flag(cond.stalled)(eb).as('stalled'),
        flag(cond.no_plan)(eb).as('no_plan'),
        flag(cond.advantage_lost)(eb).as('advantage_lost'),
      ]),
    ] as const;
  },
  // A text or a unit filter reads the search index or the unit while building: built afresh.
  (stand, engine, actor, filter) =>
    filter.q || filter.orgUnitId !== undefined
      ? null
      : [
          engine,
          standActor(stand, actor),
          {
            ...filter,
            ownerId: stand(filter.ownerId),
            limit: stand(filter.limit),
            offset: stand(filter.offset),
            now: stand(filter.now),
            today: stand(filter.today),
          },
        ],
);

export async function attention(db: Kysely<Database>, engine: Engine, actor: Actor, filter: AttentionFilter) {
  const [itemsQuery, countsQuery] = await attentionQueries(db, engine, actor, filter);
  const [items, counts] = await Promise.all([db.executeQuery(itemsQuery), db.executeQuery(countsQuery)]);
  // A sum over no deals is null.
  const flags = counts.rows[0]!;
  return {
    items: items.rows,
    total: Number(flags.n ?? 0),
    counts: {
      stalled: Number(flags.stalled ?? 0),
      no_plan: Number(flags.no_plan ?? 0),
      advantage_lost: Number(flags.advantage_lost ?? 0),
    },
  };
}
