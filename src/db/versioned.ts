import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { notFound, staleVersion } from '../contracts/app-error.ts';

type VersionedTable = { [K in keyof Database]: Database[K] extends { version: number; workspace_id: number | null } ? K : never }[keyof Database];

/**
 * Optimistic concurrency (ARCHITECTURE.md § Concurrency): the update applies only when the
 * row still has the version the caller read, and bumps it. Otherwise 404 if the row is not
 * in the caller's workspace, 409 with the current version if someone else changed it.
 */
export async function updateVersioned<T extends VersionedTable>(
  db: Kysely<Database>,
  table: T,
  what: string,
  key: { workspaceId: number; id: number; version: number },
  values: Record<string, unknown>,
): Promise<void> {
  // Kysely cannot type a table chosen at run time; the column names come from our own code.
  const k = db as unknown as Kysely<{ t: { id: number; workspace_id: number; version: number } }>;
  const t = table as unknown as 't';
  const result = await k
    .updateTable(t)
    .set({ ...values, version: key.version + 1 } as never)
    .where('id', '=', key.id)
    .where('workspace_id', '=', key.workspaceId)
    .where('version', '=', key.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return;
  const current = await k
    .selectFrom(t)
    .select('version')
    .where('id', '=', key.id)
    .where('workspace_id', '=', key.workspaceId)
    .executeTakeFirst();
  if (!current) throw notFound(what);
  throw staleVersion(what, current.version);
}
