import type { Db } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';
import { listAudit, namesIn, recordAudit } from './repository.ts';
import type * as contract from '../../contracts/audit.ts';

/** The workspace's audit log, newest first; the route admits admin and executive only. */
export async function listAuditLog(db: Db, actor: Actor, query: contract.AuditListQuery): Promise<contract.AuditPage> {
  const { items, total } = await listAudit(db.kysely, actor, query);
  const names = await targetNames(db, actor.workspaceId, items);
  return {
    total,
    items: items.map((entry) => ({
      id: entry.id,
      action: entry.action,
      actorUserId: entry.actor_user_id,
      actorName: entry.actor_name,
      targetType: entry.target_type,
      targetId: entry.target_id,
      subject: entry.subject,
      targetName:
        entry.target_type && entry.target_id !== null
          ? (names.get(`${entry.target_type}:${entry.target_id}`) ?? null)
          : null,
      ip: entry.ip,
      detail: entry.detail ? (JSON.parse(entry.detail) as unknown) : null,
      createdAt: entry.created_at,
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
async function targetNames(
  db: Db,
  workspaceId: number,
  items: { target_type: string | null; target_id: number | null }[],
) {
  const byType = new Map<keyof typeof NAMED, Set<number>>();
  for (const entry of items) {
    if (entry.target_id === null || !entry.target_type || !(entry.target_type in NAMED)) continue;
    const type = entry.target_type as keyof typeof NAMED;
    byType.set(type, (byType.get(type) ?? new Set()).add(entry.target_id));
  }
  const names = new Map<string, string>();
  await Promise.all(
    [...byType].map(async ([type, ids]) => {
      const { table, column } = NAMED[type];
      const rows = await namesIn(db.kysely, workspaceId, table, column, [...ids]);
      for (const row of rows) names.set(`${type}:${row.id}`, row.name);
    }),
  );
  return names;
}

/**
 * A refused attempt at a capability whose refusals matter (docs/method.md § The four problems: a departing rep trying a
 * bulk export): action `<capability>.denied`, with the route and what it asked for.
 */
export async function recordRefusal(
  db: Db,
  actor: Actor,
  capability: string,
  attempt: { route: string; query: unknown },
  ip: string | null,
): Promise<void> {
  await recordAudit(
    db.kysely,
    { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: `${capability}.denied`, ip, detail: attempt },
    actor.now,
  );
}
