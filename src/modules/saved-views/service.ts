import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../../db/versioned.ts';
import type { Actor } from '../../domain/policy.ts';
import { conflict, notFound } from '../../server/problem.ts';

/** Saved list views are personal: each user sees and changes only their own. */
type Area = 'accounts' | 'contacts' | 'opportunities';
type Row = { id: number; area: string; name: string; query: string; version: number; updated_at: number };
const toDto = (r: Row) => ({ id: r.id, area: r.area as Area, name: r.name, query: JSON.parse(r.query) as Record<string, string>, version: r.version, updatedAt: r.updated_at });
const cols = ['id', 'area', 'name', 'query', 'version', 'updated_at'] as const;

const mine = (db: Db, actor: Actor) =>
  db.kysely.selectFrom('saved_views').select(cols).where('workspace_id', '=', actor.workspaceId).where('user_id', '=', actor.userId);

export async function listViews(db: Db, actor: Actor, area: Area) {
  return (await mine(db, actor).where('area', '=', area).orderBy('name').execute()).map(toDto);
}

async function getView(db: Db, actor: Actor, id: number) {
  const r = await mine(db, actor).where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound('Saved view');
  return r;
}

export async function createView(db: Db, actor: Actor, input: { area: Area; name: string; query: Record<string, string> }) {
  if (await mine(db, actor).where('area', '=', input.area).where('name', '=', input.name).executeTakeFirst()) {
    throw conflict('duplicate_name', `You already have a view named "${input.name}"`, 'name');
  }
  const { now } = actor;
  const row = await db.kysely
    .insertInto('saved_views')
    .values({ workspace_id: actor.workspaceId, user_id: actor.userId, area: input.area, name: input.name, query: JSON.stringify(input.query), created_at: now, updated_at: now, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return toDto(await getView(db, actor, row.id));
}

export async function updateView(db: Db, actor: Actor, id: number, patch: { version: number; name?: string | undefined; query?: Record<string, string> | undefined }) {
  await getView(db, actor, id);
  await updateVersioned(db.kysely, 'saved_views', 'Saved view', { workspaceId: actor.workspaceId, id, version: patch.version }, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.query !== undefined ? { query: JSON.stringify(patch.query) } : {}),
    updated_at: actor.now,
  });
  return toDto(await getView(db, actor, id));
}

export async function deleteView(db: Db, actor: Actor, id: number) {
  await getView(db, actor, id);
  await db.kysely.deleteFrom('saved_views').where('workspace_id', '=', actor.workspaceId).where('user_id', '=', actor.userId).where('id', '=', id).execute();
}
