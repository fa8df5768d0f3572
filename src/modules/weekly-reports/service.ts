import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { addDays, dateIn, mondayOf } from '../../domain/calendar.ts';
import { reachesUnit, type Actor } from '../../domain/policy.ts';
import type { SavePlanRequest, SaveSummaryRequest, TeamReportsResponse, WeeklyReport } from '../../contracts/rhythm.ts';
import { forbidden, invalid, notFound, staleVersion } from '../../server/problem.ts';
import { seesOpportunity } from '../opportunities/read.ts';
import { updateVersioned } from '../versioned.ts';
import { loadRules } from '../workspace/service.ts';
import * as repo from './repository.ts';

/**
 * Weekly plan and summary (docs/rhythm.md § Weekly plan and summary). A person writes their
 * own; the managers over their unit (and admins, executives) read them; managers over them
 * and admins comment. Weeks are Mondays of the workspace calendar.
 */
async function weekStartOf(db: Db, actor: Actor, week: string | undefined) {
  if (week) return mondayOf(week);
  const { calendar } = await loadRules(db.kysely, actor);
  return mondayOf(dateIn(actor.now, calendar.timeZone));
}

const oversees = (actor: Actor, unitPath: string) =>
  (actor.role === 'admin' || actor.role === 'executive' || actor.role === 'manager') && reachesUnit(actor, unitPath);
const comments = (actor: Actor, unitPath: string, userId: number) =>
  userId !== actor.userId && (actor.role === 'admin' || (actor.role === 'manager' && reachesUnit(actor, unitPath)));

async function author(db: Db, actor: Actor, userId: number) {
  const user = await repo.userUnit(db.kysely, actor.workspaceId, userId);
  if (!user || (user.id !== actor.userId && !oversees(actor, user.path))) throw notFound('Weekly report');
  return user;
}

async function toDto(
  db: Db,
  actor: Actor,
  user: { id: number; name: string; path: string },
  weekStart: string,
  report: repo.ReportRow | undefined,
): Promise<WeeklyReport> {
  const deals = report ? (JSON.parse(report.plan_deals) as { opportunityId: number; note: string | null }[]) : [];
  const names = new Map(
    (
      await repo.opportunityNames(
        db.kysely,
        actor.workspaceId,
        deals.map((d) => d.opportunityId),
      )
    ).map((o) => [o.id, o.name]),
  );
  const notes = report ? await repo.commentsOf(db.kysely, actor.workspaceId, report.id) : [];
  return {
    id: report?.id ?? null,
    user: { id: user.id, name: user.name },
    weekStart,
    plan: {
      visits: report?.plan_visits ?? null,
      targets: report?.plan_targets ?? null,
      deals: deals.map((d) => ({ ...d, name: names.get(d.opportunityId) ?? '' })),
    },
    planSubmittedAt: report?.plan_submitted_at == null ? null : Number(report.plan_submitted_at),
    summary: {
      done: report?.summary_done ?? null,
      progress: report?.summary_progress ?? null,
      problems: report ? (JSON.parse(report.summary_problems) as { problem: string; solution: string }[]) : [],
      help: report?.summary_help ?? null,
    },
    summarySubmittedAt: report?.summary_submitted_at == null ? null : Number(report.summary_submitted_at),
    comments: notes.map((note) => ({
      id: note.id,
      author: { id: note.author_id, name: note.author_name },
      body: note.body,
      createdAt: Number(note.created_at),
    })),
    version: report?.version ?? 0,
    permissions: {
      edit: user.id === actor.userId,
      comment: report !== undefined && comments(actor, user.path, user.id),
    },
  };
}

export async function getReport(
  db: Db,
  actor: Actor,
  query: { week?: string | undefined; userId?: number | undefined },
) {
  const user = await author(db, actor, query.userId ?? actor.userId);
  const weekStart = await weekStartOf(db, actor, query.week);
  return toDto(db, actor, user, weekStart, await repo.reportOf(db.kysely, actor.workspaceId, user.id, weekStart));
}

/** Writes one's own report of a week: new (version 0) or the version read; a stale one is 409. */
async function save(db: Db, actor: Actor, week: string, version: number, values: repo.ReportValues) {
  const weekStart = mondayOf(week);
  await inTransaction(db.kysely, async (trx) => {
    if (version === 0) {
      const id = await repo.insertReport(trx, actor.workspaceId, actor.userId, weekStart, values, actor.now);
      if (id === null)
        throw staleVersion(
          'Weekly report',
          (await repo.reportOf(trx, actor.workspaceId, actor.userId, weekStart))?.version ?? 1,
        );
      return;
    }
    const cur = await repo.reportOf(trx, actor.workspaceId, actor.userId, weekStart);
    if (!cur) throw staleVersion('Weekly report', 0);
    await updateVersioned(
      trx,
      'weekly_reports',
      'Weekly report',
      { workspaceId: actor.workspaceId, id: cur.id, version },
      { ...values, updated_at: actor.now },
    );
  });
  return getReport(db, actor, { week: weekStart });
}

export async function savePlan(db: Db, actor: Actor, input: SavePlanRequest) {
  for (const [index, deal] of input.deals.entries()) {
    if (!(await seesOpportunity(db, actor, deal.opportunityId)))
      throw invalid(
        `deals.${index}.opportunityId`,
        { code: 'not_found', params: { id: deal.opportunityId } },
        `no opportunity with id ${deal.opportunityId}`,
      );
  }
  const cur = await repo.reportOf(db.kysely, actor.workspaceId, actor.userId, mondayOf(input.week));
  return save(db, actor, input.week, input.version, {
    plan_visits: input.visits ?? null,
    plan_targets: input.targets ?? null,
    plan_deals: JSON.stringify(input.deals.map((d) => ({ opportunityId: d.opportunityId, note: d.note ?? null }))),
    // The first submission is when the plan counts as written; saving again keeps it.
    ...(input.submit ? { plan_submitted_at: cur?.plan_submitted_at ?? actor.now } : {}),
  });
}

export async function saveSummary(db: Db, actor: Actor, input: SaveSummaryRequest) {
  // A problem raised without a way out is a complaint: the method asks for a proposed solution with each.
  for (const [index, problem] of input.problems.entries()) {
    if (!problem.solution?.trim())
      throw invalid(`problems.${index}.solution`, { code: 'solution_required' }, 'a problem needs a proposed solution');
  }
  const cur = await repo.reportOf(db.kysely, actor.workspaceId, actor.userId, mondayOf(input.week));
  return save(db, actor, input.week, input.version, {
    summary_done: input.done ?? null,
    summary_progress: input.progress ?? null,
    summary_problems: JSON.stringify(input.problems.map((p) => ({ problem: p.problem, solution: p.solution!.trim() }))),
    summary_help: input.help ?? null,
    ...(input.submit ? { summary_submitted_at: cur?.summary_submitted_at ?? actor.now } : {}),
  });
}

export async function addComment(db: Db, actor: Actor, reportId: number, body: string) {
  const report = await repo.reportById(db.kysely, actor.workspaceId, reportId);
  if (!report) throw notFound('Weekly report');
  const user = await author(db, actor, report.user_id);
  if (!comments(actor, user.path, user.id))
    throw forbidden('Only a manager over the author comments on a weekly report');
  await repo.insertComment(db.kysely, {
    workspaceId: actor.workspaceId,
    reportId,
    authorId: actor.userId,
    body,
    now: actor.now,
  });
  return toDto(db, actor, user, report.week_start, await repo.reportById(db.kysely, actor.workspaceId, reportId));
}

/** The reps within reach and whether each has submitted the week's plan and summary. */
export async function teamReports(
  db: Db,
  actor: Actor,
  query: { week?: string | undefined; orgUnitId?: number | undefined },
): Promise<TeamReportsResponse> {
  const weekStart = await weekStartOf(db, actor, query.week);
  const rows = await repo.teamReports(db.kysely, actor, weekStart, query.orgUnitId);
  const items = rows.map((row) => ({
    user: { id: row.id, name: row.name, orgUnitLabel: row.unit_name },
    reportId: row.report_id,
    planSubmittedAt: row.plan_submitted_at == null ? null : Number(row.plan_submitted_at),
    summarySubmittedAt: row.summary_submitted_at == null ? null : Number(row.summary_submitted_at),
    problems: row.summary_problems ? (JSON.parse(row.summary_problems) as unknown[]).length : 0,
    comments: Number(row.comments ?? 0),
  }));
  return {
    week: { start: weekStart, end: addDays(weekStart, 6) },
    items,
    missing: {
      plan: items.filter((i) => i.planSubmittedAt === null).length,
      summary: items.filter((i) => i.summarySubmittedAt === null).length,
    },
  };
}
