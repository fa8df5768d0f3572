import type { Insertable, Kysely, Updateable } from 'kysely';
import type { AccountProfileTable, Database } from '../../../db/schema.ts';

/** The account profile's rows (docs/archive.md): one per account, written with its version checked. */
export async function getProfile(db: Kysely<Database>, workspaceId: number, accountId: number) {
  return db
    .selectFrom('account_profiles')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

export async function insertProfile(db: Kysely<Database>, values: Insertable<AccountProfileTable>) {
  await db.insertInto('account_profiles').values(values).execute();
}

/** Writes the profile when it still has the version read, and bumps it. */
export async function updateProfile(
  db: Kysely<Database>,
  workspaceId: number,
  accountId: number,
  version: number,
  values: Updateable<AccountProfileTable>,
) {
  await db
    .updateTable('account_profiles')
    .set({ ...values, version: version + 1 })
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', accountId)
    .where('version', '=', version)
    .execute();
}
