import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/dialect.ts';
import type * as contract from '../../contracts/collections.ts';
import { expectedCollections } from '../../domain/collections.ts';
import type { Actor } from '../../domain/policy.ts';
import { AppError, invalid, notFound, staleVersion } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { context } from '../funnel/context.ts';
import { funnel } from '../funnel/service.ts';
import { LEAD_ONLY, requireOpportunity, requireRight } from '../opportunities/read.ts';
import { periodDto } from '../targets/scope.ts';
import { loadRules } from '../workspace/service.ts';
import * as repo from './repository.ts';

/** Payment plans and the expected collections of large projects (docs/targets.md § Expected collections). */

export async function paymentPlan(db: Db, actor: Actor, opportunityId: number): Promise<contract.PaymentPlan> {
  const { rights } = await opportunityRightsOf(db, actor, opportunityId);
  const { header, installments } = await repo.planOf(db.kysely, actor.workspaceId, opportunityId);
  return {
    opportunityId,
    installments: installments.map((i) => ({ dueDate: i.due_date, amount: i.amount, note: i.note })),
    total: installments.reduce((sum, i) => sum + i.amount, 0),
    version: header?.version ?? null,
    updatedAt: header ? Number(header.updated_at) : null,
    canEdit: rights.edit,
  };
}

/** 404 out of sight; else whether the caller may edit it. */
async function opportunityRightsOf(db: Db, actor: Actor, opportunityId: number) {
  await requireOpportunity(db, actor, opportunityId);
  try {
    return await requireRight(db, actor, opportunityId, 'edit', LEAD_ONLY);
  } catch (error) {
    if (error instanceof AppError && error.code === 'forbidden') return { rights: { edit: false } };
    throw error;
  }
}

/**
 * Saves a plan whole: the first without a version, later ones naming the version read (a
 * stale one, or two first plans at once, is 409 and nothing is saved). Those who may edit
 * the opportunity may set its plan; an empty list removes it.
 */
export async function savePaymentPlan(
  db: Db,
  actor: Actor,
  opportunityId: number,
  req: contract.SavePaymentPlanRequest,
  ip: string | null,
): Promise<contract.PaymentPlan> {
  const { r: opportunity } = await requireRight(db, actor, opportunityId, 'edit', LEAD_ONLY);
  const total = req.installments.reduce((sum, i) => sum + i.amount, 0);
  const amount = Number(opportunity.amount ?? 0);
  // A plan collects the contract, not more (docs/targets.md § Expected collections).
  if (total > amount)
    throw invalid(
      'installments',
      { code: 'too_big', params: { max: amount, origin: 'number' } },
      `add up to ${total} fen, more than the opportunity's amount of ${amount}`,
    );
  const before = await repo.planOf(db.kysely, actor.workspaceId, opportunityId);
  try {
    await db.kysely.transaction().execute(async (trx) => {
      if (!before.header) {
        if (req.version !== undefined) throw notFound('Payment plan');
        if (req.installments.length === 0) return;
        await repo.insertPlan(trx, {
          workspace_id: actor.workspaceId,
          opportunity_id: opportunityId,
          updated_by: actor.userId,
          updated_at: actor.now,
        });
      } else {
        if (req.version === undefined) throw staleVersion('The payment plan', before.header.version);
        const key = { workspaceId: actor.workspaceId, opportunityId, version: req.version };
        if (!(await repo.touchPlan(trx, key, actor.userId, actor.now)))
          throw staleVersion(
            'The payment plan',
            (await repo.planOf(trx, actor.workspaceId, opportunityId)).header?.version ?? 0,
          );
      }
      if (req.installments.length === 0) await repo.deletePlan(trx, actor.workspaceId, opportunityId);
      else
        await repo.replaceInstallments(
          trx,
          actor.workspaceId,
          opportunityId,
          [...req.installments]
            .sort((a, b) => a.dueDate.localeCompare(b.dueDate))
            .map((i) => ({ dueDate: i.dueDate, amount: i.amount, note: i.note ?? null })),
        );
      await recordAudit(
        trx,
        {
          workspaceId: actor.workspaceId,
          actorUserId: actor.userId,
          action: 'opportunity.payment_plan',
          targetType: 'opportunity',
          targetId: opportunityId,
          ip,
          detail: {
            installments: {
              from: before.installments.map((i) => `${i.due_date} ${i.amount}`),
              to: req.installments.map((i) => `${i.dueDate} ${i.amount}`),
            },
          },
        },
        actor.now,
      );
    });
  } catch (error) {
    // Two first plans at once: the other one is stored.
    if (isUniqueViolation(error))
      throw staleVersion(
        'The payment plan',
        (await repo.planOf(db.kysely, actor.workspaceId, opportunityId)).header?.version ?? 1,
      );
    throw error;
  }
  return paymentPlan(db, actor, opportunityId);
}

/**
 * The expected collections of a scope's large projects in a period, for the process the
 * funnel shows: from the funnel's own per-stage figures (kept totals), the deals with a payment
 * plan, and the large deals won in the period.
 */
export async function collections(
  db: Db,
  actor: Actor,
  query: { scope?: string | undefined; processId?: number | undefined; period?: string | undefined },
): Promise<contract.CollectionsResponse> {
  const [ctx, { settings }, shown] = await Promise.all([
    context(db, actor, query),
    loadRules(db.kysely, actor),
    funnel(db, actor, query),
  ]);
  const period = ctx.period!;
  const threshold = ctx.threshold;
  const planned = ctx.process
    ? await repo.plannedDeals(
        db.kysely,
        actor.workspaceId,
        ctx.process.id,
        ctx.filter,
        { openDates: ctx.openDates, wonDates: ctx.wonDates, due: { from: period.start, to: period.end } },
        threshold,
      )
    : { open: [], won: [] };
  const wonLarge = ctx.process
    ? await repo.wonLargeAmount(db.kysely, actor.workspaceId, ctx.process.id, ctx.filter, ctx.wonDates, threshold)
    : 0;
  const inPeriod = (date: string | null) => date !== null && date >= period.start && date < period.end;
  const wonPlannedInPeriod = planned.won.filter((d) => inPeriod(d.closeDate)).reduce((sum, d) => sum + d.amount, 0);
  const wonInstallments = planned.won.reduce((sum, d) => sum + d.dueInPeriod, 0);
  const result = expectedCollections({
    stages: shown.stages.map((stage) => ({
      probability: stage.probability,
      largeAmount: stage.large.amount,
      planned: planned.open.filter((d) => d.stageId === stage.stageId),
    })),
    wonInstallments,
    wonUnplanned: Math.max(0, wonLarge - wonPlannedInPeriod),
    firstPeriodShare: settings.collectionFirstPeriodShare,
    realisationPercent: settings.collectionRealisationPercent,
  });
  const probability = new Map(shown.stages.map((s) => [s.stageId, s.probability]));
  const deals = [
    ...planned.open.map((deal) => ({
      ...deal,
      expected: Math.round((deal.dueInPeriod * (probability.get(deal.stageId ?? 0) ?? 0)) / 100),
    })),
    ...planned.won.filter((d) => d.dueInPeriod > 0).map((d) => ({ ...d, expected: d.dueInPeriod })),
  ]
    .sort((a, b) => b.expected - a.expected || a.id - b.id)
    .slice(0, 100)
    .map(({ closeDate: _closeDate, ...deal }) => deal);
  return {
    scope: shown.scope,
    process: shown.process,
    period: periodDto(period, ctx.calendar, actor.now),
    largeDealThreshold: threshold,
    firstPeriodShare: settings.collectionFirstPeriodShare,
    realisationPercent: settings.collectionRealisationPercent,
    stages: shown.stages.map((stage, index) => ({
      stageId: stage.stageId,
      name: stage.name,
      probability: stage.probability,
      count: stage.large.count,
      amount: stage.large.amount,
      expectedAmount: stage.large.expectedAmount,
      planned: planned.open.filter((d) => d.stageId === stage.stageId).length,
      collections: result.stages[index]!.collections,
    })),
    open: result.open,
    installments: result.installments,
    wonUnplanned: result.wonUnplanned,
    total: result.total,
    deals,
  };
}
