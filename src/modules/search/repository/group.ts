import {
  sql,
  type AliasedRawBuilder,
  type Expression,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
} from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Engine } from '../../../db/dialect.ts';
import { accountReach, type Actor } from '../../../domain/policy.ts';
import { accountsWithinReach, opportunitiesWithinReach, opportunityWithinReach } from '../../scope.ts';
import type { SearchKind } from './match.ts';
import { SEARCHED, sortKeyOf } from '../../../db/migrations/0018_search_index.ts';

/**
 * The three groups of the global search, each as what every plan (repository/plan.ts) needs:
 * its rows in the caller's reach, the columns it answers with, what is searched, its order.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a group's query, whatever it joins
export type AnyQuery = SelectQueryBuilder<any, any, any>;

export interface Group {
  table: 'accounts' | 'contacts' | 'opportunities';
  kinds: { text: SearchKind; initials: SearchKind };
  /** The searched columns: a row matches when one of them contains the text. */
  columns: readonly string[];
  id: RawBuilder<number>;
  name: RawBuilder<string>;
  /** Open deals before closed ones (opportunities only; 0 for open). */
  openFirst: boolean;
  openKey: RawBuilder<number>;
  /** The row's sort key, exactly as the search index's triggers write it (migration 0034). */
  sortKey: RawBuilder<number>;
  /** The caller's reach as a subtree's path (a manager), else null. */
  subtree: string | null;
  /**
   * The group's rows in the caller's reach, archived ones left out; no match condition yet.
   * `lead`: what is read first, the rest joined in the order written — `table`, the searched
   * table (the row walk, in its index's order); `grams`, a gram's list of the search index as
   * `g` (the index walk, in the index's order), each entry's record looked up.
   */
  base(from: Kysely<Database>, lead?: Lead, reach?: Reach): AnyQuery;
  /** The columns the answer shows. */
  shown(query: AnyQuery): AnyQuery;
}

/**
 * How a rep's or presales' reach of deals is tested: `listed`, their deals listed once (owned ∪
 * team) and the rows matched against the list — for plans that read those rows; `row`, on each
 * deal's own row (its owner, its team row for them: opportunityWithinReach) — for plans driven
 * by the candidates, which are looked up one by one anyway. Joined to the listed reach,
 * PostgreSQL took its guess of one candidate and rescanned the list for each of them (a rep's
 * "华锐": 660 candidates × 495 deals, 113 ms). The same for every other reach.
 */
export type Reach = 'listed' | 'row';

type Pair = [string, string];
/** What is read first: the table, the search index as `g`, or a part of the index's rows as `g`. */
export type Lead = 'table' | 'grams' | AliasedRawBuilder<unknown, 'g'>;

/** The searched table, or (lead `grams` or a part of them) the search index's `g` and the table looked up from it. */
function start(from: Kysely<Database>, table: Group['table'], lead: Lead | undefined): AnyQuery {
  if (lead === undefined || lead === 'table') return from.selectFrom(table);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a part of the index's rows, whatever it selects
  const grams = lead === 'grams' ? 'search_grams as g' : (lead as AliasedRawBuilder<any, 'g'>);
  return (from.selectFrom(grams) as AnyQuery)
    .crossJoin(table)
    .whereRef(`${table}.id`, '=', 'g.record_id')
    .whereRef(`${table}.workspace_id`, '=', 'g.workspace_id');
}

const keyOf = (table: Group['table']) =>
  sql<number>`${sql.raw(
    sortKeyOf(
      SEARCHED.find((spec) => spec.table === table)!,
      table,
    ),
  )}`;

/**
 * Joins `table` on the two pairs of columns. With a `lead`: as a CROSS JOIN with the pairs in
 * WHERE — the same rows, but SQLite then keeps the tables in the order written (its documented
 * way to fix a join order): walking the deals it read the accounts first, by another index,
 * and sorted all their deals (a million for "mes").
 */
function joined(
  query: AnyQuery,
  lead: Lead | undefined,
  table: 'accounts' | 'org_units',
  first: Pair,
  second: Pair,
): AnyQuery {
  if (lead) return query.crossJoin(table).whereRef(first[0], '=', first[1]).whereRef(second[0], '=', second[1]);
  return query.innerJoin(table, (joinBuilder) =>
    joinBuilder.onRef(first[0], '=', first[1]).onRef(second[0], '=', second[1]),
  );
}

const subtreeOf = (actor: Actor) => {
  const reach = accountReach(actor);
  return reach.kind === 'subtree' ? reach.path : null;
};

/**
 * For a subtree's reach (a manager): the index entry's unit (migration 0043) is one of the
 * subtree's — the reach's own test, made on the index alone, so entries out of reach are passed
 * over without their records being looked up (the records are still tested: this only narrows).
 * Null for any other reach: the workspace's takes every entry, and a rep's or presales' plan
 * reads their own rows. The units are read once: on PostgreSQL as an array (an `in` subquery
 * may be planned as a join that reads the grams' list whole before the LIMIT).
 */
export function inSubtreeUnits(
  engine: Engine,
  workspaceId: number,
  group: Group,
  unitId: Expression<number>,
): RawBuilder<SqlBool> | null {
  if (group.subtree === null) return null;
  const units = sql`select id from org_units where workspace_id = ${workspaceId} and path like ${`${group.subtree}%`}`;
  return engine === 'postgres' ? sql<SqlBool>`${unitId} = any(array(${units}))` : sql<SqlBool>`${unitId} in (${units})`;
}

const OPEN_KEY = sql<number>`case when opportunities.status = 'open' then 0 else 1 end`;

export function accountsGroup(actor: Actor): Group {
  return {
    table: 'accounts',
    kinds: { text: 'a', initials: 'ap' },
    columns: ['accounts.name', 'accounts.credit_code'],
    id: sql.ref('accounts.id'),
    name: sql.ref('accounts.name'),
    openFirst: false,
    openKey: sql<number>`0`,
    sortKey: keyOf('accounts'),
    subtree: subtreeOf(actor),
    base: (from, lead) =>
      joined(
        start(from, 'accounts', lead),
        lead,
        'org_units',
        ['org_units.id', 'accounts.org_unit_id'],
        ['org_units.workspace_id', 'accounts.workspace_id'],
      )
        .where(accountsWithinReach(actor))
        .where('accounts.archived_at', 'is', null),
    shown: (query) =>
      query
        .leftJoin('users as owner', (joinBuilder) =>
          joinBuilder
            .onRef('owner.id', '=', 'accounts.owner_id')
            .onRef('owner.workspace_id', '=', 'accounts.workspace_id'),
        )
        .select([
          'accounts.id',
          'accounts.name',
          'accounts.city',
          'accounts.tier',
          'accounts.in_pool',
          'owner.name as owner_name',
        ]),
  };
}

export function contactsGroup(actor: Actor): Group {
  return {
    table: 'contacts',
    kinds: { text: 'c', initials: 'cp' },
    columns: [
      'contacts.name',
      'contacts.mobile',
      'contacts.phone',
      'contacts.email',
      'contacts.title',
      'contacts.wechat',
    ],
    id: sql.ref('contacts.id'),
    name: sql.ref('contacts.name'),
    openFirst: false,
    openKey: sql<number>`0`,
    sortKey: keyOf('contacts'),
    subtree: subtreeOf(actor),
    base: (from, lead) =>
      joined(
        joined(
          start(from, 'contacts', lead),
          lead,
          'accounts',
          ['accounts.id', 'contacts.account_id'],
          ['accounts.workspace_id', 'contacts.workspace_id'],
        ),
        lead,
        'org_units',
        ['org_units.id', 'accounts.org_unit_id'],
        ['org_units.workspace_id', 'accounts.workspace_id'],
      )
        .where('contacts.workspace_id', '=', actor.workspaceId)
        .where(accountsWithinReach(actor))
        .where('contacts.archived_at', 'is', null)
        .where('accounts.archived_at', 'is', null),
    shown: (query) =>
      query.select([
        'contacts.id',
        'contacts.name',
        'contacts.title',
        'contacts.account_id',
        'accounts.name as account_name',
      ]),
  };
}

export function opportunitiesGroup(actor: Actor): Group {
  return {
    table: 'opportunities',
    kinds: { text: 'o', initials: 'op' },
    columns: ['opportunities.name'],
    id: sql.ref('opportunities.id'),
    name: sql.ref('opportunities.name'),
    // Open deals first: those are the ones worked on.
    openFirst: true,
    openKey: OPEN_KEY,
    sortKey: keyOf('opportunities'),
    subtree: subtreeOf(actor),
    base: (from, lead, reach = 'listed') =>
      joined(
        joined(
          start(from, 'opportunities', lead),
          lead,
          'accounts',
          ['accounts.id', 'opportunities.account_id'],
          ['accounts.workspace_id', 'opportunities.workspace_id'],
        ),
        lead,
        'org_units',
        ['org_units.id', 'opportunities.org_unit_id'],
        ['org_units.workspace_id', 'opportunities.workspace_id'],
      ).where(reach === 'row' ? opportunityWithinReach(actor) : opportunitiesWithinReach(actor)),
    shown: (query) =>
      query.select([
        'opportunities.id',
        'opportunities.name',
        'opportunities.account_id',
        'accounts.name as account_name',
        'opportunities.status',
        'opportunities.amount',
      ]),
  };
}
