import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { HandoverCategory } from '../../../domain/handover.ts';
import { batches, inBatches } from '../../../db/batches.ts';
import type { InventoryEntry } from './inventory.ts';

/**
 * A handover's items: written from the inventory, read with what each one is, given a successor
 * and (key accounts) a note; the contacts a note may name. Every query is scoped to the workspace.
 */

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
