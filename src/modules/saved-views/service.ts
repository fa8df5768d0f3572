import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import type { Actor } from '../../domain/policy.ts';
import { conflict, notFound } from '../../server/problem.ts';
import * as repo from './repository.ts';
import type { CreateViewRequest, SavedView, SavedViewArea, UpdateViewRequest } from '../../contracts/saved-views.ts';

/** Saved list views are personal: each user sees and changes only their own. */
type Row = { id: number; area: string; name: string; query: string; version: number; updated_at: number };
const toDto = (row: Row): SavedView => ({
  id: row.id,
  area: row.area as SavedViewArea,
  name: row.name,
  query: JSON.parse(row.query) as Record<string, string>,
  version: row.version,
  updatedAt: row.updated_at,
});

export async function listViews(db: Db, actor: Actor, area: SavedViewArea) {
  return (await repo.listViews(db.kysely, actor, area)).map(toDto);
}

async function getView(db: Db, actor: Actor, id: number) {
  const view = await repo.getView(db.kysely, actor, id);
  if (!view) throw notFound('Saved view');
  return view;
}

export async function createView(db: Db, actor: Actor, input: CreateViewRequest) {
  if (await repo.viewNamed(db.kysely, actor, input.area, input.name)) {
    throw conflict('duplicate_name', `You already have a view named "${input.name}"`, 'name');
  }
  const id = await repo.insertView(db.kysely, actor, {
    area: input.area,
    name: input.name,
    query: JSON.stringify(input.query),
    now: actor.now,
  });
  return toDto(await getView(db, actor, id));
}

export async function updateView(db: Db, actor: Actor, id: number, patch: UpdateViewRequest) {
  await getView(db, actor, id);
  await updateVersioned(
    db.kysely,
    'saved_views',
    'Saved view',
    { workspaceId: actor.workspaceId, id, version: patch.version },
    {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.query !== undefined ? { query: JSON.stringify(patch.query) } : {}),
      updated_at: actor.now,
    },
  );
  return toDto(await getView(db, actor, id));
}

export async function deleteView(db: Db, actor: Actor, id: number) {
  await getView(db, actor, id);
  await repo.deleteView(db.kysely, actor, id);
}
