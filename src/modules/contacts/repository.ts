import { sql, type Insertable, type Kysely } from 'kysely';
import type { BuyingRoleTable, ContactTable, Database } from '../../db/schema.ts';
import { containsInsensitive, nameOrder, type Engine } from '../../db/dialect.ts';
import type { Actor } from '../../domain/policy.ts';
import type { BuyingRoleKind, Tier } from '../../domain/accounts.ts';
import { accountsWithinReach, countCapOf, countedSubtreeUnits, standActor, subtreePattern } from '../scope.ts';
import { listTotalOf, listTotalQuery } from '../../db/counts.ts';
import { shapedQueries } from '../../db/fixed-query.ts';
import { candidateIds, prepareMatch } from '../search/shared.ts';

const contactColumns = [
  'contacts.id',
  'contacts.account_id',
  'contacts.name',
  'contacts.title',
  'contacts.department',
  'contacts.reports_to_id',
  'contacts.phone',
  'contacts.mobile',
  'contacts.email',
  'contacts.wechat',
  'contacts.birthday',
  'contacts.notes',
  'contacts.archived_at',
  'contacts.created_at',
  'contacts.updated_at',
  'contacts.version',
  'accounts.name as account_name',
  'accounts.tier as account_tier',
  'accounts.owner_id as account_owner_id',
  'owner.name as account_owner_name',
] as const;

/** Contacts are visible exactly when their account is (policy.accountReach). */
export function visibleContacts(db: Kysely<Database>, actor: Actor) {
  return db
    .selectFrom('contacts')
    .innerJoin('accounts', (joinBuilder) =>
      joinBuilder
        .onRef('accounts.id', '=', 'contacts.account_id')
        .onRef('accounts.workspace_id', '=', 'contacts.workspace_id'),
    )
    .innerJoin('org_units', 'org_units.id', 'accounts.org_unit_id')
    .leftJoin('users as owner', (joinBuilder) =>
      joinBuilder.onRef('owner.id', '=', 'accounts.owner_id').onRef('owner.workspace_id', '=', 'accounts.workspace_id'),
    )
    .where('contacts.workspace_id', '=', actor.workspaceId)
    .where(accountsWithinReach(actor));
}

export interface ContactFilter {
  q?: string | undefined;
  accountId?: number | undefined;
  ownerId?: number | undefined;
  orgUnitId?: number | undefined;
  tier?: Tier | undefined;
  role?: BuyingRoleKind | undefined;
  hasPhone?: boolean | undefined;
  archived?: boolean | undefined;
}

/** The filtered, visible contacts: the list and its export read the same rows. */
export async function filteredContacts(db: Kysely<Database>, engine: Engine, actor: Actor, filter: ContactFilter) {
  let query = visibleContacts(db, actor);
  query = filter.archived
    ? query.where('contacts.archived_at', 'is not', null)
    : query.where('contacts.archived_at', 'is', null);
  if (filter.accountId !== undefined) query = query.where('contacts.account_id', '=', filter.accountId);
  if (filter.ownerId !== undefined) query = query.where('accounts.owner_id', '=', filter.ownerId);
  if (filter.orgUnitId !== undefined)
    query = query.where('org_units.path', 'like', await subtreePattern(db, actor.workspaceId, filter.orgUnitId));
  if (filter.tier) query = query.where('accounts.tier', '=', filter.tier);
  if (filter.hasPhone !== undefined) {
    query = filter.hasPhone
      ? query.where((eb) => eb.or([eb('contacts.mobile', 'is not', null), eb('contacts.phone', 'is not', null)]))
      : query.where('contacts.mobile', 'is', null).where('contacts.phone', 'is', null);
  }
  if (filter.role) {
    const role = filter.role;
    // A role on the account itself or on any of its deals; rights follow the account's.
    query = query.where('contacts.id', 'in', (eb) =>
      eb
        .selectFrom('buying_roles')
        .select('buying_roles.contact_id')
        .where('buying_roles.workspace_id', '=', actor.workspaceId)
        .where('buying_roles.role', '=', role),
    );
  }
  if (filter.q) {
    const needle = filter.q;
    const match = await prepareMatch(db, actor.workspaceId, needle);
    query = query.where((eb) =>
      eb.or([
        eb('contacts.id', 'in', candidateIds(eb, actor.workspaceId, match, 'c')),
        eb('contacts.account_id', 'in', candidateIds(eb, actor.workspaceId, match, 'a')),
      ]),
    );
    query = query.where((eb) =>
      eb.or(
        ['contacts.name', 'contacts.mobile', 'contacts.phone', 'contacts.email', 'contacts.title', 'accounts.name'].map(
          (c) => containsInsensitive(engine, eb.ref(c as 'contacts.name'), needle),
        ),
      ),
    );
  }
  return query;
}

export type ContactSort = 'name' | 'updatedAt' | 'accountName';

type ListFilter = ContactFilter & { limit: number; offset: number; sort: { column: ContactSort; desc: boolean } };

/** The list's page and its total: compiled once per shape, as the account list's. */
const listQueries = shapedQueries(
  async (db: Kysely<Database>, engine: Engine, actor: Actor, filter: ListFilter) => {
    const query = await filteredContacts(db, engine, actor, filter);
    // A capped count over a subtree reads the subtree's accounts unit by unit (scope.ts).
    const units = await countedSubtreeUnits(db, actor, filter.orgUnitId);
    const dir = filter.sort.desc ? 'desc' : 'asc';
    // Names in pinyin order on both engines (docs/DESIGN.md § Sorting names).
    const col =
      filter.sort.column === 'updatedAt'
        ? sql.ref('contacts.updated_at')
        : nameOrder(engine, sql.ref(filter.sort.column === 'accountName' ? 'accounts.name' : 'contacts.name'));
    return [
      query.select(contactColumns).orderBy(col, dir).orderBy('contacts.id').limit(filter.limit).offset(filter.offset),
      listTotalQuery(db, units ? query.where('accounts.org_unit_id', 'in', units) : query, countCapOf(actor)),
    ] as const;
  },
  // A text or a unit filter reads the search index or the unit while building: built afresh.
  (stand, engine, actor, filter) =>
    filter.q || filter.orgUnitId !== undefined
      ? null
      : [
          engine,
          standActor(stand, actor),
          {
            ...filter,
            accountId: stand(filter.accountId),
            ownerId: stand(filter.ownerId),
            limit: stand(filter.limit),
            offset: stand(filter.offset),
          },
        ],
);

export async function listContacts(db: Kysely<Database>, engine: Engine, actor: Actor, filter: ListFilter) {
  const [itemsQuery, totalQuery] = await listQueries(db, engine, actor, filter);
  const [items, total] = await Promise.all([db.executeQuery(itemsQuery), db.executeQuery(totalQuery)]);
  return { items: items.rows, ...listTotalOf(total.rows[0]!, countCapOf(actor)) };
}

export async function getContact(db: Kysely<Database>, actor: Actor, id: number) {
  return visibleContacts(db, actor).select(contactColumns).where('contacts.id', '=', id).executeTakeFirst();
}

export type ContactRow = NonNullable<Awaited<ReturnType<typeof getContact>>>;

/** reports_to of every contact of the account: the org chart, for cycle checks. */
export async function reportingLines(db: Kysely<Database>, workspaceId: number, accountId: number) {
  const rows = await db
    .selectFrom('contacts')
    .select(['id', 'reports_to_id'])
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', accountId)
    .execute();
  return new Map(rows.map((r) => [r.id, r.reports_to_id]));
}

const roleColumns = [
  'buying_roles.id',
  'buying_roles.account_id',
  'buying_roles.opportunity_id',
  'buying_roles.contact_id',
  'buying_roles.role',
  'buying_roles.attitude',
  'buying_roles.influence',
  'buying_roles.relationship',
  'buying_roles.holder_user_id',
  'buying_roles.notes',
  'buying_roles.created_at',
  'buying_roles.updated_at',
  'buying_roles.version',
  'contacts.name as contact_name',
  'holder.name as holder_name',
] as const;

/** Roles on one account: at account level (opportunityId null) or for one opportunity. */
export async function listRoles(
  db: Kysely<Database>,
  workspaceId: number,
  accountId: number,
  opportunityId: number | null,
) {
  let query = db
    .selectFrom('buying_roles')
    .innerJoin('contacts', 'contacts.id', 'buying_roles.contact_id')
    .leftJoin('users as holder', (joinBuilder) =>
      joinBuilder.onRef('holder.id', '=', 'buying_roles.holder_user_id').on('holder.workspace_id', '=', workspaceId),
    )
    .select(roleColumns)
    .where('buying_roles.workspace_id', '=', workspaceId)
    .where('buying_roles.account_id', '=', accountId);
  query =
    opportunityId === null
      ? query.where('buying_roles.opportunity_id', 'is', null)
      : query.where('buying_roles.opportunity_id', '=', opportunityId);
  return query.orderBy('buying_roles.id').execute();
}

export async function getRole(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('buying_roles')
    .innerJoin('contacts', 'contacts.id', 'buying_roles.contact_id')
    .leftJoin('users as holder', (joinBuilder) =>
      joinBuilder.onRef('holder.id', '=', 'buying_roles.holder_user_id').on('holder.workspace_id', '=', workspaceId),
    )
    .select(roleColumns)
    .where('buying_roles.workspace_id', '=', workspaceId)
    .where('buying_roles.id', '=', id)
    .executeTakeFirst();
}

export type RoleRow = NonNullable<Awaited<ReturnType<typeof getRole>>>;

export async function insertContact(db: Kysely<Database>, values: Insertable<ContactTable>): Promise<number> {
  return (await db.insertInto('contacts').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertRole(db: Kysely<Database>, values: Insertable<BuyingRoleTable>): Promise<number> {
  return (await db.insertInto('buying_roles').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function deleteRole(db: Kysely<Database>, workspaceId: number, id: number) {
  await db.deleteFrom('buying_roles').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** A role names a deal of the contact's own account. */
export async function opportunityOfAccount(
  db: Kysely<Database>,
  workspaceId: number,
  accountId: number,
  opportunityId: number,
) {
  return db
    .selectFrom('opportunities')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', accountId)
    .where('id', '=', opportunityId)
    .executeTakeFirst();
}

export async function activeUser(db: Kysely<Database>, workspaceId: number, userId: number) {
  return db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .where('active', '=', 1)
    .executeTakeFirst();
}
