import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { notFound } from '../../server/problem.ts';

/** The workspace's stored rule overrides (JSON over the defaults of src/domain/settings.ts). */
export async function settingsRow(db: Kysely<Database>, workspaceId: number) {
  const row = await db
    .selectFrom('workspaces')
    .select(['settings', 'version'])
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  if (!row) throw notFound('Workspace');
  return row;
}

/** Saves the JSON and bumps the workspace version, only if the version is still the one read. */
export async function saveSettings(
  db: Kysely<Database>,
  workspaceId: number,
  version: number,
  settings: string,
): Promise<boolean> {
  const result = await db
    .updateTable('workspaces')
    .set({ settings, version: version + 1 })
    .where('id', '=', workspaceId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
