import { sql, type Kysely } from 'kysely';
import type { Database, AuditEntry } from '../../db/schema.ts';
import type { Actor } from '../../domain/policy.ts';
import type { AuditListQuery } from '../../contracts/audit.ts';

/**
 * The audit log: logins, exports, permission changes (docs/method.md). Append-only: this module
 * has no update or delete, and nothing else writes the table.
 */
export interface AuditEvent {
  workspaceId: number | null;
  actorUserId: number | null;
  action: string;
  targetType?: string;
  targetId?: number;
  subject?: string;
  ip?: string | null;
  detail?: Record<string, unknown>;
}

export async function recordAudit(db: Kysely<Database>, auditEvent: AuditEvent, now: number): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      workspace_id: auditEvent.workspaceId,
      actor_user_id: auditEvent.actorUserId,
      action: auditEvent.action,
      target_type: auditEvent.targetType ?? null,
      target_id: auditEvent.targetId ?? null,
      subject: auditEvent.subject ?? null,
      ip: auditEvent.ip ?? null,
      detail: auditEvent.detail ? JSON.stringify(auditEvent.detail) : null,
      created_at: now,
    })
    .execute();
}

export const auditActor = (actor: Actor, ip: string | null) => ({
  workspaceId: actor.workspaceId,
  actorUserId: actor.userId,
  ip,
});

/** Count of an action since a time, by subject (an account) or by address. */
export async function countSince(
  db: Kysely<Database>,
  action: string,
  by: { subject: string } | { ip: string },
  since: number,
): Promise<number> {
  let query = db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action);
  query = 'subject' in by ? query.where('subject', '=', by.subject) : query.where('ip', '=', by.ip);
  const row = await query.where('created_at', '>=', since).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function lastAt(db: Kysely<Database>, action: string, subject: string): Promise<number | null> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('created_at').as('t'))
    .where('action', '=', action)
    .where('subject', '=', subject)
    .executeTakeFirst();
  return row?.t == null ? null : Number(row.t);
}

/**
 * Sign-in history of one (account, address) pair: whether it ever succeeded, and its failures
 * since its last success (at most `memorySince` back) with the time of the latest.
 */
export async function pairSignIns(db: Kysely<Database>, subject: string, ip: string | null, memorySince: number) {
  const base = () =>
    db
      .selectFrom('audit_log')
      .where('subject', '=', subject)
      .where((eb) => (ip === null ? eb('ip', 'is', null) : eb('ip', '=', ip)));
  const success = await base()
    .select((eb) => eb.fn.max('created_at').as('t'))
    .where('action', '=', 'auth.login.success')
    .executeTakeFirst();
  const lastSuccess = success?.t == null ? null : Number(success.t);
  const failures = await base()
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('last')])
    .where('action', '=', 'auth.login.failure')
    .where('created_at', '>=', Math.max(memorySince, (lastSuccess ?? -1) + 1))
    .executeTakeFirstOrThrow();
  return {
    lastSuccess,
    failures: Number(failures.n),
    lastFailure: failures.last == null ? null : Number(failures.last),
  };
}

/** How many different addresses failed to sign in to one account since a time. */
export async function failingAddresses(db: Kysely<Database>, subject: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.count<number>('ip').distinct().as('n'))
    .where('action', '=', 'auth.login.failure')
    .where('subject', '=', subject)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listAudit(
  db: Kysely<Database>,
  actor: Actor,
  query: AuditListQuery,
): Promise<{ items: (AuditEntry & { actor_name: string | null })[]; total: number }> {
  let base = db.selectFrom('audit_log').where('audit_log.workspace_id', '=', actor.workspaceId);
  if (query.action) base = base.where('audit_log.action', 'like', `${query.action}%`);
  if (query.actorUserId) base = base.where('audit_log.actor_user_id', '=', query.actorUserId);
  if (query.since !== undefined) base = base.where('audit_log.created_at', '>=', query.since);
  if (query.until !== undefined) base = base.where('audit_log.created_at', '<', query.until);
  const [items, total] = await Promise.all([
    base
      .leftJoin('users', (joinBuilder) =>
        joinBuilder
          .onRef('users.id', '=', 'audit_log.actor_user_id')
          .onRef('users.workspace_id', '=', 'audit_log.workspace_id'),
      )
      .selectAll('audit_log')
      .select('users.name as actor_name')
      .orderBy('audit_log.created_at', 'desc')
      .orderBy('audit_log.id', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** The names of some rows of one table (the audit page's targets); table and column come from the caller's fixed list. */
export async function namesIn(db: Kysely<Database>, workspaceId: number, table: string, column: string, ids: number[]) {
  const { rows } = await sql<{
    id: number;
    name: string;
  }>`select id, ${sql.ref(column)} as name from ${sql.table(table)} where workspace_id = ${workspaceId} and id in (${sql.join(ids)})`.execute(
    db,
  );
  return rows;
}
