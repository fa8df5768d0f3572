import type { Db } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';
import { listAudit, namesIn, recordAudit } from './repository.ts';
import type * as contract from '../../contracts/audit.ts';

/** The workspace's audit log, newest first; the route admits admin and executive only. */
export async function listAuditLog(db: Db, actor: Actor, q: contract.AuditListQuery): Promise<contract.AuditPage> {
  const { items, total } = await listAudit(db.kysely, actor, q);
  const names = await targetNames(db, actor.workspaceId, items);
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
      targetName: e.target_type && e.target_id !== null ? (names.get(`${e.target_type}:${e.target_id}`) ?? null) : null,
      ip: e.ip,
      detail: e.detail ? (JSON.parse(e.detail) as unknown) : null,
      createdAt: e.created_at,
    })),
  };
}

/** Where each kind of audit target keeps its name. */
const NAMED = {
  user: { table: 'users', column: 'name' },
  org_unit: { table: 'org_units', column: 'name' },
  account: { table: 'accounts', column: 'name' },
  sales_process: { table: 'sales_processes', column: 'name' },
  territory: { table: 'territory_rules', column: 'name' },
  import: { table: 'import_jobs', column: 'file_name' },
} as const;

/** Names of the page's targets: one query per kind of target on the page, not one per row. */
async function targetNames(db: Db, workspaceId: number, items: { target_type: string | null; target_id: number | null }[]) {
  const byType = new Map<keyof typeof NAMED, Set<number>>();
  for (const e of items) {
    if (e.target_id === null || !e.target_type || !(e.target_type in NAMED)) continue;
    const type = e.target_type as keyof typeof NAMED;
    byType.set(type, (byType.get(type) ?? new Set()).add(e.target_id));
  }
  const names = new Map<string, string>();
  await Promise.all([...byType].map(async ([type, ids]) => {
    const { table, column } = NAMED[type];
    const rows = await namesIn(db.kysely, workspaceId, table, column, [...ids]);
    for (const r of rows) names.set(`${type}:${r.id}`, r.name);
  }));
  return names;
}

/**
 * A refused attempt at a capability whose refusals matter (docs/method.md § The four problems: a departing rep trying a
 * bulk export): action `<capability>.denied`, with the route and what it asked for.
 */
export async function recordRefusal(db: Db, actor: Actor, capability: string, attempt: { route: string; query: unknown }, ip: string | null): Promise<void> {
  await recordAudit(db.kysely, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: `${capability}.denied`, ip, detail: attempt }, actor.now);
}
