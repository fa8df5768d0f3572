import { z } from 'zod';
import { TIERS } from '../domain/accounts.ts';
import { INT4_MAX, recordId, text } from './common.ts';

/**
 * Bulk actions on the account, opportunity and pool lists (docs/archive.md § Bulk actions): a
 * selection of ids and one change. All or nothing: ids the caller cannot see answer 400 naming
 * each (`ids.3`), rows they see but may not change answer 403 `bulk_refused` listing each row and
 * why (a claim past the claim limit 409 `claim_limit_reached`); either way nothing is written.
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
export const bulkTierRequest = z.strictObject({
  ids: bulkIds,
  tier: z.enum(TIERS).nullable().describe('the tier set by hand; null clears the override (back to the computed tier)'),
  reason: text(500).describe('why the tier is set by hand (or cleared); kept in each record history'),
});

/**
 * The selection of an export (`ids=12,15,40`): at most BULK_LIMIT ids, decimal, comma-separated;
 * an id out of the caller's sight answers 400 naming its place, as in the bulk bodies.
 */
export const idsParam = z
  .string()
  .trim()
  .regex(/^[1-9][0-9]{0,9}(,[1-9][0-9]{0,9})*$/, 'must be ids separated by commas')
  .transform((value, ctx) => {
    const ids = value.split(',').map(Number);
    if (ids.length > BULK_LIMIT) ctx.addIssue({ code: 'custom', message: `at most ${BULK_LIMIT} ids` });
    if (ids.some((id) => id > INT4_MAX)) ctx.addIssue({ code: 'custom', message: 'no record has such an id' });
    return ids;
  })
  .describe(`export only these rows (comma-separated ids, at most ${BULK_LIMIT}), within the other filters`);
export const bulkResultSchema = z.object({ updated: z.number().int().describe('rows changed') });

export type BulkRefusal = z.infer<typeof bulkRefusalSchema>;
export type BulkReassignRequest = z.infer<typeof bulkReassignRequest>;
export type BulkClaimRequest = z.infer<typeof bulkClaimRequest>;
export type BulkTierRequest = z.infer<typeof bulkTierRequest>;
export type BulkResult = z.infer<typeof bulkResultSchema>;
