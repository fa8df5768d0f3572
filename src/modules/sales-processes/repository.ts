import type { Insertable, Kysely } from 'kysely';
import type { Database, ProcessStageTable } from '../../db/schema.ts';
import type { ProcessTemplate } from '../../domain/sales-process-templates.ts';
import type { Actor } from '../../domain/policy.ts';
import { opportunitiesWithinReach } from '../scope.ts';

/** Sales processes and their stages (docs/sales-process.md § Sales processes and stages). Every process is visible to the whole workspace. */
export async function listProcesses(db: Kysely<Database>, workspaceId: number, includeInactive: boolean) {
  let query = db
    .selectFrom('sales_processes as p')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('process_stages')
          .select(['process_id', (e) => e.fn.countAll<number>().as('n')])
          .where('workspace_id', '=', workspaceId)
          .groupBy('process_id')
          .as('s'),
      (j) => j.onRef('s.process_id', '=', 'p.id'),
    )
    .select([
      'p.id',
      'p.name',
      'p.description',
      'p.template_key',
      'p.active',
      'p.updated_at',
      'p.version',
      (eb) => eb.fn.coalesce('s.n', eb.lit(0)).as('stage_count'),
    ])
    .where('p.workspace_id', '=', workspaceId);
  if (!includeInactive) query = query.where('p.active', '=', 1);
  return query.orderBy('p.id').execute();
}

export async function getProcess(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('sales_processes')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function stagesOf(db: Kysely<Database>, workspaceId: number, processIds: number[]) {
  if (processIds.length === 0) return [];
  return db
    .selectFrom('process_stages')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('process_id', 'in', processIds)
    .orderBy('process_id')
    .orderBy('position')
    .execute();
}

export type StageRow = Awaited<ReturnType<typeof stagesOf>>[number];

export async function getStage(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('process_stages')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Copies a template into the workspace, in one language. Returns the new process id. */
export async function insertFromTemplate(
  db: Kysely<Database>,
  workspaceId: number,
  template: ProcessTemplate,
  lang: 'zh' | 'en',
  name: string | undefined,
  now: number,
): Promise<number> {
  const { id } = await db
    .insertInto('sales_processes')
    .values({
      workspace_id: workspaceId,
      name: name ?? template.name[lang],
      description: template.description[lang],
      template_key: template.key,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('process_stages')
    .values(
      template.stages.map((stage, position) => ({
        workspace_id: workspaceId,
        process_id: id,
        position,
        name: stage.name[lang],
        probability: stage.probability,
        purpose: stage.purpose[lang],
        milestone: stage.milestone[lang],
        evidence: JSON.stringify(
          stage.evidence.map((e) => ({ key: e.key, label: e.label[lang], requires: e.requires })),
        ),
        actions: JSON.stringify(stage.actions.map((a) => a[lang])),
        roles: JSON.stringify(stage.roles),
        expected_days: stage.expectedDays,
        buying_phase: stage.buyingPhase,
        is_won: stage.won ? 1 : 0,
        created_at: now,
        updated_at: now,
        version: 1,
      })),
    )
    .execute();
  return id;
}

/** The opportunities, open or closed, whose current stage this is: a stage in use cannot be removed. */
export async function opportunitiesInStage(db: Kysely<Database>, workspaceId: number, stageId: number) {
  return db
    .selectFrom('opportunities')
    .select(['id', 'name', 'status'])
    .where('workspace_id', '=', workspaceId)
    .where('stage_id', '=', stageId)
    .orderBy('id')
    .execute();
}

/** Writes 0..n-1 as the positions of the stages in the given order, touching only those that moved. */
export async function writePositions(
  db: Kysely<Database>,
  workspaceId: number,
  order: { id: number; position: number }[],
) {
  for (const [position, stage] of order.entries()) {
    if (stage.position !== position)
      await db
        .updateTable('process_stages')
        .set({ position })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', stage.id)
        .execute();
  }
}

/** Open opportunities per process that the caller may see (docs/organisation.md). One grouped query. */
export async function openOpportunitiesByProcess(db: Kysely<Database>, actor: Actor) {
  return db
    .selectFrom('opportunities')
    .innerJoin('org_units', (joinBuilder) =>
      joinBuilder
        .onRef('org_units.id', '=', 'opportunities.org_unit_id')
        .onRef('org_units.workspace_id', '=', 'opportunities.workspace_id'),
    )
    .select(['opportunities.process_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where(opportunitiesWithinReach(actor))
    .where('opportunities.status', '=', 'open')
    .groupBy('opportunities.process_id')
    .execute();
}

export async function insertStage(db: Kysely<Database>, values: Insertable<ProcessStageTable>): Promise<number> {
  return (await db.insertInto('process_stages').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function deleteStage(db: Kysely<Database>, workspaceId: number, id: number) {
  await db.deleteFrom('process_stages').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

export async function setProbability(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  change: { probability: number; now: number; version: number },
) {
  await db
    .updateTable('process_stages')
    .set({ probability: change.probability, updated_at: change.now, version: change.version })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}
