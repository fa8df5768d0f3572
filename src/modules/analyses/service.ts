import type { Db } from '../../db/database.ts';
import type { AnalysesResponse } from '../../contracts/analyses.ts';
import type { ScopedQuery } from '../../contracts/forecasts.ts';
import { diagnose, SIZE_BANDS } from '../../domain/diagnosis.ts';
import type { Actor, TargetSubject } from '../../domain/policy.ts';
import { periodDto, resolvePeriod, resolveScope, scopeDto } from '../targets/scope.ts';
import { loadRules } from '../workspace/service.ts';
import * as repo from './repository.ts';

/** The other analyses (docs/targets.md § Other analyses) of a scope the caller may see, for a period. */
export async function analyses(db: Db, actor: Actor, query: ScopedQuery): Promise<AnalysesResponse> {
  const { settings, calendar } = await loadRules(db.kysely, actor);
  const period = resolvePeriod(query.period, calendar, actor.now);
  const scope = await resolveScope(db.kysely, actor, query.scope);
  const subject = scope as TargetSubject;
  const ws = actor.workspaceId;
  const timeWindow: repo.Window = { from: period.from, to: period.to, start: period.start, end: period.end };
  // Activities are counted up to now: the weeks still to come have none yet.
  const activityTo = Math.min(period.to, Math.max(period.from, actor.now));
  const [bands, novelty, projects, sellers, activities] = await Promise.all([
    repo.bySizeBand(db.kysely, ws, subject, timeWindow),
    repo.byCustomerNovelty(db.kysely, ws, subject, timeWindow),
    repo.byProjectSize(db.kysely, ws, subject, timeWindow, settings.largeDealThreshold),
    repo.perSeller(db.kysely, ws, subject, timeWindow),
    repo.activitiesByOwner(db.kysely, ws, subject, period.from, activityTo),
  ]);
  const rate = (won: number, lost: number) => (won + lost > 0 ? won / (won + lost) : null);

  const sizeBands = SIZE_BANDS.map((sizeBand) => {
    const of = (o: string) => bands.find((r) => r.band === sizeBand.key && r.outcome === o) ?? { deals: 0, amount: 0 };
    const won = of('won');
    return {
      band: sizeBand.key,
      won: won.deals,
      wonAmount: won.amount,
      wonAverage: won.deals ? Math.round(won.amount / won.deals) : null,
      lost: of('lost').deals,
      winRate: rate(won.deals, of('lost').deals),
      open: of('open').deals,
      openAmount: of('open').amount,
    };
  });

  const customer = (isNew: boolean) => {
    const of = (o: string) => novelty.find((r) => r.isNew === isNew && r.outcome === o) ?? { deals: 0, amount: 0 };
    return {
      won: of('won').deals,
      lost: of('lost').deals,
      winRate: rate(of('won').deals, of('lost').deals),
      wonAmount: of('won').amount,
    };
  };

  const wonTotal = projects.filter((p) => p.outcome === 'won').reduce((a, p) => a + p.amount, 0);
  const project = (large: boolean) => {
    const won = projects.find((p) => p.large === large && p.outcome === 'won');
    const open = projects.find((p) => p.large === large && p.outcome === 'open');
    return {
      won: won?.deals ?? 0,
      wonAmount: won?.amount ?? 0,
      share: wonTotal > 0 ? (won?.amount ?? 0) / wonTotal : null,
      cycleDays: won?.cycleMs != null ? Math.round((won.cycleMs / 86_400_000) * 10) / 10 : null,
      open: open?.deals ?? 0,
      openAmount: open?.amount ?? 0,
    };
  };

  const numbers = (ownerId: number) => {
    const of = (o: string) => sellers.deals.filter((d) => d.ownerId === ownerId && d.outcome === o);
    const won = of('won');
    return {
      newAccounts: sellers.newAccounts.get(ownerId) ?? 0,
      won: won.reduce((a, d) => a + d.deals, 0),
      lost: of('lost').reduce((a, d) => a + d.deals, 0),
      wonAmount: won.reduce((a, d) => a + d.amount, 0),
    };
  };
  const reps = sellers.people.map((p) => ({ ...p, n: numbers(p.id) }));
  const team = reps.reduce(
    (sum, rep) => ({
      reps: sum.reps + 1,
      newAccounts: sum.newAccounts + rep.n.newAccounts,
      won: sum.won + rep.n.won,
      lost: sum.lost + rep.n.lost,
      wonAmount: sum.wonAmount + rep.n.wonAmount,
    }),
    { reps: 0, newAccounts: 0, won: 0, lost: 0, wonAmount: 0 },
  );

  return {
    scope: scopeDto(scope),
    period: periodDto(period, calendar, actor.now),
    sizeBands,
    newVsExisting: { new: customer(true), existing: customer(false) },
    projects: { threshold: settings.largeDealThreshold, small: project(false), large: project(true) },
    diagnosis: reps.map((rep) => {
      const diagnosis = diagnose(rep.n, team);
      return {
        userId: rep.id,
        name: rep.name,
        ...rep.n,
        winRate: rate(rep.n.won, rep.n.lost),
        averageDeal: rep.n.won ? Math.round(rep.n.wonAmount / rep.n.won) : null,
        problem: diagnosis.problem,
        ratios: diagnosis.ratios,
        topics: [...diagnosis.topics],
      };
    }),
    activity: activityProductivity(
      reps,
      activities,
      settings.qualifyingActivityTypes,
      {
        newAccountsPerWeek: settings.activityNewAccountsTarget || null,
        visitsPerWeek: settings.activityVisitsTarget || null,
      },
      Math.max(1, Math.round(((activityTo - period.from) / WEEK) * 10) / 10),
    ),
  };
}

const WEEK = 7 * 86_400_000;

/**
 * Activity productivity (docs/targets.md § Other analyses): each rep's done activities, visits
 * and qualifying follow-ups of the period, per week elapsed, beside the new accounts they
 * opened and the deals they won; the team line is the average rep, the targets the workspace's.
 */
function activityProductivity(
  reps: readonly { id: number; name: string; n: { newAccounts: number; won: number } }[],
  activities: readonly { ownerId: number; type: string; count: number }[],
  qualifyingTypes: readonly string[],
  targets: AnalysesResponse['activity']['targets'],
  weeks: number,
): AnalysesResponse['activity'] {
  const qualifying = new Set(qualifyingTypes);
  const figures = (counts: {
    activities: number;
    visits: number;
    qualifying: number;
    newAccounts: number;
    won: number;
  }) => ({
    ...counts,
    activitiesPerWeek: counts.activities / weeks,
    visitsPerWeek: counts.visits / weeks,
    qualifyingPerWeek: counts.qualifying / weeks,
    newAccountsPerWeek: counts.newAccounts / weeks,
    visitsPerWon: counts.won > 0 ? counts.visits / counts.won : null,
  });
  const counted = reps.map((rep) => {
    const own = activities.filter((a) => a.ownerId === rep.id);
    const sum = (keep: (type: string) => boolean) => own.filter((a) => keep(a.type)).reduce((a, x) => a + x.count, 0);
    return {
      userId: rep.id,
      name: rep.name,
      counts: {
        activities: sum(() => true),
        visits: sum((type) => type === 'visit'),
        qualifying: sum((type) => qualifying.has(type)),
        newAccounts: rep.n.newAccounts,
        won: rep.n.won,
      },
    };
  });
  const people = Math.max(1, counted.length);
  const average = (key: keyof (typeof counted)[number]['counts']) =>
    counted.reduce((a, rep) => a + rep.counts[key], 0) / people;
  return {
    available: true,
    weeks,
    qualifyingTypes: [...qualifyingTypes],
    targets,
    team: figures({
      activities: average('activities'),
      visits: average('visits'),
      qualifying: average('qualifying'),
      newAccounts: average('newAccounts'),
      won: average('won'),
    }),
    reps: counted.map((rep) => ({ userId: rep.userId, name: rep.name, ...figures(rep.counts) })),
  };
}
