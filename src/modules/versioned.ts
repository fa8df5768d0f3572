import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  updateVersioned as update,
  type VersionedTable,
  type VersionedValues,
  type VersionKey,
} from '../db/versioned.ts';
import { notFound, staleVersion } from '../server/problem.ts';

/**
 * A versioned update (src/db/versioned.ts) answered as the API answers a refusal: 404 when the
 * row is not in the caller's workspace, 409 with the current version when someone else changed it.
 */
export async function updateVersioned<T extends VersionedTable>(
  db: Kysely<Database>,
  table: T,
  what: string,
  key: VersionKey,
  values: VersionedValues<T>,
): Promise<void> {
  const result = await update(db, table, key, values);
  if (result.ok) return;
  if (result.reason === 'not_found') throw notFound(what);
  throw staleVersion(what, result.currentVersion);
}
