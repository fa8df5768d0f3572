import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { inBatches } from '../../db/batches.ts';

/**
 * The change history of records (docs/method.md): owner, tier, and later stage, amount, close date
 * and forecast category. Written in the same transaction as the change; never updated.
 */
export interface Change {
  workspaceId: number;
  /** quota_user, quota_unit: a person's or unit's quota (entityId the person or unit, field the fiscal year). */
  entityType: 'account' | 'opportunity' | 'contact' | 'quota_user' | 'quota_unit';
  entityId: number;
  field: string;
  oldValue: string | number | null;
  newValue: string | number | null;
  reason?: string | null;
  actorUserId: number | null;
}

/** Batched: nine values a row, so one statement of a recompute's ~4,000 changes passed SQLite's limit. */
export async function recordChanges(db: Kysely<Database>, changes: Change[], now: number): Promise<void> {
  await inBatches(changes, async (batch) => {
    await db
      .insertInto('record_history')
      .values(
        batch.map((change) => ({
          workspace_id: change.workspaceId,
          entity_type: change.entityType,
          entity_id: change.entityId,
          field: change.field,
          old_value: change.oldValue === null ? null : String(change.oldValue),
          new_value: change.newValue === null ? null : String(change.newValue),
          reason: change.reason ?? null,
          actor_user_id: change.actorUserId,
          created_at: now,
        })),
      )
      .execute();
  });
}

/** History of one record, newest first, with the names of the people involved. */
export async function listHistory(
  db: Kysely<Database>,
  workspaceId: number,
  entityType: string,
  entityId: number,
  field?: string,
) {
  let query = db
    .selectFrom('record_history as h')
    .leftJoin('users as actor', (joinBuilder) =>
      joinBuilder.onRef('actor.id', '=', 'h.actor_user_id').on('actor.workspace_id', '=', workspaceId),
    )
    .select([
      'h.id',
      'h.field',
      'h.old_value',
      'h.new_value',
      'h.reason',
      'h.actor_user_id',
      'h.created_at',
      'actor.name as actor_name',
    ])
    .where('h.workspace_id', '=', workspaceId)
    .where('h.entity_type', '=', entityType)
    .where('h.entity_id', '=', entityId);
  if (field) query = query.where('h.field', '=', field);
  return query.orderBy('h.created_at', 'desc').orderBy('h.id', 'desc').limit(500).execute();
}
