import type { Kysely } from 'kysely';
import { idColumn, idColumnType, instantType, type Engine } from '../dialect.ts';

/** Workspaces, org tree, users, sessions and the audit log (issue: Foundation). */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const id = idColumnType(engine);
  const pk = idColumn(engine);

  await db.schema
    .createTable('workspaces')
    .addColumn('id', id, pk)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('CNY'))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Asia/Shanghai'))
    .addColumn('fiscal_year_start_month', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('org_units')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id'))
    .addColumn('parent_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', instantType)
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('org_units_ws_path').on('org_units').columns(['workspace_id', 'path']).execute();
  await db.schema.createIndex('org_units_ws_parent').on('org_units').columns(['workspace_id', 'parent_id']).execute();

  await db.schema
    .createTable('users')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id'))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('phone', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh-CN'))
    .addColumn('can_export', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('updated_at', instantType, (c) => c.notNull())
    .addColumn('deactivated_at', instantType)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('users_ws_email').on('users').columns(['workspace_id', 'email']).unique().execute();
  // Sign-in is by email alone, so an email names one person across all workspaces.
  await db.schema.createIndex('users_email').on('users').column('email').unique().execute();
  await db.schema.createIndex('users_ws_unit').on('users').columns(['workspace_id', 'org_unit_id']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', instantType, (c) => c.notNull())
    .addColumn('last_seen_at', instantType, (c) => c.notNull())
    .addColumn('expires_at', instantType, (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', id, pk)
    .addColumn('workspace_id', 'integer', (c) => c.references('workspaces.id'))
    .addColumn('actor_user_id', 'integer')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'integer')
    .addColumn('subject', 'text')
    .addColumn('ip', 'text')
    .addColumn('detail', 'text')
    .addColumn('created_at', instantType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_ws_time').on('audit_log').columns(['workspace_id', 'created_at']).execute();
  // Login rate limiting counts recent failures per account and per address.
  await db.schema
    .createIndex('audit_action_subject')
    .on('audit_log')
    .columns(['action', 'subject', 'created_at'])
    .execute();
  await db.schema.createIndex('audit_action_ip').on('audit_log').columns(['action', 'ip', 'created_at']).execute();
}
