import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Engine } from '../../../db/dialect.ts';
import { shapedQueries } from '../../../db/fixed-query.ts';
import { accountReach, type Actor } from '../../../domain/policy.ts';
import { standActor } from '../../scope.ts';
import { columns, scoped, type ScopeFilter } from './visible.ts';

export const BOARD_CARDS_PER_COLUMN = 50;
export const BOARD_CARDS_PER_COLUMN_ALL = 20;

/** One column's totals on the board: weighted is Σ amount × probability (percent), not yet divided. */
export interface BoardTotal {
  stageId: number;
  count: number;
  amount: number;
  weighted: number;
}

/** What the board's statements are built from: the service's query, its columns and periods. */
export interface BoardFilter extends ScopeFilter {
  processId?: number | undefined;
  /** The columns: every stage of the board's lanes; a won stage holds the won deals. */
  stages: readonly { id: number; won: boolean }[];
  cardsPerColumn: number;
  wonFrom: number;
  wonTo: number;
  closeFrom?: string | undefined;
  closeTo?: string | undefined;
  /**
   * Where the funnel's kept totals hold the open columns (a caller who sees whole subtrees, no
   * text or days): those totals, and the subtree, owner and line they are for — the won column
   * is then counted from the won deals alone, as the kept totals are (wonColumnTotals).
   */
  kept?:
    | {
        openTotals: BoardTotal[];
        unitPath?: string | undefined;
        ownerId?: number | undefined;
        line?: string | undefined;
      }
    | undefined;
}

/** The deals the board shows, and the conditions of its columns. */
async function boardScope(db: Kysely<Database>, engine: Engine, actor: Actor, filter: BoardFilter) {
  const visible = await scoped(db, engine, actor, filter);
  const scope =
    filter.processId === undefined ? visible : visible.where('opportunities.process_id', '=', filter.processId);
  // Open ones by their expected close date ("close period"), won ones by when they were won.
  const open = (eb: ExpressionBuilder<Database, 'opportunities'>) =>
    eb.and([
      eb('opportunities.status', '=', 'open'),
      ...(filter.closeFrom ? [eb('opportunities.expected_close_date', '>=', filter.closeFrom)] : []),
      ...(filter.closeTo ? [eb('opportunities.expected_close_date', '<=', filter.closeTo)] : []),
    ]);
  const won = (eb: ExpressionBuilder<Database, 'opportunities'>) =>
    eb.and([
      eb('opportunities.status', '=', 'won'),
      eb('opportunities.closed_at', '>=', filter.wonFrom),
      eb('opportunities.closed_at', '<', filter.wonTo),
    ]);
  // Every column's deals: the open ones at the open stages, and the period's won ones.
  const shown = scope.where((eb) => eb.or([eb.and([open(eb), eb('stage.is_won', '=', 0)]), won(eb)]));
  return { scope, open, shown };
}

/**
 * The values of a board's statements stood in for (src/db/fixed-query.ts, shapedQueries): ids,
 * instants, dates and the card limit are bound; the reach, the filters set, the stages' number
 * and kind, the kept totals' subtree and line make the shape. A text or a unit filter reads while
 * building (the search index, the unit's path): built afresh.
 */
function standBoard(stand: <T>(value: T) => T, engine: Engine, actor: Actor, filter: BoardFilter) {
  if (filter.q || filter.orgUnitId !== undefined) return null;
  const { kept } = filter;
  return [
    engine,
    standActor(stand, actor),
    {
      ...filter,
      ownerId: stand(filter.ownerId),
      processId: stand(filter.processId),
      stages: filter.stages.map((stage) => ({ id: stand(stage.id), won: stage.won })),
      cardsPerColumn: stand(filter.cardsPerColumn),
      wonFrom: stand(filter.wonFrom),
      wonTo: stand(filter.wonTo),
      closeFrom: stand(filter.closeFrom),
      closeTo: stand(filter.closeTo),
      // The open columns' figures are not part of any statement; the subtree's path is matched by a pattern.
      kept: kept && { openTotals: [], unitPath: kept.unitPath, ownerId: stand(kept.ownerId), line: kept.line },
    },
  ] as [Engine, Actor, BoardFilter];
}

/**
 * A rep's or a presales engineer's board: their deals are few, found by owner and team, and
 * numbered per column in one read that also sums each column (window aggregates taken before
 * the cards are cut) — one read of their deals where the cards and the totals were two.
 */
const fewBoardQuery = shapedQueries(
  async (db: Kysely<Database>, engine: Engine, actor: Actor, filter: BoardFilter) => {
    const { shown } = await boardScope(db, engine, actor, filter);
    const perColumn = sql`(partition by opportunities.stage_id)`;
    return [
      db
        .selectFrom(
          shown
            .select([
              ...columns,
              sql<number>`row_number() over (partition by opportunities.stage_id order by opportunities.amount desc, opportunities.id)`.as(
                'rn',
              ),
              sql<number | string>`count(*) over ${perColumn}`.as('column_n'),
              sql<number | string>`sum(opportunities.amount) over ${perColumn}`.as('column_amount'),
              sql<number | string>`sum(opportunities.amount * stage.probability) over ${perColumn}`.as(
                'column_weighted',
              ),
            ])
            .as('c'),
        )
        .selectAll()
        .where('c.rn', '<=', filter.cardsPerColumn)
        .orderBy('c.stage_id')
        .orderBy('c.rn'),
    ] as const;
  },
  standBoard,
  // Planned in 2–10 ms a call at the scale set, about as long as it ran: its generic plan runs as fast.
  { genericPlan: () => true },
);

/**
 * Anyone else's board — a workspace's, a subtree's: the cards from one `LIMIT` per stage, united,
 * each walking opportunities_ws_stage_amount in the board's order and stopping at its limit
 * (numbering every open deal of the process took seconds at a million deals, README §
 * Benchmarks); the totals not kept (every column's, or the won column's) in one grouped read.
 */
const wideBoardQueries = shapedQueries(
  async (db: Kysely<Database>, engine: Engine, actor: Actor, filter: BoardFilter) => {
    const { scope, open, shown } = await boardScope(db, engine, actor, filter);
    // The won column's cards walk the board's order too, testing the day won on the way: offered
    // the period as a range of opportunities_ws_stage_won, SQLite sorted a month's wins (20,000)
    // for its 50 cards; `+closed_at` (the same value) is no index's column.
    const wonInOrder = (eb: ExpressionBuilder<Database, 'opportunities'>) =>
      eb.and([
        eb('opportunities.status', '=', 'won'),
        eb(sql`+opportunities.closed_at`, '>=', filter.wonFrom),
        eb(sql`+opportunities.closed_at`, '<', filter.wonTo),
      ]);
    const cards = filter.stages
      .map((stage) =>
        db
          .selectFrom(
            scope
              .where('opportunities.stage_id', '=', stage.id)
              .where(stage.won ? wonInOrder : open)
              .select(columns)
              .orderBy('opportunities.amount', 'desc')
              .orderBy('opportunities.id')
              .limit(filter.cardsPerColumn)
              .as('column_cards'),
          )
          .selectAll(),
      )
      .reduce((all, arm) => all.unionAll(arm));
    const { kept } = filter;
    const wonStages = filter.stages.filter((stage) => stage.won).map((stage) => stage.id);
    const totals = kept
      ? wonColumnTotals(db, actor.workspaceId, {
          ...kept,
          stageIds: wonStages,
          wonFrom: filter.wonFrom,
          wonTo: filter.wonTo,
        })
      : shown
          .select((eb) => [
            'opportunities.stage_id',
            eb.fn.countAll<number | string>().as('n'),
            eb.fn.sum<number | string>('opportunities.amount').as('amount'),
            eb.fn.sum<number | string>(sql`opportunities.amount * stage.probability`).as('weighted'),
          ])
          .groupBy('opportunities.stage_id');
    return [cards, totals] as const;
  },
  standBoard,
  {
    // The union of a read per column took PostgreSQL 45–72 ms to plan and 15–27 ms to run for
    // the admin's board of the largest process; its generic plan runs in 15. Not for a manager's
    // subtree (on the generic plan 1.0 → 4.1 s for the board of every process), the board of
    // every process (15 → 315 ms) or a line (1.1 → 1.6 s), where the plan for the call's values
    // is worth its planning (README § Benchmarks).
    genericPlan: (_engine, actor, filter) =>
      accountReach(actor).kind === 'workspace' && filter.processId !== undefined && filter.line === undefined,
  },
);

/** Whether the actor's board is a few deals of their own (fewBoard), read without the lanes' stages or kept totals. */
export const boardOfOwnDeals = (actor: Actor) => {
  const reach = accountReach(actor).kind;
  return reach === 'own' || reach === 'team';
};

/**
 * A rep's or a presales engineer's board (boardOfOwnDeals): the cards and every column's totals
 * in one read of their deals. It needs neither the lanes' stages nor kept totals, so the service
 * runs it at once with the lanes' read (one round trip fewer on PostgreSQL).
 */
export async function fewBoard(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: Omit<BoardFilter, 'stages' | 'kept'>,
) {
  const [query] = await fewBoardQuery(db, engine, actor, { ...filter, stages: [] });
  const cards = (await db.executeQuery(query)).rows;
  // Each column's first card carries its sums.
  const totals = cards
    .filter((card) => Number(card.rn) === 1 && card.stage_id !== null)
    .map((card) => ({
      stageId: card.stage_id!,
      count: Number(card.column_n),
      amount: Number(card.column_amount ?? 0),
      weighted: Number(card.column_weighted ?? 0),
    }));
  return { totals, cards };
}

/**
 * The kanban board of one process or of all (no processId), of anyone but boardOfOwnDeals's: open opportunities at every non-won stage (expected to
 * close within [closeFrom, closeTo] when given), and those won within [wonFrom, wonTo) in the
 * won column. The open columns' totals come from the funnel's kept totals when the service found
 * them there (kept), else from the deals with the won column's; the cards are the largest amount
 * first, at most cardsPerColumn per stage.
 */
export async function wideBoard(db: Kysely<Database>, engine: Engine, actor: Actor, filter: BoardFilter) {
  // No lane holds a stage: no column to fill (and no deal, whose stage is always a lane's).
  if (filter.stages.length === 0) return { totals: [], cards: [] };
  // Kept and live rows of one stage add up (a won deal counts where its stage is).
  const totals = new Map<number, BoardTotal>();
  for (const total of filter.kept?.openTotals ?? []) totals.set(total.stageId, { ...total });
  const add = (stageId: number | null, count: unknown, amount: unknown, weighted: unknown) => {
    if (stageId === null) return;
    const total = totals.get(stageId) ?? { stageId, count: 0, amount: 0, weighted: 0 };
    total.count += Number(count);
    total.amount += Number(amount ?? 0);
    total.weighted += Number(weighted ?? 0);
    totals.set(stageId, total);
  };
  const [cardsQuery, totalsQuery] = await wideBoardQueries(db, engine, actor, filter);
  const [cards, live] = await Promise.all([db.executeQuery(cardsQuery), db.executeQuery(totalsQuery)]);
  for (const row of live.rows) add(row.stage_id, row.n, row.amount, row.weighted);
  return { totals: [...totals.values()], cards: cards.rows };
}

/**
 * The board's won column for a caller who sees whole subtrees: the deals won in [wonFrom,
 * wonTo) at the won stages, counted from the deals alone — no join to their accounts and units
 * beyond the subtree's unit ids, as the funnel's kept totals count them — so the count is read
 * from opportunities_ws_stage_won without a row of the table (a month's wins of a large process
 * are some 20,000 deals: 3.5 s through the rows on the loaded machine, README § Benchmarks).
 */
function wonColumnTotals(
  db: Kysely<Database>,
  workspaceId: number,
  key: {
    stageIds: number[];
    wonFrom: number;
    wonTo: number;
    unitPath?: string | undefined;
    ownerId?: number | undefined;
    /** The stamped line ('' — no line), as the kept totals key it. */
    line?: string | undefined;
  },
) {
  // One statement per won stage, united: given the stages as one IN list, SQLite read every
  // deal ever won at them (by opportunities_ws_stage_amount) instead of the period's. A board
  // without a won stage counts nothing (`where false`).
  const perStage = (stageId: number | null) =>
    db
      .selectFrom('opportunities')
      .innerJoin('process_stages as stage', 'stage.id', 'opportunities.stage_id')
      .where('opportunities.workspace_id', '=', workspaceId)
      .$if(stageId === null, (query) => query.where(sql<boolean>`1 = 0`))
      .$if(stageId !== null, (query) => query.where('opportunities.stage_id', '=', stageId!))
      .where('opportunities.status', '=', 'won')
      .where('opportunities.closed_at', '>=', key.wonFrom)
      .where('opportunities.closed_at', '<', key.wonTo)
      .$if(key.ownerId !== undefined, (query) => query.where('opportunities.owner_id', '=', key.ownerId!))
      .$if(key.line !== undefined, (query) => query.where('opportunities.business_line', '=', key.line!))
      .$if(key.unitPath !== undefined, (query) =>
        query.where('opportunities.org_unit_id', 'in', (eb) =>
          eb
            .selectFrom('org_units')
            .select('org_units.id')
            .where('org_units.workspace_id', '=', workspaceId)
            .where('org_units.path', 'like', `${key.unitPath}%`),
        ),
      )
      .select((eb) => [
        'opportunities.stage_id',
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.sum<number | string>('opportunities.amount').as('amount'),
        eb.fn.sum<number | string>(sql`opportunities.amount * stage.probability`).as('weighted'),
      ])
      .groupBy('opportunities.stage_id');
  return key.stageIds.length === 0
    ? perStage(null)
    : key.stageIds.map((stageId) => perStage(stageId)).reduce((all, stage) => all.unionAll(stage));
}
