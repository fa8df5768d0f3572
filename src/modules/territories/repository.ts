import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Actor } from '../../domain/policy.ts';
import { visibleAccounts } from '../accounts/repository/accounts.ts';
import { inBatches } from '../../db/batches.ts';

/** Territory rules (井田, docs/organisation.md) with their rep and the rep's unit. */
function rulesWithRep(db: Kysely<Database>, workspaceId: number) {
  return db
    .selectFrom('territory_rules as t')
    .innerJoin('users as u', (j) => j.onRef('u.id', '=', 't.user_id').onRef('u.workspace_id', '=', 't.workspace_id'))
    .innerJoin('org_units as o', (joinBuilder) =>
      joinBuilder.onRef('o.id', '=', 'u.org_unit_id').onRef('o.workspace_id', '=', 'u.workspace_id'),
    )
    .select([
      't.id',
      't.name',
      't.province',
      't.city',
      't.district',
      't.industry',
      't.user_id',
      't.active',
      't.created_at',
      't.updated_at',
      't.version',
      'u.name as user_name',
      'u.active as user_active',
      'u.org_unit_id',
      'o.name as org_unit_name',
      'o.path as unit_path',
    ])
    .where('t.workspace_id', '=', workspaceId);
}

export type RuleRow = Awaited<ReturnType<typeof getRule>> & object;

export interface RuleFilter {
  userId?: number | undefined;
  province?: string | undefined;
  industry?: string | undefined;
  active?: boolean | undefined;
  /** Only rules whose rep sits in this subtree (a manager's reach). */
  unitPath?: string | undefined;
  limit: number;
  offset: number;
}

export async function listRules(db: Kysely<Database>, actor: Actor, filter: RuleFilter) {
  let query = rulesWithRep(db, actor.workspaceId);
  if (filter.userId !== undefined) query = query.where('t.user_id', '=', filter.userId);
  if (filter.province) query = query.where('t.province', '=', filter.province);
  if (filter.industry) query = query.where('t.industry', '=', filter.industry);
  if (filter.active !== undefined) query = query.where('t.active', '=', filter.active ? 1 : 0);
  if (filter.unitPath) query = query.where('o.path', 'like', `${filter.unitPath}%`);
  const [items, total] = await Promise.all([
    query
      .orderBy('t.province')
      .orderBy('t.city')
      .orderBy('t.district')
      .orderBy('t.industry')
      .orderBy('t.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** Every active rule of the workspace, for matching and the conflicts report (configuration: small). */
export async function activeRules(db: Kysely<Database>, workspaceId: number) {
  return rulesWithRep(db, workspaceId).where('t.active', '=', 1).orderBy('t.id').execute();
}

export async function rulesByIds(db: Kysely<Database>, workspaceId: number, ids: number[]) {
  if (ids.length === 0) return [];
  return rulesWithRep(db, workspaceId).where('t.id', 'in', ids).orderBy('t.id').execute();
}

export async function getRule(db: Kysely<Database>, workspaceId: number, id: number) {
  return rulesWithRep(db, workspaceId).where('t.id', '=', id).executeTakeFirst();
}

export async function userForRule(db: Kysely<Database>, workspaceId: number, userId: number) {
  return db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'users.name', 'users.role', 'users.active', 'users.org_unit_id', 'org_units.path'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

export interface RulePlace {
  province: string | null;
  city: string | null;
  district: string | null;
  industry: string | null;
}

/** Every rule of one rep, active or not: the duplicate check compares their places by key. */
export async function rulesOfRep(db: Kysely<Database>, workspaceId: number, userId: number) {
  return db
    .selectFrom('territory_rules')
    .select(['id', 'province', 'city', 'district', 'industry'])
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .execute();
}

export async function insertRule(
  db: Kysely<Database>,
  rule: { workspaceId: number; name: string | null; place: RulePlace; userId: number; active: boolean; now: number },
) {
  const row = await db
    .insertInto('territory_rules')
    .values({
      workspace_id: rule.workspaceId,
      name: rule.name,
      ...rule.place,
      user_id: rule.userId,
      active: rule.active ? 1 : 0,
      created_at: rule.now,
      updated_at: rule.now,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteRule(db: Kysely<Database>, workspaceId: number, id: number) {
  await db.deleteFrom('territory_rules').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Pool accounts (no owner) the rules could assign, within the actor's reach. */
export async function poolAccounts(db: Kysely<Database>, actor: Actor, unitPath: string | null) {
  let query = db
    .selectFrom('accounts')
    .innerJoin('org_units', (joinBuilder) =>
      joinBuilder
        .onRef('org_units.id', '=', 'accounts.org_unit_id')
        .onRef('org_units.workspace_id', '=', 'accounts.workspace_id'),
    )
    .select([
      'accounts.id',
      'accounts.name',
      'accounts.province',
      'accounts.city',
      'accounts.district',
      'accounts.industry',
      'accounts.version',
    ])
    .where('accounts.workspace_id', '=', actor.workspaceId)
    .where('accounts.in_pool', '=', 1)
    .where('accounts.archived_at', 'is', null);
  if (unitPath) query = query.where('org_units.path', 'like', `${unitPath}%`);
  return query.orderBy('accounts.id').execute();
}

/** Gives pool accounts to one rep: one UPDATE per rep (per batch of ids), guarded so a concurrent claim wins. */
export async function assignPoolAccounts(
  db: Kysely<Database>,
  workspaceId: number,
  ids: number[],
  owner: { userId: number; unitId: number },
  now: number,
) {
  const rows = await inBatches(ids, (batch) =>
    db
      .updateTable('accounts')
      .set((eb) => ({
        owner_id: owner.userId,
        org_unit_id: owner.unitId,
        in_pool: 0,
        pool_since: null,
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', batch)
      .where('in_pool', '=', 1)
      .returning('id')
      .execute(),
  );
  return rows.map((r) => r.id);
}

/** Owned, live accounts the actor may see (their place and owner), for the mismatch report. */
export async function ownedAccountsInReach(db: Kysely<Database>, actor: Actor) {
  return visibleAccounts(db, actor)
    .select([
      'accounts.id',
      'accounts.name',
      'accounts.province',
      'accounts.city',
      'accounts.district',
      'accounts.industry',
      'accounts.owner_id',
      'owner.name as owner_name',
    ])
    .where('accounts.in_pool', '=', 0)
    .where('accounts.archived_at', 'is', null)
    .where('accounts.owner_id', 'is not', null)
    .orderBy('accounts.id')
    .execute();
}
