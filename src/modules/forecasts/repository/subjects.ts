import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { TargetSubject } from '../../../domain/policy.ts';

/**
 * The revenue forecast's queries (docs/targets.md § Revenue forecast, § Gap analysis), in four parts:
 * the subject and its units and sellers (here), deals.ts, submissions.ts, adjustments.ts.
 * A subject (workspace, unit subtree, one person) becomes one condition on a row's person and
 * unit columns; the service has already refused a subject out of the caller's reach.
 */
type Db = Kysely<Database>;

/** The rows of a subject: one person's (by `userCol`), a unit subtree's (by `unitCol`), or all of the workspace's. */
export function ofSubject(
  workspaceId: number,
  subject: TargetSubject,
  userCol: string,
  unitCol: string,
): RawBuilder<boolean> {
  if (subject.kind === 'user') return sql<boolean>`${sql.ref(userCol)} = ${subject.userId}`;
  if (subject.kind === 'unit')
    return sql<boolean>`${sql.ref(unitCol)} in (select id from org_units where workspace_id = ${workspaceId} and path like ${`${subject.path}%`})`;
  return sql<boolean>`1 = 1`;
}

export async function unitFacts(db: Db, workspaceId: number, unitId: number) {
  return db
    .selectFrom('org_units')
    .select(['id', 'name', 'path'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', unitId)
    .executeTakeFirst();
}

/** Every unit's path, by id (to place rows that carry a unit id in the tree). */
export async function unitPaths(db: Db, workspaceId: number) {
  const rows = await db
    .selectFrom('org_units')
    .select(['id', 'path'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  return new Map(rows.map((u) => [u.id, u.path]));
}

/** The people a subject's forecast is made of: active sellers (reps and managers). */
export async function sellersOf(db: Db, workspaceId: number, subject: TargetSubject) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'org_unit_id'])
    .where('workspace_id', '=', workspaceId)
    .where('active', '=', 1)
    .where('role', 'in', ['rep', 'manager'])
    .where(ofSubject(workspaceId, subject, 'users.id', 'users.org_unit_id'))
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** The sub-units one level below a unit (the workspace's top units for the workspace). */
export async function childUnits(db: Db, workspaceId: number, parentId: number | null) {
  let query = db
    .selectFrom('org_units')
    .select(['id', 'name', 'path'])
    .where('workspace_id', '=', workspaceId)
    .where('archived_at', 'is', null);
  query =
    parentId === null
      ? query.where(
          'parent_id',
          'in',
          db
            .selectFrom('org_units')
            .select('id')
            .where('workspace_id', '=', workspaceId)
            .where('parent_id', 'is', null),
        )
      : query.where('parent_id', '=', parentId);
  return query.orderBy('sort_order').orderBy('id').execute();
}
