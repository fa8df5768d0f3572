import type { Db } from '../../db/database.ts';
import type * as contract from '../../contracts/forecasts.ts';
import { gapAnalysis, revenueForecast } from '../../domain/forecast.ts';
import { periodName } from '../../domain/period-name.ts';
import type { Actor, TargetSubject } from '../../domain/policy.ts';
import { dateIn } from '../../domain/calendar.ts';
import { resolveLine } from '../funnel/context.ts';
import { objectiveFigure } from '../funnel/service.ts';
import { NO_LINE, NO_LINE_PARAM } from '../../domain/business-lines.ts';
import { quotaFor, quotasWithin } from '../quotas/service.ts';
import { periodDto, resolvePeriod, resolveScope, scopeDto } from '../targets/scope.ts';
import { loadRules } from '../workspace/service.ts';
import * as adjustmentRepo from './repository/adjustments.ts';
import * as dealRepo from './repository/deals.ts';
import * as subjectRepo from './repository/subjects.ts';
import * as submissionRepo from './repository/submissions.ts';
import { adjustmentDto, submissionDto, weekOf, weightsOf } from './service.ts';

/**
 * The forecast as a manager reads it (docs/targets.md § Revenue forecast, § Gap analysis):
 * for a scope and a period, the reps' latest submissions summed into the forecast formula,
 * next to the funnel's objective figure, the week-by-week history, accuracy, and the live P1–P4.
 */

async function context(db: Db, actor: Actor, query: contract.ScopedQuery) {
  const { settings, calendar } = await loadRules(db.kysely, actor);
  const period = resolvePeriod(query.period, calendar, actor.now);
  const scope = await resolveScope(db.kysely, actor, query.scope);
  const pd = periodDto(period, calendar, actor.now);
  return {
    settings,
    calendar,
    period,
    scope,
    subject: scope as TargetSubject,
    pd,
    name: periodName(period),
    weekStart: weekOf(actor.now, calendar),
  };
}

/** Each person's latest current submission of the period (their latest week). */
function latestByUser(subs: readonly submissionRepo.SubmissionRow[]) {
  const latest = new Map<number, submissionRepo.SubmissionRow>();
  for (const submission of subs) {
    const had = latest.get(submission.user_id);
    if (!had || submission.week_start > had.week_start) latest.set(submission.user_id, submission);
  }
  return latest;
}

export async function forecastView(
  db: Db,
  actor: Actor,
  query: contract.ForecastQuery,
): Promise<contract.ForecastView> {
  const ctx = await context(db, actor, query);
  const ws = actor.workspaceId;
  const line = resolveLine(query.line, ctx.settings.businessLines);
  const [quota, won, subs, objective, sellers, adjustments] = await Promise.all([
    quotaFor(db.kysely, ws, ctx.subject, ctx.period),
    dealRepo.wonByOwner(db.kysely, ws, ctx.subject, ctx.period.from, ctx.period.to),
    submissionRepo.currentSubmissions(db.kysely, ws, ctx.subject, ctx.name),
    objectiveFigure(db, ws, ctx.subject, ctx.period, dateIn(actor.now, ctx.calendar.timeZone)),
    subjectRepo.sellersOf(db.kysely, ws, ctx.subject),
    ctx.subject.kind === 'unit'
      ? adjustmentRepo.adjustments(db.kysely, ws, ctx.subject.unitId, ctx.name)
      : Promise.resolve([]),
  ]);
  const latest = latestByUser(subs);
  const wonBy = new Map(won.map((w) => [w.ownerId, w.amount]));
  const realised = won.reduce((a, w) => a + w.amount, 0);
  // A line's own figures beside the forecast: submissions are per rep, not per line (docs/targets.md § Business lines).
  const lineFigures =
    line === undefined
      ? null
      : await Promise.all([
          dealRepo.wonByOwner(db.kysely, ws, ctx.subject, ctx.period.from, ctx.period.to, line),
          objectiveFigure(db, ws, ctx.subject, ctx.period, dateIn(actor.now, ctx.calendar.timeZone), line),
        ]).then(([lineWon, lineObjective]) => ({
          key: line === NO_LINE ? NO_LINE_PARAM : line,
          quota: lineQuota(quota, line),
          realised: lineWon.reduce((a, w) => a + w.amount, 0),
          objective: lineObjective,
        }));
  const commit = [...latest.values()].reduce((a, s) => a + Number(s.commit_amount), 0);
  const possible = [...latest.values()].reduce((a, s) => a + Number(s.possible_amount), 0);
  const weights = weightsOf(ctx.settings);
  const forecast = revenueForecast({
    quota: quota.amount,
    realised,
    commit,
    possible,
    weeksLeft: ctx.pd.weeksLeft,
    ...weights,
  });

  const weeks = new Map<
    string,
    {
      weekStart: string;
      submissions: number;
      commit: number;
      possible: number;
      forecast: number;
      adjusted: number | null;
    }
  >();
  for (const submission of subs) {
    const week = weeks.get(submission.week_start) ?? {
      weekStart: submission.week_start,
      submissions: 0,
      commit: 0,
      possible: 0,
      forecast: 0,
      adjusted: null,
    };
    week.submissions += 1;
    week.commit += Number(submission.commit_amount);
    week.possible += Number(submission.possible_amount);
    week.forecast += Number(submission.forecast);
    weeks.set(submission.week_start, week);
  }
  for (const adjustment of adjustments) {
    const week = weeks.get(adjustment.week_start) ?? {
      weekStart: adjustment.week_start,
      submissions: 0,
      commit: 0,
      possible: 0,
      forecast: 0,
      adjusted: null,
    };
    week.adjusted = Number(adjustment.amount);
    weeks.set(adjustment.week_start, week);
  }
  const people = new Map(sellers.map((p) => [p.id, p.name]));
  for (const submission of latest.values())
    if (!people.has(submission.user_id)) people.set(submission.user_id, submission.user_name);

  return {
    scope: scopeDto(ctx.scope),
    period: ctx.pd,
    weekStart: ctx.weekStart,
    weights,
    quota: quota.amount,
    realised,
    commit,
    possible,
    ...forecast,
    objective,
    line: lineFigures,
    adjustment: adjustments.length ? adjustmentDto(adjustments[adjustments.length - 1]!) : null,
    submitted: [...latest.values()].filter((s) => s.week_start === ctx.weekStart).length,
    members: sellers.length,
    people: [...people].map(([userId, name]) => {
      const submission = latest.get(userId);
      return {
        userId,
        name,
        weekStart: submission?.week_start ?? null,
        submittedAt: submission ? Number(submission.submitted_at) : null,
        commit: submission ? Number(submission.commit_amount) : 0,
        possible: submission ? Number(submission.possible_amount) : 0,
        forecast: submission ? Number(submission.forecast) : null,
        realised: wonBy.get(userId) ?? 0,
      };
    }),
    weeks: [...weeks.values()].sort((a, b) => a.weekStart.localeCompare(b.weekStart)),
  };
}

export async function listSubmissions(db: Db, actor: Actor, query: contract.SubmissionsQuery) {
  const ctx = await context(db, actor, query);
  const page = await submissionRepo.listSubmissions(
    db.kysely,
    actor.workspaceId,
    ctx.subject,
    ctx.name,
    query.history === 'true',
    query.limit ?? 50,
    query.offset ?? 0,
  );
  return { items: page.items.map(submissionDto), total: page.total };
}

/** Forecast against what was won, per person and per unit one level down: the first and the latest submitted forecast of the period. */
export async function accuracy(db: Db, actor: Actor, query: contract.ScopedQuery): Promise<contract.AccuracyResponse> {
  const ctx = await context(db, actor, query);
  const ws = actor.workspaceId;
  const row = (
    kind: 'user' | 'unit',
    id: number,
    name: string,
    subs: readonly submissionRepo.SubmissionRow[],
    actual: number,
  ): contract.AccuracyRow => {
    const byWeek = new Map<string, number>();
    for (const submission of subs)
      byWeek.set(submission.week_start, (byWeek.get(submission.week_start) ?? 0) + Number(submission.forecast));
    const weeks = [...byWeek.keys()].sort();
    const first = weeks.length ? byWeek.get(weeks[0]!)! : null;
    const last = weeks.length ? byWeek.get(weeks[weeks.length - 1]!)! : null;
    return {
      kind,
      id,
      name,
      firstForecast: first,
      lastForecast: last,
      actual,
      accuracy: last ? actual / last : null,
      error: last === null ? null : last - actual,
    };
  };
  const [subs, won, sellers] = await Promise.all([
    submissionRepo.currentSubmissions(db.kysely, ws, ctx.subject, ctx.name),
    dealRepo.wonByOwner(db.kysely, ws, ctx.subject, ctx.period.from, ctx.period.to),
    subjectRepo.sellersOf(db.kysely, ws, ctx.subject),
  ]);
  const wonBy = new Map(won.map((w) => [w.ownerId, w.amount]));
  const names = new Map(sellers.map((p) => [p.id, p.name]));
  for (const submission of subs)
    if (!names.has(submission.user_id)) names.set(submission.user_id, submission.user_name);
  const rows = [...names].map(([id, name]) =>
    row(
      'user',
      id,
      name,
      subs.filter((s) => s.user_id === id),
      wonBy.get(id) ?? 0,
    ),
  );

  if (ctx.subject.kind !== 'user') {
    const [units, paths] = await Promise.all([
      subjectRepo.childUnits(db.kysely, ws, ctx.subject.kind === 'unit' ? ctx.subject.unitId : null),
      subjectRepo.unitPaths(db.kysely, ws),
    ]);
    const unitWon = await dealRepo.wonInUnits(db.kysely, ws, units, ctx.period.from, ctx.period.to);
    // A unit's submissions are those of the scope's made in its subtree: no query per unit.
    for (const unit of units) {
      const unitSubs = subs.filter((s) => (paths.get(s.org_unit_id) ?? '').startsWith(unit.path));
      rows.push(row('unit', unit.id, unit.name, unitSubs, unitWon.get(unit.id) ?? 0));
    }
  }
  return { scope: scopeDto(ctx.scope), period: ctx.pd, rows };
}

/** P1–P4 from the live numbers: finished = won in the period; commit and the rest from the open deals expected to close in it. */
export async function gapView(db: Db, actor: Actor, query: contract.GapQuery): Promise<contract.GapView> {
  const ctx = await context(db, actor, query);
  const ws = actor.workspaceId;
  // A line's gap: its part of the quota against its own deals, won and open (docs/targets.md § Business lines).
  const line = resolveLine(query.line, ctx.settings.businessLines);
  const [quotaFigure, won, open, avgWon] = await Promise.all([
    quotaFor(db.kysely, ws, ctx.subject, ctx.period),
    dealRepo.wonByOwner(db.kysely, ws, ctx.subject, ctx.period.from, ctx.period.to, line),
    dealRepo.openByCategory(db.kysely, ws, ctx.subject, ctx.period.start, ctx.period.end, line),
    dealRepo.averageWon(db.kysely, ws, ctx.subject, actor.now - 365 * 86_400_000, line),
  ]);
  const quota = { amount: line === undefined ? quotaFigure.amount : lineQuota(quotaFigure, line) };
  const averageDeal = avgWon.count > 0 ? avgWon.average : await dealRepo.averageOpen(db.kysely, ws, ctx.subject, line);
  const finished = won.reduce((a, w) => a + w.amount, 0);
  const commit = open.filter((o) => o.category === 'commit').reduce((a, o) => a + o.amount, 0);
  const nonCommit = open
    .filter((o) => o.category === 'possible' || o.category === 'pipeline')
    .reduce((a, o) => a + o.amount, 0);
  const factors = {
    p1: query.p1 ?? ctx.settings.gapP1,
    p2: query.p2 ?? ctx.settings.gapP2,
    p3: query.p3 ?? ctx.settings.gapP3,
  };
  const gap = gapAnalysis({
    quota: quota.amount,
    finished,
    commit,
    nonCommit,
    averageDeal: averageDeal || 1,
    weeksLeft: ctx.pd.weeksLeft,
    ...factors,
  });
  return {
    scope: scopeDto(ctx.scope),
    period: ctx.pd,
    line: line === undefined ? null : line === NO_LINE ? NO_LINE_PARAM : line,
    quota: quota.amount,
    finished,
    commit,
    nonCommit,
    averageDeal,
    weeksLeft: ctx.pd.weeksLeft,
    factors,
    gap0: gap.gap0,
    gap1: gap.gap1,
    gap2: gap.gap2,
    gap3: gap.gap3,
    // Without a single deal there is no average deal to count new customers by.
    newAccounts: averageDeal > 0 ? gap.newAccounts : null,
    newAccountsPerWeek: averageDeal > 0 ? gap.newAccountsPerWeek : null,
  };
}

/**
 * Who is furthest behind (the director's dashboard): the units one level below the scope, or
 * the people of a unit that has none, by realised ÷ quota; those without a quota are not listed.
 */
export async function behind(
  db: Db,
  actor: Actor,
  query: contract.ScopedQuery & { limit?: number | undefined },
): Promise<contract.BehindResponse> {
  const ctx = await context(db, actor, query);
  const ws = actor.workspaceId;
  const rows: contract.BehindResponse['items'] = [];
  if (ctx.subject.kind !== 'user') {
    // Every quota of the scope from one read of its tree; what was won from one GROUP BY.
    const [units, quotas] = await Promise.all([
      subjectRepo.childUnits(db.kysely, ws, ctx.subject.kind === 'unit' ? ctx.subject.unitId : null),
      quotasWithin(db.kysely, ws, ctx.subject, ctx.period),
    ]);
    if (units.length > 0) {
      const won = await dealRepo.wonInUnits(db.kysely, ws, units, ctx.period.from, ctx.period.to);
      for (const unit of units)
        rows.push(figures('unit', unit.id, unit.name, quotas.unit(unit.id), won.get(unit.id) ?? 0));
    } else {
      const [people, won] = await Promise.all([
        subjectRepo.sellersOf(db.kysely, ws, ctx.subject),
        dealRepo.wonByOwner(db.kysely, ws, ctx.subject, ctx.period.from, ctx.period.to),
      ]);
      const wonBy = new Map(won.map((w) => [w.ownerId, w.amount]));
      for (const person of people)
        rows.push(figures('user', person.id, person.name, quotas.person(person.id), wonBy.get(person.id) ?? 0));
    }
  }
  // Without a quota nobody is behind anything (a service unit, a new hire): they are left out.
  const measured = rows.filter((r) => r.quota > 0).sort((x, y) => x.attainment! - y.attainment! || y.gap - x.gap);
  return { scope: scopeDto(ctx.scope), period: ctx.pd, items: measured.slice(0, query.limit ?? 3) };
}

/** A line's part of a quota: the quota's category of its key; the deals of no line have none (as funnel health has it). */
function lineQuota(quota: { amount: number; categories: Record<string, number> }, line: string) {
  return line === NO_LINE ? 0 : (quota.categories[line] ?? 0);
}

function figures(kind: 'user' | 'unit', id: number, name: string, quota: number, realised: number) {
  return { kind, id, name, quota, realised, attainment: quota > 0 ? realised / quota : null, gap: quota - realised };
}
