import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { updateVersioned } from '../versioned.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import * as repo from './repository.ts';
import { checkEvidenceKeys, getProcess } from './service.ts';
import type * as contract from '../../contracts/sales-processes.ts';
import { MAX_STAGES } from '../../contracts/sales-processes.ts';

/**
 * The shape of a process: adding, removing and reordering its stages (docs/sales-process.md § Sales processes and stages). These
 * change the process as a whole, so each takes the process's version and bumps it, in one
 * transaction with its audit entry. History is never touched: every stage-history row keeps
 * the stage name and probability it was written with, and no longer needs the stage itself.
 */

/** More columns than MAX_STAGES make the board unusable; the longest template has 8. */
export { MAX_STAGES };

const ADMIN_ONLY = 'Only an administrator can change sales processes';

/** Locks the process for the change (the row update) and checks the version the caller read. */
async function bumpProcess(trx: Kysely<Database>, actor: Actor, processId: number, version: number) {
  await updateVersioned(
    trx,
    'sales_processes',
    'Sales process',
    { workspaceId: actor.workspaceId, id: processId, version },
    { updated_at: actor.now },
  );
}

/**
 * Win probabilities never decrease along the order, the rule the stage PATCH keeps between
 * neighbours. Returns the first stage that breaks it, with the one it would follow.
 */
export function probabilityBreach<S extends { name: string; probability: number }>(
  stages: S[],
): { index: number; stage: S; prev: S } | null {
  for (let i = 1; i < stages.length; i++) {
    const prev = stages[i - 1]!;
    const stage = stages[i]!;
    if (stage.probability < prev.probability) return { index: i, stage, prev };
  }
  return null;
}

/** Inserts a stage at a position; the stages from there on move down one. Never after the won stage. */
export async function addStage(
  db: Db,
  actor: Actor,
  processId: number,
  input: contract.AddStageRequest,
  ip: string | null,
) {
  if (!can(actor, 'processes.administer')) throw forbidden(ADMIN_ONLY);
  checkEvidenceKeys(input.evidence);
  await db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.getProcess(trx, actor.workspaceId, processId))) throw notFound('Sales process');
    await bumpProcess(trx, actor, processId, input.version);
    const stages = await repo.stagesOf(trx, actor.workspaceId, [processId]);
    if (stages.length >= MAX_STAGES) throw conflict('too_many_stages', `A process has at most ${MAX_STAGES} stages`);
    const wonAt = stages.findIndex((s) => s.is_won === 1);
    const last = wonAt === -1 ? stages.length : wonAt;
    if (input.position > last)
      throw invalid(
        'position',
        { code: 'between', params: { min: 0, max: last } },
        `must be 0–${last}: the won stage stays last`,
      );
    const prev = stages[input.position - 1];
    const next = stages[input.position];
    if ((prev && input.probability < prev.probability) || (next && input.probability > next.probability)) {
      throw invalid(
        'probability',
        { code: 'between', params: { min: prev?.probability ?? 0, max: next?.probability ?? 100 } },
        `must lie between the neighbouring stages (${prev?.probability ?? 0}–${next?.probability ?? 100})`,
      );
    }
    const { now } = actor;
    const id = await repo.insertStage(trx, {
      workspace_id: actor.workspaceId,
      process_id: processId,
      position: input.position,
      name: input.name,
      probability: input.probability,
      purpose: input.purpose ?? null,
      milestone: input.milestone ?? null,
      evidence: JSON.stringify(input.evidence ?? []),
      actions: JSON.stringify(input.actions ?? []),
      roles: JSON.stringify(input.roles ?? []),
      ...(input.expectedDays !== undefined ? { expected_days: input.expectedDays } : {}),
      buying_phase: input.buyingPhase ?? null,
      created_at: now,
      updated_at: now,
      version: 1,
    });
    const order = [
      ...stages.slice(0, input.position),
      { id, position: input.position },
      ...stages.slice(input.position),
    ];
    await repo.writePositions(trx, actor.workspaceId, order);
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'process.stage_add',
        targetType: 'sales_process',
        targetId: processId,
        ip,
        detail: { stageId: id, name: input.name, position: input.position, probability: input.probability },
      },
      now,
    );
  });
  return getProcess(db, actor, processId);
}

/**
 * Removes a stage nobody is in. An opportunity keeps pointing at its current stage even
 * when closed (lost or abandoned where it stopped), so any opportunity in it blocks the
 * removal: the administrator moves them first. `version` is the process's; without it the
 * removal is judged on the state it finds.
 */
export async function removeStage(
  db: Db,
  actor: Actor,
  stageId: number,
  version: number | undefined,
  ip: string | null,
) {
  if (!can(actor, 'processes.administer')) throw forbidden(ADMIN_ONLY);
  const processId = await db.kysely.transaction().execute(async (trx) => {
    const stage = await repo.getStage(trx, actor.workspaceId, stageId);
    if (!stage) throw notFound('Stage');
    const process = await repo.getProcess(trx, actor.workspaceId, stage.process_id);
    if (!process) throw notFound('Sales process');
    await bumpProcess(trx, actor, process.id, version ?? process.version);
    if (stage.is_won === 1)
      throw conflict(
        'won_stage',
        `"${stage.name}" is the won stage: closing an opportunity as won moves it there, so it cannot be removed`,
      );
    const stages = await repo.stagesOf(trx, actor.workspaceId, [process.id]);
    if (stages.length <= 2) throw conflict('too_few_stages', 'A process keeps at least two stages');
    const inStage = await repo.opportunitiesInStage(trx, actor.workspaceId, stageId);
    if (inStage.length > 0) throw stageInUse(stage.name, process.name, inStage);
    await repo.deleteStage(trx, actor.workspaceId, stageId);
    await repo.writePositions(
      trx,
      actor.workspaceId,
      stages.filter((s) => s.id !== stageId),
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'process.stage_remove',
        targetType: 'sales_process',
        targetId: process.id,
        ip,
        detail: { stageId, name: stage.name, position: stage.position, probability: stage.probability },
      },
      actor.now,
    );
    return process.id;
  });
  return getProcess(db, actor, processId);
}

/** 409 that says how many opportunities sit in the stage, how many of them are closed, and which. */
function stageInUse(stageName: string, processName: string, opps: { id: number; name: string; status: string }[]) {
  const byStatus: Record<string, number> = {};
  for (const opportunity of opps) byStatus[opportunity.status] = (byStatus[opportunity.status] ?? 0) + 1;
  const shown = opps.slice(0, 20);
  const counts = Object.entries(byStatus)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  const names =
    shown.map((o) => `${o.name} (#${o.id}, ${o.status})`).join('; ') +
    (opps.length > shown.length ? `; and ${opps.length - shown.length} more` : '');
  const what = opps.length === 1 ? '1 opportunity is' : `${opps.length} opportunities are`;
  return new AppError(
    'stage_in_use',
    `${what} in stage "${stageName}" of "${processName}" (${counts}): ${names}. Move them to another stage first`,
    {
      params: { opportunities: { total: opps.length, byStatus, items: shown } },
    },
  );
}

/**
 * Puts the stages in a new order. Moving a stage usually needs a new probability for it
 * (probabilities never decrease along the order), so the order may carry probabilities:
 * the rule is checked on the result, and the two change together or not at all.
 */
export async function reorderStages(
  db: Db,
  actor: Actor,
  processId: number,
  input: contract.StageOrderRequest,
  ip: string | null,
) {
  if (!can(actor, 'processes.administer')) throw forbidden(ADMIN_ONLY);
  await db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.getProcess(trx, actor.workspaceId, processId))) throw notFound('Sales process');
    await bumpProcess(trx, actor, processId, input.version);
    const current = await repo.stagesOf(trx, actor.workspaceId, [processId]);
    const byId = new Map(current.map((s) => [s.id, s]));
    const ids = input.stages.map((s) => s.id);
    const unknown = ids.filter((id) => !byId.has(id));
    const missing = current.filter((s) => !ids.includes(s.id)).map((s) => s.id);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (unknown.length || missing.length || repeated.length) {
      const why = [
        unknown.length ? `not stages of this process: ${unknown.join(', ')}` : '',
        missing.length ? `missing: ${missing.join(', ')}` : '',
        repeated.length ? `listed twice: ${[...new Set(repeated)].join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      throw invalid(
        'stages',
        { code: 'stages_mismatch', params: { count: current.length } },
        `must list each of this process's ${current.length} stages exactly once (${why})`,
      );
    }
    const won = current.find((s) => s.is_won === 1);
    if (won && ids.at(-1) !== won.id)
      throw invalid(
        'stages',
        { code: 'won_stage_last', params: { name: won.name } },
        `the won stage "${won.name}" must stay last`,
      );
    const next = input.stages.map((stageInput, index) => {
      const stage = byId.get(stageInput.id)!;
      if (stageInput.probability !== undefined && stage.is_won === 1 && stageInput.probability !== 100)
        throw invalid(`stages.${index}.probability`, { code: 'won_stage_fixed' }, 'the won stage is 100');
      return { ...stage, probability: stageInput.probability ?? stage.probability };
    });
    const breach = probabilityBreach(next);
    if (breach) {
      const { index, stage, prev } = breach;
      throw invalid(
        `stages.${index}.probability`,
        {
          code: 'probability_order',
          params: {
            stage: stage.name,
            probability: stage.probability,
            previous: prev.name,
            previousProbability: prev.probability,
          },
        },
        `win probabilities must not decrease along the order: "${stage.name}" (${stage.probability}%) would follow "${prev.name}" (${prev.probability}%); change a probability along with the order`,
      );
    }
    const { now } = actor;
    for (const updated of next) {
      const old = byId.get(updated.id)!;
      if (updated.probability !== old.probability) {
        await repo.setProbability(trx, actor.workspaceId, updated.id, {
          probability: updated.probability,
          now,
          version: old.version + 1,
        });
      }
    }
    await repo.writePositions(trx, actor.workspaceId, next);
    const changed = next
      .filter((s) => s.probability !== byId.get(s.id)!.probability)
      .map((s) => ({ stageId: s.id, from: byId.get(s.id)!.probability, to: s.probability }));
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'process.stage_reorder',
        targetType: 'sales_process',
        targetId: processId,
        ip,
        detail: { from: current.map((s) => s.id), to: ids, ...(changed.length ? { probabilities: changed } : {}) },
      },
      now,
    );
  });
  return getProcess(db, actor, processId);
}
