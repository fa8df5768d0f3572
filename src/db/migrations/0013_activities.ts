import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { idColumn, idColumnType, instantType, type Engine } from '../dialect.ts';

/**
 * Activities (docs/rhythm.md): visits, calls, meetings … planned or done, against an account,
 * with optional contacts and deal; a visit may carry a plan and, after it, a review (one row
 * of visit_plans). Files attach to an activity as they attach to a deal.
 *
 * accounts.follow_up_base_at keeps the last follow-up known without an activity behind it
 * (loaded or imported data, and whatever an account had before this version): when the newest
 * qualifying activity is removed, the account falls back to the newer of that and the next
 * activity, instead of forgetting a follow-up nobody recorded as an activity.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('activities')
    .addColumn('id', idColumnType(engine), idColumn(engine))
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('opportunity_id', 'integer', (c) => c.references('opportunities.id'))
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('start_at', instantType, (c) => c.notNull())
    .addColumn('end_at', instantType)
    .addColumn('subject', 'text')
    .addColumn('notes', 'text')
    .addColumn('outcome', 'text')
    .addColumn('location', 'text')
    .addColumn('archived_at', instantType)
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // The account's newest qualifying activity (follow-up fallback) and its timeline; one rep's
  // activities by time (lists "mine", the desk, the callback sample); one deal's; a workspace's by time.
  await db.schema
    .createIndex('activities_account_start')
    .on('activities')
    .columns(['account_id', 'start_at'])
    .execute();
  await db.schema
    .createIndex('activities_ws_owner_start')
    .on('activities')
    .columns(['workspace_id', 'owner_id', 'start_at'])
    .execute();
  await db.schema
    .createIndex('activities_ws_opportunity')
    .on('activities')
    .columns(['workspace_id', 'opportunity_id'])
    .where(sql.ref('opportunity_id'), 'is not', null)
    .execute();
  await db.schema.createIndex('activities_ws_start').on('activities').columns(['workspace_id', 'start_at']).execute();

  await db.schema
    .createTable('activity_contacts')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('contact_id', 'integer', (c) => c.notNull().references('contacts.id'))
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id'))
    .addPrimaryKeyConstraint('activity_contacts_pk', ['activity_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('activity_contacts_contact').on('activity_contacts').columns(['contact_id']).execute();

  await db.schema
    .createTable('visit_plans')
    .addColumn('activity_id', 'integer', (c) => c.primaryKey().references('activities.id').onDelete('cascade'))
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id'))
    .addColumn('planned_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('objective_count', 'integer', (c) => c.notNull())
    .addColumn('review', 'text')
    .addColumn('achieved', 'integer')
    .addColumn('partly', 'integer')
    .addColumn('missed', 'integer')
    .addColumn('reviewed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('reviewed_at', instantType)
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable('attachments')
    .addColumn('activity_id', 'integer', (c) => c.references('activities.id'))
    .execute();
  await db.schema
    .createIndex('attachments_ws_activity')
    .on('attachments')
    .columns(['workspace_id', 'activity_id'])
    .execute();

  await db.schema.alterTable('accounts').addColumn('follow_up_base_at', instantType).execute();
  await sql`update accounts set follow_up_base_at = last_follow_up_at where last_follow_up_at is not null`.execute(db);
}
