import { z } from 'zod';
import { recordId, text } from './common.ts';

/**
 * Bulk actions on the account, opportunity and pool lists (docs/archive.md § Bulk actions): a
 * selection of ids and one change. All or nothing: ids the caller cannot see answer 400 naming
 * each (`ids.3`), rows they see but may not change answer 403 `bulk_refused` listing each row and
 * why; either way nothing is written.
 */
export const BULK_LIMIT = 500;
export const bulkIds = z
  .array(recordId)
  .min(1)
  .max(BULK_LIMIT)
  .describe(`the selected rows, at most ${BULK_LIMIT}; repeats count once`);

export const BULK_REFUSALS = ['forbidden', 'closed', 'archived', 'in_pool', 'not_in_pool'] as const;
export type BulkRefusalReason = (typeof BULK_REFUSALS)[number];
export const bulkRefusalSchema = z.object({ id: z.number().int(), reason: z.enum(BULK_REFUSALS) });

export const bulkReassignRequest = z.strictObject({
  ids: bulkIds,
  toUserId: recordId,
  reason: text(500).describe('why the owner changes; kept in each record history'),
});
export const bulkClaimRequest = z.strictObject({ ids: bulkIds });
export const bulkResultSchema = z.object({ updated: z.number().int().describe('rows changed') });

export type BulkRefusal = z.infer<typeof bulkRefusalSchema>;
export type BulkReassignRequest = z.infer<typeof bulkReassignRequest>;
export type BulkClaimRequest = z.infer<typeof bulkClaimRequest>;
export type BulkResult = z.infer<typeof bulkResultSchema>;
