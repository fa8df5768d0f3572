import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { idColumn, idColumnType, instantType, type Engine } from '../dialect.ts';

/**
 * The follow-up rhythm (docs/rhythm.md): tasks, the in-app notifications, the 1-15-30
 * checkpoint reviews (the checkpoints themselves are derived from the opportunity, only what
 * was done is stored), weekly plans and summaries with their comments, the callback audit and
 * the per-user calendar feed tokens.
 *
 * Activities (migration 0013) may not exist yet when this runs on an older branch, so the
 * activity references here are plain integers the services check.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const id = idColumnType(engine);
  const pk = idColumn(engine);
  const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id');
  const user = (c: ColumnDefinitionBuilder) => c.notNull().references('users.id');

  await db.schema
    .createTable('tasks')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('assignee_id', 'integer', user)
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    /** Calendar date in the workspace zone (YYYY-MM-DD). */
    .addColumn('due_date', 'text', (c) => c.notNull())
    /** open | done | cancelled */
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    /** manual | visit_review | checkpoint | callback */
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    /** What generated the task, so a generator run twice creates it once (unique per workspace). */
    .addColumn('source_key', 'text')
    .addColumn('account_id', 'integer', (c) => c.references('accounts.id'))
    .addColumn('opportunity_id', 'integer', (c) => c.references('opportunities.id'))
    .addColumn('activity_id', 'integer')
    .addColumn('completed_at', instantType)
    .addColumn('completed_by', 'integer')
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('tasks_ws_assignee_status_due')
    .on('tasks')
    .columns(['workspace_id', 'assignee_id', 'status', 'due_date'])
    .execute();
  await db.schema
    .createIndex('tasks_ws_status_due')
    .on('tasks')
    .columns(['workspace_id', 'status', 'due_date'])
    .execute();
  await db.schema.createIndex('tasks_ws_account').on('tasks').columns(['workspace_id', 'account_id']).execute();
  await db.schema.createIndex('tasks_ws_opportunity').on('tasks').columns(['workspace_id', 'opportunity_id']).execute();
  await db.schema
    .createIndex('tasks_ws_source_key')
    .on('tasks')
    .columns(['workspace_id', 'source_key'])
    .unique()
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('user_id', 'integer', user)
    /** task_due | follow_up_overdue | checkpoint_due | deal_stalled | callback_unconfirmed */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** One notification per occurrence: the job inserts with ON CONFLICT DO NOTHING on it. */
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('subject_name', 'text', (c) => c.notNull())
    /** The date the occurrence is about (a due date, a checkpoint date), YYYY-MM-DD. */
    .addColumn('due_date', 'text')
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('read_at', instantType)
    .execute();
  await db.schema
    .createIndex('notifications_dedupe')
    .on('notifications')
    .columns(['workspace_id', 'user_id', 'dedupe_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('notifications_ws_user_read')
    .on('notifications')
    .columns(['workspace_id', 'user_id', 'read_at', 'created_at'])
    .execute();

  await db.schema
    .createTable('checkpoint_reviews')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('opportunity_id', 'integer', (c) => c.notNull().references('opportunities.id'))
    /** weekly | day15 | day30 */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** The Monday of the week reviewed for `weekly`; the checkpoint's date for day15 and day30. */
    .addColumn('period', 'text', (c) => c.notNull())
    /** reviewed | advanced | disqualified (the last two for day30 only). */
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('reviewed_by', 'integer', user)
    .addColumn('created_at', instantType, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('checkpoint_reviews_unique')
    .on('checkpoint_reviews')
    .columns(['workspace_id', 'opportunity_id', 'kind', 'period'])
    .unique()
    .execute();

  await db.schema
    .createTable('weekly_reports')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('user_id', 'integer', user)
    /** The Monday of the week (src/domain/calendar.ts). */
    .addColumn('week_start', 'text', (c) => c.notNull())
    .addColumn('plan_visits', 'text')
    .addColumn('plan_targets', 'text')
    /** JSON [{opportunityId, note}]: the deals the rep means to advance. */
    .addColumn('plan_deals', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('plan_submitted_at', instantType)
    .addColumn('summary_done', 'text')
    .addColumn('summary_progress', 'text')
    /** JSON [{problem, solution}]: a problem always carries its proposed solution. */
    .addColumn('summary_problems', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('summary_help', 'text')
    .addColumn('summary_submitted_at', instantType)
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('weekly_reports_unique')
    .on('weekly_reports')
    .columns(['workspace_id', 'user_id', 'week_start'])
    .unique()
    .execute();
  await db.schema
    .createIndex('weekly_reports_ws_week')
    .on('weekly_reports')
    .columns(['workspace_id', 'week_start'])
    .execute();

  await db.schema
    .createTable('weekly_report_comments')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('report_id', 'integer', (c) => c.notNull().references('weekly_reports.id'))
    .addColumn('author_id', 'integer', user)
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', instantType, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('weekly_report_comments_report')
    .on('weekly_report_comments')
    .columns(['workspace_id', 'report_id'])
    .execute();

  await db.schema
    .createTable('callbacks')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    /** The period drawn, e.g. 2026-11 (a month). */
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('rep_id', 'integer', user)
    .addColumn('activity_id', 'integer', (c) => c.notNull())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
    .addColumn('auditor_id', 'integer', user)
    .addColumn('task_id', 'integer', (c) => c.references('tasks.id'))
    /** null until answered; confirmed | not_confirmed | feedback */
    .addColumn('outcome', 'text')
    .addColumn('feedback', 'text')
    .addColumn('answered_at', instantType)
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('callbacks_activity')
    .on('callbacks')
    .columns(['workspace_id', 'activity_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('callbacks_ws_period_rep')
    .on('callbacks')
    .columns(['workspace_id', 'period', 'rep_id'])
    .execute();
  await db.schema
    .createIndex('callbacks_ws_auditor')
    .on('callbacks')
    .columns(['workspace_id', 'auditor_id', 'outcome'])
    .execute();

  await db.schema
    .createTable('calendar_feeds')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', ws)
    .addColumn('user_id', 'integer', user)
    /** sha256 of the URL's token, like sessions: a copy of the database holds no usable feed. */
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('revoked_at', instantType)
    .addColumn('last_used_at', instantType)
    .execute();
  await db.schema
    .createIndex('calendar_feeds_ws_user')
    .on('calendar_feeds')
    .columns(['workspace_id', 'user_id'])
    .execute();
}
