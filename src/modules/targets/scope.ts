import type { Kysely } from 'kysely';
import type { PeriodDto, ScopeDto } from '../../contracts/targets.ts';
import type { Database } from '../../db/schema.ts';
import { dateIn, weeksIn, weeksLeft, type Calendar, type Period } from '../../domain/calendar.ts';
import { currentQuarter, parsePeriod, periodName } from '../../domain/period-name.ts';
import { defaultTargetSubject, targetsVisible, type Actor, type TargetSubject } from '../../domain/policy.ts';
import { forbidden, invalid } from '../../server/problem.ts';
import * as repo from './repository.ts';
import { sessionReadsOf } from '../workspace/session-reads.ts';

/**
 * The scope and period of a live figure (docs/targets.md § Scopes and periods), resolved and
 * checked once for every area that reports on them (quotas, funnel, forecast). A scope the
 * caller may not see — or that does not exist in their workspace, which must look the same —
 * is 403.
 */
export type ResolvedScope = TargetSubject & { name: string };

export async function resolveScope(
  db: Kysely<Database>,
  actor: Actor,
  scope: string | undefined,
): Promise<ResolvedScope> {
  const subject = await subjectOf(db, actor, scope ?? defaultScopeName(actor));
  if (!subject || !targetsVisible(actor, subject)) throw forbidden('You cannot see the numbers of this scope');
  return subject;
}

function defaultScopeName(actor: Actor): string {
  const subject = defaultTargetSubject(actor);
  return subject.kind === 'workspace'
    ? 'workspace'
    : subject.kind === 'unit'
      ? `unit:${subject.unitId}`
      : `user:${subject.userId}`;
}

async function subjectOf(db: Kysely<Database>, actor: Actor, scope: string): Promise<ResolvedScope | null> {
  // The workspace and the caller themself are named by what their session read (no round trip).
  const kept = sessionReadsOf(actor);
  if (scope === 'workspace')
    return { kind: 'workspace', name: kept?.workspaceName ?? (await repo.workspaceName(db, actor.workspaceId)) };
  const [kind, idText] = scope.split(':') as [string, string];
  const id = Number(idText);
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) return null;
  if (kind === 'user' && id === actor.userId && kept)
    return { kind: 'user', userId: id, unitPath: actor.unitPath, name: kept.userName };
  if (kind === 'unit') {
    const unit = await repo.unitOf(db, actor.workspaceId, id);
    return unit ? { kind: 'unit', unitId: unit.id, path: unit.path, name: unit.name } : null;
  }
  const user = await repo.userOf(db, actor.workspaceId, id);
  return user ? { kind: 'user', userId: user.id, unitPath: user.path, name: user.name } : null;
}

export function scopeDto(scope: ResolvedScope): ScopeDto {
  return {
    kind: scope.kind,
    id: scope.kind === 'unit' ? scope.unitId : scope.kind === 'user' ? scope.userId : null,
    name: scope.name,
  };
}

/** The period named in the query, or the current fiscal quarter; a name that parses to no period is 400 on `query.period`. */
export function resolvePeriod(name: string | undefined, cal: Calendar, now: number): Period {
  if (name === undefined) return currentQuarter(now, cal);
  const period = parsePeriod(name, cal);
  if (!period)
    throw invalid(
      'query.period',
      { code: 'invalid_format', params: { format: 'period' } },
      'is not a period of the workspace calendar (FY2026, FY2026-Q3, FY2026-W05 or 2026-07)',
    );
  return period;
}

export function periodDto(period: Period, cal: Calendar, now: number): PeriodDto {
  return {
    name: periodName(period),
    kind: period.kind,
    start: period.start,
    end: period.end,
    weeks: weeksIn(period),
    weeksLeft: weeksLeft(period, dateIn(now, cal.timeZone)),
  };
}

/** The org tree's reads, for the areas that report on it (quotas roll up over units and people). */
export { unitOf, userOf, unitsUnder, peopleUnder } from './repository.ts';
