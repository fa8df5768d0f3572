import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import type { Actor } from '../../domain/policy.ts';
import { conflict, notFound } from '../../server/problem.ts';
import * as repo from './repository.ts';
import type { CreateViewRequest, SavedView, SavedViewArea, UpdateViewRequest } from '../../contracts/saved-views.ts';

/** Saved list views are personal: each user sees and changes only their own. */
type Row = { id: number; area: string; name: string; query: string; version: number; updated_at: number };
const toDto = (r: Row): SavedView => ({ id: r.id, area: r.area as SavedViewArea, name: r.name, query: JSON.parse(r.query) as Record<string, string>, version: r.version, updatedAt: r.updated_at });

export async function listViews(db: Db, actor: Actor, area: SavedViewArea) {
  return (await repo.listViews(db.kysely, actor, area)).map(toDto);
}

async function getView(db: Db, actor: Actor, id: number) {
  const r = await repo.getView(db.kysely, actor, id);
  if (!r) throw notFound('Saved view');
  return r;
}

export async function createView(db: Db, actor: Actor, input: CreateViewRequest) {
  if (await repo.viewNamed(db.kysely, actor, input.area, input.name)) {
    throw conflict('duplicate_name', `You already have a view named "${input.name}"`, 'name');
  }
  const id = await repo.insertView(db.kysely, actor, { area: input.area, name: input.name, query: JSON.stringify(input.query), now: actor.now });
  return toDto(await getView(db, actor, id));
}

export async function updateView(db: Db, actor: Actor, id: number, patch: UpdateViewRequest) {
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
  await repo.deleteView(db.kysely, actor, id);
}
