import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { withinReach } from '../../scope.ts';
import type { Actor } from '../../../domain/policy.ts';

/**
 * The handover's own row: started, read and listed within the actor's reach, its version bumped
 * by every edit, completed. Every query is scoped to the workspace, lists also to the actor's reach.
 */

export async function openDraftFor(db: Kysely<Database>, workspaceId: number, fromUserId: number) {
  return db
    .selectFrom('handovers')
    .select(['id'])
    .where('workspace_id', '=', workspaceId)
    .where('from_user_id', '=', fromUserId)
    .where('status', '=', 'draft')
    .executeTakeFirst();
}

export async function insertHandover(
  db: Kysely<Database>,
  input: { workspaceId: number; fromUserId: number; createdBy: number; now: number },
): Promise<number> {
  const row = await db
    .insertInto('handovers')
    .values({
      workspace_id: input.workspaceId,
      from_user_id: input.fromUserId,
      status: 'draft',
      created_by: input.createdBy,
      created_at: input.now,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A handover the actor may see: its departing user's unit lies within the actor's reach. */
export function visibleHandovers(db: Kysely<Database>, actor: Actor) {
  return db
    .selectFrom('handovers')
    .innerJoin('users as from_user', (joinBuilder) =>
      joinBuilder
        .onRef('from_user.id', '=', 'handovers.from_user_id')
        .onRef('from_user.workspace_id', '=', 'handovers.workspace_id'),
    )
    .innerJoin('org_units', 'org_units.id', 'from_user.org_unit_id')
    .leftJoin('users as creator', (joinBuilder) =>
      joinBuilder
        .onRef('creator.id', '=', 'handovers.created_by')
        .onRef('creator.workspace_id', '=', 'handovers.workspace_id'),
    )
    .where('handovers.workspace_id', '=', actor.workspaceId)
    .where(withinReach(actor));
}

const handoverColumns = [
  'handovers.id',
  'handovers.from_user_id',
  'handovers.status',
  'handovers.created_by',
  'handovers.summary',
  'handovers.created_at',
  'handovers.completed_at',
  'handovers.version',
  'from_user.name as from_user_name',
  'from_user.email as from_user_email',
  'from_user.role as from_user_role',
  'from_user.active as from_user_active',
  'org_units.name as org_unit_name',
  'org_units.path as unit_path',
  'creator.name as created_by_name',
] as const;

export async function getHandover(db: Kysely<Database>, actor: Actor, id: number) {
  return visibleHandovers(db, actor).select(handoverColumns).where('handovers.id', '=', id).executeTakeFirst();
}
export type HandoverRow = NonNullable<Awaited<ReturnType<typeof getHandover>>>;

export async function listHandovers(
  db: Kysely<Database>,
  actor: Actor,
  filter: { status?: string | undefined; limit: number; offset: number },
) {
  let query = visibleHandovers(db, actor);
  if (filter.status) query = query.where('handovers.status', '=', filter.status);
  const [items, total] = await Promise.all([
    query
      .select(handoverColumns)
      .orderBy('handovers.created_at', 'desc')
      .orderBy('handovers.id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** Item counts per handover and category, for the list (one grouped query). */
export async function itemCounts(db: Kysely<Database>, workspaceId: number, handoverIds: number[]) {
  if (handoverIds.length === 0) return [];
  return db
    .selectFrom('handover_items')
    .select([
      'handover_id',
      'entity_type',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.count<number>('to_user_id').as('assigned'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('handover_id', 'in', handoverIds)
    .groupBy(['handover_id', 'entity_type'])
    .execute();
}

/** Bumps the handover's version if it is still the one the caller read: a later edit makes an earlier review stale. */
export async function touchHandover(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  version: number | null,
  values: { status?: string; summary?: string; completed_at?: number } = {},
) {
  let query = db
    .updateTable('handovers')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'draft');
  if (version !== null) query = query.where('version', '=', version);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function handoverVersion(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('handovers')
    .select(['version', 'status'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function completeHandover(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  now: number,
  summary: string,
) {
  await db
    .updateTable('handovers')
    .set({ status: 'completed', completed_at: now, summary })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}
