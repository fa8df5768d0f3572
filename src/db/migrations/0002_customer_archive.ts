import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { idColumn, idColumnType, instantType, type Engine } from '../dialect.ts';

/**
 * The customer archive (docs/archive.md): accounts, key-account profiles, contacts, buying roles,
 * the generic change history, saved views, territories, handovers, scheduler leases,
 * imports. One migration so later areas can build on a settled schema.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const id = idColumnType(engine);
  const pk = idColumn(engine);
  const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id');

  // Per-workspace settings (tier thresholds, pool and cadence rules…) as JSON over defaults in domain/.
  await db.schema
    .alterTable('workspaces')
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();

  await db.schema
    .createTable('accounts')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('name', 'text', (c) => c.notNull())
    /** Name without legal-form words and punctuation, for duplicate warnings. */
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('credit_code', 'text')
    .addColumn('industry', 'text')
    .addColumn('province', 'text')
    .addColumn('city', 'text')
    .addColumn('district', 'text')
    .addColumn('address', 'text')
    .addColumn('size', 'text')
    .addColumn('website', 'text')
    .addColumn('phone', 'text')
    .addColumn('lead_source', 'text')
    .addColumn('referrer_account_id', 'integer')
    .addColumn('owner_id', 'integer', (c) => c.references('users.id'))
    /** The unit the account belongs to: the owner's unit, or the unit whose pool holds it. */
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('prospect'))
    .addColumn('tier', 'text', (c) => c.notNull().defaultTo('C'))
    .addColumn('tier_computed', 'text', (c) => c.notNull().defaultTo('C'))
    .addColumn('tier_override', 'text')
    .addColumn('tier_override_reason', 'text')
    .addColumn('value_type', 'text')
    .addColumn('trailing_amount', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('prior_amount', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('tier_computed_at', instantType)
    .addColumn('named_account', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('named_criteria', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('in_pool', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pool_since', instantType)
    .addColumn('last_follow_up_at', instantType)
    .addColumn('notes', 'text')
    .addColumn('archived_at', instantType)
    .addColumn('created_by', 'integer')
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('accounts_ws_credit')
    .on('accounts')
    .columns(['workspace_id', 'credit_code'])
    .unique()
    .execute();
  await db.schema.createIndex('accounts_ws_owner').on('accounts').columns(['workspace_id', 'owner_id']).execute();
  await db.schema.createIndex('accounts_ws_unit').on('accounts').columns(['workspace_id', 'org_unit_id']).execute();
  await db.schema.createIndex('accounts_ws_name_key').on('accounts').columns(['workspace_id', 'name_key']).execute();
  await db.schema.createIndex('accounts_ws_updated').on('accounts').columns(['workspace_id', 'updated_at']).execute();
  await db.schema
    .createIndex('accounts_ws_pool')
    .on('accounts')
    .columns(['workspace_id', 'in_pool', 'org_unit_id'])
    .execute();

  await db.schema
    .createTable('account_profiles')
    .addColumn('account_id', 'integer', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('business_overview', 'text')
    .addColumn('organisation', 'text')
    .addColumn('decision_process', 'text')
    .addColumn('budget_cycle', 'text')
    .addColumn('installed_base_ours', 'text')
    .addColumn('installed_base_competitors', 'text')
    .addColumn('relationship_history', 'text')
    .addColumn('plan_objectives', 'text')
    .addColumn('plan_relationships', 'text')
    .addColumn('plan_resources', 'text')
    .addColumn('plan_review_date', 'text')
    .addColumn('updated_by', 'integer')
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('department', 'text')
    .addColumn('reports_to_id', 'integer', (c) => c.references('contacts.id'))
    .addColumn('phone', 'text')
    .addColumn('mobile', 'text')
    .addColumn('email', 'text')
    .addColumn('wechat', 'text')
    .addColumn('birthday', 'text')
    .addColumn('notes', 'text')
    .addColumn('archived_at', instantType)
    .addColumn('created_by', 'integer')
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('contacts_ws_account').on('contacts').columns(['workspace_id', 'account_id']).execute();

  // The opportunity core: enough for the ABC tiers (won amounts) and for team visibility
  // (docs/organisation.md: reps and presales see what they are on the team of). The sales process,
  // stages and the rest of docs/sales-process.md § The opportunity extend these tables in their own migration.
  await db.schema
    .createTable('opportunities')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('amount', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('expected_close_date', 'text')
    .addColumn('closed_at', instantType)
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('opportunities_ws_account')
    .on('opportunities')
    .columns(['workspace_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('opportunities_ws_owner')
    .on('opportunities')
    .columns(['workspace_id', 'owner_id'])
    .execute();
  await db.schema
    .createIndex('opportunities_ws_status_closed')
    .on('opportunities')
    .columns(['workspace_id', 'status', 'closed_at'])
    .execute();

  await db.schema
    .createTable('opportunity_team')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('opportunity_id', 'integer', (c) => c.notNull().references('opportunities.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('team_role', 'text', (c) => c.notNull())
    .addColumn('created_at', instantType, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('opportunity_team_opp_user')
    .on('opportunity_team')
    .columns(['opportunity_id', 'user_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('opportunity_team_ws_user')
    .on('opportunity_team')
    .columns(['workspace_id', 'user_id'])
    .execute();

  // Buying roles (docs/archive.md § Buying roles): per opportunity when opportunity_id is set, else at account level.
  await db.schema
    .createTable('buying_roles')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('opportunity_id', 'integer')
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('attitude', 'text', (c) => c.notNull().defaultTo('neutral'))
    .addColumn('influence', 'text', (c) => c.notNull().defaultTo('medium'))
    .addColumn('relationship', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('holder_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('notes', 'text')
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('buying_roles_ws_account')
    .on('buying_roles')
    .columns(['workspace_id', 'account_id', 'opportunity_id'])
    .execute();
  await db.schema
    .createIndex('buying_roles_ws_contact')
    .on('buying_roles')
    .columns(['workspace_id', 'contact_id'])
    .execute();

  // Changes to owner, tier (and later stage, amount, close date, forecast category): docs/method.md.
  await db.schema
    .createTable('record_history')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    /** Why: free text, or a code such as pool_release, pool_claim, handover, territory. */
    .addColumn('reason', 'text')
    .addColumn('actor_user_id', 'integer')
    .addColumn('created_at', instantType, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('history_ws_entity')
    .on('record_history')
    .columns(['workspace_id', 'entity_type', 'entity_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('history_ws_field_time')
    .on('record_history')
    .columns(['workspace_id', 'field', 'created_at'])
    .execute();

  await db.schema
    .createTable('saved_views')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('saved_views_ws_user')
    .on('saved_views')
    .columns(['workspace_id', 'user_id', 'area'])
    .execute();

  await db.schema
    .createTable('territory_rules')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('name', 'text')
    .addColumn('province', 'text')
    .addColumn('city', 'text')
    .addColumn('district', 'text')
    .addColumn('industry', 'text')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('territory_rules_ws')
    .on('territory_rules')
    .columns(['workspace_id', 'province'])
    .execute();

  await db.schema
    .createTable('handovers')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('from_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('completed_at', instantType)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('handovers_ws_from').on('handovers').columns(['workspace_id', 'from_user_id']).execute();

  await db.schema
    .createTable('handover_items')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('handover_id', 'integer', (c) => c.notNull().references('handovers.id'))
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('to_user_id', 'integer', (c) => c.references('users.id'))
    /** Per key account: state, open issues, key contacts (JSON). */
    .addColumn('note', 'text')
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('handover_items_ws_handover')
    .on('handover_items')
    .columns(['workspace_id', 'handover_id'])
    .execute();

  // One row per periodic job: a lease taken with a conditional UPDATE, so among several
  // server processes exactly one runs it.
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('locked_until', instantType, (c) => c.notNull().defaultTo(0))
    .addColumn('locked_by', 'text')
    .addColumn('last_run_at', instantType)
    .addColumn('last_result', 'text')
    .execute();

  await db.schema
    .createTable('import_jobs')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('mapping', 'text')
    .addColumn('duplicate_mode', 'text')
    .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('report', 'text')
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('import_jobs_ws_user').on('import_jobs').columns(['workspace_id', 'user_id']).execute();

  await db.schema
    .createTable('import_rows')
    .addColumn('job_id', 'integer', (c) => c.notNull().references('import_jobs.id'))
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('import_rows_pk', ['job_id', 'row_no'])
    .execute();

  await db.schema
    .createTable('import_mappings')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('import_mappings_ws_user_kind')
    .on('import_mappings')
    .columns(['workspace_id', 'user_id', 'kind'])
    .unique()
    .execute();
}
