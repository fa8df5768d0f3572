import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Engine } from '../../../db/dialect.ts';
import type { Actor } from '../../../domain/policy.ts';
import { accountReach } from '../../../domain/policy.ts';
import { COUNT_CAP, listTotalOf, listTotalQuery } from '../../../db/counts.ts';
import { shapedQueries } from '../../../db/fixed-query.ts';
import { planDue } from '../../../db/migrations/0041_attention_indexes.ts';
import { countCapOf, opportunitiesWithinReach, standActor, subtreePattern } from '../../scope.ts';
import { columns, opportunityRows, sortColumn, type PageRequest } from './visible.ts';

export type AttentionProblem = 'stalled' | 'no_plan' | 'advantage_lost';
const PROBLEMS = ['stalled', 'no_plan', 'advantage_lost'] as const;

/** An open deal's row as the problem conditions read it: the deal and its stage. */
type DealBuilder = ExpressionBuilder<Database & { stage: Database['process_stages'] }, 'opportunities' | 'stage'>;

/**
 * The problem conditions of docs/sales-process.md as SQL, matching classifyProblems in
 * domain/stage-gate.ts: stalled = in the stage longer than expected_days × the workspace's stall factor; no plan =
 * no next step, no date, or a date already past; advantage lost = marked by a manager. Each is
 * written as the indexes of migration 0041 hold it: stalled as a bound of stage_entered_at per
 * stage, no plan as the plan's day (planDue) before today, advantage lost as a literal (the
 * partial index applies only to `advantage_lost = 1` written so).
 */
function problemCondition(problem: AttentionProblem, now: number, today: string, stalledFactorPercent: number) {
  // An expected day, stretched by the stall factor, in milliseconds (150% → 129,600,000).
  const stalledDayMs = stalledFactorPercent * 864_000;
  return (eb: DealBuilder): Expression<SqlBool> => {
    switch (problem) {
      case 'stalled':
        return eb.and([
          eb('stage.expected_days', '>', 0),
          sql<SqlBool>`opportunities.stage_entered_at < ${now} - stage.expected_days * cast(${stalledDayMs} as bigint)`,
        ]);
      case 'no_plan':
        return sql<SqlBool>`${sql.raw(planDue('opportunities.'))} < ${today}`;
      case 'advantage_lost':
        return sql<SqlBool>`opportunities.advantage_lost = 1`;
    }
  };
}

interface AttentionFilter extends PageRequest {
  ownerId?: number | undefined;
  orgUnitId?: number | undefined;
  problem?: AttentionProblem | undefined;
  now: number;
  today: string;
  stalledFactorPercent: number;
}

/**
 * Whether the counts stop at COUNT_CAP (src/db/counts.ts), as a list's total does over a
 * workspace or a subtree — unless narrowed to one owner, whose deals are few and counted exactly
 * (a rep's own list, a manager's look at one rep).
 */
const countsCapped = (actor: Actor, filter: AttentionFilter) =>
  countCapOf(actor) !== null && filter.ownerId === undefined;

/** The open deals within reach with their unit and stage: no more joins than the conditions read. */
async function openWithinReach(db: Kysely<Database>, actor: Actor, filter: AttentionFilter) {
  let query = db
    .selectFrom('opportunities')
    .innerJoin('org_units', (join) =>
      join
        .onRef('org_units.id', '=', 'opportunities.org_unit_id')
        .onRef('org_units.workspace_id', '=', 'opportunities.workspace_id'),
    )
    .leftJoin('process_stages as stage', 'stage.id', 'opportunities.stage_id')
    .where(opportunitiesWithinReach(actor))
    .where('opportunities.status', '=', 'open');
  if (filter.ownerId !== undefined) query = query.where('opportunities.owner_id', '=', filter.ownerId);
  if (filter.orgUnitId !== undefined)
    query = query.where('org_units.path', 'like', await subtreePattern(db, actor.workspaceId, filter.orgUnitId));
  return query;
}

/**
 * The units counted (the workspace's, the manager's subtree, the unit asked for), each count
 * below reading their open deals unit by unit — a range of an index of migration 0041 per unit
 * (and per stage), never a walk of the workspace testing each deal's unit. The units come first
 * by a CROSS JOIN, which SQLite keeps in the order written whatever its statistics say.
 */
async function countedUnits(db: Kysely<Database>, actor: Actor, filter: AttentionFilter) {
  const reach = accountReach(actor);
  let units = db.selectFrom('org_units as counted_unit').where('counted_unit.workspace_id', '=', actor.workspaceId);
  if (reach.kind === 'subtree') units = units.where('counted_unit.path', 'like', `${reach.path}%`);
  if (filter.orgUnitId !== undefined)
    units = units.where('counted_unit.path', 'like', await subtreePattern(db, actor.workspaceId, filter.orgUnitId));
  return units;
}

/**
 * The attention list's statements, compiled once per shape: the page, and either its problem
 * counts capped (with the count of deals having any, for when none reaches the cap) or, for one
 * owner's deals, its total and counts exactly in one pass.
 */
const attentionQueries = shapedQueries(
  async (db: Kysely<Database>, engine: Engine, actor: Actor, filter: AttentionFilter) => {
    const condition = (problem: AttentionProblem) =>
      problemCondition(problem, filter.now, filter.today, filter.stalledFactorPercent);
    const cond = {
      stalled: condition('stalled'),
      no_plan: condition('no_plan'),
      advantage_lost: condition('advantage_lost'),
    };
    const matches = (eb: DealBuilder) =>
      filter.problem ? cond[filter.problem](eb) : eb.or(PROBLEMS.map((problem) => cond[problem](eb)));
    const open = await openWithinReach(db, actor, filter);
    // The page's ids in order, read from the index alone where it can be (migration 0041); the
    // rows shown, with every column, only for them.
    const order = sortColumn[filter.sort.column];
    const direction = filter.sort.desc ? 'desc' : 'asc';
    const pageIds = open
      .where(matches)
      .select(['opportunities.id as id', `${order} as sort_value`])
      .orderBy(order, direction)
      .orderBy('opportunities.id', direction)
      .limit(filter.limit)
      .offset(filter.offset);
    const page = opportunityRows(db)
      .innerJoin(pageIds.as('page'), 'page.id', 'opportunities.id')
      .select(columns)
      .orderBy('page.sort_value', direction)
      .orderBy('page.id', direction);
    if (!countsCapped(actor, filter)) {
      const flag = (condition: (eb: DealBuilder) => Expression<SqlBool>) => (eb: DealBuilder) =>
        eb.fn.sum<number | string>(eb.case().when(condition(eb)).then(1).else(0).end());
      const exact = open.select((eb) => [
        flag(matches)(eb).as('n'),
        flag(cond.stalled)(eb).as('stalled'),
        flag(cond.no_plan)(eb).as('no_plan'),
        flag(cond.advantage_lost)(eb).as('advantage_lost'),
      ]);
      return [page, exact] as const;
    }
    const units = await countedUnits(db, actor, filter);
    const ws = actor.workspaceId;
    const having = {
      // Stage by stage: each a range of stage_entered_at below the stage's own bound.
      stalled: units
        .crossJoin('process_stages as stage')
        .innerJoin('opportunities', (join) =>
          join
            .onRef('opportunities.org_unit_id', '=', 'counted_unit.id')
            .on('opportunities.workspace_id', '=', ws)
            .on('opportunities.status', '=', 'open')
            .onRef('opportunities.stage_id', '=', 'stage.id'),
        )
        .where('stage.workspace_id', '=', ws)
        .where(cond.stalled),
      no_plan: units
        .crossJoin('opportunities')
        .whereRef('opportunities.org_unit_id', '=', 'counted_unit.id')
        .where('opportunities.workspace_id', '=', ws)
        .where('opportunities.status', '=', 'open')
        .where((eb) => cond.no_plan(eb as unknown as DealBuilder)),
      // Few deals are marked: their partial index, whatever the units.
      advantage_lost: open.where(cond.advantage_lost),
    };
    const counts = db
      .selectNoFrom([
        listTotalQuery(db, having.stalled, COUNT_CAP).as('stalled'),
        listTotalQuery(db, having.no_plan, COUNT_CAP).as('no_plan'),
        listTotalQuery(db, having.advantage_lost, COUNT_CAP).as('advantage_lost'),
      ])
      .$castTo<Record<AttentionProblem, number | string>>();
    // Deals with any problem, when no count reached the cap: at most three capped sets, united.
    const flagged = having.stalled
      .select('opportunities.id')
      .union(having.no_plan.select('opportunities.id'))
      .union(having.advantage_lost.select('opportunities.id'));
    const anyTotal = listTotalQuery(db, db.selectFrom(flagged.as('flagged')), COUNT_CAP);
    return [page, counts, anyTotal] as const;
  },
  // A unit filter reads the unit while building: built afresh.
  (stand, engine, actor, filter) =>
    filter.orgUnitId !== undefined
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

const counted = (value: unknown) => listTotalOf({ n: value ?? 0 }, COUNT_CAP);

export async function attention(db: Kysely<Database>, engine: Engine, actor: Actor, filter: AttentionFilter) {
  const [pageQuery, countsQuery, anyQuery] = await attentionQueries(db, engine, actor, filter);
  const [items, countRows] = await Promise.all([db.executeQuery(pageQuery), db.executeQuery(countsQuery)]);
  const row = countRows.rows[0]! as Record<string, unknown>;
  if (anyQuery === undefined) {
    // One owner's deals, counted exactly. A sum over no deals is null.
    const exact = (name: string) => ({ total: Number(row[name] ?? 0), totalCapped: false });
    return summary(items.rows, exact('n'), {
      stalled: exact('stalled'),
      no_plan: exact('no_plan'),
      advantage_lost: exact('advantage_lost'),
    });
  }
  const counts = {
    stalled: counted(row.stalled),
    no_plan: counted(row.no_plan),
    advantage_lost: counted(row.advantage_lost),
  };
  // The total follows the problem asked for; with none, a count at the cap means more deals than
  // that have some problem, and only below it are they counted (united, each once).
  const total = filter.problem
    ? counts[filter.problem]
    : PROBLEMS.some((problem) => counts[problem].totalCapped)
      ? { total: COUNT_CAP, totalCapped: true }
      : counted((await db.executeQuery(anyQuery)).rows[0]!.n);
  return summary(items.rows, total, counts);
}

function summary<Row>(
  items: Row[],
  total: { total: number; totalCapped: boolean },
  counts: Record<AttentionProblem, { total: number; totalCapped: boolean }>,
) {
  return {
    items,
    total: total.total,
    totalCapped: total.totalCapped,
    counts: {
      stalled: counts.stalled.total,
      no_plan: counts.no_plan.total,
      advantage_lost: counts.advantage_lost.total,
    },
    countsCapped: {
      stalled: counts.stalled.totalCapped,
      no_plan: counts.no_plan.totalCapped,
      advantage_lost: counts.advantage_lost.totalCapped,
    },
  };
}
