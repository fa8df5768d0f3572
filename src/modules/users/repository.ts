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
const sortColumn = { name: 'users.name', email: 'users.email', role: 'users.role', createdAt: 'users.created_at' } as const;

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
    .innerJoin('org_units', (j) => j.onRef('org_units.id', '=', 'users.org_unit_id').onRef('org_units.workspace_id', '=', 'users.workspace_id'))
    .where('users.workspace_id', '=', actor.workspaceId)
    .where(withinReach(actor));
}

export async function listUsers(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  f: UserFilter & { limit: number; offset: number; sort: { column: UserSort; desc: boolean } },
) {
  let q = visibleUsers(db, actor);
  if (f.q) {
    const needle = f.q;
    q = q.where((eb) => eb.or([containsInsensitive(engine, eb.ref('users.name'), needle), containsInsensitive(engine, eb.ref('users.email'), needle)]));
  }
  if (f.role) q = q.where('users.role', '=', f.role);
  if (f.active !== undefined) q = q.where('users.active', '=', f.active ? 1 : 0);
  if (f.orgUnitId !== undefined) {
    // A unit filter includes its sub-units: "the people of the East region".
    q = q.where('org_units.path', 'like', await subtreePattern(db, actor.workspaceId, f.orgUnitId));
  }
  const [items, total] = await Promise.all([
    q
      .select(userColumns)
      .orderBy(f.sort.column === 'name' ? nameOrder(engine, sql.ref('users.name')) : sql.ref(sortColumn[f.sort.column]), f.sort.desc ? 'desc' : 'asc')
      .orderBy('users.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function getUser(db: Kysely<Database>, actor: Actor, id: number) {
  return visibleUsers(db, actor).select(userColumns).select('org_units.path as unit_path').where('users.id', '=', id).executeTakeFirst();
}

export type UserRow = NonNullable<Awaited<ReturnType<typeof getUser>>>;

export async function emailTaken(db: Kysely<Database>, email: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('users').select('id').where('email', '=', email);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function countActiveAdmins(db: Kysely<Database>, workspaceId: number, exceptId?: number): Promise<number> {
  let q = db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'admin')
    .where('active', '=', 1);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function insertUser(
  db: Kysely<Database>,
  u: {
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
      workspace_id: u.workspaceId,
      org_unit_id: u.orgUnitId,
      email: u.email,
      name: u.name,
      role: u.role,
      title: u.title,
      phone: u.phone,
      password_hash: u.passwordHash,
      active: 1,
      locale: u.locale,
      can_export: u.canExport ? 1 : 0,
      must_change_password: u.mustChangePassword ? 1 : 0,
      created_at: u.now,
      updated_at: u.now,
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
    .select(['users.id', 'users.name', 'users.email', 'users.role', 'users.active', 'users.org_unit_id', 'users.version', 'org_units.path', 'org_units.name as org_unit_name'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.id', 'in', ids)
    .execute();
}

export async function userWithUnit(db: Kysely<Database>, workspaceId: number, userId: number) {
  return (await usersWithUnits(db, workspaceId, [userId]))[0];
}

/** Names of users by id, for showing stored ids (owners, reviewers) — one query per page. */
export async function userNames(db: Kysely<Database>, workspaceId: number, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('workspace_id', '=', workspaceId).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The actor's own row (name, language, phone): no version check, as before — a person edits only themselves. */
export async function updateOwnProfile(db: Kysely<Database>, actor: Actor, values: UserUpdate) {
  await db.updateTable('users').set(values).where('workspace_id', '=', actor.workspaceId).where('id', '=', actor.userId).execute();
}
