import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/policy.ts';

/** Saved list views are personal: every query is scoped to the actor's own. */
const cols = ['id', 'area', 'name', 'query', 'version', 'updated_at'] as const;

const mine = (db: Kysely<Database>, actor: Actor) =>
  db
    .selectFrom('saved_views')
    .select(cols)
    .where('workspace_id', '=', actor.workspaceId)
    .where('user_id', '=', actor.userId);

export async function listViews(db: Kysely<Database>, actor: Actor, area: string) {
  return mine(db, actor).where('area', '=', area).orderBy('name').execute();
}

export async function getView(db: Kysely<Database>, actor: Actor, id: number) {
  return mine(db, actor).where('id', '=', id).executeTakeFirst();
}

export async function viewNamed(db: Kysely<Database>, actor: Actor, area: string, name: string) {
  return mine(db, actor).where('area', '=', area).where('name', '=', name).executeTakeFirst();
}

export async function insertView(
  db: Kysely<Database>,
  actor: Actor,
  view: { area: string; name: string; query: string; now: number },
): Promise<number> {
  const row = await db
    .insertInto('saved_views')
    .values({
      workspace_id: actor.workspaceId,
      user_id: actor.userId,
      area: view.area,
      name: view.name,
      query: view.query,
      created_at: view.now,
      updated_at: view.now,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteView(db: Kysely<Database>, actor: Actor, id: number) {
  await db
    .deleteFrom('saved_views')
    .where('workspace_id', '=', actor.workspaceId)
    .where('user_id', '=', actor.userId)
    .where('id', '=', id)
    .execute();
}
