import type { Db } from '../../db/database.ts';
import { addDays, dateIn, startOfDay } from '../../domain/calendar.ts';
import { opportunityRights, type Actor } from '../../domain/policy.ts';
import { invalid } from '../../server/problem.ts';
import { keptOpenStageTotals } from '../funnel/list-totals.ts';
import { allProcesses, findProcess, stagesOf, toStageDto } from '../sales-processes/service.ts';
import { loadRules } from '../workspace/service.ts';
import { toOpportunityDto } from './dto.ts';
import * as attentionRepo from './repository/attention.ts';
import * as boardRepo from './repository/board.ts';
import type * as contract from '../../contracts/opportunities.ts';

export type { BoardQuery } from '../../contracts/opportunities.ts';

/** What a card lets the viewer do: drag it (edit), and override missing evidence in the move (manage). */
function boardRights(actor: Actor, card: { owner_id: number; unit_path: string }) {
  const { edit, manage } = opportunityRights(actor, {
    ownerId: card.owner_id,
    unitPath: card.unit_path,
    onTeam: false,
  });
  return { edit, manage };
}

/**
 * The processes the board shows: the one asked for, or all of them (inactive ones only while they hold deals in view).
 * A process asked for is looked up beside its stages (read by the id asked): an unknown id has none.
 */
async function lanesOf(db: Db, actor: Actor, processId: number | undefined) {
  if (processId === undefined) {
    const lanes = (await allProcesses(db.kysely, actor.workspaceId)).map(laneOf);
    const stages = await stagesOf(
      db.kysely,
      actor.workspaceId,
      lanes.map((lane) => lane.id),
    );
    return { lanes, stages };
  }
  const [process, stages] = await Promise.all([
    findProcess(db.kysely, actor.workspaceId, processId),
    stagesOf(db.kysely, actor.workspaceId, [processId]),
  ]);
  if (!process)
    throw invalid(
      'processId',
      { code: 'not_found', params: { id: processId } },
      `no sales process with id ${processId}`,
    );
  return { lanes: [laneOf(process)], stages };
}

const laneOf = (process: { id: number; name: string; active: number }) => ({
  id: process.id,
  name: process.name,
  active: process.active === 1,
});

/**
 * The kanban board (docs/sales-process.md § The board): of one sales process, or of every process
 * at once as a lane per process, each with its own stages — stages differ between processes, so
 * no column is shared and a card moves only within its lane. A column per stage in order with
 * count, amount and expected (weighted) amount — of the open columns from the funnel's kept
 * totals where they hold the answer, else from one grouped query over every lane — and the
 * largest cards of each column (repository/board.ts). The won column holds what was won in [closeFrom,
 * closeTo], whole days in the workspace zone (default: the last 30 days).
 */
export async function board(db: Db, actor: Actor, query: contract.BoardQuery): Promise<contract.Board> {
  if (query.closeFrom && query.closeTo && query.closeFrom > query.closeTo)
    throw invalid('closeTo', { code: 'not_before', params: { other: 'closeFrom' } }, 'must not be before closeFrom');
  const rules = loadRules(db.kysely, actor);
  const { now } = actor;
  const cardsPerColumn =
    // Every lane at once shows fewer cards per column: the column's "more" link lists the rest.
    query.processId === undefined ? boardRepo.BOARD_CARDS_PER_COLUMN_ALL : boardRepo.BOARD_CARDS_PER_COLUMN;
  // The won column holds what was won in [closeFrom, closeTo], whole days in the workspace zone.
  const wonPeriod = ({ calendar }: Awaited<typeof rules>) => {
    const tz = calendar.timeZone;
    const wonTo = query.closeTo ? startOfDay(addDays(query.closeTo, 1), tz) : now + 1;
    const wonFrom = query.closeFrom ? startOfDay(query.closeFrom, tz) : (query.closeTo ? wonTo : now) - 30 * 86_400_000;
    return { wonFrom, wonTo };
  };
  // The lanes and their stages, the rules and the open columns' totals from the funnel's kept
  // totals where they hold the answer (the won column is by the day a deal was won, which they
  // do not keep: counted from the deals) — at once: on PostgreSQL each is a round trip. A rep's
  // or a presales engineer's board needs none of them to read its deals: read at once with them.
  const [{ lanes, stages }, { settings, calendar }, kept, own] = await Promise.all([
    lanesOf(db, actor, query.processId),
    rules,
    keptOpenStageTotals(db.kysely, actor, query),
    boardRepo.boardOfOwnDeals(actor)
      ? rules.then((read) =>
          boardRepo.fewBoard(db.kysely, db.engine, actor, { ...query, ...wonPeriod(read), cardsPerColumn }),
        )
      : undefined,
  ]);
  const tz = calendar.timeZone;
  const { totals, cards } =
    own ??
    (await boardRepo.wideBoard(db.kysely, db.engine, actor, {
      ...query,
      stages: stages.map((stage) => ({ id: stage.id, won: stage.is_won === 1 })),
      kept: kept && {
        ...kept,
        openTotals: kept.openTotals.filter((total) => stages.some((s) => s.id === total.stageId && s.is_won !== 1)),
      },
      ...wonPeriod({ settings, calendar }),
      cardsPerColumn,
    }));
  const view = {
    largeDealThreshold: settings.largeDealThreshold,
    stalledFactorPercent: settings.stalledFactorPercent,
    now,
    today: dateIn(now, tz),
  };
  const byStage = new Map(totals.map((t) => [t.stageId, t]));
  const holding = new Set(stages.filter((stage) => byStage.has(stage.id)).map((stage) => stage.process_id));
  const shownLanes = lanes.filter((lane) => lane.active || holding.has(lane.id) || query.processId !== undefined);
  const shownIds = new Set(shownLanes.map((lane) => lane.id));
  return {
    process: query.processId === undefined ? null : shownLanes[0]!,
    processes: shownLanes,
    columns: stages
      .filter((stage) => shownIds.has(stage.process_id))
      .map((stage) => {
        const stageTotal = byStage.get(stage.id);
        const shown = cards.filter((c) => c.stage_id === stage.id);
        const count = stageTotal?.count ?? 0;
        return {
          stage: toStageDto(stage),
          count,
          amount: stageTotal?.amount ?? 0,
          expectedAmount: Math.round((stageTotal?.weighted ?? 0) / 100),
          // Whether the card may be dragged: leading a deal does not depend on its team.
          cards: shown.map((c) => ({ ...toOpportunityDto(c, view), permissions: boardRights(actor, c) })),
          more: Math.max(0, count - shown.length),
        };
      }),
  };
}

/** Open opportunities that need attention (docs/sales-process.md), judged at the request's instant and today's date in the workspace zone. */
export async function attention(
  db: Db,
  actor: Actor,
  query: Omit<Parameters<typeof attentionRepo.attention>[3], 'now' | 'today' | 'stalledFactorPercent'>,
): Promise<contract.AttentionPage> {
  const { settings, calendar } = await loadRules(db.kysely, actor);
  const today = dateIn(actor.now, calendar.timeZone);
  const { stalledFactorPercent } = settings;
  const result = await attentionRepo.attention(db.kysely, db.engine, actor, {
    ...query,
    now: actor.now,
    today,
    stalledFactorPercent,
  });
  const view = { largeDealThreshold: settings.largeDealThreshold, stalledFactorPercent, now: actor.now, today };
  return { ...result, items: result.items.map((r) => toOpportunityDto(r, view)) };
}
