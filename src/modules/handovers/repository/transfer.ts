import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { batches, inBatches } from '../../../db/batches.ts';

/**
 * What completion moves (docs/archive.md § Handover): every item to its successor, grouped by
 * successor (a few set-based statements); the leaver's open tasks and planned activities with
 * their accounts (also read before, for the draft); the leaver switched off. Every query is
 * scoped to the workspace.
 */

export async function reassignAccounts(
  trx: Kysely<Database>,
  workspaceId: number,
  fromUserId: number,
  ids: number[],
  to: { id: number; unitId: number },
  now: number,
): Promise<number[]> {
  return inBatches(ids, async (batch) => {
    const moved = (
      await trx
        .selectFrom('accounts')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('owner_id', '=', fromUserId)
        .where('id', 'in', batch)
        .execute()
    ).map((m) => m.id);
    if (moved.length === 0) return [];
    await trx
      .updateTable('accounts')
      .set((eb) => ({
        owner_id: to.id,
        org_unit_id: to.unitId,
        in_pool: 0,
        pool_since: null,
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('workspace_id', '=', workspaceId)
      .where('owner_id', '=', fromUserId)
      .where('id', 'in', moved)
      .execute();
    return moved;
  });
}

export async function reassignOpportunities(
  trx: Kysely<Database>,
  workspaceId: number,
  fromUserId: number,
  ids: number[],
  to: { id: number; unitId: number },
  now: number,
): Promise<number[]> {
  return inBatches(ids, async (batch) => {
    const moved = (
      await trx
        .selectFrom('opportunities')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('owner_id', '=', fromUserId)
        .where('id', 'in', batch)
        .execute()
    ).map((m) => m.id);
    if (moved.length === 0) return [];
    await trx
      .updateTable('opportunities')
      .set((eb) => ({ owner_id: to.id, org_unit_id: to.unitId, updated_at: now, version: eb('version', '+', 1) }))
      .where('workspace_id', '=', workspaceId)
      .where('owner_id', '=', fromUserId)
      .where('id', 'in', moved)
      .execute();
    return moved;
  });
}

/** Team seats go to the successor; where the successor already sits on that team, the departing seat is removed. */
export async function reassignTeamSeats(
  trx: Kysely<Database>,
  workspaceId: number,
  fromUserId: number,
  ids: number[],
  toUserId: number,
) {
  await inBatches(ids, async (batch) => {
    await trx
      .deleteFrom('opportunity_team')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', fromUserId)
      .where('id', 'in', batch)
      .where('opportunity_id', 'in', (eb) =>
        eb
          .selectFrom('opportunity_team as other')
          .select('other.opportunity_id')
          .where('other.workspace_id', '=', workspaceId)
          .where('other.user_id', '=', toUserId),
      )
      .execute();
    await trx
      .updateTable('opportunity_team')
      .set({ user_id: toUserId })
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', fromUserId)
      .where('id', 'in', batch)
      .execute();
  });
}

export async function reassignRelationships(
  trx: Kysely<Database>,
  workspaceId: number,
  fromUserId: number,
  ids: number[],
  toUserId: number,
  now: number,
) {
  await inBatches(ids, async (batch) => {
    await trx
      .updateTable('buying_roles')
      .set((eb) => ({ holder_user_id: toUserId, updated_at: now, version: eb('version', '+', 1) }))
      .where('workspace_id', '=', workspaceId)
      .where('holder_user_id', '=', fromUserId)
      .where('id', 'in', batch)
      .execute();
  });
}

export async function reassignTerritories(
  trx: Kysely<Database>,
  workspaceId: number,
  fromUserId: number,
  ids: number[],
  toUserId: number,
  now: number,
) {
  await inBatches(ids, async (batch) => {
    await trx
      .updateTable('territory_rules')
      .set((eb) => ({ user_id: toUserId, updated_at: now, version: eb('version', '+', 1) }))
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', fromUserId)
      .where('id', 'in', batch)
      .execute();
  });
}

export async function deactivateUser(trx: Kysely<Database>, workspaceId: number, userId: number, now: number) {
  await trx
    .updateTable('users')
    .set((eb) => ({ active: 0, deactivated_at: now, updated_at: now, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .execute();
}

/**
 * The leaver's work that follows an account (docs/archive.md § Handover): their open tasks and
 * planned activities on the given accounts, read in chunks of ids.
 */
export async function followersOf(db: Kysely<Database>, workspaceId: number, userId: number, accountIds: number[]) {
  const tasks = [];
  const visits = [];
  for (const ids of batches(accountIds)) {
    tasks.push(
      ...(await db
        .selectFrom('tasks')
        .innerJoin('accounts', 'accounts.id', 'tasks.account_id')
        .select(['tasks.id', 'tasks.title', 'tasks.due_date', 'tasks.account_id', 'accounts.name as account_name'])
        .where('tasks.workspace_id', '=', workspaceId)
        .where('tasks.assignee_id', '=', userId)
        .where('tasks.status', '=', 'open')
        .where('tasks.account_id', 'in', ids)
        .execute()),
    );
    visits.push(
      ...(await db
        .selectFrom('activities')
        .innerJoin('accounts', 'accounts.id', 'activities.account_id')
        .select([
          'activities.id',
          'activities.type',
          'activities.subject',
          'activities.start_at',
          'activities.account_id',
          'accounts.name as account_name',
        ])
        .where('activities.workspace_id', '=', workspaceId)
        .where('activities.owner_id', '=', userId)
        .where('activities.status', '=', 'planned')
        .where('activities.archived_at', 'is', null)
        .where('activities.account_id', 'in', ids)
        .execute()),
    );
  }
  tasks.sort((left, right) => left.due_date.localeCompare(right.due_date) || left.id - right.id);
  visits.sort((left, right) => Number(left.start_at) - Number(right.start_at) || left.id - right.id);
  return { tasks, visits };
}

/** Gives the leaver's open tasks and planned activities on these accounts to their successor; the numbers moved. */
export async function moveFollowers(
  trx: Kysely<Database>,
  workspaceId: number,
  fromUserId: number,
  accountIds: number[],
  toUserId: number,
  now: number,
): Promise<{ tasks: number; visits: number }> {
  let tasks = 0;
  let visits = 0;
  for (const ids of batches(accountIds)) {
    const movedTasks = await trx
      .updateTable('tasks')
      .set((eb) => ({ assignee_id: toUserId, updated_at: now, version: eb('version', '+', 1) }))
      .where('workspace_id', '=', workspaceId)
      .where('assignee_id', '=', fromUserId)
      .where('status', '=', 'open')
      .where('account_id', 'in', ids)
      .executeTakeFirst();
    tasks += Number(movedTasks.numUpdatedRows);
    const movedVisits = await trx
      .updateTable('activities')
      .set((eb) => ({ owner_id: toUserId, updated_at: now, version: eb('version', '+', 1) }))
      .where('workspace_id', '=', workspaceId)
      .where('owner_id', '=', fromUserId)
      .where('status', '=', 'planned')
      .where('archived_at', 'is', null)
      .where('account_id', 'in', ids)
      .executeTakeFirst();
    visits += Number(movedVisits.numUpdatedRows);
  }
  return { tasks, visits };
}
