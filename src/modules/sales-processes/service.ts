import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { updateVersioned } from '../versioned.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { PROCESS_TEMPLATES } from '../../domain/sales-process-templates.ts';
import type { BuyingPhase } from '../../domain/buying-phase.ts';
import { forbidden, invalid, notFound } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import * as repo from './repository.ts';
import type * as contract from '../../contracts/sales-processes.ts';

/** For other areas (opportunities): a process's stages in order, one stage, one process — undefined outside the workspace. */
export { getStage, stagesOf, type StageRow } from './repository.ts';
export const findProcess = repo.getProcess;
/** Every process of the workspace, inactive ones too, in creation order (the all-processes board's lanes). */
export const allProcesses = (db: Kysely<Database>, workspaceId: number) => repo.listProcesses(db, workspaceId, true);

export const toStageDto = (stage: repo.StageRow): contract.Stage => ({
  id: stage.id,
  processId: stage.process_id,
  position: stage.position,
  name: stage.name,
  probability: stage.probability,
  purpose: stage.purpose,
  milestone: stage.milestone,
  evidence: JSON.parse(stage.evidence) as contract.EvidenceItem[],
  actions: JSON.parse(stage.actions) as string[],
  roles: JSON.parse(stage.roles) as string[],
  expectedDays: stage.expected_days,
  buyingPhase: stage.buying_phase as BuyingPhase | null,
  won: stage.is_won === 1,
  version: stage.version,
});

export async function listProcesses(
  db: Db,
  actor: Actor,
  includeInactive: boolean,
): Promise<contract.ProcessSummary[]> {
  const [rows, open] = await Promise.all([
    repo.listProcesses(db.kysely, actor.workspaceId, includeInactive),
    openOpportunitiesByProcess(db, actor),
  ]);
  return rows.map((salesProcess) => ({
    id: salesProcess.id,
    name: salesProcess.name,
    description: salesProcess.description,
    templateKey: salesProcess.template_key,
    active: salesProcess.active === 1,
    stageCount: Number(salesProcess.stage_count),
    openOpportunities: open.get(salesProcess.id) ?? 0,
    updatedAt: salesProcess.updated_at,
    version: salesProcess.version,
  }));
}

/** Open opportunities per process that the caller may see (docs/organisation.md): the board opens on the busiest. One grouped query. */
async function openOpportunitiesByProcess(db: Db, actor: Actor): Promise<Map<number, number>> {
  const rows = await repo.openOpportunitiesByProcess(db.kysely, actor);
  return new Map(rows.filter((r) => r.process_id !== null).map((r) => [r.process_id!, Number(r.n)]));
}

export async function getProcess(db: Db, actor: Actor, id: number): Promise<contract.Process> {
  const salesProcess = await repo.getProcess(db.kysely, actor.workspaceId, id);
  if (!salesProcess) throw notFound('Sales process');
  const stages = await repo.stagesOf(db.kysely, actor.workspaceId, [id]);
  return {
    id: salesProcess.id,
    name: salesProcess.name,
    description: salesProcess.description,
    templateKey: salesProcess.template_key,
    active: salesProcess.active === 1,
    updatedAt: salesProcess.updated_at,
    version: salesProcess.version,
    stages: stages.map(toStageDto),
  };
}

export const templates = (): contract.Template[] =>
  PROCESS_TEMPLATES.map((processTemplate) => ({
    key: processTemplate.key,
    name: processTemplate.name,
    description: processTemplate.description,
    stages: processTemplate.stages.map((s) => ({ name: s.name, probability: s.probability })),
  }));

/** The four shipped processes, for a new workspace, in its language. */
export async function installDefaultProcesses(
  db: Kysely<Database>,
  workspaceId: number,
  lang: 'zh' | 'en',
  now = Date.now(),
): Promise<void> {
  await inTransaction(db, async (trx) => {
    for (const processTemplate of PROCESS_TEMPLATES)
      await repo.insertFromTemplate(trx, workspaceId, processTemplate, lang, undefined, now);
  });
}

export async function copyTemplate(db: Db, actor: Actor, input: contract.CopyTemplateRequest, ip: string | null) {
  if (!can(actor, 'processes.administer')) throw forbidden('Only an administrator can set up sales processes');
  const template = PROCESS_TEMPLATES.find((t) => t.key === input.templateKey);
  if (!template)
    throw invalid(
      'templateKey',
      { code: 'invalid_value', params: { values: PROCESS_TEMPLATES.map((t) => t.key) } },
      `must be one of ${PROCESS_TEMPLATES.map((t) => t.key).join(', ')}`,
    );
  const id = await db.kysely.transaction().execute(async (trx) => {
    const newId = await repo.insertFromTemplate(trx, actor.workspaceId, template, input.lang, input.name, actor.now);
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'process.create',
        targetType: 'sales_process',
        targetId: newId,
        ip,
        detail: { template: template.key },
      },
      actor.now,
    );
    return newId;
  });
  return getProcess(db, actor, id);
}

export async function updateProcess(db: Db, actor: Actor, id: number, patch: contract.UpdateProcessRequest) {
  if (!can(actor, 'processes.administer')) throw forbidden('Only an administrator can change sales processes');
  await getProcess(db, actor, id);
  await updateVersioned(
    db.kysely,
    'sales_processes',
    'Sales process',
    { workspaceId: actor.workspaceId, id, version: patch.version },
    {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
      updated_at: actor.now,
    },
  );
  return getProcess(db, actor, id);
}

export function checkEvidenceKeys(evidence: contract.EvidenceItem[] | undefined) {
  if (evidence && new Set(evidence.map((e) => e.key)).size !== evidence.length) {
    throw invalid('evidence', { code: 'unique' }, 'keys must be unique');
  }
}

/**
 * Edits a stage. History is safe: every stage-history row keeps the name and probability in
 * force when it was written (docs/sales-process.md § Sales processes and stages "changes never rewrite history").
 */
export async function updateStage(
  db: Db,
  actor: Actor,
  id: number,
  patch: contract.UpdateStageRequest,
): Promise<contract.Stage> {
  if (!can(actor, 'processes.administer')) throw forbidden('Only an administrator can change sales processes');
  const stage = await repo.getStage(db.kysely, actor.workspaceId, id);
  if (!stage) throw notFound('Stage');
  if (patch.probability !== undefined) {
    const siblings = await repo.stagesOf(db.kysely, actor.workspaceId, [stage.process_id]);
    const prev = siblings.filter((s) => s.position < stage.position).at(-1);
    const next = siblings.find((s) => s.position > stage.position);
    if ((prev && patch.probability < prev.probability) || (next && patch.probability > next.probability)) {
      throw invalid(
        'probability',
        { code: 'between', params: { min: prev?.probability ?? 0, max: next?.probability ?? 100 } },
        `must lie between the neighbouring stages (${prev?.probability ?? 0}–${next?.probability ?? 100})`,
      );
    }
    if (stage.is_won === 1 && patch.probability !== 100)
      throw invalid('probability', { code: 'won_stage_fixed' }, 'the won stage is 100');
  }
  checkEvidenceKeys(patch.evidence);
  await updateVersioned(
    db.kysely,
    'process_stages',
    'Stage',
    { workspaceId: actor.workspaceId, id, version: patch.version },
    {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.probability !== undefined ? { probability: patch.probability } : {}),
      ...(patch.purpose !== undefined ? { purpose: patch.purpose } : {}),
      ...(patch.milestone !== undefined ? { milestone: patch.milestone } : {}),
      ...(patch.evidence !== undefined ? { evidence: JSON.stringify(patch.evidence) } : {}),
      ...(patch.actions !== undefined ? { actions: JSON.stringify(patch.actions) } : {}),
      ...(patch.roles !== undefined ? { roles: JSON.stringify(patch.roles) } : {}),
      ...(patch.expectedDays !== undefined ? { expected_days: patch.expectedDays } : {}),
      ...(patch.buyingPhase !== undefined ? { buying_phase: patch.buyingPhase } : {}),
      updated_at: actor.now,
    },
  );
  return toStageDto((await repo.getStage(db.kysely, actor.workspaceId, id))!);
}
