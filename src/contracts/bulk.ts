import { z } from 'zod';
import { TIERS } from '../domain/accounts.ts';
import { accountFilterShape } from './accounts.ts';
import { INT4_MAX, recordId, text } from './common.ts';
import { opportunityFilterShape } from './opportunities.ts';
import { poolFilterShape } from './pool.ts';

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

/**
 * "Select all N matching": instead of ids, the list's filter (its query parameters, as strings),
 * resolved on the server within the caller's sight; a filter matching more rows than this answers
 * 400 `over_limit` on `match`. The rows are then checked one by one as a selection of ids.
 */
export const BULK_MATCH_LIMIT = 5000;
const matchOf = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z
    .strictObject(shape)
    .optional()
    .describe(
      `instead of ids: every row of the list this filter gives (the list's query parameters), at most ${BULK_MATCH_LIMIT}`,
    );
/** Exactly one of `ids` and `match`: a body with both or neither is 400 on `ids`. */
const oneSelection = (body: { ids?: unknown; match?: unknown }, ctx: z.RefinementCtx) => {
  if ((body.ids === undefined) === (body.match === undefined))
    ctx.addIssue({ code: 'custom', path: ['ids'], message: 'give either ids or match, not both' });
};

export const BULK_REFUSALS = ['forbidden', 'closed', 'archived', 'in_pool', 'not_in_pool'] as const;
export type BulkRefusalReason = (typeof BULK_REFUSALS)[number];
export const bulkRefusalSchema = z.object({ id: z.number().int(), reason: z.enum(BULK_REFUSALS) });

const reassignFields = {
  ids: bulkIds.optional(),
  toUserId: recordId,
  reason: text(500).describe('why the owner changes; kept in each record history'),
};
export const bulkReassignAccountsRequest = z
  .strictObject({ ...reassignFields, match: matchOf(accountFilterShape) })
  .superRefine(oneSelection);
export const bulkReassignOpportunitiesRequest = z
  .strictObject({ ...reassignFields, match: matchOf(opportunityFilterShape) })
  .superRefine(oneSelection);
export const bulkClaimRequest = z
  .strictObject({ ids: bulkIds.optional(), match: matchOf(poolFilterShape) })
  .superRefine(oneSelection);
/**
 * A manager gives several pool accounts to one rep or manager of their subtree, with a reason; the
 * claim limit of that person counts for the whole selection (409 `claim_limit_reached` on toUserId).
 */
export const bulkAssignRequest = z
  .strictObject({
    ids: bulkIds.optional(),
    match: matchOf(poolFilterShape),
    toUserId: recordId,
    reason: text(500).describe('why this person gets the accounts; kept in the audit log and the pool log'),
  })
  .superRefine(oneSelection);
export const bulkTierRequest = z
  .strictObject({
    ids: bulkIds.optional(),
    match: matchOf(accountFilterShape),
    tier: z
      .enum(TIERS)
      .nullable()
      .describe('the tier set by hand; null clears the override (back to the computed tier)'),
    reason: text(500).describe('why the tier is set by hand (or cleared); kept in each record history'),
  })
  .superRefine(oneSelection);

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
export type BulkReassignAccountsRequest = z.infer<typeof bulkReassignAccountsRequest>;
export type BulkReassignOpportunitiesRequest = z.infer<typeof bulkReassignOpportunitiesRequest>;
/** What the web sends: the ids picked, or the list's filter as its query parameters. */
export type BulkSelection = { ids: number[]; match?: never } | { ids?: never; match: Record<string, string> };
export type BulkClaimRequest = z.infer<typeof bulkClaimRequest>;
export type BulkAssignRequest = z.infer<typeof bulkAssignRequest>;
export type BulkTierRequest = z.infer<typeof bulkTierRequest>;
export type BulkResult = z.infer<typeof bulkResultSchema>;
