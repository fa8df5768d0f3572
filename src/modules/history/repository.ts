import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

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

export async function recordChanges(db: Kysely<Database>, changes: Change[], now: number): Promise<void> {
  if (changes.length === 0) return;
  await db
    .insertInto('record_history')
    .values(
      changes.map((c) => ({
        workspace_id: c.workspaceId,
        entity_type: c.entityType,
        entity_id: c.entityId,
        field: c.field,
        old_value: c.oldValue === null ? null : String(c.oldValue),
        new_value: c.newValue === null ? null : String(c.newValue),
        reason: c.reason ?? null,
        actor_user_id: c.actorUserId,
        created_at: now,
      })),
    )
    .execute();
}

/** History of one record, newest first, with the names of the people involved. */
export async function listHistory(db: Kysely<Database>, workspaceId: number, entityType: string, entityId: number, field?: string) {
  let q = db
    .selectFrom('record_history as h')
    .leftJoin('users as actor', (j) => j.onRef('actor.id', '=', 'h.actor_user_id').on('actor.workspace_id', '=', workspaceId))
    .select(['h.id', 'h.field', 'h.old_value', 'h.new_value', 'h.reason', 'h.actor_user_id', 'h.created_at', 'actor.name as actor_name'])
    .where('h.workspace_id', '=', workspaceId)
    .where('h.entity_type', '=', entityType)
    .where('h.entity_id', '=', entityId);
  if (field) q = q.where('h.field', '=', field);
  return q.orderBy('h.created_at', 'desc').orderBy('h.id', 'desc').limit(500).execute();
}
