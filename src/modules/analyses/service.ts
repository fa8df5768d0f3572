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
  const { settings, calendar } = await loadRules(db.kysely, actor.workspaceId);
  const period = resolvePeriod(query.period, calendar, actor.now);
  const scope = await resolveScope(db.kysely, actor, query.scope);
  const subject = scope as TargetSubject;
  const ws = actor.workspaceId;
  const timeWindow: repo.Window = { from: period.from, to: period.to, start: period.start, end: period.end };
  const [bands, novelty, projects, sellers] = await Promise.all([
    repo.bySizeBand(db.kysely, ws, subject, timeWindow),
    repo.byCustomerNovelty(db.kysely, ws, subject, timeWindow),
    repo.byProjectSize(db.kysely, ws, subject, timeWindow, settings.largeDealThreshold),
    repo.perSeller(db.kysely, ws, subject, timeWindow),
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
    // Activity productivity needs the activities area (docs/targets.md § Other analyses); until it exists the page says so.
    activity: { available: false },
  };
}
