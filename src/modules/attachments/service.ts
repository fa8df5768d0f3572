import type { Db } from '../../db/database.ts';
import { writeInBatches } from '../../db/batches.ts';
import type { Actor } from '../../domain/policy.ts';
import { AppError, invalid, notFound, fieldError } from '../../server/problem.ts';
import { seesOpportunity } from '../opportunities/read.ts';
import { activityVisible } from '../activities/shared.ts';
import * as repo from './repository.ts';
import type { Attachment } from '../../contracts/attachments.ts';

/** For the opportunities area: files with their uploaders, linking files as evidence (inside its transaction), an opportunity's files. */
export { attachmentsOf, attachmentsWithUploaders, linkToOpportunity } from './repository.ts';

/** Evidence files (docs/sales-process.md): any type, at most 10 MB. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const MAX_MB = MAX_ATTACHMENT_BYTES / 1024 / 1024;
export const tooLarge = () =>
  new AppError('file_too_large', `file: must be at most ${MAX_MB} MB`, {
    errors: [fieldError('file', { code: 'file_too_large', params: { maxMb: MAX_MB } }, `must be at most ${MAX_MB} MB`)],
  });

/** A media type as sent, or octet-stream when it is missing or malformed (the download never executes it). */
function mediaType(header: string | undefined) {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) && type.length <= 200
    ? type
    : 'application/octet-stream';
}

export const toAttachmentDto = (attachment: {
  id: number;
  file_name: string;
  size: number;
  content_type: string;
  created_at: number;
}): Attachment => ({
  id: attachment.id,
  fileName: attachment.file_name,
  size: attachment.size,
  contentType: attachment.content_type,
  createdAt: attachment.created_at,
});

export async function uploadAttachment(
  db: Db,
  actor: Actor,
  input: { fileName: string; contentType?: string | undefined; data: Buffer | undefined },
) {
  if (!input.data || input.data.length === 0)
    throw invalid('file', { code: 'missing_file' }, 'send the file as the request body');
  if (input.data.length > MAX_ATTACHMENT_BYTES) throw tooLarge();
  const row = await repo.insertAttachment(db.kysely, {
    workspaceId: actor.workspaceId,
    uploadedBy: actor.userId,
    fileName: input.fileName,
    contentType: mediaType(input.contentType),
    data: input.data,
    now: actor.now,
  });
  return toAttachmentDto(row);
}

/** The uploader, or anyone who can see the opportunity or the activity it is attached to, downloads it. */
export async function downloadAttachment(db: Db, actor: Actor, id: number) {
  const attachment = await repo.getAttachment(db.kysely, actor.workspaceId, id);
  if (!attachment) throw notFound('Attachment');
  if (attachment.uploaded_by !== actor.userId) {
    const visible =
      (attachment.opportunity_id !== null && (await seesOpportunity(db, actor, attachment.opportunity_id))) ||
      (attachment.activity_id !== null && (await activityVisible(db.kysely, actor, attachment.activity_id)));
    if (!visible) throw notFound('Attachment');
  }
  return { fileName: attachment.file_name, contentType: attachment.content_type, data: Buffer.from(attachment.data) };
}

/** An upload that no stage move used within a week was abandoned (the dialog was closed): drop it. */
export const UNLINKED_KEEP_MS = 7 * 24 * 60 * 60_000;
export const ATTACHMENTS_CLEANUP_JOB = 'attachments.cleanup';

/**
 * The daily cleanup (src/server/housekeeping.ts): the ids first, then short transactions of at
 * most ATTACHMENT_BATCH uploads each (their bytes are in the row: fewer rows than BATCH_ROWS),
 * each re-checking that the upload is still unlinked.
 */
const ATTACHMENT_BATCH = 50;

export async function deleteAbandonedUploads(
  db: Db,
  ctx: { now: number; sqliteWorker?: boolean; batchRows?: number | undefined },
): Promise<string> {
  const before = ctx.now - UNLINKED_KEEP_MS;
  const ids = await repo.unlinkedBefore(db.kysely, before);
  const deleted = await writeInBatches(db.kysely, ids, (trx, batch) => repo.deleteUnlinked(trx, batch, before), {
    sqliteWorker: ctx.sqliteWorker ?? false,
    size: ctx.batchRows ?? ATTACHMENT_BATCH,
  });
  return `${deleted} unused uploads deleted`;
}
