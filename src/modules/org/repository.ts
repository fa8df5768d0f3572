import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/policy.ts';
import { withinReach } from '../scope.ts';
import type { SalesMode, UnitMode } from '../../domain/sales-mode.ts';

const unitColumns = [
  'org_units.id',
  'org_units.parent_id',
  'org_units.name',
  'org_units.type',
  'org_units.path',
  'org_units.sort_order',
  'org_units.sales_mode',
  'org_units.archived_at',
  'org_units.created_at',
  'org_units.updated_at',
  'org_units.version',
] as const;

/** Units the actor may see, each with its count of active members (one grouped query). */
export async function listUnits(db: Kysely<Database>, actor: Actor, opts: { includeArchived: boolean }) {
  let query = db
    .selectFrom('org_units')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('users')
          .select(['org_unit_id', (e) => e.fn.countAll<number>().as('n')])
          .where('workspace_id', '=', actor.workspaceId)
          .where('active', '=', 1)
          .groupBy('org_unit_id')
          .as('members'),
      (j) => j.onRef('members.org_unit_id', '=', 'org_units.id'),
    )
    .select(unitColumns)
    .select((eb) => eb.fn.coalesce('members.n', eb.lit(0)).as('member_count'))
    .where(withinReach(actor));
  if (!opts.includeArchived) query = query.where('org_units.archived_at', 'is', null);
  return query.orderBy('org_units.path').execute();
}

export async function getUnit(db: Kysely<Database>, actor: Actor, id: number) {
  return db
    .selectFrom('org_units')
    .select(unitColumns)
    .where('org_units.id', '=', id)
    .where(withinReach(actor))
    .executeTakeFirst();
}

export async function siblingNamed(
  db: Kysely<Database>,
  workspaceId: number,
  parentId: number | null,
  name: string,
  exceptId?: number,
) {
  let query = db
    .selectFrom('org_units')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .where('archived_at', 'is', null);
  query = parentId === null ? query.where('parent_id', 'is', null) : query.where('parent_id', '=', parentId);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return query.executeTakeFirst();
}

export async function insertUnit(
  db: Kysely<Database>,
  unit: {
    workspaceId: number;
    parentId: number | null;
    parentPath: string | null;
    name: string;
    type: string;
    sortOrder: number;
    /** Omitted: follows the parent unit. */
    salesMode?: string | null;
    now: number;
  },
): Promise<number> {
  const row = await db
    .insertInto('org_units')
    .values({
      workspace_id: unit.workspaceId,
      parent_id: unit.parentId,
      name: unit.name,
      type: unit.type,
      path: '/pending/',
      sort_order: unit.sortOrder,
      sales_mode: unit.salesMode ?? null,
      created_at: unit.now,
      updated_at: unit.now,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // The path holds the unit's own id, known only after the insert.
  await db
    .updateTable('org_units')
    .set({ path: `${unit.parentPath ?? '/'}${row.id}/` })
    .where('id', '=', row.id)
    .execute();
  return row.id;
}

/** Re-roots a subtree: every path that starts with oldPrefix gets newPrefix instead. */
export async function rewriteSubtreePaths(
  db: Kysely<Database>,
  workspaceId: number,
  oldPrefix: string,
  newPrefix: string,
) {
  await db
    .updateTable('org_units')
    // Explicit casts: PostgreSQL cannot infer the type of a bare parameter in || or substr.
    .set({ path: sql<string>`cast(${newPrefix} as text) || substr(path, cast(${oldPrefix.length + 1} as integer))` })
    .where('workspace_id', '=', workspaceId)
    .where('path', 'like', `${oldPrefix}%`)
    .execute();
}

export async function countActiveChildren(db: Kysely<Database>, workspaceId: number, id: number): Promise<number> {
  const row = await db
    .selectFrom('org_units')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('parent_id', '=', id)
    .where('archived_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countActiveMembers(db: Kysely<Database>, workspaceId: number, unitId: number): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('org_unit_id', '=', unitId)
    .where('active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Every unit of the workspace by name and path, regardless of the caller's reach: naming a
 * visible user's unit needs the names above it and the namesakes elsewhere (nameUnits).
 */
export async function unitNames(db: Kysely<Database>, workspaceId: number) {
  const rows = await db
    .selectFrom('org_units')
    .select(['id', 'name', 'path', 'archived_at'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, path: r.path, archived: r.archived_at !== null }));
}

/** The sort order that puts a new unit after its siblings. */
export async function nextSortOrder(db: Kysely<Database>, workspaceId: number, parentId: number): Promise<number> {
  const row = await db
    .selectFrom('org_units')
    .select((eb) => eb.fn.max('sort_order').as('last'))
    .where('workspace_id', '=', workspaceId)
    .where('parent_id', '=', parentId)
    .executeTakeFirst();
  return row?.last == null ? 0 : Number(row.last) + 1;
}

/** Every unit's own sales mode, for the modes units inherit and the key-account team of a named account (whole workspace: a mode comes from ancestors out of reach too). */
export async function unitModes(db: Kysely<Database>, workspaceId: number): Promise<UnitMode[]> {
  const rows = await db
    .selectFrom('org_units')
    .select(['id', 'path', 'sales_mode', 'archived_at'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    path: row.path,
    // Written only from SALES_MODES (the org service).
    salesMode: row.sales_mode as SalesMode | null,
    archived: row.archived_at !== null,
  }));
}
