import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/dialect.ts';
import type * as contract from '../../contracts/forecasts.ts';
import { dateIn, mondayOf, weeksLeft, type Calendar, type Period } from '../../domain/calendar.ts';
import { revenueForecast } from '../../domain/forecast.ts';
import { parsePeriod, periodName } from '../../domain/period-name.ts';
import { canAdjustForecast, targetsVisible, type Actor, type TargetSubject } from '../../domain/policy.ts';
import type { WorkspaceSettings } from '../../domain/settings.ts';
import { AppError, invalid, notFound, staleVersion } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { quotaFor } from '../quotas/service.ts';
import { periodDto, resolvePeriod } from '../targets/scope.ts';
import { updateVersioned } from '../versioned.ts';
import { loadRules } from '../workspace/service.ts';
import * as adjustmentRepo from './repository/adjustments.ts';
import * as dealRepo from './repository/deals.ts';
import * as subjectRepo from './repository/subjects.ts';
import * as submissionRepo from './repository/submissions.ts';

/**
 * Weekly forecast submissions and managers' adjustments (docs/targets.md § Revenue forecast).
 * A rep submits for the week the request is made in; a second submission that week replaces
 * the first, which is kept (superseded) for the rolling history and accuracy.
 */

export const weightsOf = (setting: WorkspaceSettings) => ({
  commitWeight: setting.forecastCommitWeight,
  possibleWeight: setting.forecastPossibleWeight,
  unforecastRate: setting.forecastUnforecastRate,
});

export const weekOf = (now: number, cal: Calendar) => mondayOf(dateIn(now, cal.timeZone));

export function submissionDto(row: submissionRepo.SubmissionRow): contract.SubmissionSummary {
  return {
    id: row.id,
    userId: row.user_id,
    userName: row.user_name,
    orgUnitId: row.org_unit_id,
    period: row.period,
    weekStart: row.week_start,
    commit: Number(row.commit_amount),
    possible: Number(row.possible_amount),
    quota: Number(row.quota),
    realised: Number(row.realised),
    forecast: Number(row.forecast),
    note: row.note,
    submittedAt: Number(row.submitted_at),
    supersededAt: row.superseded_at === null ? null : Number(row.superseded_at),
  };
}

export function adjustmentDto(row: adjustmentRepo.AdjustmentRow): contract.Adjustment {
  return {
    id: row.id,
    orgUnitId: row.org_unit_id,
    period: row.period,
    weekStart: row.week_start,
    amount: Number(row.amount),
    note: row.note,
    adjustedBy: row.adjusted_by,
    adjustedByName: row.adjusted_by_name,
    updatedAt: Number(row.updated_at),
    version: row.version,
  };
}

const me = (actor: Actor): TargetSubject => ({ kind: 'user', userId: actor.userId, unitPath: actor.unitPath });
const sum = (xs: readonly { amount: number }[]) => xs.reduce((a, x) => a + x.amount, 0);

/** A period named in a body: it must parse and must not be over (a forecast is about what is still to come). */
function bodyPeriod(cal: Calendar, now: number, name: string | undefined): Period {
  const period = name === undefined ? resolvePeriod(undefined, cal, now) : parsePeriod(name, cal);
  if (!period)
    throw invalid(
      'period',
      { code: 'invalid_format', params: { format: 'period' } },
      'is not a period of the workspace calendar (FY2026, FY2026-Q3, FY2026-W05 or 2026-07)',
    );
  if (period.end <= dateIn(now, cal.timeZone))
    throw invalid('period', { code: 'period_over' }, 'is over: a forecast is for a period still running or to come');
  return period;
}

/** The caller's submission form: their open deals, pre-filled from this week's submission, else from the deals' own categories. */
export async function draft(
  db: Db,
  actor: Actor,
  query: { period?: string | undefined },
): Promise<contract.DraftResponse> {
  const { calendar } = await loadRules(db.kysely, actor);
  const period = resolvePeriod(query.period, calendar, actor.now);
  const weekStart = weekOf(actor.now, calendar);
  const name = periodName(period);
  const [quota, won, current, deals] = await Promise.all([
    quotaFor(db.kysely, actor.workspaceId, me(actor), period),
    dealRepo.wonByOwner(db.kysely, actor.workspaceId, me(actor), period.from, period.to),
    submissionRepo.currentSubmission(db.kysely, actor.workspaceId, actor.userId, name, weekStart),
    dealRepo.draftDeals(db.kysely, actor.workspaceId, actor.userId, period.end),
  ]);
  const submitted = new Map(
    (current ? await submissionRepo.submissionDeals(db.kysely, actor.workspaceId, current.id) : []).map((date) => [
      date.opportunity_id,
      date,
    ]),
  );
  return {
    period: periodDto(period, calendar, actor.now),
    weekStart,
    quota: quota.amount,
    realised: sum(won),
    current: current ? submissionDto(current) : null,
    deals: deals.map((deal) => {
      const submission = submitted.get(deal.id);
      const own =
        deal.forecast_category === 'commit' || deal.forecast_category === 'possible' ? deal.forecast_category : 'none';
      return {
        opportunityId: deal.id,
        name: deal.name,
        accountName: deal.account_name,
        stageName: deal.stage_name,
        probability: deal.probability,
        expectedCloseDate: deal.expected_close_date,
        dealAmount: Number(deal.amount),
        dealCategory: deal.forecast_category,
        category: current ? ((submission?.category as contract.SubmitCategory | undefined) ?? 'none') : own,
        amount: submission ? Number(submission.amount) : Number(deal.amount),
      };
    }),
  };
}

/** Submits the caller's forecast for this week; one already made this week is replaced and kept. */
export async function submit(
  db: Db,
  actor: Actor,
  req: contract.SubmitRequest,
  ip: string | null,
): Promise<contract.SubmissionDetail> {
  const { settings, calendar } = await loadRules(db.kysely, actor);
  const period = bodyPeriod(calendar, actor.now, req.period);
  const name = periodName(period);
  const weekStart = weekOf(actor.now, calendar);
  const seen = new Map<number, number>();
  req.deals.forEach((deal, index) => {
    const first = seen.get(deal.opportunityId);
    if (first !== undefined)
      throw invalid(
        `deals.${index}.opportunityId`,
        { code: 'duplicate', params: { index: first } },
        `names the same deal as deals.${first}`,
      );
    seen.set(deal.opportunityId, index);
  });
  const own = await dealRepo.ownOpenDeals(db.kysely, actor.workspaceId, actor.userId, [...seen.keys()]);
  req.deals.forEach((deal, index) => {
    if (!own.has(deal.opportunityId))
      throw invalid(
        `deals.${index}.opportunityId`,
        { code: 'not_found', params: { id: deal.opportunityId } },
        `no open deal of yours with id ${deal.opportunityId}`,
      );
  });

  const [quota, won] = await Promise.all([
    quotaFor(db.kysely, actor.workspaceId, me(actor), period),
    dealRepo.wonByOwner(db.kysely, actor.workspaceId, me(actor), period.from, period.to),
  ]);
  const commit = sum(req.deals.filter((d) => d.category === 'commit'));
  const possible = sum(req.deals.filter((d) => d.category === 'possible'));
  const realised = sum(won);
  const forecast = revenueForecast({
    quota: quota.amount,
    realised,
    commit,
    possible,
    weeksLeft: weeksLeft(period, dateIn(actor.now, calendar.timeZone)),
    ...weightsOf(settings),
  });

  let id: number;
  try {
    id = await db.kysely.transaction().execute(async (trx) => {
      await submissionRepo.supersede(trx, actor.workspaceId, actor.userId, name, weekStart, actor.now);
      const newId = await submissionRepo.insertSubmission(
        trx,
        {
          workspace_id: actor.workspaceId,
          user_id: actor.userId,
          org_unit_id: actor.orgUnitId,
          period: name,
          week_start: weekStart,
          commit_amount: commit,
          possible_amount: possible,
          quota: quota.amount,
          realised,
          forecast: forecast.forecast,
          note: req.note ?? null,
          submitted_at: actor.now,
        },
        req.deals,
      );
      await recordAudit(
        trx,
        {
          workspaceId: actor.workspaceId,
          actorUserId: actor.userId,
          action: 'forecast.submit',
          targetType: 'forecast_submission',
          targetId: newId,
          ip,
          detail: { period: name, weekStart, commit, possible, forecast: forecast.forecast, deals: req.deals.length },
        },
        actor.now,
      );
      return newId;
    });
  } catch (error) {
    // Two submissions of the same week at once: the other one was saved first.
    if (isUniqueViolation(error))
      throw new AppError(
        'version_conflict',
        'Another submission for this week was saved at the same moment; reload and submit again',
        { params: {} },
      );
    throw error;
  }
  return submissionDetail(db, actor, id);
}

/** One submission with its deals: the caller's own, or one of a person they may see. */
export async function submissionDetail(db: Db, actor: Actor, id: number): Promise<contract.SubmissionDetail> {
  const row = await submissionRepo.submissionById(db.kysely, actor.workspaceId, id);
  if (!row) throw notFound('Forecast submission');
  if (row.user_id !== actor.userId) {
    const unit = await subjectRepo.unitFacts(db.kysely, actor.workspaceId, row.org_unit_id);
    if (!unit || !targetsVisible(actor, { kind: 'user', userId: row.user_id, unitPath: unit.path }))
      throw notFound('Forecast submission');
  }
  const deals = await submissionRepo.submissionDeals(db.kysely, actor.workspaceId, id);
  return {
    ...submissionDto(row),
    deals: deals.map((deal) => ({
      opportunityId: deal.opportunity_id,
      name: deal.name,
      category: deal.category as contract.SubmitCategory,
      amount: Number(deal.amount),
    })),
  };
}

/**
 * Sets a unit's adjusted forecast for this week. The first adjustment of a week is made
 * without a version; every later one names the version it read, so of two managers adjusting
 * at once one gets 409 with the version now stored.
 */
export async function adjust(
  db: Db,
  actor: Actor,
  req: contract.AdjustRequest,
  ip: string | null,
): Promise<contract.Adjustment> {
  const { calendar } = await loadRules(db.kysely, actor);
  const unit = await subjectRepo.unitFacts(db.kysely, actor.workspaceId, req.unitId);
  if (!unit || !canAdjustForecast(actor, unit.path))
    throw invalid('unitId', { code: 'not_found', params: { id: req.unitId } }, `no unit with id ${req.unitId}`);
  const period = bodyPeriod(calendar, actor.now, req.period);
  const name = periodName(period);
  const weekStart = weekOf(actor.now, calendar);
  const existing = (await adjustmentRepo.adjustments(db.kysely, actor.workspaceId, unit.id, name)).find(
    (a) => a.week_start === weekStart,
  );
  try {
    await db.kysely.transaction().execute(async (trx) => {
      if (!existing) {
        if (req.version !== undefined) throw notFound('Forecast adjustment');
        await adjustmentRepo.insertAdjustment(trx, {
          workspace_id: actor.workspaceId,
          org_unit_id: unit.id,
          period: name,
          week_start: weekStart,
          amount: req.amount,
          note: req.note ?? null,
          adjusted_by: actor.userId,
          created_at: actor.now,
          updated_at: actor.now,
        });
      } else {
        if (req.version === undefined) throw staleVersion('The forecast adjustment', existing.version);
        await updateVersioned(
          trx,
          'forecast_adjustments',
          'Forecast adjustment',
          { workspaceId: actor.workspaceId, id: existing.id, version: req.version },
          {
            amount: req.amount,
            note: req.note ?? null,
            adjusted_by: actor.userId,
            updated_at: actor.now,
          },
        );
      }
      await recordAudit(
        trx,
        {
          workspaceId: actor.workspaceId,
          actorUserId: actor.userId,
          action: 'forecast.adjust',
          targetType: 'org_unit',
          targetId: unit.id,
          ip,
          detail: {
            period: name,
            weekStart,
            amount: { from: existing ? Number(existing.amount) : null, to: req.amount },
          },
        },
        actor.now,
      );
    });
  } catch (error) {
    // Both managers made the week's first adjustment at once: the other one's is stored.
    if (isUniqueViolation(error)) {
      const now = (await adjustmentRepo.adjustments(db.kysely, actor.workspaceId, unit.id, name)).find(
        (a) => a.week_start === weekStart,
      );
      throw staleVersion('The forecast adjustment', now?.version ?? 1);
    }
    throw error;
  }
  const saved = (await adjustmentRepo.adjustments(db.kysely, actor.workspaceId, unit.id, name)).find(
    (a) => a.week_start === weekStart,
  );
  return adjustmentDto(saved!);
}
