import type { Insertable, Kysely } from 'kysely';
import { batches } from '../../../db/batches.ts';
import type { Database } from '../../../db/schema.ts';
import type { OpportunityStageHistoryTable, OpportunityTable, OpportunityTeamTable } from '../../../db/schema-sales.ts';

/** The sales processes an imported deal names, and the deals, teams and stage entries an import writes. */

export interface ProcessWithStages {
  id: number;
  name: string;
  active: boolean;
  stages: { id: number; name: string; position: number; probability: number; is_won: boolean }[];
}

/** Every sales process of the workspace with its stages in order: what an imported deal's process and stage name. */
export async function processesWithStages(db: Kysely<Database>, workspaceId: number): Promise<ProcessWithStages[]> {
  const processes = await db
    .selectFrom('sales_processes')
    .select(['id', 'name', 'active'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute();
  const stages = await db
    .selectFrom('process_stages')
    .select(['id', 'process_id', 'name', 'position', 'probability', 'is_won'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('process_id')
    .orderBy('position')
    .execute();
  return processes.map((process) => ({
    id: process.id,
    name: process.name,
    active: Number(process.active) === 1,
    stages: stages
      .filter((stage) => stage.process_id === process.id)
      .map((stage) => ({
        id: stage.id,
        name: stage.name,
        position: stage.position,
        probability: stage.probability,
        is_won: Number(stage.is_won) === 1,
      })),
  }));
}

/** The deals already on these accounts (their names), to find the file's rows that repeat one. */
export async function opportunitiesOfAccounts(db: Kysely<Database>, workspaceId: number, accountIds: number[]) {
  const rows: { account_id: number; name: string }[] = [];
  for (const ids of batches(accountIds))
    rows.push(
      ...(await db
        .selectFrom('opportunities')
        .select(['account_id', 'name'])
        .where('workspace_id', '=', workspaceId)
        .where('account_id', 'in', ids)
        .execute()),
    );
  return rows;
}

/** Inserts the deals in order; answers their ids in the same order. */
export async function insertOpportunities(
  db: Kysely<Database>,
  rows: Insertable<OpportunityTable>[],
): Promise<number[]> {
  const ids: number[] = [];
  // About 25 values a row: 100 rows bind 2,500, below SQLite's limit.
  for (const chunk of batches(rows, 100))
    ids.push(...(await db.insertInto('opportunities').values(chunk).returning('id').execute()).map((row) => row.id));
  return ids;
}

export async function insertTeamMembers(db: Kysely<Database>, rows: Insertable<OpportunityTeamTable>[]) {
  for (const chunk of batches(rows)) await db.insertInto('opportunity_team').values(chunk).execute();
}

export async function insertStageEntries(db: Kysely<Database>, rows: Insertable<OpportunityStageHistoryTable>[]) {
  for (const chunk of batches(rows, 200)) await db.insertInto('opportunity_stage_history').values(chunk).execute();
}
