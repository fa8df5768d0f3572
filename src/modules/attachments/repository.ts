import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** Attachments (migration 0007): files kept in the database, scoped to the workspace. */
export async function insertAttachment(
  db: Kysely<Database>,
  attachment: {
    workspaceId: number;
    uploadedBy: number;
    fileName: string;
    contentType: string;
    data: Buffer;
    now: number;
  },
) {
  return db
    .insertInto('attachments')
    .values({
      workspace_id: attachment.workspaceId,
      uploaded_by: attachment.uploadedBy,
      file_name: attachment.fileName,
      content_type: attachment.contentType,
      size: attachment.data.length,
      data: attachment.data,
      created_at: attachment.now,
    })
    .returning(['id', 'file_name', 'content_type', 'size', 'created_at'])
    .executeTakeFirstOrThrow();
}

const meta = [
  'attachments.id',
  'attachments.uploaded_by',
  'attachments.opportunity_id',
  'attachments.activity_id',
  'attachments.file_name',
  'attachments.content_type',
  'attachments.size',
  'attachments.created_at',
] as const;

export async function getAttachment(db: Kysely<Database>, workspaceId: number, id: number) {
  return db
    .selectFrom('attachments')
    .select([...meta, 'attachments.data'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The attachments named, with what decides who may see them: the uploader's role and unit. */
export async function attachmentsWithUploaders(db: Kysely<Database>, workspaceId: number, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('attachments')
    .innerJoin('users', 'users.id', 'attachments.uploaded_by')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select([
      ...meta,
      'users.role as uploader_role',
      'users.org_unit_id as uploader_unit_id',
      'org_units.path as uploader_unit_path',
    ])
    .where('attachments.workspace_id', '=', workspaceId)
    .where('attachments.id', 'in', ids)
    .execute();
}

/** Links evidence files to the opportunity they prove (only those not linked yet). */
export async function linkToOpportunity(
  db: Kysely<Database>,
  workspaceId: number,
  ids: number[],
  opportunityId: number,
) {
  if (ids.length === 0) return;
  await db
    .updateTable('attachments')
    .set({ opportunity_id: opportunityId })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .where('opportunity_id', 'is', null)
    .execute();
}

/** Files uploaded but never given as evidence nor attached to an activity, older than the cut-off: across all workspaces. */
/** Uploads never linked to a stage's evidence or an activity, older than `before` (ids only). */
export async function unlinkedBefore(db: Kysely<Database>, before: number): Promise<number[]> {
  const rows = await db
    .selectFrom('attachments')
    .select('id')
    .where('opportunity_id', 'is', null)
    .where('activity_id', 'is', null)
    .where('created_at', '<', before)
    .execute();
  return rows.map((row) => row.id);
}

/** Deletes these uploads if they are still unlinked; how many. */
export async function deleteUnlinked(db: Kysely<Database>, ids: readonly number[], before: number) {
  const result = await db
    .deleteFrom('attachments')
    .where('id', 'in', ids)
    .where('opportunity_id', 'is', null)
    .where('activity_id', 'is', null)
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The evidence files of one opportunity, oldest first, with who uploaded them. */
export async function attachmentsOf(db: Kysely<Database>, workspaceId: number, opportunityId: number) {
  return db
    .selectFrom('attachments')
    .leftJoin('users', 'users.id', 'attachments.uploaded_by')
    .select([...meta, 'users.name as uploader_name'])
    .where('attachments.workspace_id', '=', workspaceId)
    .where('attachments.opportunity_id', '=', opportunityId)
    .orderBy('attachments.created_at')
    .orderBy('attachments.id')
    .execute();
}
