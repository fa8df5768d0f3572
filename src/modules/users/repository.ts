import { sql, type Kysely } from 'kysely';
import type { Database, UserUpdate } from '../../db/schema.ts';
import type { Engine } from '../../db/dialect.ts';
import { containsInsensitive, nameOrder } from '../../db/dialect.ts';
import type { Actor } from '../../domain/policy.ts';
import { withinReach, subtreePattern } from '../scope.ts';

const userColumns = [
  'users.id',
  'users.email',
  'users.name',
  'users.role',
  'users.org_unit_id',
  'users.title',
  'users.phone',
  'users.active',
  'users.locale',
  'users.can_export',
  'users.must_change_password',
  'users.created_at',
  'users.updated_at',
  'users.deactivated_at',
  'users.version',
  'org_units.name as org_unit_name',
] as const;

export type UserSort = 'name' | 'email' | 'role' | 'createdAt';
const sortColumn = {
  name: 'users.name',
  email: 'users.email',
  role: 'users.role',
  createdAt: 'users.created_at',
} as const;

export interface UserFilter {
  q?: string | undefined;
  role?: string | undefined;
  orgUnitId?: number | undefined;
  active?: boolean | undefined;
}

/** Users the actor may see (policy: unit reach), joined to their unit. */
function visibleUsers(db: Kysely<Database>, actor: Actor) {
  return db
    .selectFrom('users')
    .innerJoin('org_units', (joinBuilder) =>
      joinBuilder
        .onRef('org_units.id', '=', 'users.org_unit_id')
        .onRef('org_units.workspace_id', '=', 'users.workspace_id'),
    )
    .where('users.workspace_id', '=', actor.workspaceId)
    .where(withinReach(actor));
}

export async function listUsers(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: UserFilter & { limit: number; offset: number; sort: { column: UserSort; desc: boolean } },
) {
  let query = visibleUsers(db, actor);
  if (filter.q) {
    const needle = filter.q;
    query = query.where((eb) =>
      eb.or([
        containsInsensitive(engine, eb.ref('users.name'), needle),
        containsInsensitive(engine, eb.ref('users.email'), needle),
      ]),
    );
  }
  if (filter.role) query = query.where('users.role', '=', filter.role);
  if (filter.active !== undefined) query = query.where('users.active', '=', filter.active ? 1 : 0);
  if (filter.orgUnitId !== undefined) {
    // A unit filter includes its sub-units: "the people of the East region".
    query = query.where('org_units.path', 'like', await subtreePattern(db, actor.workspaceId, filter.orgUnitId));
  }
  const [items, total] = await Promise.all([
    query
      .select(userColumns)
      .orderBy(
        filter.sort.column === 'name'
          ? nameOrder(engine, sql.ref('users.name'))
          : sql.ref(sortColumn[filter.sort.column]),
        filter.sort.desc ? 'desc' : 'asc',
      )
      .orderBy('users.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function getUser(db: Kysely<Database>, actor: Actor, id: number) {
  return visibleUsers(db, actor)
    .select(userColumns)
    .select('org_units.path as unit_path')
    .where('users.id', '=', id)
    .executeTakeFirst();
}

export type UserRow = NonNullable<Awaited<ReturnType<typeof getUser>>>;

/**
 * The units that naming one user's unit needs (nameUnits), not the workspace's every unit: those
 * with its name, archived too, and every unit above them, for the names along their paths. Read
 * beside the user on every page load (GET /auth/me). Walks up by parent, which moves keep in step
 * with the path; UNION stops at a unit already reached.
 */
export async function unitsNamingUserUnit(db: Kysely<Database>, workspaceId: number, userId: number) {
  const result = await sql<{ id: number; name: string; path: string; archived_at: number | null }>`
    with recursive above(id) as (
      select id from org_units
      where workspace_id = ${workspaceId}
        and name = (
          select own.name from users join org_units own on own.id = users.org_unit_id
          and own.workspace_id = users.workspace_id
          where users.workspace_id = ${workspaceId} and users.id = ${userId}
        )
      union
      select unit.parent_id from org_units unit join above on unit.id = above.id
      where unit.workspace_id = ${workspaceId} and unit.parent_id is not null
    )
    select id, name, path, archived_at from org_units
    where workspace_id = ${workspaceId} and id in (select id from above)`.execute(db);
  return result.rows.map((r) => ({ id: Number(r.id), name: r.name, path: r.path, archived: r.archived_at !== null }));
}

export async function emailTaken(db: Kysely<Database>, email: string, exceptId?: number): Promise<boolean> {
  let query = db.selectFrom('users').select('id').where('email', '=', email);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function countActiveAdmins(db: Kysely<Database>, workspaceId: number, exceptId?: number): Promise<number> {
  let query = db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'admin')
    .where('active', '=', 1);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export async function insertUser(
  db: Kysely<Database>,
  user: {
    workspaceId: number;
    orgUnitId: number;
    email: string;
    name: string;
    role: string;
    title: string | null;
    phone: string | null;
    passwordHash: string;
    locale: string;
    canExport: boolean;
    /** The password is the administrator's choice: the user replaces it at the first sign-in. */
    mustChangePassword?: boolean;
    now: number;
  },
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      workspace_id: user.workspaceId,
      org_unit_id: user.orgUnitId,
      email: user.email,
      name: user.name,
      role: user.role,
      title: user.title,
      phone: user.phone,
      password_hash: user.passwordHash,
      active: 1,
      locale: user.locale,
      can_export: user.canExport ? 1 : 0,
      must_change_password: user.mustChangePassword ? 1 : 0,
      created_at: user.now,
      updated_at: user.now,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Users with their unit's path (for reach checks), by id, in one query. */
export async function usersWithUnits(db: Kysely<Database>, workspaceId: number, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'users.role',
      'users.active',
      'users.org_unit_id',
      'users.version',
      'org_units.path',
      'org_units.name as org_unit_name',
    ])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.id', 'in', ids)
    .execute();
}

export async function userWithUnit(db: Kysely<Database>, workspaceId: number, userId: number) {
  return (await usersWithUnits(db, workspaceId, [userId]))[0];
}

/** Names of users by id, for showing stored ids (owners, reviewers) — one query per page. */
export async function userNames(
  db: Kysely<Database>,
  workspaceId: number,
  ids: readonly number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The actor's own row (name, language, phone): no version check, as before — a person edits only themselves. */
export async function updateOwnProfile(db: Kysely<Database>, actor: Actor, values: UserUpdate) {
  await db
    .updateTable('users')
    .set(values)
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', actor.userId)
    .execute();
}
