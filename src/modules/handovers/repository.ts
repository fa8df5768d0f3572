import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { HandoverCategory } from '../../domain/handover.ts';
import { withinReach } from '../scope.ts';
import { batches, inBatches } from '../../db/batches.ts';
import type { Actor } from '../../domain/policy.ts';

/** Every query of the handover area; each is scoped to the workspace, lists also to the actor's reach. */

export interface InventoryEntry {
  category: HandoverCategory;
  entityId: number;
}

/** Everything the user owns or takes part in now (docs/archive.md), one query per kind. */
export async function currentInventory(
  db: Kysely<Database>,
  workspaceId: number,
  userId: number,
): Promise<InventoryEntry[]> {
  const [accounts, opps, team, roles, rules] = await Promise.all([
    db
      .selectFrom('accounts')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('owner_id', '=', userId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('opportunities')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('owner_id', '=', userId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('opportunity_team')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('buying_roles')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('holder_user_id', '=', userId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('territory_rules')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute(),
  ]);
  return [
    ...accounts.map((r) => ({ category: 'account' as const, entityId: r.id })),
    ...opps.map((r) => ({ category: 'opportunity' as const, entityId: r.id })),
    ...team.map((r) => ({ category: 'team' as const, entityId: r.id })),
    ...roles.map((r) => ({ category: 'relationship' as const, entityId: r.id })),
    ...rules.map((r) => ({ category: 'territory' as const, entityId: r.id })),
  ];
}

/**
 * What a plain deactivation would leave with a switched-off owner (docs/archive.md): live accounts,
 * open opportunities, active territory rules, and a handover already under way.
 */
export async function unhandedWork(db: Kysely<Database>, workspaceId: number, userId: number) {
  const [accounts, opportunities, territories, draft] = await Promise.all([
    db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('owner_id', '=', userId)
      .where('archived_at', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('opportunities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('owner_id', '=', userId)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('territory_rules')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .where('active', '=', 1)
      .executeTakeFirstOrThrow(),
    openDraftFor(db, workspaceId, userId),
  ]);
  return {
    accounts: Number(accounts.n),
    opportunities: Number(opportunities.n),
    territories: Number(territories.n),
    handoverId: draft?.id ?? null,
  };
}

export async function openDraftFor(db: Kysely<Database>, workspaceId: number, fromUserId: number) {
  return db
    .selectFrom('handovers')
    .select(['id'])
    .where('workspace_id', '=', workspaceId)
    .where('from_user_id', '=', fromUserId)
    .where('status', '=', 'draft')
    .executeTakeFirst();
}

export async function insertHandover(
  db: Kysely<Database>,
  input: { workspaceId: number; fromUserId: number; createdBy: number; now: number },
): Promise<number> {
  const row = await db
    .insertInto('handovers')
    .values({
      workspace_id: input.workspaceId,
      from_user_id: input.fromUserId,
      status: 'draft',
      created_by: input.createdBy,
      created_at: input.now,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertItems(
  db: Kysely<Database>,
  workspaceId: number,
  handoverId: number,
  entries: InventoryEntry[],
  now: number,
) {
  for (const batch of batches(entries)) {
    await db
      .insertInto('handover_items')
      .values(
        batch.map((entry) => ({
          workspace_id: workspaceId,
          handover_id: handoverId,
          entity_type: entry.category,
          entity_id: entry.entityId,
          to_user_id: null,
          note: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }
}

export async function deleteItems(db: Kysely<Database>, workspaceId: number, handoverId: number, ids: number[]) {
  await inBatches(ids, async (batch) => {
    await db
      .deleteFrom('handover_items')
      .where('workspace_id', '=', workspaceId)
      .where('handover_id', '=', handoverId)
      .where('id', 'in', batch)
      .execute();
  });
}

/** A handover the actor may see: its departing user's unit lies within the actor's reach. */
export function visibleHandovers(db: Kysely<Database>, actor: Actor) {
  return db
    .selectFrom('handovers')
    .innerJoin('users as from_user', (joinBuilder) =>
      joinBuilder
        .onRef('from_user.id', '=', 'handovers.from_user_id')
        .onRef('from_user.workspace_id', '=', 'handovers.workspace_id'),
    )
    .innerJoin('org_units', 'org_units.id', 'from_user.org_unit_id')
    .leftJoin('users as creator', (joinBuilder) =>
      joinBuilder
        .onRef('creator.id', '=', 'handovers.created_by')
        .onRef('creator.workspace_id', '=', 'handovers.workspace_id'),
    )
    .where('handovers.workspace_id', '=', actor.workspaceId)
    .where(withinReach(actor));
}

const handoverColumns = [
  'handovers.id',
  'handovers.from_user_id',
  'handovers.status',
  'handovers.created_by',
  'handovers.summary',
  'handovers.created_at',
  'handovers.completed_at',
  'handovers.version',
  'from_user.name as from_user_name',
  'from_user.email as from_user_email',
  'from_user.role as from_user_role',
  'from_user.active as from_user_active',
  'org_units.name as org_unit_name',
  'org_units.path as unit_path',
  'creator.name as created_by_name',
] as const;

export async function getHandover(db: Kysely<Database>, actor: Actor, id: number) {
  return visibleHandovers(db, actor).select(handoverColumns).where('handovers.id', '=', id).executeTakeFirst();
}
export type HandoverRow = NonNullable<Awaited<ReturnType<typeof getHandover>>>;

export async function listHandovers(
  db: Kysely<Database>,
  actor: Actor,
  filter: { status?: string | undefined; limit: number; offset: number },
) {
  let query = visibleHandovers(db, actor);
  if (filter.status) query = query.where('handovers.status', '=', filter.status);
  const [items, total] = await Promise.all([
    query
      .select(handoverColumns)
      .orderBy('handovers.created_at', 'desc')
      .orderBy('handovers.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** Item counts per handover and category, for the list (one grouped query). */
export async function itemCounts(db: Kysely<Database>, workspaceId: number, handoverIds: number[]) {
  if (handoverIds.length === 0) return [];
  return db
    .selectFrom('handover_items')
    .select([
      'handover_id',
      'entity_type',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.count<number>('to_user_id').as('assigned'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('handover_id', 'in', handoverIds)
    .groupBy(['handover_id', 'entity_type'])
    .execute();
}

export async function itemsOf(db: Kysely<Database>, workspaceId: number, handoverId: number) {
  return db
    .selectFrom('handover_items')
    .leftJoin('users as to_user', (joinBuilder) =>
      joinBuilder
        .onRef('to_user.id', '=', 'handover_items.to_user_id')
        .onRef('to_user.workspace_id', '=', 'handover_items.workspace_id'),
    )
    .select([
      'handover_items.id',
      'handover_items.entity_type',
      'handover_items.entity_id',
      'handover_items.to_user_id',
      'handover_items.note',
      'to_user.name as to_user_name',
    ])
    .where('handover_items.workspace_id', '=', workspaceId)
    .where('handover_items.handover_id', '=', handoverId)
    .orderBy('handover_items.id')
    .execute();
}

/** What each item is, one query per kind over the ids in the handover (no N+1). */
export async function describeItems(
  db: Kysely<Database>,
  workspaceId: number,
  ids: Record<HandoverCategory, number[]>,
) {
  const [accounts, opps, team, roles, rules] = await Promise.all([
    inBatches(ids.account, (batch) =>
      db
        .selectFrom('accounts')
        .innerJoin('org_units', 'org_units.id', 'accounts.org_unit_id')
        .select([
          'accounts.id',
          'accounts.name',
          'accounts.tier',
          'accounts.named_account',
          'accounts.status',
          'accounts.trailing_amount',
          'org_units.name as org_unit_name',
        ])
        .where('accounts.workspace_id', '=', workspaceId)
        .where('accounts.id', 'in', batch)
        .execute(),
    ),
    inBatches(ids.opportunity, (batch) =>
      db
        .selectFrom('opportunities')
        .innerJoin('accounts', 'accounts.id', 'opportunities.account_id')
        .leftJoin('process_stages', 'process_stages.id', 'opportunities.stage_id')
        .select([
          'opportunities.id',
          'opportunities.name',
          'opportunities.amount',
          'opportunities.status',
          'process_stages.name as stage_name',
          'process_stages.probability',
          'accounts.id as account_id',
          'accounts.name as account_name',
        ])
        .where('opportunities.workspace_id', '=', workspaceId)
        .where('opportunities.id', 'in', batch)
        .execute(),
    ),
    inBatches(ids.team, (batch) =>
      db
        .selectFrom('opportunity_team')
        .innerJoin('opportunities', 'opportunities.id', 'opportunity_team.opportunity_id')
        .innerJoin('accounts', 'accounts.id', 'opportunities.account_id')
        .leftJoin('process_stages', 'process_stages.id', 'opportunities.stage_id')
        .select([
          'opportunity_team.id',
          'opportunity_team.team_role',
          'opportunities.name as opportunity_name',
          'opportunities.amount',
          'opportunities.status',
          'process_stages.name as stage_name',
          'process_stages.probability',
          'accounts.id as account_id',
          'accounts.name as account_name',
        ])
        .where('opportunity_team.workspace_id', '=', workspaceId)
        .where('opportunity_team.id', 'in', batch)
        .execute(),
    ),
    inBatches(ids.relationship, (batch) =>
      db
        .selectFrom('buying_roles')
        .innerJoin('contacts', 'contacts.id', 'buying_roles.contact_id')
        .innerJoin('accounts', 'accounts.id', 'buying_roles.account_id')
        .select([
          'buying_roles.id',
          'buying_roles.role',
          'buying_roles.relationship',
          'contacts.name as contact_name',
          'contacts.title as contact_title',
          'accounts.id as account_id',
          'accounts.name as account_name',
        ])
        .where('buying_roles.workspace_id', '=', workspaceId)
        .where('buying_roles.id', 'in', batch)
        .execute(),
    ),
    inBatches(ids.territory, (batch) =>
      db
        .selectFrom('territory_rules')
        .select(['id', 'name', 'province', 'city', 'district', 'industry', 'active'])
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', batch)
        .execute(),
    ),
  ]);
  return { accounts, opps, team, roles, rules };
}

export async function contactsOfAccounts(db: Kysely<Database>, workspaceId: number, accountIds: number[]) {
  const rows = await inBatches(accountIds, (batch) =>
    db
      .selectFrom('contacts')
      .select(['id', 'account_id', 'name', 'title'])
      .where('workspace_id', '=', workspaceId)
      .where('account_id', 'in', batch)
      .where('archived_at', 'is', null)
      .execute(),
  );
  return rows.sort((a, b) => a.id - b.id);
}

export async function setSuccessor(
  db: Kysely<Database>,
  workspaceId: number,
  handoverId: number,
  itemIds: number[],
  toUserId: number | null,
  now: number,
) {
  await inBatches(itemIds, async (batch) => {
    await db
      .updateTable('handover_items')
      .set({ to_user_id: toUserId, updated_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('handover_id', '=', handoverId)
      .where('id', 'in', batch)
      .execute();
  });
}

export async function setNote(
  db: Kysely<Database>,
  workspaceId: number,
  handoverId: number,
  itemId: number,
  note: string,
  now: number,
) {
  await db
    .updateTable('handover_items')
    .set({ note, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('handover_id', '=', handoverId)
    .where('id', '=', itemId)
    .execute();
}

/** Bumps the handover's version if it is still the one the caller read: a later edit makes an earlier review stale. */
export async function touchHandover(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  version: number | null,
  values: { status?: string; summary?: string; completed_at?: number } = {},
) {
  let query = db
    .updateTable('handovers')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'draft');
  if (version !== null) query = query.where('version', '=', version);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function handoverVersion(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('handovers')
    .select(['version', 'status'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

// ---- Completion: reassign everything, grouped by successor (a few set-based statements). ----

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

export async function completeHandover(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  now: number,
  summary: string,
) {
  await db
    .updateTable('handovers')
    .set({ status: 'completed', completed_at: now, summary })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
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
