import type { Db } from '../../db/database.ts';
import type * as contract from '../../contracts/forecasts.ts';
import { gapAnalysis, revenueForecast } from '../../domain/forecast.ts';
import { periodName } from '../../domain/period-name.ts';
import type { Actor, TargetSubject } from '../../domain/policy.ts';
import { quotaFor } from '../quotas/service.ts';
import { periodDto, resolvePeriod, resolveScope, scopeDto } from '../targets/scope.ts';
import { loadRules } from '../workspace/service.ts';
import * as repo from './repository.ts';
import { adjustmentDto, submissionDto, weekOf, weightsOf } from './service.ts';

/**
 * The forecast as a manager reads it (docs/targets.md § Revenue forecast, § Gap analysis):
 * for a scope and a period, the reps' latest submissions summed into the forecast formula,
 * next to the funnel's objective figure, the week-by-week history, accuracy, and the live P1–P4.
 */

async function context(db: Db, actor: Actor, q: contract.ScopedQuery) {
  const { settings, calendar } = await loadRules(db.kysely, actor.workspaceId);
  const period = resolvePeriod(q.period, calendar, actor.now);
  const scope = await resolveScope(db.kysely, actor, q.scope);
  const pd = periodDto(period, calendar, actor.now);
  return { settings, calendar, period, scope, subject: scope as TargetSubject, pd, name: periodName(period), weekStart: weekOf(actor.now, calendar) };
}

/** Each person's latest current submission of the period (their latest week). */
function latestByUser(subs: readonly repo.SubmissionRow[]) {
  const latest = new Map<number, repo.SubmissionRow>();
  for (const s of subs) {
    const had = latest.get(s.user_id);
    if (!had || s.week_start > had.week_start) latest.set(s.user_id, s);
  }
  return latest;
}

export async function forecastView(db: Db, actor: Actor, q: contract.ScopedQuery): Promise<contract.ForecastView> {
  const c = await context(db, actor, q);
  const ws = actor.workspaceId;
  const [quota, won, subs, open, sellers, adjustments] = await Promise.all([
    quotaFor(db.kysely, ws, c.subject, c.period),
    repo.wonByOwner(db.kysely, ws, c.subject, c.period.from, c.period.to),
    repo.currentSubmissions(db.kysely, ws, c.subject, c.name),
    repo.openByCategory(db.kysely, ws, c.subject, c.period.start, c.period.end),
    repo.sellersOf(db.kysely, ws, c.subject),
    c.subject.kind === 'unit' ? repo.adjustments(db.kysely, ws, c.subject.unitId, c.name) : Promise.resolve([]),
  ]);
  const latest = latestByUser(subs);
  const wonBy = new Map(won.map((w) => [w.ownerId, w.amount]));
  const realised = won.reduce((a, w) => a + w.amount, 0);
  const commit = [...latest.values()].reduce((a, s) => a + Number(s.commit_amount), 0);
  const possible = [...latest.values()].reduce((a, s) => a + Number(s.possible_amount), 0);
  const weights = weightsOf(c.settings);
  const f = revenueForecast({ quota: quota.amount, realised, commit, possible, weeksLeft: c.pd.weeksLeft, ...weights });
  const counted = open.filter((o) => o.category !== 'omitted');

  const weeks = new Map<string, { weekStart: string; submissions: number; commit: number; possible: number; forecast: number; adjusted: number | null }>();
  for (const s of subs) {
    const w = weeks.get(s.week_start) ?? { weekStart: s.week_start, submissions: 0, commit: 0, possible: 0, forecast: 0, adjusted: null };
    w.submissions += 1;
    w.commit += Number(s.commit_amount);
    w.possible += Number(s.possible_amount);
    w.forecast += Number(s.forecast);
    weeks.set(s.week_start, w);
  }
  for (const a of adjustments) {
    const w = weeks.get(a.week_start) ?? { weekStart: a.week_start, submissions: 0, commit: 0, possible: 0, forecast: 0, adjusted: null };
    w.adjusted = Number(a.amount);
    weeks.set(a.week_start, w);
  }
  const people = new Map(sellers.map((p) => [p.id, p.name]));
  for (const s of latest.values()) if (!people.has(s.user_id)) people.set(s.user_id, s.user_name);

  return {
    scope: scopeDto(c.scope),
    period: c.pd,
    weekStart: c.weekStart,
    weights,
    quota: quota.amount,
    realised,
    commit,
    possible,
    ...f,
    objective: {
      expectedAmount: counted.reduce((a, o) => a + o.expectedAmount, 0),
      amount: counted.reduce((a, o) => a + o.amount, 0),
      deals: counted.reduce((a, o) => a + o.deals, 0),
    },
    adjustment: adjustments.length ? adjustmentDto(adjustments[adjustments.length - 1]!) : null,
    submitted: [...latest.values()].filter((s) => s.week_start === c.weekStart).length,
    members: sellers.length,
    people: [...people].map(([userId, name]) => {
      const s = latest.get(userId);
      return {
        userId, name, weekStart: s?.week_start ?? null, submittedAt: s ? Number(s.submitted_at) : null,
        commit: s ? Number(s.commit_amount) : 0, possible: s ? Number(s.possible_amount) : 0, forecast: s ? Number(s.forecast) : null, realised: wonBy.get(userId) ?? 0,
      };
    }),
    weeks: [...weeks.values()].sort((a, b) => a.weekStart.localeCompare(b.weekStart)),
  };
}

export async function listSubmissions(db: Db, actor: Actor, q: contract.SubmissionsQuery) {
  const c = await context(db, actor, q);
  const r = await repo.listSubmissions(db.kysely, actor.workspaceId, c.subject, c.name, q.history === 'true', q.limit ?? 50, q.offset ?? 0);
  return { items: r.items.map(submissionDto), total: r.total };
}

/** Forecast against what was won, per person and per unit one level down: the first and the latest submitted forecast of the period. */
export async function accuracy(db: Db, actor: Actor, q: contract.ScopedQuery): Promise<contract.AccuracyResponse> {
  const c = await context(db, actor, q);
  const ws = actor.workspaceId;
  const row = (kind: 'user' | 'unit', id: number, name: string, subs: readonly repo.SubmissionRow[], actual: number): contract.AccuracyRow => {
    const byWeek = new Map<string, number>();
    for (const s of subs) byWeek.set(s.week_start, (byWeek.get(s.week_start) ?? 0) + Number(s.forecast));
    const weeks = [...byWeek.keys()].sort();
    const first = weeks.length ? byWeek.get(weeks[0]!)! : null;
    const last = weeks.length ? byWeek.get(weeks[weeks.length - 1]!)! : null;
    return { kind, id, name, firstForecast: first, lastForecast: last, actual, accuracy: last ? actual / last : null, error: last === null ? null : last - actual };
  };
  const [subs, won, sellers] = await Promise.all([
    repo.currentSubmissions(db.kysely, ws, c.subject, c.name),
    repo.wonByOwner(db.kysely, ws, c.subject, c.period.from, c.period.to),
    repo.sellersOf(db.kysely, ws, c.subject),
  ]);
  const wonBy = new Map(won.map((w) => [w.ownerId, w.amount]));
  const names = new Map(sellers.map((p) => [p.id, p.name]));
  for (const s of subs) if (!names.has(s.user_id)) names.set(s.user_id, s.user_name);
  const rows = [...names].map(([id, name]) => row('user', id, name, subs.filter((s) => s.user_id === id), wonBy.get(id) ?? 0));

  if (c.subject.kind !== 'user') {
    const units = await repo.childUnits(db.kysely, ws, c.subject.kind === 'unit' ? c.subject.unitId : null);
    const unitWon = await repo.wonInUnits(db.kysely, ws, units, c.period.from, c.period.to);
    for (const u of units) {
      const unitSubs = await repo.currentSubmissions(db.kysely, ws, { kind: 'unit', unitId: u.id, path: u.path }, c.name);
      rows.push(row('unit', u.id, u.name, unitSubs, unitWon.get(u.id) ?? 0));
    }
  }
  return { scope: scopeDto(c.scope), period: c.pd, rows };
}

/** P1–P4 from the live numbers: finished = won in the period; commit and the rest from the open deals expected to close in it. */
export async function gapView(db: Db, actor: Actor, q: contract.GapQuery): Promise<contract.GapView> {
  const c = await context(db, actor, q);
  const ws = actor.workspaceId;
  const [quota, won, open, avgWon] = await Promise.all([
    quotaFor(db.kysely, ws, c.subject, c.period),
    repo.wonByOwner(db.kysely, ws, c.subject, c.period.from, c.period.to),
    repo.openByCategory(db.kysely, ws, c.subject, c.period.start, c.period.end),
    repo.averageWon(db.kysely, ws, c.subject, actor.now - 365 * 86_400_000),
  ]);
  const averageDeal = avgWon.count > 0 ? avgWon.average : await repo.averageOpen(db.kysely, ws, c.subject);
  const finished = won.reduce((a, w) => a + w.amount, 0);
  const commit = open.filter((o) => o.category === 'commit').reduce((a, o) => a + o.amount, 0);
  const nonCommit = open.filter((o) => o.category === 'possible' || o.category === 'pipeline').reduce((a, o) => a + o.amount, 0);
  const factors = { p1: q.p1 ?? c.settings.gapP1, p2: q.p2 ?? c.settings.gapP2, p3: q.p3 ?? c.settings.gapP3 };
  const g = gapAnalysis({ quota: quota.amount, finished, commit, nonCommit, averageDeal: averageDeal || 1, weeksLeft: c.pd.weeksLeft, ...factors });
  return {
    scope: scopeDto(c.scope), period: c.pd, quota: quota.amount, finished, commit, nonCommit, averageDeal, weeksLeft: c.pd.weeksLeft, factors,
    gap0: g.gap0, gap1: g.gap1, gap2: g.gap2, gap3: g.gap3,
    // Without a single deal there is no average deal to count new customers by.
    newAccounts: averageDeal > 0 ? g.newAccounts : null,
    newAccountsPerWeek: averageDeal > 0 ? g.newAccountsPerWeek : null,
  };
}

/**
 * Who is furthest behind (the director's dashboard): the units one level below the scope, or
 * the people of a unit that has none, by realised ÷ quota; those without a quota are not listed.
 */
export async function behind(db: Db, actor: Actor, q: contract.ScopedQuery & { limit?: number | undefined }): Promise<contract.BehindResponse> {
  const c = await context(db, actor, q);
  const ws = actor.workspaceId;
  const rows: contract.BehindResponse['items'] = [];
  if (c.subject.kind !== 'user') {
    const units = await repo.childUnits(db.kysely, ws, c.subject.kind === 'unit' ? c.subject.unitId : null);
    if (units.length > 0) {
      const won = await repo.wonInUnits(db.kysely, ws, units, c.period.from, c.period.to);
      for (const u of units) {
        const quota = (await quotaFor(db.kysely, ws, { kind: 'unit', unitId: u.id, path: u.path }, c.period)).amount;
        rows.push(figures('unit', u.id, u.name, quota, won.get(u.id) ?? 0));
      }
    } else {
      const [people, won] = await Promise.all([repo.sellersOf(db.kysely, ws, c.subject), repo.wonByOwner(db.kysely, ws, c.subject, c.period.from, c.period.to)]);
      const unitPath = c.subject.kind === 'unit' ? c.subject.path : '';
      for (const p of people) {
        const quota = (await quotaFor(db.kysely, ws, { kind: 'user', userId: p.id, unitPath }, c.period)).amount;
        rows.push(figures('user', p.id, p.name, quota, won.find((w) => w.ownerId === p.id)?.amount ?? 0));
      }
    }
  }
  // Without a quota nobody is behind anything (a service unit, a new hire): they are left out.
  const measured = rows.filter((r) => r.quota > 0).sort((x, y) => x.attainment! - y.attainment! || y.gap - x.gap);
  return { scope: scopeDto(c.scope), period: c.pd, items: measured.slice(0, q.limit ?? 3) };
}

function figures(kind: 'user' | 'unit', id: number, name: string, quota: number, realised: number) {
  return { kind, id, name, quota, realised, attainment: quota > 0 ? realised / quota : null, gap: quota - realised };
}
