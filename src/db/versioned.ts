import type { Kysely, Updateable } from 'kysely';
import type { Database } from './schema.ts';

/** The tables that carry a version and a workspace: the ones optimistic concurrency applies to. */
export type VersionedTable = {
  [K in keyof Database]: Database[K] extends { version: number; workspace_id: number | null } ? K : never;
}[keyof Database];

/** The columns an update may set: the table's own (a misspelt column does not compile), never its keys or version. */
export type VersionedValues<T extends VersionedTable> = Omit<
  Updateable<Database[T]>,
  'id' | 'workspace_id' | 'version'
>;

export interface VersionKey {
  workspaceId: number;
  id: number;
  version: number;
}

/** What became of the update; the caller turns a refusal into its answer (src/modules/versioned.ts: 404 or 409). */
export type VersionedResult =
  { ok: true } | { ok: false; reason: 'not_found' } | { ok: false; reason: 'stale'; currentVersion: number };

/**
 * Optimistic concurrency (ARCHITECTURE.md § Concurrency): the update applies only when the
 * row still has the version the caller read, and bumps it. Otherwise the row is not in the
 * caller's workspace, or someone else changed it (with the version it has now).
 */
export async function updateVersioned<T extends VersionedTable>(
  db: Kysely<Database>,
  table: T,
  key: VersionKey,
  values: VersionedValues<T>,
): Promise<VersionedResult> {
  // Kysely cannot type a table chosen at run time; `values` was checked against the table above.
  const kysely = db as unknown as Kysely<{ t: { id: number; workspace_id: number; version: number } }>;
  const tableName = table as unknown as 't';
  const result = await kysely
    .updateTable(tableName)
    .set({ ...values, version: key.version + 1 } as never)
    .where('id', '=', key.id)
    .where('workspace_id', '=', key.workspaceId)
    .where('version', '=', key.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return { ok: true };
  const current = await kysely
    .selectFrom(tableName)
    .select('version')
    .where('id', '=', key.id)
    .where('workspace_id', '=', key.workspaceId)
    .executeTakeFirst();
  return current ? { ok: false, reason: 'stale', currentVersion: current.version } : { ok: false, reason: 'not_found' };
}
