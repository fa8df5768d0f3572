import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** The org tree as the live figures of docs/targets.md read it: a unit or a person of one workspace. */
export async function unitOf(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('org_units')
    .select(['id', 'name', 'path', 'parent_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function userOf(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'users.name', 'users.org_unit_id', 'users.role', 'org_units.path'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.id', '=', id)
    .executeTakeFirst();
}

export async function workspaceName(db: Kysely<Database>, workspaceId: number): Promise<string> {
  return (
    (await db.selectFrom('workspaces').select('name').where('id', '=', workspaceId).executeTakeFirst())?.name ?? ''
  );
}

/** The units of a subtree (or the workspace), not archived ones, with their parents: what quotas roll up over. */
export async function unitsUnder(db: Kysely<Database>, workspaceId: number, pathPrefix: string | null) {
  let query = db
    .selectFrom('org_units')
    .select(['id', 'name', 'path', 'parent_id', 'sort_order'])
    .where('workspace_id', '=', workspaceId)
    .where('archived_at', 'is', null);
  if (pathPrefix) query = query.where('path', 'like', `${pathPrefix}%`);
  return query.orderBy('path').execute();
}

/** The active people of a subtree (or the workspace). */
export async function peopleUnder(db: Kysely<Database>, workspaceId: number, pathPrefix: string | null) {
  let query = db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'users.name', 'users.email', 'users.role', 'users.org_unit_id', 'org_units.path'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.active', '=', 1);
  if (pathPrefix) query = query.where('org_units.path', 'like', `${pathPrefix}%`);
  return query.orderBy('org_units.path').orderBy('users.name').execute();
}
