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
  const { calendar } = await loadRules(db.kysely, actor.workspaceId);
  return mondayOf(dateIn(actor.now, calendar.timeZone));
}

const oversees = (actor: Actor, unitPath: string) => (actor.role === 'admin' || actor.role === 'executive' || actor.role === 'manager') && reachesUnit(actor, unitPath);
const comments = (actor: Actor, unitPath: string, userId: number) => userId !== actor.userId && (actor.role === 'admin' || (actor.role === 'manager' && reachesUnit(actor, unitPath)));

async function author(db: Db, actor: Actor, userId: number) {
  const u = await repo.userUnit(db.kysely, actor.workspaceId, userId);
  if (!u || (u.id !== actor.userId && !oversees(actor, u.path))) throw notFound('Weekly report');
  return u;
}

async function toDto(db: Db, actor: Actor, u: { id: number; name: string; path: string }, weekStart: string, r: repo.ReportRow | undefined): Promise<WeeklyReport> {
  const deals = r ? (JSON.parse(r.plan_deals) as { opportunityId: number; note: string | null }[]) : [];
  const names = new Map((await repo.opportunityNames(db.kysely, actor.workspaceId, deals.map((d) => d.opportunityId))).map((o) => [o.id, o.name]));
  const notes = r ? await repo.commentsOf(db.kysely, actor.workspaceId, r.id) : [];
  return {
    id: r?.id ?? null,
    user: { id: u.id, name: u.name },
    weekStart,
    plan: { visits: r?.plan_visits ?? null, targets: r?.plan_targets ?? null, deals: deals.map((d) => ({ ...d, name: names.get(d.opportunityId) ?? '' })) },
    planSubmittedAt: r?.plan_submitted_at == null ? null : Number(r.plan_submitted_at),
    summary: { done: r?.summary_done ?? null, progress: r?.summary_progress ?? null, problems: r ? (JSON.parse(r.summary_problems) as { problem: string; solution: string }[]) : [], help: r?.summary_help ?? null },
    summarySubmittedAt: r?.summary_submitted_at == null ? null : Number(r.summary_submitted_at),
    comments: notes.map((c) => ({ id: c.id, author: { id: c.author_id, name: c.author_name }, body: c.body, createdAt: Number(c.created_at) })),
    version: r?.version ?? 0,
    permissions: { edit: u.id === actor.userId, comment: r !== undefined && comments(actor, u.path, u.id) },
  };
}

export async function getReport(db: Db, actor: Actor, q: { week?: string | undefined; userId?: number | undefined }) {
  const u = await author(db, actor, q.userId ?? actor.userId);
  const weekStart = await weekStartOf(db, actor, q.week);
  return toDto(db, actor, u, weekStart, await repo.reportOf(db.kysely, actor.workspaceId, u.id, weekStart));
}

/** Writes one's own report of a week: new (version 0) or the version read; a stale one is 409. */
async function save(db: Db, actor: Actor, week: string, version: number, values: repo.ReportValues) {
  const weekStart = mondayOf(week);
  await inTransaction(db.kysely, async (trx) => {
    if (version === 0) {
      const id = await repo.insertReport(trx, actor.workspaceId, actor.userId, weekStart, values, actor.now);
      if (id === null) throw staleVersion('Weekly report', (await repo.reportOf(trx, actor.workspaceId, actor.userId, weekStart))?.version ?? 1);
      return;
    }
    const cur = await repo.reportOf(trx, actor.workspaceId, actor.userId, weekStart);
    if (!cur) throw staleVersion('Weekly report', 0);
    await updateVersioned(trx, 'weekly_reports', 'Weekly report', { workspaceId: actor.workspaceId, id: cur.id, version }, { ...values, updated_at: actor.now });
  });
  return getReport(db, actor, { week: weekStart });
}

export async function savePlan(db: Db, actor: Actor, input: SavePlanRequest) {
  for (const [i, d] of input.deals.entries()) {
    if (!(await seesOpportunity(db, actor, d.opportunityId))) throw invalid(`deals.${i}.opportunityId`, { code: 'not_found', params: { id: d.opportunityId } }, `no opportunity with id ${d.opportunityId}`);
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
  for (const [i, p] of input.problems.entries()) {
    if (!p.solution?.trim()) throw invalid(`problems.${i}.solution`, { code: 'solution_required' }, 'a problem needs a proposed solution');
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
  const r = await repo.reportById(db.kysely, actor.workspaceId, reportId);
  if (!r) throw notFound('Weekly report');
  const u = await author(db, actor, r.user_id);
  if (!comments(actor, u.path, u.id)) throw forbidden('Only a manager over the author comments on a weekly report');
  await repo.insertComment(db.kysely, { workspaceId: actor.workspaceId, reportId, authorId: actor.userId, body, now: actor.now });
  return toDto(db, actor, u, r.week_start, await repo.reportById(db.kysely, actor.workspaceId, reportId));
}

/** The reps within reach and whether each has submitted the week's plan and summary. */
export async function teamReports(db: Db, actor: Actor, q: { week?: string | undefined; orgUnitId?: number | undefined }): Promise<TeamReportsResponse> {
  const weekStart = await weekStartOf(db, actor, q.week);
  const rows = await repo.teamReports(db.kysely, actor, weekStart, q.orgUnitId);
  const items = rows.map((r) => ({
    user: { id: r.id, name: r.name, orgUnitLabel: r.unit_name },
    reportId: r.report_id,
    planSubmittedAt: r.plan_submitted_at == null ? null : Number(r.plan_submitted_at),
    summarySubmittedAt: r.summary_submitted_at == null ? null : Number(r.summary_submitted_at),
    problems: r.summary_problems ? (JSON.parse(r.summary_problems) as unknown[]).length : 0,
    comments: Number(r.comments ?? 0),
  }));
  return {
    week: { start: weekStart, end: addDays(weekStart, 6) },
    items,
    missing: { plan: items.filter((i) => i.planSubmittedAt === null).length, summary: items.filter((i) => i.summarySubmittedAt === null).length },
  };
}
