import { sql, type Kysely } from 'kysely';
import type { Database, NewAccount } from '../../../db/schema.ts';
import { containsInsensitive, nameOrder, type Engine } from '../../../db/dialect.ts';
import type { Actor } from '../../../domain/policy.ts';
import type { Tier } from '../../../domain/accounts.ts';
import { localitySpellings } from '../../../domain/regions.ts';
import {
  accountsWithinReach,
  accountWithinReach,
  countCapOf,
  countedSubtreeUnits,
  onThisAccountTeam,
  standActor,
  subtreePattern,
} from '../../scope.ts';
import { listTotalOf, listTotalQuery } from '../../../db/counts.ts';
import { shapedQueries } from '../../../db/fixed-query.ts';
import { candidateIds, prepareMatch } from '../../search/shared.ts';

const accountColumns = [
  'accounts.id',
  'accounts.name',
  'accounts.credit_code',
  'accounts.industry',
  'accounts.province',
  'accounts.city',
  'accounts.district',
  'accounts.address',
  'accounts.size',
  'accounts.website',
  'accounts.phone',
  'accounts.lead_source',
  'accounts.referrer_account_id',
  'accounts.parent_account_id',
  'accounts.owner_id',
  'accounts.org_unit_id',
  'accounts.status',
  'accounts.tier',
  'accounts.tier_computed',
  'accounts.tier_override',
  'accounts.tier_override_reason',
  'accounts.value_type',
  'accounts.trailing_amount',
  'accounts.prior_amount',
  'accounts.named_account',
  'accounts.named_criteria',
  'accounts.in_pool',
  'accounts.pool_since',
  'accounts.last_follow_up_at',
  'accounts.notes',
  'accounts.archived_at',
  'accounts.created_at',
  'accounts.updated_at',
  'accounts.version',
  'org_units.name as org_unit_name',
  'org_units.path as unit_path',
  'owner.name as owner_name',
] as const;

/** Accounts the actor may see, joined to their unit (what the reach and the filters test). */
function accountsInReach(db: Kysely<Database>, actor: Actor, within = accountsWithinReach(actor)) {
  return db
    .selectFrom('accounts')
    .innerJoin('org_units', (joinBuilder) =>
      joinBuilder
        .onRef('org_units.id', '=', 'accounts.org_unit_id')
        .onRef('org_units.workspace_id', '=', 'accounts.workspace_id'),
    )
    .where(within);
}

/** The accounts' owners beside them: joined for the columns only, after the conditions. */
const withOwner = (query: ReturnType<typeof accountsInReach>) =>
  query.leftJoin('users as owner', (join) =>
    join.onRef('owner.id', '=', 'accounts.owner_id').onRef('owner.workspace_id', '=', 'accounts.workspace_id'),
  );

/** Accounts the actor may see, joined to their unit and owner. */
export function visibleAccounts(db: Kysely<Database>, actor: Actor) {
  return withOwner(accountsInReach(db, actor));
}

export type AccountSort = 'name' | 'updatedAt' | 'createdAt' | 'tier' | 'lastFollowUpAt' | 'trailingAmount';
const sortColumn = {
  name: 'accounts.name',
  updatedAt: 'accounts.updated_at',
  createdAt: 'accounts.created_at',
  tier: 'accounts.tier',
  lastFollowUpAt: 'accounts.last_follow_up_at',
  trailingAmount: 'accounts.trailing_amount',
} as const;

export interface AccountFilter {
  q?: string | undefined;
  ownerId?: number | undefined;
  orgUnitId?: number | undefined;
  tier?: Tier | undefined;
  status?: string | undefined;
  industry?: string | undefined;
  province?: string | undefined;
  city?: string | undefined;
  named?: boolean | undefined;
  inPool?: boolean | undefined;
  archived?: boolean | undefined;
  valueType?: string | undefined;
  /** Overdue for follow-up: last follow-up (or creation) before these instants, per tier. */
  overdueBefore?: Record<Tier, number> | undefined;
}

/** The filtered, visible accounts; shared by the list, the export and the counts. */
export async function filteredAccounts(db: Kysely<Database>, engine: Engine, actor: Actor, filter: AccountFilter) {
  return withOwner(await accountsFiltered(db, engine, actor, filter));
}

/** filteredAccounts without their owners, as the list counts them. */
async function accountsFiltered(db: Kysely<Database>, engine: Engine, actor: Actor, filter: AccountFilter) {
  let query = accountsInReach(db, actor);
  query = filter.archived
    ? query.where('accounts.archived_at', 'is not', null)
    : query.where('accounts.archived_at', 'is', null);
  if (filter.q) {
    const needle = filter.q;
    // The search index narrows to the accounts whose text, or a contact's, may hold the text;
    // the substring test below decides (docs/search.md).
    const match = await prepareMatch(db, actor.workspaceId, needle);
    query = query.where((eb) =>
      eb.or([
        eb('accounts.id', 'in', candidateIds(eb, actor.workspaceId, match, 'a')),
        eb(
          'accounts.id',
          'in',
          eb
            .selectFrom('contacts')
            .select('contacts.account_id')
            .where('contacts.workspace_id', '=', actor.workspaceId)
            .where('contacts.id', 'in', candidateIds(eb, actor.workspaceId, match, 'c')),
        ),
      ]),
    );
    query = query.where((eb) =>
      eb.or([
        containsInsensitive(engine, eb.ref('accounts.name'), needle),
        containsInsensitive(engine, eb.ref('accounts.credit_code'), needle),
        // Contacts too: typing a contact's name, phone, email or WeChat id finds their company.
        eb.exists(
          eb
            .selectFrom('contacts')
            .select(eb.lit(1).as('one'))
            .whereRef('contacts.account_id', '=', 'accounts.id')
            .where('contacts.workspace_id', '=', actor.workspaceId)
            .where((expressionBuilder) =>
              expressionBuilder.or([
                containsInsensitive(engine, expressionBuilder.ref('contacts.name'), needle),
                containsInsensitive(engine, expressionBuilder.ref('contacts.mobile'), needle),
                containsInsensitive(engine, expressionBuilder.ref('contacts.phone'), needle),
                containsInsensitive(engine, expressionBuilder.ref('contacts.email'), needle),
                containsInsensitive(engine, expressionBuilder.ref('contacts.wechat'), needle),
              ]),
            ),
        ),
      ]),
    );
  }
  if (filter.ownerId !== undefined) query = query.where('accounts.owner_id', '=', filter.ownerId);
  if (filter.orgUnitId !== undefined) {
    query = query.where('org_units.path', 'like', await subtreePattern(db, actor.workspaceId, filter.orgUnitId));
  }
  if (filter.tier) query = query.where('accounts.tier', '=', filter.tier);
  if (filter.status) query = query.where('accounts.status', '=', filter.status);
  if (filter.industry) query = query.where('accounts.industry', '=', filter.industry);
  if (filter.province) query = query.where('accounts.province', '=', filter.province);
  // Cities are stored as typed (苏州, 苏州市): match every spelling of the same place, as territories do.
  const cities = filter.city ? localitySpellings(filter.city) : [];
  if (cities.length) query = query.where('accounts.city', 'in', cities);
  if (filter.valueType) query = query.where('accounts.value_type', '=', filter.valueType);
  if (filter.named !== undefined) query = query.where('accounts.named_account', '=', filter.named ? 1 : 0);
  if (filter.inPool !== undefined) query = query.where('accounts.in_pool', '=', filter.inPool ? 1 : 0);
  if (filter.overdueBefore) {
    const before = filter.overdueBefore;
    query = query.where((eb) =>
      eb.or(
        (['A', 'B', 'C'] as const).map((tier) =>
          eb.and([
            eb('accounts.tier', '=', tier),
            eb(eb.fn.coalesce('accounts.last_follow_up_at', 'accounts.created_at'), '<', before[tier]),
          ]),
        ),
      ),
    );
  }
  return query;
}

type ListFilter = AccountFilter & { limit: number; offset: number; sort: { column: AccountSort; desc: boolean } };

/** The list's page and its total: compiled once per shape (a desk card). */
const listQueries = shapedQueries(
  async (db: Kysely<Database>, engine: Engine, actor: Actor, filter: ListFilter) => {
    // Counted without the owners: with that join in it PostgreSQL scanned the table for the
    // admin's capped count, not accounts_ws_unit_archived alone (12–113 → 1.5–2.6 ms, README).
    const counted = await accountsFiltered(db, engine, actor, filter);
    const query = withOwner(counted);
    // A capped count over a subtree reads the subtree's accounts unit by unit (scope.ts).
    const units = await countedSubtreeUnits(db, actor, filter.orgUnitId);
    return [
      query
        .select(accountColumns)
        .orderBy(
          filter.sort.column === 'name'
            ? nameOrder(engine, sql.ref('accounts.name'))
            : sql.ref(sortColumn[filter.sort.column]),
          filter.sort.desc ? 'desc' : 'asc',
        )
        .orderBy('accounts.id', filter.sort.desc ? 'desc' : 'asc')
        .limit(filter.limit)
        .offset(filter.offset),
      listTotalQuery(db, units ? counted.where('accounts.org_unit_id', 'in', units) : counted, countCapOf(actor)),
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
            ownerId: stand(filter.ownerId),
            overdueBefore: filter.overdueBefore && {
              A: stand(filter.overdueBefore.A),
              B: stand(filter.overdueBefore.B),
              C: stand(filter.overdueBefore.C),
            },
            limit: stand(filter.limit),
            offset: stand(filter.offset),
          },
        ],
);

export async function listAccounts(db: Kysely<Database>, engine: Engine, actor: Actor, filter: ListFilter) {
  const [itemsQuery, totalQuery] = await listQueries(db, engine, actor, filter);
  const [items, total] = await Promise.all([db.executeQuery(itemsQuery), db.executeQuery(totalQuery)]);
  return { items: items.rows, ...listTotalOf(total.rows[0]!, countCapOf(actor)) };
}

/**
 * One visible account: compiled once per shape (src/db/fixed-query.ts, shapedQueries). Every
 * page of an account and its timeline read it first, and building its 37 columns in Kysely cost
 * more than SQLite took to answer it.
 */
const accountQuery = shapedQueries(
  (db: Kysely<Database>, actor: Actor, id: number) =>
    [
      // The reach tested on this account's row, not by listing the actor's (scope.ts).
      withOwner(accountsInReach(db, actor, accountWithinReach(actor)))
        .select(accountColumns)
        .select((eb) => onThisAccountTeam(eb as never, actor).as('on_team'))
        .where('accounts.id', '=', id),
    ] as const,
  (stand, actor, id) => [standActor(stand, actor), stand(id)],
  // An account by its key: PostgreSQL planned it in 0.5–1.1 ms and ran it in 0.1 (an admin's, a
  // manager's); its generic plan reads the key as well.
  { genericPlan: () => true },
);

export async function getAccount(db: Kysely<Database>, actor: Actor, id: number) {
  const [query] = await accountQuery(db, actor, id);
  return (await db.executeQuery(query)).rows[0];
}

export type AccountRow = NonNullable<Awaited<ReturnType<typeof getAccount>>>;
export type AccountListRow = Awaited<ReturnType<typeof listAccounts>>['items'][number];

export async function creditCodeOwner(db: Kysely<Database>, workspaceId: number, code: string, exceptId?: number) {
  let query = db
    .selectFrom('accounts')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('credit_code', '=', code);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return query.executeTakeFirst();
}

/**
 * Candidates for a duplicate warning: accounts of the whole workspace sharing a character
 * pair with the name key. The caller scores them; visibility decides what it may show.
 */
export async function similarNameCandidates(db: Kysely<Database>, workspaceId: number, key: string, exceptId?: number) {
  const pairs = new Set<string>();
  for (let i = 0; i + 2 <= key.length && pairs.size < 4; i += Math.max(1, Math.floor(key.length / 4)))
    pairs.add(key.slice(i, i + 2));
  if (pairs.size === 0) pairs.add(key);
  let query = db
    .selectFrom('accounts')
    .select(['id', 'name', 'name_key', 'owner_id', 'credit_code'])
    .where('workspace_id', '=', workspaceId)
    .where('archived_at', 'is', null)
    .where((eb) => eb.or([...pairs].map((p) => eb('name_key', 'like', `%${p}%`))));
  if (exceptId) query = query.where('id', '!=', exceptId);
  return query.limit(500).execute();
}

export async function insertAccount(db: Kysely<Database>, values: NewAccount): Promise<number> {
  const row = await db.insertInto('accounts').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The contacts of a page's accounts: compiled once per page length (every account list and desk card asks). */
const contactCountQuery = shapedQueries(
  (db: Kysely<Database>, workspaceId: number, accountIds: number[]) =>
    [
      db
        .selectFrom('contacts')
        .select(['account_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('workspace_id', '=', workspaceId)
        .where('account_id', 'in', accountIds)
        .where('archived_at', 'is', null)
        .groupBy('account_id'),
    ] as const,
  (stand, workspaceId, accountIds) => [stand(workspaceId), accountIds.map(stand)],
);

export async function contactCounts(db: Kysely<Database>, workspaceId: number, accountIds: number[]) {
  if (accountIds.length === 0) return new Map<number, number>();
  const [query] = await contactCountQuery(db, workspaceId, accountIds);
  const { rows } = await db.executeQuery(query);
  return new Map(rows.map((r) => [r.account_id, Number(r.n)]));
}

/** The ids of the list's rows under a filter, oldest first, at most `limit`: a bulk action's "all N matching". */
export async function matchingAccountIds(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: AccountFilter,
  limit: number,
) {
  const query = await filteredAccounts(db, engine, actor, filter);
  const rows = await query.select('accounts.id').orderBy('accounts.id').limit(limit).execute();
  return rows.map((row) => row.id);
}

/** The selected accounts the actor may see, with what decides whether they may change hands (one batch of ids). */
export async function bulkCandidates(db: Kysely<Database>, actor: Actor, ids: number[]) {
  return visibleAccounts(db, actor)
    .select([
      'accounts.id',
      'accounts.owner_id',
      'accounts.in_pool',
      'accounts.archived_at',
      'org_units.path as unit_path',
    ])
    .where('accounts.id', 'in', ids)
    .execute();
}

/** Gives one batch of accounts to a new owner and unit, bumping their versions. */
export async function reassignAccounts(
  db: Kysely<Database>,
  workspaceId: number,
  ids: number[],
  owner: { id: number; unitId: number },
  now: number,
) {
  await db
    .updateTable('accounts')
    .set((eb) => ({ owner_id: owner.id, org_unit_id: owner.unitId, updated_at: now, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
}
