import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Engine } from '../../db/dialect.ts';
import type { Actor } from '../../domain/policy.ts';
import { listTotal } from '../../db/counts.ts';
import { filteredAccounts, visibleAccounts, type AccountFilter } from '../accounts/repository/accounts.ts';
import { filteredContacts, visibleContacts, type ContactFilter } from '../contacts/repository.ts';

export type { ContactFilter };
import { filteredOpportunities, type OpportunityFilter } from '../opportunities/repository/list.ts';
import { visibleOpportunities } from '../opportunities/repository/visible.ts';

/** Queries of the export: the list's own filters and scope, read page by page (keyset on id). */

export async function workspaceTimeZone(db: Kysely<Database>, workspaceId: number) {
  const row = await db.selectFrom('workspaces').select('time_zone').where('id', '=', workspaceId).executeTakeFirst();
  return row?.time_zone ?? 'Asia/Shanghai';
}

const accountExportColumns = [
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
  'accounts.status',
  'accounts.tier',
  'accounts.in_pool',
  'accounts.last_follow_up_at',
  'accounts.created_at',
  'accounts.notes',
  'owner.name as owner_name',
  'owner.email as owner_email',
  'org_units.name as unit_name',
] as const;

/**
 * A selection (`ids`) narrows the list's filters further; the caller checked the ids are within sight
 * (selectionInSight), and at most BULK_LIMIT of them bind in one statement.
 */
type Selection = readonly number[] | undefined;

export async function accountPage(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: AccountFilter,
  afterId: number,
  limit: number,
  ids?: Selection,
) {
  let query = await filteredAccounts(db, engine, actor, filter);
  if (ids) query = query.where('accounts.id', 'in', ids);
  return query
    .select(accountExportColumns)
    .where('accounts.id', '>', afterId)
    .orderBy('accounts.id')
    .limit(limit)
    .execute();
}
export type AccountExportRow = Awaited<ReturnType<typeof accountPage>>[number];

export async function contactPage(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: ContactFilter,
  afterId: number,
  limit: number,
  ids?: Selection,
) {
  let query = await filteredContacts(db, engine, actor, filter);
  if (ids) query = query.where('contacts.id', 'in', ids);
  return (
    query
      // The manager by name, as the contacts import reads the column back.
      .leftJoin('contacts as boss', (joinBuilder) =>
        joinBuilder
          .onRef('boss.id', '=', 'contacts.reports_to_id')
          .onRef('boss.workspace_id', '=', 'contacts.workspace_id'),
      )
      .select([
        'contacts.id',
        'contacts.name',
        'contacts.title',
        'contacts.department',
        'boss.name as reports_to_name',
        'contacts.mobile',
        'contacts.phone',
        'contacts.email',
        'contacts.wechat',
        'contacts.birthday',
        'contacts.notes',
        'accounts.name as account_name',
        'accounts.credit_code as account_credit_code',
      ])
      .where('contacts.id', '>', afterId)
      .orderBy('contacts.id')
      .limit(limit)
      .execute()
  );
}
export type ContactExportRow = Awaited<ReturnType<typeof contactPage>>[number];

/** One page of the opportunity list with every name joined in the same statement. */
export async function opportunityPage(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  filter: OpportunityFilter,
  afterId: number,
  limit: number,
  ids?: Selection,
) {
  let query = await filteredOpportunities(db, engine, actor, filter);
  if (ids) query = query.where('opportunities.id', 'in', ids);
  return query
    .select([
      'opportunities.id',
      'opportunities.name',
      'opportunities.amount',
      'opportunities.status',
      'opportunities.expected_close_date',
      'opportunities.closed_at',
      'opportunities.forecast_category',
      'opportunities.buying_phase',
      'opportunities.stage_entered_at',
      'opportunities.close_reason',
      'opportunities.created_at',
      'accounts.name as account_name',
      'process.name as process_name',
      'stage.name as stage_name',
      'stage.probability as stage_probability',
      'owner.name as owner_name',
      'org_units.name as unit_name',
    ])
    .where('opportunities.id', '>', afterId)
    .orderBy('opportunities.id')
    .limit(limit)
    .execute();
}
export type OpportunityExportRow = Awaited<ReturnType<typeof opportunityPage>>[number];

export type SelectionArea = 'accounts' | 'contacts' | 'opportunities';

/** What an export counts: its area, the caller, the list's filter and the selection. Plain data (it crosses to the job worker). */
export type ExportCount =
  | { area: 'accounts'; actor: Actor; filter: AccountFilter; ids?: number[] | undefined }
  | { area: 'contacts'; actor: Actor; filter: ContactFilter; ids?: number[] | undefined }
  | { area: 'opportunities'; actor: Actor; filter: OpportunityFilter; ids?: number[] | undefined };

/** The rows an export writes, counted up to `cap` (null: exactly). */
export async function exportRows(db: Kysely<Database>, engine: Engine, count: ExportCount, cap: number | null) {
  const { actor, ids } = count;
  if (count.area === 'accounts') {
    let query = await filteredAccounts(db, engine, actor, count.filter);
    if (ids) query = query.where('accounts.id', 'in', ids);
    return listTotal(db, query, cap);
  }
  if (count.area === 'contacts') {
    let query = await filteredContacts(db, engine, actor, count.filter);
    if (ids) query = query.where('contacts.id', 'in', ids);
    return listTotal(db, query, cap);
  }
  let query = await filteredOpportunities(db, engine, actor, count.filter);
  if (ids) query = query.where('opportunities.id', 'in', ids);
  return listTotal(db, query, cap);
}

/** Which of one batch of selected ids the actor may see (an export of a selection checks them first). */
export function visibleIds(db: Kysely<Database>, actor: Actor, area: SelectionArea, ids: number[]) {
  if (area === 'contacts')
    return visibleContacts(db, actor).select('contacts.id').where('contacts.id', 'in', ids).execute();
  return area === 'accounts'
    ? visibleAccounts(db, actor).select('accounts.id').where('accounts.id', 'in', ids).execute()
    : visibleOpportunities(db, actor).select('opportunities.id').where('opportunities.id', 'in', ids).execute();
}
