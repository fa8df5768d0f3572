import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Engine } from '../../../db/dialect.ts';
import { accountReach, type Actor } from '../../../domain/policy.ts';
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

/**
 * The kanban board of one process or of all (no processId): open opportunities at every non-won stage (expected to
 * close within [closeFrom, closeTo] when given), and those won within [wonFrom, wonTo) in the
 * won column. The open columns' totals come from the funnel's kept totals when the service found
 * them there (keptOpenTotals), else from one grouped query with the won column's; the cards
 * (largest amount first, at most cardsPerColumn per stage) from one `LIMIT` per stage, united —
 * each walks opportunities_ws_stage_amount in the board's order and stops at its limit, where
 * numbering every open deal of the process took seconds at a million deals (README § Benchmarks).
 */
export async function board(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: ScopeFilter & {
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
     * text or days): those totals, and the subtree and owner they are for — the won column is
     * then counted from the won deals alone, as the kept totals are (wonColumnTotals).
     */
    kept?:
      | {
          openTotals: BoardTotal[];
          unitPath?: string | undefined;
          ownerId?: number | undefined;
          line?: string | undefined;
        }
      | undefined;
  },
) {
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
  // The won column's cards walk the board's order too, testing the day won on the way: offered
  // the period as a range of opportunities_ws_stage_won, SQLite sorted a month's wins (20,000)
  // for its 50 cards; `+closed_at` (the same value) is no index's column.
  const wonInOrder = (eb: ExpressionBuilder<Database, 'opportunities'>) =>
    eb.and([
      eb('opportunities.status', '=', 'won'),
      eb(sql`+opportunities.closed_at`, '>=', filter.wonFrom),
      eb(sql`+opportunities.closed_at`, '<', filter.wonTo),
    ]);
  const wonStages = filter.stages.filter((stage) => stage.won).map((stage) => stage.id);
  const { kept } = filter;
  const counted = kept
    ? undefined
    : scope.where((eb) => eb.or([eb.and([open(eb), eb('stage.is_won', '=', 0)]), won(eb)]));
  // A rep's or a presales engineer's deals are few, found by owner and team: numbered in one
  // read. Anyone else's — a workspace's, a subtree's — one LIMIT per stage in the board's order.
  const reach = accountReach(actor).kind;
  const few = reach === 'own' || reach === 'team';
  const numbered = () =>
    db
      .selectFrom(
        scope
          .where((eb) => eb.or([eb.and([open(eb), eb('stage.is_won', '=', 0)]), won(eb)]))
          .select([
            ...columns,
            sql<number>`row_number() over (partition by opportunities.stage_id order by opportunities.amount desc, opportunities.id)`.as(
              'rn',
            ),
          ])
          .as('c'),
      )
      .selectAll()
      .where('c.rn', '<=', filter.cardsPerColumn)
      .orderBy('c.stage_id')
      .orderBy('c.rn')
      .execute();
  const arms = () =>
    filter.stages.map((stage) =>
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
    );
  const [live, cards] = await Promise.all([
    kept
      ? wonColumnTotals(db, actor.workspaceId, {
          ...kept,
          stageIds: wonStages,
          wonFrom: filter.wonFrom,
          wonTo: filter.wonTo,
        })
      : counted!
          .select((eb) => [
            'opportunities.stage_id',
            eb.fn.countAll<number | string>().as('n'),
            eb.fn.sum<number | string>('opportunities.amount').as('amount'),
            eb.fn.sum<number | string>(sql`opportunities.amount * stage.probability`).as('weighted'),
          ])
          .groupBy('opportunities.stage_id')
          .execute(),
    few
      ? numbered()
      : filter.stages.length === 0
        ? []
        : arms()
            .reduce((all, arm) => all.unionAll(arm))
            .execute(),
  ]);
  // Kept and live rows of one stage add up (a won deal counts where its stage is).
  const totals = new Map<number, BoardTotal>();
  for (const total of kept?.openTotals ?? []) totals.set(total.stageId, { ...total });
  for (const row of live) {
    if (row.stage_id === null) continue;
    const total = totals.get(row.stage_id) ?? { stageId: row.stage_id, count: 0, amount: 0, weighted: 0 };
    total.count += Number(row.n);
    total.amount += Number(row.amount ?? 0);
    total.weighted += Number(row.weighted ?? 0);
    totals.set(row.stage_id, total);
  }
  return { totals: [...totals.values()], cards };
}

/**
 * The board's won column for a caller who sees whole subtrees: the deals won in [wonFrom,
 * wonTo) at the won stages, counted from the deals alone — no join to their accounts and units
 * beyond the subtree's unit ids, as the funnel's kept totals count them — so the count is read
 * from opportunities_ws_stage_won without a row of the table (a month's wins of a large process
 * are some 20,000 deals: 3.5 s through the rows on the loaded machine, README § Benchmarks).
 */
async function wonColumnTotals(
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
  // deal ever won at them (by opportunities_ws_stage_amount) instead of the period's.
  const perStage = key.stageIds.map((stageId) =>
    db
      .selectFrom('opportunities')
      .innerJoin('process_stages as stage', 'stage.id', 'opportunities.stage_id')
      .where('opportunities.workspace_id', '=', workspaceId)
      .where('opportunities.stage_id', '=', stageId)
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
      .groupBy('opportunities.stage_id'),
  );
  return perStage.length === 0 ? [] : perStage.reduce((all, stage) => all.unionAll(stage)).execute();
}
