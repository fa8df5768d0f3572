import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { fixedQuery } from '../../db/fixed-query.ts';

/**
 * Sessions and sign-in look-ups. These run before any actor exists, so they are the one
 * place that reads users by email across workspaces (sign-in is by email alone).
 */
export async function findUserForLogin(db: Kysely<Database>, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'workspace_id', 'password_hash', 'active', 'email'])
    .where('email', '=', email)
    .executeTakeFirst();
}

export async function insertSession(
  db: Kysely<Database>,
  session: {
    id: string;
    workspaceId: number;
    userId: number;
    now: number;
    expiresAt: number;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      workspace_id: session.workspaceId,
      user_id: session.userId,
      created_at: session.now,
      last_seen_at: session.now,
      expires_at: session.expiresAt,
      ip: session.ip,
      user_agent: session.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
}

/**
 * The session with its (active) user and the path of the user's unit — all an actor needs —
 * and, in the same read, the workspace's rules and the names reports show first
 * (src/modules/workspace/session-reads.ts).
 */
// Run before every request: its statement is compiled once (src/db/fixed-query.ts).
const sessionQuery = fixedQuery(
  (db: Kysely<Database>, id: string) =>
    db
      .selectFrom('sessions')
      .innerJoin('users', (joinBuilder) =>
        joinBuilder
          .onRef('users.id', '=', 'sessions.user_id')
          .onRef('users.workspace_id', '=', 'sessions.workspace_id'),
      )
      .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
      .innerJoin('workspaces', 'workspaces.id', 'sessions.workspace_id')
      .select([
        'sessions.id',
        'sessions.workspace_id',
        'sessions.user_id',
        'sessions.last_seen_at',
        'sessions.expires_at',
        'users.role',
        'users.org_unit_id',
        'users.active',
        'users.must_change_password',
        'users.can_export',
        'org_units.path as unit_path',
        'users.name as user_name',
        'workspaces.name as workspace_name',
        'workspaces.settings',
        'workspaces.time_zone',
        'workspaces.fiscal_year_start_month',
      ])
      .where('sessions.id', '=', id),
  1,
);

export async function findSession(db: Kysely<Database>, id: string) {
  return (await sessionQuery(db, id))[0];
}

export async function touchSession(db: Kysely<Database>, id: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of a user (deactivation, password reset), or all but one (own password change). */
export async function deleteUserSessions(
  db: Kysely<Database>,
  workspaceId: number,
  userId: number,
  exceptId?: string,
): Promise<void> {
  let query = db.deleteFrom('sessions').where('workspace_id', '=', workspaceId).where('user_id', '=', userId);
  if (exceptId) query = query.where('id', '!=', exceptId);
  await query.execute();
}

/** The sessions past their end or idle too long (the housekeeping deletes them in batches, src/modules/auth/sessions-cleanup.ts). */
export async function expiredSessionIds(db: Kysely<Database>, now: number, idleMs: number): Promise<string[]> {
  const rows = await db
    .selectFrom('sessions')
    .select('id')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - idleMs)]))
    .execute();
  return rows.map((row) => row.id);
}

/** Deletes these sessions if they are still expired (one seen since is kept); how many. */
export async function deleteExpiredOf(db: Kysely<Database>, ids: readonly string[], now: number, idleMs: number) {
  const result = await db
    .deleteFrom('sessions')
    .where('id', 'in', ids)
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - idleMs)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function ownPassword(db: Kysely<Database>, workspaceId: number, userId: number) {
  return db
    .selectFrom('users')
    .select(['password_hash', 'version'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
}
