import type { Db } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';
import { listAudit, type AuditListQuery } from './repository.ts';

export interface AuditEntryDto {
  id: number;
  action: string;
  actorUserId: number | null;
  actorName: string | null;
  targetType: string | null;
  targetId: number | null;
  subject: string | null;
  ip: string | null;
  detail: unknown;
  createdAt: number;
}

/** The workspace's audit log, newest first; the route admits admin and executive only. */
export async function listAuditLog(db: Db, actor: Actor, q: AuditListQuery): Promise<{ items: AuditEntryDto[]; total: number }> {
  const { items, total } = await listAudit(db.kysely, actor, q);
  return {
    total,
    items: items.map((e) => ({
      id: e.id,
      action: e.action,
      actorUserId: e.actor_user_id,
      actorName: e.actor_name,
      targetType: e.target_type,
      targetId: e.target_id,
      subject: e.subject,
      ip: e.ip,
      detail: e.detail ? (JSON.parse(e.detail) as unknown) : null,
      createdAt: e.created_at,
    })),
  };
}
