import type { Db } from '../../db/database.ts';
import { addDays, dateIn, type Calendar, type Period } from '../../domain/calendar.ts';
import type { Actor, TargetSubject } from '../../domain/policy.ts';
import { invalid } from '../../server/problem.ts';
import { NO_LINE_PARAM, NO_LINE, type BusinessLine } from '../../domain/business-lines.ts';
import { findProcess, stagesOf, type StageRow } from '../sales-processes/service.ts';
import { resolvePeriod, resolveScope, type ResolvedScope } from '../targets/scope.ts';
import { loadRules } from '../workspace/service.ts';
import * as reads from './repository/reads.ts';
import type { DealFilter, MonthRange } from './repository/filters.ts';

/**
 * What every funnel report reads first (docs/targets.md § Funnel): its scope, period, business
 * line and the close months and dates they count, and its process with the stages — checked
 * once here for the funnel, its health, the per-member table and the collections.
 */

export interface Context {
  scope: ResolvedScope;
  calendar: Calendar;
  threshold: number;
  taxRatePercent: number;
  process: { id: number; name: string } | null;
  stages: StageRow[];
  period: Period | null;
  /** The business line shown ('' — no line; undefined — every line). */
  line: string | undefined;
  filter: DealFilter;
  /** The open deals counted: by month (totals) and by date (deals). */
  openMonths: MonthRange;
  openDates: { from: string | null; to: string | null };
  wonMonths: MonthRange;
  wonDates: { from: string | null; to: string | null };
}

const lastMonthOf = (p: Period) => addDays(p.end, -1).slice(0, 7);

export type FunnelQuery = {
  scope?: string | undefined;
  processId?: number | undefined;
  period?: string | undefined;
  line?: string | undefined;
};

/**
 * The business line a report is narrowed to: a line of the workspace by its key, `none` for the
 * deals of no line ('' in the data), undefined for every line; anything else is a 400 naming
 * `query.line` (docs/targets.md § Business lines).
 */
export function resolveLine(line: string | undefined, lines: readonly BusinessLine[]): string | undefined {
  if (line === undefined) return undefined;
  if (line === NO_LINE_PARAM) return NO_LINE;
  if (lines.some((l) => l.key === line)) return line;
  throw invalid(
    'query.line',
    { code: 'invalid' },
    `is no business line of the workspace (${line}); name a line's key or none`,
  );
}

export type Frame = Omit<Context, 'process' | 'stages'>;
export type ProcessRead = readonly [{ id: number; name: string } | null | undefined, StageRow[]];

export async function context(db: Db, actor: Actor, query: FunnelQuery): Promise<Context> {
  const [frame, processRead] = await Promise.all([frameOf(db, actor, query), processOf(db, actor, query.processId)]);
  return withProcess(frame, processRead, query.processId);
}

/**
 * The scope, period, line and ranges of a report: the rules and the caller's own scope come
 * with the session (src/modules/workspace/session-reads.ts), so for a rep this reads nothing.
 */
export async function frameOf(db: Db, actor: Actor, query: FunnelQuery): Promise<Frame> {
  const [{ settings, calendar }, scope] = await Promise.all([
    loadRules(db.kysely, actor),
    resolveScope(db.kysely, actor, query.scope),
  ]);
  const period = query.period === 'all' ? null : resolvePeriod(query.period, calendar, actor.now);
  const line = resolveLine(query.line, settings.businessLines);
  return {
    scope,
    calendar,
    threshold: settings.largeDealThreshold,
    taxRatePercent: settings.taxRatePercent,
    period,
    line,
    filter: { ...filterOf(scope), line },
    ...rangesOf(period, dateIn(actor.now, calendar.timeZone)),
  };
}

/** The named process (or the default one) and its stages, read at once when named. */
export async function processOf(db: Db, actor: Actor, named: number | undefined): Promise<ProcessRead> {
  const { workspaceId } = actor;
  if (named !== undefined) {
    const rows = await reads.stagesWithProcessName(db.kysely, workspaceId, named);
    if (rows.length === 0) return [await findProcess(db.kysely, workspaceId, named), []];
    const stages: StageRow[] = rows.map(({ process_name: _name, ...stage }) => stage);
    return [{ id: named, name: rows[0]!.process_name }, stages];
  }
  return reads
    .defaultProcess(db.kysely, workspaceId)
    .then(async (found) => [found, found ? await stagesOf(db.kysely, workspaceId, [found.id]) : []] as const);
}

export function withProcess(
  frame: Frame,
  [processRow, processStages]: ProcessRead,
  named: number | undefined,
): Context {
  // A process of another workspace reads as none (docs/DESIGN.md § Ids in requests); checked
  // after the scope, so a scope out of reach is 403 first.
  if (named !== undefined && !processRow)
    throw invalid('query.processId', { code: 'not_found', params: { id: named } }, `no sales process with id ${named}`);
  const process = processRow ? { id: processRow.id, name: processRow.name } : null;
  return { ...frame, process, stages: process ? processStages : [] };
}

export const filterOf = (scope: TargetSubject): DealFilter =>
  scope.kind === 'user'
    ? { kind: 'user', userId: scope.userId }
    : scope.kind === 'unit'
      ? { kind: 'unit', path: scope.path }
      : { kind: 'workspace' };

/** The close months and dates a period's funnel counts (null: every open deal). */
export function rangesOf(period: Period | null, today: string) {
  // While the period runs, deals whose expected close has passed are still to be won (or lost) in it.
  const running = period !== null && period.start <= today && today < period.end;
  return {
    openMonths: period
      ? { from: running ? null : period.start.slice(0, 7), to: lastMonthOf(period) }
      : { from: null, to: null },
    openDates: period ? { from: running ? null : period.start, to: period.end } : { from: null, to: null },
    wonMonths: period ? { from: period.start.slice(0, 7), to: lastMonthOf(period) } : { from: null, to: null },
    wonDates: period ? { from: period.start, to: period.end } : { from: null, to: null },
  };
}
