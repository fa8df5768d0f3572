import type { Db } from '../../db/database.ts';
import type * as contract from '../../contracts/funnel.ts';
import { addDays, dateIn, weeksLeft, type Period } from '../../domain/calendar.ts';
import { entriesPerWeekNeeded, flowProjection, funnelGap, standardFunnel } from '../../domain/funnel-math.ts';
import { quantile, shapeFlags } from '../../domain/funnel-health.ts';
import type { Actor, TargetSubject } from '../../domain/policy.ts';
import { NO_LINE, NO_LINE_PARAM } from '../../domain/business-lines.ts';
import { quotaFor } from '../quotas/service.ts';
import { periodDto, scopeDto } from '../targets/scope.ts';
import * as reads from './repository/reads.ts';
import {
  context,
  filterOf,
  frameOf,
  processOf,
  rangesOf,
  withProcess,
  type Frame,
  type FunnelQuery,
} from './context.ts';
import { openDealAges } from './repository/health.ts';
import type { DealFilter } from './repository/filters.ts';

/**
 * The live funnel (docs/targets.md § Funnel): per stage of a process, the open deals of a
 * scope expected to close in a period, read from the kept totals (src/modules/funnel/upkeep.ts).
 * Months, quarters and years read the totals; a week — finer than their months — counts the
 * deals themselves.
 */
/**
 * The funnel's objective figure for the forecast (docs/targets.md § The forecast of a scope):
 * the open deals the funnel counts for the period in every process, their amount and
 * Σ amount × stage probability — read from the kept totals (a week: from the deals), so it is
 * the Funnel page's expected amount summed over the processes. The scope has been checked.
 */
export async function objectiveFigure(
  db: Db,
  workspaceId: number,
  scope: TargetSubject,
  period: Period,
  today: string,
  /** A business line ('' — no line); undefined: every line. */
  line?: string,
): Promise<{ amount: number; expectedAmount: number; deals: number }> {
  const ranges = rangesOf(period, today);
  const filter: DealFilter = { ...filterOf(scope), line };
  const [rows, probabilities] = await Promise.all([
    period.kind === 'week'
      ? reads.dealsByStage(db.kysely, workspaceId, null, filter, 'open', ranges.openDates, 0)
      : reads.totalsByStage(db.kysely, workspaceId, null, filter, 'open', ranges.openMonths),
    reads.stageProbabilities(db.kysely, workspaceId),
  ]);
  const byStage = new Map<number, { deals: number; amount: number }>();
  for (const row of rows) {
    const stage = byStage.get(row.stageId) ?? { deals: 0, amount: 0 };
    stage.deals += row.deals;
    stage.amount += row.amount;
    byStage.set(row.stageId, stage);
  }
  let amount = 0;
  let expectedAmount = 0;
  let deals = 0;
  // Rounded per stage, as the funnel's own rows are.
  for (const [stageId, stage] of byStage) {
    amount += stage.amount;
    deals += stage.deals;
    expectedAmount += expected(stage.amount, probabilities.get(stageId) ?? 0);
  }
  return { amount, expectedAmount, deals };
}

/**
 * Per business line ('' — no line) in every process: what was won in the period (realised), and
 * the open deals the period's funnel counts with their expected amount (rounded per stage) —
 * from the kept totals, a week from the deals (docs/targets.md § Business lines). The scope has
 * been checked.
 */
export async function lineTotals(
  db: Db,
  workspaceId: number,
  scope: TargetSubject,
  period: Period,
  today: string,
): Promise<Map<string, { realised: number; won: number; open: number; amount: number; expectedAmount: number }>> {
  const ranges = rangesOf(period, today);
  const filter = filterOf(scope);
  const week = period.kind === 'week';
  const [won, open, probabilities] = await Promise.all([
    week
      ? reads.dealsByLine(db.kysely, workspaceId, filter, 'won', ranges.wonDates)
      : reads.totalsByLine(db.kysely, workspaceId, filter, 'won', ranges.wonMonths),
    week
      ? reads.dealsByLine(db.kysely, workspaceId, filter, 'open', ranges.openDates)
      : reads.totalsByLine(db.kysely, workspaceId, filter, 'open', ranges.openMonths),
    reads.stageProbabilities(db.kysely, workspaceId),
  ]);
  const out = new Map<
    string,
    { realised: number; won: number; open: number; amount: number; expectedAmount: number }
  >();
  const of = (line: string) => {
    const have = out.get(line) ?? { realised: 0, won: 0, open: 0, amount: 0, expectedAmount: 0 };
    out.set(line, have);
    return have;
  };
  for (const row of won) {
    of(row.line).realised += row.amount;
    of(row.line).won += row.deals;
  }
  for (const row of open) {
    const line = of(row.line);
    line.open += row.deals;
    line.amount += row.amount;
    line.expectedAmount += expected(row.amount, probabilities.get(row.stageId) ?? 0);
  }
  return out;
}

async function byStage(db: Db, actor: Actor, ctx: Frame, processId: number | undefined, status: 'open' | 'won') {
  if (processId === undefined) return [];
  if (ctx.period?.kind === 'week')
    return reads.dealsByStage(
      db.kysely,
      actor.workspaceId,
      processId,
      ctx.filter,
      status,
      status === 'open' ? ctx.openDates : ctx.wonDates,
      ctx.threshold,
    );
  return reads.totalsByStage(
    db.kysely,
    actor.workspaceId,
    processId,
    ctx.filter,
    status,
    status === 'open' ? ctx.openMonths : ctx.wonMonths,
  );
}

export const expected = (amount: number, probability: number) => Math.round((amount * probability) / 100);

async function openAndWon(db: Db, actor: Actor, frame: Frame, processId: number | undefined) {
  if (processId !== undefined && frame.period?.kind !== 'week') {
    const { open, won } = await reads.openAndWonByStage(
      db.kysely,
      actor.workspaceId,
      processId,
      frame.filter,
      frame.openMonths,
      frame.wonMonths,
    );
    return [open, won] as const;
  }
  return Promise.all([byStage(db, actor, frame, processId, 'open'), byStage(db, actor, frame, processId, 'won')]);
}

export async function funnel(db: Db, actor: Actor, query: FunnelQuery): Promise<contract.FunnelResponse> {
  // A named process's totals need the frame, not the process row: they are read beside it (on
  // PostgreSQL one round trip less). Totals of a process of another workspace are none, and
  // the request fails on it before answering.
  const named = query.processId;
  const framed = frameOf(db, actor, query);
  const [frame, processRead, early] = await Promise.all([
    framed,
    processOf(db, actor, named),
    named !== undefined ? framed.then((f) => openAndWon(db, actor, f, named)) : null,
  ]);
  const ctx = withProcess(frame, processRead, named);
  const [open, won] = early ?? (await openAndWon(db, actor, ctx, ctx.process?.id));
  const stages = ctx.stages
    .filter((s) => s.is_won !== 1)
    .map((stage) => {
      const rows = open.filter((r) => r.stageId === stage.id);
      const small = rows.filter((r) => r.sizeClass === 'small');
      const large = rows.filter((r) => r.sizeClass === 'large');
      const sum = (xs: typeof rows, k: 'deals' | 'amount') => xs.reduce((a, r) => a + r[k], 0);
      const count = sum(rows, 'deals');
      const amount = sum(rows, 'amount');
      return {
        stageId: stage.id,
        name: stage.name,
        probability: stage.probability,
        expectedDays: stage.expected_days,
        count,
        amount,
        expectedAmount: expected(amount, stage.probability),
        expectedDeals: (count * stage.probability) / 100,
        small: { count: sum(small, 'deals'), expectedDeals: (sum(small, 'deals') * stage.probability) / 100 },
        large: {
          count: sum(large, 'deals'),
          amount: sum(large, 'amount'),
          expectedAmount: expected(sum(large, 'amount'), stage.probability),
        },
      };
    });
  const total = stages.reduce(
    (sum, stage) => ({
      count: sum.count + stage.count,
      amount: sum.amount + stage.amount,
      expectedAmount: sum.expectedAmount + stage.expectedAmount,
      expectedDeals: sum.expectedDeals + stage.expectedDeals,
    }),
    { count: 0, amount: 0, expectedAmount: 0, expectedDeals: 0 },
  );
  return {
    scope: scopeDto(ctx.scope),
    process: ctx.process,
    period: ctx.period ? periodDto(ctx.period, ctx.calendar, actor.now) : null,
    closeFrom: ctx.openDates.from,
    closeTo: ctx.openDates.to,
    line: ctx.line === undefined ? null : ctx.line === NO_LINE ? NO_LINE_PARAM : ctx.line,
    stages,
    total,
    won: { count: won.reduce((a, r) => a + r.deals, 0), amount: won.reduce((a, r) => a + r.amount, 0) },
    largeDealThreshold: ctx.threshold,
  };
}

const DAY = 86_400_000;

/** Funnel health (docs/targets.md § Funnel health): the period's funnel against the standard one its quota needs. */
export async function funnelHealth(db: Db, actor: Actor, query: FunnelQuery): Promise<contract.HealthResponse> {
  const ctx = await context(db, actor, { ...query, period: query.period });
  const period = ctx.period!;
  const funnelResult = await funnel(db, actor, query);
  // A line's funnel stands against the line's part of the quota (its category); no line has none.
  const quotaFigure = await quotaFor(db.kysely, actor.workspaceId, ctx.scope, period);
  const quota = ctx.line === undefined ? quotaFigure.amount : (quotaFigure.categories[ctx.line] ?? 0);
  const realised = funnelResult.won.amount;
  // The average deal: what the scope won in the last twelve months, else what it has open.
  const yearAgo = addDays(dateIn(actor.now, ctx.calendar.timeZone), -365).slice(0, 7);
  const wonYear = ctx.process
    ? await reads.totalsByStage(db.kysely, actor.workspaceId, ctx.process.id, ctx.filter, 'won', {
        from: yearAgo,
        to: null,
      })
    : [];
  const wonDeals = wonYear.reduce((a, r) => a + r.deals, 0);
  const averageDeal =
    wonDeals > 0
      ? Math.round(wonYear.reduce((a, r) => a + r.amount, 0) / wonDeals)
      : funnelResult.total.count > 0
        ? Math.round(funnelResult.total.amount / funnelResult.total.count)
        : null;
  const averageDealBasis = wonDeals > 0 ? ('won' as const) : funnelResult.total.count > 0 ? ('open' as const) : null;
  const weeksOf = (days: number) => Math.max(1, Math.round(days / 7));
  const plan = funnelResult.stages.map((stage) => ({
    name: stage.name,
    probability: stage.probability,
    weeks: weeksOf(stage.expectedDays),
    count: stage.count,
  }));
  const today = dateIn(actor.now, ctx.calendar.timeZone);
  const left = weeksLeft(period, today);
  const std =
    averageDeal && averageDeal > 0 && plan.length
      ? standardFunnel({
          quota,
          averageDeal,
          weeks: Math.max(1, periodDto(period, ctx.calendar, actor.now).weeks),
          stages: plan,
        })
      : null;
  const ages = ctx.process
    ? await openDealAges(db.kysely, actor.workspaceId, ctx.process.id, ctx.filter, ctx.openDates)
    : [];
  const stages = funnelResult.stages.map((stage, index) => {
    const standard = std?.stages[index]?.standard ?? null;
    const inStage = ages
      .filter((d) => d.stage_id === stage.stageId)
      .map((age) => ({
        id: age.id,
        name: age.name,
        amount: Number(age.amount),
        days: (actor.now - Number(age.stage_entered_at ?? age.created_at)) / DAY,
      }));
    const days = inStage.map((d) => d.days);
    const over = inStage.filter((d) => d.days > stage.expectedDays).sort((a, b) => b.days - a.days);
    return {
      stageId: stage.stageId,
      name: stage.name,
      probability: stage.probability,
      count: stage.count,
      standard,
      balance: standard ? stage.count / standard : null,
      expectedDays: stage.expectedDays,
      medianDays: quantile(days, 0.5),
      p80Days: quantile(days, 0.8),
      over: over.slice(0, 20).map((d) => ({ ...d, days: Math.round(d.days * 10) / 10 })),
      overCount: over.length,
    };
  });
  const projection = flowProjection({ stages: plan }).slice(0, Math.max(left, 0));
  let cumulative = 0;
  const gap =
    averageDeal && averageDeal > 0 && plan.length ? funnelGap({ quota, realised, averageDeal, stages: plan }) : null;
  return {
    scope: funnelResult.scope,
    process: funnelResult.process,
    period: periodDto(period, ctx.calendar, actor.now),
    quota,
    realised,
    averageDeal,
    averageDealBasis,
    standard: std ? { dealsNeeded: std.dealsNeeded, winsPerWeek: std.winsPerWeek, newPerWeek: std.newPerWeek } : null,
    stages,
    flags: shapeFlags(stages.map((s) => s.balance)),
    yield: {
      expectedDeals: funnelResult.total.expectedDeals,
      expectedAmount: funnelResult.total.expectedAmount,
      coverage: quota > 0 ? (realised + funnelResult.total.expectedAmount) / quota : null,
    },
    projection: projection.map((w) => ({ ...w, cumulative: (cumulative += w.wins) })),
    winsNeeded: averageDeal && averageDeal > 0 ? Math.max(0, quota - realised) / averageDeal : null,
    gap: gap
      ? {
          gapAmount: gap.gapAmount,
          gapDeals: gap.gapDeals,
          firstStageNeeded: gap.firstStageNeeded,
          perWeek: entriesPerWeekNeeded(gap.gapDeals, plan, left),
        }
      : null,
  };
}
