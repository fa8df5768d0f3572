import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { listHistory } from './repository.ts';
import { userNames } from '../users/shared.ts';

/**
 * The change history of a record as people read it (docs/method.md): values that are user ids
 * (owner, team members) resolved to names in one query. Shared by accounts and opportunities.
 */
export async function labelledHistory(
  db: Kysely<Database>,
  workspaceId: number,
  entityType: string,
  entityId: number,
  userFields: readonly string[] = ['owner'],
) {
  const rows = await listHistory(db, workspaceId, entityType, entityId);
  const isUser = (field: string) => userFields.includes(field);
  const ids = [
    ...new Set(
      rows
        .filter((r) => isUser(r.field))
        .flatMap((r) => [r.old_value, r.new_value])
        .filter((v): v is string => v !== null && /^\d+$/.test(v))
        .map(Number),
    ),
  ];
  const names = await userNames(db, workspaceId, ids);
  const label = (field: string, v: string | null) => (v !== null && isUser(field) ? (names.get(Number(v)) ?? v) : v);
  return rows.map((row) => ({
    id: row.id,
    field: row.field,
    oldValue: row.old_value,
    newValue: row.new_value,
    oldLabel: label(row.field, row.old_value),
    newLabel: label(row.field, row.new_value),
    reason: row.reason,
    actorName: row.actor_name,
    createdAt: row.created_at,
  }));
}
