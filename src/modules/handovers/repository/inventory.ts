import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { HandoverCategory } from '../../../domain/handover.ts';
import { openDraftFor } from './record.ts';

/**
 * What a user holds (docs/archive.md): everything a handover lists, and the work a plain
 * deactivation would leave behind. The handover's own row: record.ts; its items: items.ts; what
 * completion moves: transfer.ts. Every query is scoped to the workspace.
 */

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
