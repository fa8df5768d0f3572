import type { Db } from '../../db/database.ts';
import type * as contract from '../../contracts/funnel.ts';
import { addDays, dateIn, weeksLeft, type Calendar, type Period } from '../../domain/calendar.ts';
import { entriesPerWeekNeeded, flowProjection, funnelGap, standardFunnel } from '../../domain/funnel-math.ts';
import { quantile, shapeFlags } from '../../domain/funnel-health.ts';
import type { Actor } from '../../domain/policy.ts';
import { invalid } from '../../server/problem.ts';
import { quotaFor } from '../quotas/service.ts';
import { findProcess, stagesOf, type StageRow } from '../sales-processes/service.ts';
import { periodDto, resolvePeriod, resolveScope, scopeDto, type ResolvedScope } from '../targets/scope.ts';
import { loadRules } from '../workspace/service.ts';
import * as repo from './repository.ts';
import type { DealFilter, MonthRange } from './repository.ts';

/**
 * The live funnel (docs/targets.md § Funnel): per stage of a process, the open deals of a
 * scope expected to close in a period, read from the kept totals (src/modules/funnel/upkeep.ts).
 * Months, quarters and years read the totals; a week — finer than their months — counts the
 * deals themselves.
 */
interface Context {
  scope: ResolvedScope;
  calendar: Calendar;
  threshold: number;
  process: { id: number; name: string } | null;
  stages: StageRow[];
  period: Period | null;
  filter: DealFilter;
  /** The open deals counted: by month (totals) and by date (deals). */
  openMonths: MonthRange;
  openDates: { from: string | null; to: string | null };
  wonMonths: MonthRange;
  wonDates: { from: string | null; to: string | null };
}

const lastMonthOf = (p: Period) => addDays(p.end, -1).slice(0, 7);

async function context(db: Db, actor: Actor, q: { scope?: string | undefined; processId?: number | undefined; period?: string | undefined }): Promise<Context> {
  const [{ settings, calendar }, scope] = await Promise.all([loadRules(db.kysely, actor.workspaceId), resolveScope(db.kysely, actor, q.scope)]);
  const period = q.period === 'all' ? null : resolvePeriod(q.period, calendar, actor.now);
  let process: { id: number; name: string } | null = null;
  if (q.processId !== undefined) {
    const p = await findProcess(db.kysely, actor.workspaceId, q.processId);
    // A process of another workspace reads as none (docs/DESIGN.md § Ids in requests).
    if (!p) throw invalid('query.processId', { code: 'not_found', params: { id: q.processId } }, `no sales process with id ${q.processId}`);
    process = { id: p.id, name: p.name };
  } else {
    process = (await repo.defaultProcess(db.kysely, actor.workspaceId)) ?? null;
  }
  const stages = process ? await stagesOf(db.kysely, actor.workspaceId, [process.id]) : [];
  const filter: DealFilter = scope.kind === 'user' ? { kind: 'user', userId: scope.userId } : scope.kind === 'unit' ? { kind: 'unit', path: scope.path } : { kind: 'workspace' };
  const today = dateIn(actor.now, calendar.timeZone);
  // While the period runs, deals whose expected close has passed are still to be won (or lost) in it.
  const running = period !== null && period.start <= today && today < period.end;
  return {
    scope, calendar, threshold: settings.largeDealThreshold, process, stages, period, filter,
    openMonths: period ? { from: running ? null : period.start.slice(0, 7), to: lastMonthOf(period) } : { from: null, to: null },
    openDates: period ? { from: running ? null : period.start, to: period.end } : { from: null, to: null },
    wonMonths: period ? { from: period.start.slice(0, 7), to: lastMonthOf(period) } : { from: null, to: null },
    wonDates: period ? { from: period.start, to: period.end } : { from: null, to: null },
  };
}

async function byStage(db: Db, actor: Actor, c: Context, status: 'open' | 'won') {
  if (!c.process) return [];
  if (c.period?.kind === 'week') return repo.dealsByStage(db.kysely, actor.workspaceId, c.process.id, c.filter, status, status === 'open' ? c.openDates : c.wonDates, c.threshold);
  return repo.totalsByStage(db.kysely, actor.workspaceId, c.process.id, c.filter, status, status === 'open' ? c.openMonths : c.wonMonths);
}

const expected = (amount: number, probability: number) => Math.round((amount * probability) / 100);

export async function funnel(db: Db, actor: Actor, q: { scope?: string | undefined; processId?: number | undefined; period?: string | undefined }): Promise<contract.FunnelResponse> {
  const c = await context(db, actor, q);
  const [open, won] = await Promise.all([byStage(db, actor, c, 'open'), byStage(db, actor, c, 'won')]);
  const stages = c.stages.filter((s) => s.is_won !== 1).map((s) => {
    const rows = open.filter((r) => r.stageId === s.id);
    const small = rows.filter((r) => r.sizeClass === 'small');
    const large = rows.filter((r) => r.sizeClass === 'large');
    const sum = (xs: typeof rows, k: 'deals' | 'amount') => xs.reduce((a, r) => a + r[k], 0);
    const count = sum(rows, 'deals');
    const amount = sum(rows, 'amount');
    return {
      stageId: s.id, name: s.name, probability: s.probability, expectedDays: s.expected_days,
      count, amount, expectedAmount: expected(amount, s.probability), expectedDeals: (count * s.probability) / 100,
      small: { count: sum(small, 'deals'), expectedDeals: (sum(small, 'deals') * s.probability) / 100 },
      large: { count: sum(large, 'deals'), amount: sum(large, 'amount'), expectedAmount: expected(sum(large, 'amount'), s.probability) },
    };
  });
  const total = stages.reduce((t, s) => ({ count: t.count + s.count, amount: t.amount + s.amount, expectedAmount: t.expectedAmount + s.expectedAmount, expectedDeals: t.expectedDeals + s.expectedDeals }), { count: 0, amount: 0, expectedAmount: 0, expectedDeals: 0 });
  return {
    scope: scopeDto(c.scope), process: c.process, period: c.period ? periodDto(c.period, c.calendar, actor.now) : null,
    closeFrom: c.openDates.from, closeTo: c.openDates.to, stages, total,
    won: { count: won.reduce((a, r) => a + r.deals, 0), amount: won.reduce((a, r) => a + r.amount, 0) },
    largeDealThreshold: c.threshold,
  };
}

/** A row per person of the scope: their deals per stage, from the same totals. */
export async function funnelMembers(db: Db, actor: Actor, q: { scope?: string | undefined; processId?: number | undefined; period?: string | undefined }): Promise<contract.FunnelMembersResponse> {
  const c = await context(db, actor, q);
  const open = c.stages.filter((s) => s.is_won !== 1);
  const base = { scope: scopeDto(c.scope), process: c.process, period: c.period ? periodDto(c.period, c.calendar, actor.now) : null, stages: open.map((s) => ({ stageId: s.id, name: s.name, probability: s.probability })) };
  if (!c.process) return { ...base, members: [] };
  const week = c.period?.kind === 'week';
  const [openRows, wonRows, people] = await Promise.all([
    week ? repo.dealsByOwner(db.kysely, actor.workspaceId, c.process.id, c.filter, 'open', c.openDates) : repo.totalsByOwner(db.kysely, actor.workspaceId, c.process.id, c.filter, 'open', c.openMonths),
    week ? repo.dealsByOwner(db.kysely, actor.workspaceId, c.process.id, c.filter, 'won', c.wonDates) : repo.totalsByOwner(db.kysely, actor.workspaceId, c.process.id, c.filter, 'won', c.wonMonths),
    c.scope.kind === 'user' ? Promise.resolve([]) : repo.membersUnder(db.kysely, actor.workspaceId, c.scope.kind === 'unit' ? c.scope.path : null),
  ]);
  const named = new Map(people.map((p) => [p.id, p]));
  // Owners outside the member list (a deal kept in a unit its owner has left, the one person of a user scope).
  const others = [...new Set([...openRows, ...wonRows].map((r) => r.ownerId).filter((id) => !named.has(id)))];
  if (c.scope.kind === 'user' && !named.has(c.scope.userId)) others.push(c.scope.userId);
  for (const p of await repo.peopleNamed(db.kysely, actor.workspaceId, [...new Set(others)])) named.set(p.id, p);
  const ids = [...named.keys()];
  const probability = new Map(open.map((s) => [s.id, s.probability]));
  const rows = new Map<number, contract.FunnelMembersResponse['members'][number]>();
  for (const id of ids) {
    const p = named.get(id);
    rows.set(id, {
      userId: id, name: p?.name ?? '', orgUnitId: p?.org_unit_id ?? 0, orgUnitName: p?.unit_name ?? '',
      stages: open.map((s) => ({ stageId: s.id, count: 0, amount: 0 })), count: 0, amount: 0, expectedAmount: 0, expectedDeals: 0, won: 0,
    });
  }
  const index = new Map(open.map((s, i) => [s.id, i]));
  for (const r of openRows) {
    const m = rows.get(r.ownerId)!;
    const i = index.get(r.stageId);
    if (i === undefined) continue;
    const p = probability.get(r.stageId)!;
    m.stages[i]!.count += r.deals;
    m.stages[i]!.amount += r.amount;
    m.count += r.deals;
    m.amount += r.amount;
    m.expectedAmount += expected(r.amount, p);
    m.expectedDeals += (r.deals * p) / 100;
  }
  for (const r of wonRows) rows.get(r.ownerId)!.won += r.amount;
  return { ...base, members: [...rows.values()].sort((a, b) => b.expectedAmount - a.expectedAmount || a.userId - b.userId) };
}

const DAY = 86_400_000;

/** Funnel health (docs/targets.md § Funnel health): the period's funnel against the standard one its quota needs. */
export async function funnelHealth(db: Db, actor: Actor, q: { scope?: string | undefined; processId?: number | undefined; period?: string | undefined }): Promise<contract.HealthResponse> {
  const c = await context(db, actor, { ...q, period: q.period });
  const period = c.period!;
  const f = await funnel(db, actor, q);
  const quota = (await quotaFor(db.kysely, actor.workspaceId, c.scope, period)).amount;
  const realised = f.won.amount;
  // The average deal: what the scope won in the last twelve months, else what it has open.
  const yearAgo = addDays(dateIn(actor.now, c.calendar.timeZone), -365).slice(0, 7);
  const wonYear = c.process ? await repo.totalsByStage(db.kysely, actor.workspaceId, c.process.id, c.filter, 'won', { from: yearAgo, to: null }) : [];
  const wonDeals = wonYear.reduce((a, r) => a + r.deals, 0);
  const averageDeal = wonDeals > 0 ? Math.round(wonYear.reduce((a, r) => a + r.amount, 0) / wonDeals) : f.total.count > 0 ? Math.round(f.total.amount / f.total.count) : null;
  const averageDealBasis = wonDeals > 0 ? 'won' as const : f.total.count > 0 ? 'open' as const : null;
  const weeksOf = (days: number) => Math.max(1, Math.round(days / 7));
  const plan = f.stages.map((s) => ({ name: s.name, probability: s.probability, weeks: weeksOf(s.expectedDays), count: s.count }));
  const today = dateIn(actor.now, c.calendar.timeZone);
  const left = weeksLeft(period, today);
  const std = averageDeal && averageDeal > 0 && plan.length ? standardFunnel({ quota, averageDeal, weeks: Math.max(1, periodDto(period, c.calendar, actor.now).weeks), stages: plan }) : null;
  const ages = c.process ? await repo.openDealAges(db.kysely, actor.workspaceId, c.process.id, c.filter, c.openDates) : [];
  const stages = f.stages.map((s, i) => {
    const standard = std?.stages[i]?.standard ?? null;
    const inStage = ages.filter((d) => d.stage_id === s.stageId).map((d) => ({ id: d.id, name: d.name, amount: Number(d.amount), days: (actor.now - Number(d.stage_entered_at ?? d.created_at)) / DAY }));
    const days = inStage.map((d) => d.days);
    const over = inStage.filter((d) => d.days > s.expectedDays).sort((a, b) => b.days - a.days);
    return {
      stageId: s.stageId, name: s.name, probability: s.probability, count: s.count, standard, balance: standard ? s.count / standard : null,
      expectedDays: s.expectedDays, medianDays: quantile(days, 0.5), p80Days: quantile(days, 0.8),
      over: over.slice(0, 20).map((d) => ({ ...d, days: Math.round(d.days * 10) / 10 })), overCount: over.length,
    };
  });
  const projection = flowProjection({ stages: plan }).slice(0, Math.max(left, 0));
  let cumulative = 0;
  const gap = averageDeal && averageDeal > 0 && plan.length ? funnelGap({ quota, realised, averageDeal, stages: plan }) : null;
  return {
    scope: f.scope, process: f.process, period: periodDto(period, c.calendar, actor.now), quota, realised, averageDeal, averageDealBasis,
    standard: std ? { dealsNeeded: std.dealsNeeded, winsPerWeek: std.winsPerWeek, newPerWeek: std.newPerWeek } : null,
    stages, flags: shapeFlags(stages.map((s) => s.balance)),
    yield: { expectedDeals: f.total.expectedDeals, expectedAmount: f.total.expectedAmount, coverage: quota > 0 ? (realised + f.total.expectedAmount) / quota : null },
    projection: projection.map((w) => ({ ...w, cumulative: (cumulative += w.wins) })),
    winsNeeded: averageDeal && averageDeal > 0 ? Math.max(0, quota - realised) / averageDeal : null,
    gap: gap ? { gapAmount: gap.gapAmount, gapDeals: gap.gapDeals, firstStageNeeded: gap.firstStageNeeded, perWeek: entriesPerWeekNeeded(gap.gapDeals, plan, left) } : null,
  };
}
