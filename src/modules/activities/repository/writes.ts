import type { Insertable, Kysely } from 'kysely';
import type { ActivityTable, Database } from '../../../db/schema.ts';
import { lockRows, type Engine } from '../../../db/dialect.ts';

/** An activity written: its row, its contacts, its account's last follow-up, archiving, its files. */
/** The contacts of the activities named, for a page. */
export async function contactsOf(db: Kysely<Database>, workspaceId: number, activityIds: number[]) {
  if (activityIds.length === 0) return [];
  return db
    .selectFrom('activity_contacts as ac')
    .innerJoin('contacts as c', 'c.id', 'ac.contact_id')
    .select(['ac.activity_id', 'c.id', 'c.name'])
    .where('ac.workspace_id', '=', workspaceId)
    .where('ac.activity_id', 'in', activityIds)
    .orderBy('c.name')
    .execute();
}

/** Of the contact ids given, those that are contacts of the account (in its workspace). */
export async function contactsOfAccount(db: Kysely<Database>, workspaceId: number, accountId: number, ids: number[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', accountId)
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => r.id);
}

export async function insertActivity(db: Kysely<Database>, row: Insertable<ActivityTable>) {
  return (await db.insertInto('activities').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function setContacts(db: Kysely<Database>, workspaceId: number, activityId: number, contactIds: number[]) {
  await db
    .deleteFrom('activity_contacts')
    .where('workspace_id', '=', workspaceId)
    .where('activity_id', '=', activityId)
    .execute();
  if (contactIds.length)
    await db
      .insertInto('activity_contacts')
      .values(contactIds.map((c) => ({ activity_id: activityId, contact_id: c, workspace_id: workspaceId })))
      .execute();
}

/** The raw row (for a write's before-image), archived or not. */
export async function activityRow(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Later-dated wins: the account's last follow-up becomes `at` unless it already is later. One
 * UPDATE, atomic on both engines (PostgreSQL locks the row for the statement). Versions are
 * not bumped: a follow-up is not an edit of the account, and nobody's open form goes stale.
 */
export async function raiseFollowUp(db: Kysely<Database>, workspaceId: number, accountId: number, at: number) {
  await db
    .updateTable('accounts')
    .set({ last_follow_up_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', accountId)
    .where((eb) => eb.or([eb('last_follow_up_at', 'is', null), eb('last_follow_up_at', '<', at)]))
    .execute();
}

/**
 * The account's newest follow-up may have gone (docs/rhythm.md § Activities): with its row
 * locked (so a concurrent log waits and then raises over the result), if its last follow-up is
 * not later than `since`, it becomes the newer of the follow-up known without an activity and
 * the newest remaining qualifying activity — one look-up on (account_id, start_at), newest first.
 */
export async function fallBackFollowUp(
  db: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  accountId: number,
  since: number,
  qualifying: readonly string[],
) {
  const account = db
    .selectFrom('accounts')
    .select(['last_follow_up_at', 'follow_up_base_at'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', accountId);
  await lockRows(engine, account);
  const row = await account.executeTakeFirst();
  if (!row || (row.last_follow_up_at !== null && Number(row.last_follow_up_at) > since)) return;
  const newest =
    qualifying.length === 0
      ? undefined
      : await db
          .selectFrom('activities')
          .select('start_at')
          .where('account_id', '=', accountId)
          .where('workspace_id', '=', workspaceId)
          .where('status', '=', 'done')
          .where('archived_at', 'is', null)
          .where('type', 'in', [...qualifying])
          .orderBy('start_at', 'desc')
          .limit(1)
          .executeTakeFirst();
  const candidates = [row.follow_up_base_at, newest?.start_at]
    .filter((v): v is number => v !== null && v !== undefined)
    .map(Number);
  const value = candidates.length ? Math.max(...candidates) : null;
  await db
    .updateTable('accounts')
    .set({ last_follow_up_at: value })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', accountId)
    .execute();
}

export async function archiveActivity(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  version: number,
  now: number,
) {
  const result = await db
    .updateTable('activities')
    .set({ archived_at: now, updated_at: now, version: version + 1 })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Bumps the activity's version: its plan and review are versioned through it. */
export async function touchActivity(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  version: number,
  now: number,
  status?: string,
) {
  const result = await db
    .updateTable('activities')
    .set({ updated_at: now, version: version + 1, ...(status ? { status } : {}) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function attachmentForLink(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('attachments')
    .select(['uploaded_by', 'activity_id', 'opportunity_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function linkAttachment(
  db: Kysely<Database>,
  workspaceId: number,
  attachmentId: number,
  activityId: number,
) {
  const result = await db
    .updateTable('attachments')
    .set({ activity_id: activityId })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', attachmentId)
    .where('activity_id', 'is', null)
    .where('opportunity_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function attachmentsOfActivity(db: Kysely<Database>, workspaceId: number, activityId: number) {
  return db
    .selectFrom('attachments')
    .leftJoin('users', 'users.id', 'attachments.uploaded_by')
    .select([
      'attachments.id',
      'attachments.file_name',
      'attachments.content_type',
      'attachments.size',
      'attachments.created_at',
      'attachments.uploaded_by',
      'users.name as uploader_name',
    ])
    .where('attachments.workspace_id', '=', workspaceId)
    .where('attachments.activity_id', '=', activityId)
    .orderBy('attachments.created_at')
    .orderBy('attachments.id')
    .execute();
}
