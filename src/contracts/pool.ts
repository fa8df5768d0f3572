import { z } from 'zod';
import { INDUSTRIES, TIERS } from '../domain/accounts.ts';
import { POOL_REASONS } from '../domain/pool.ts';
import { listQuery, queryId, queryInt, recordId, text, versionField } from './common.ts';

/** The public pools (docs/archive.md, docs/organisation.md): pool accounts, releases and claims, and the moves into and out of a pool. */
export const allowanceSchema = z
  .object({ limit: z.number().int(), held: z.number().int(), remaining: z.number().int() })
  .describe('private accounts the caller holds against the claim limit');

export const poolItemSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  industry: z.string().nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  tier: z.enum(TIERS),
  named: z.boolean(),
  status: z.string(),
  orgUnitId: z.number().int().describe('the unit whose pool holds the account'),
  orgUnitName: z.string(),
  poolSince: z.number().int().nullable(),
  daysInPool: z.number().int(),
  lastFollowUpAt: z.number().int().nullable(),
  trailingAmount: z.number().int(),
  previousOwnerId: z.number().int().nullable(),
  previousOwnerName: z.string().nullable(),
  releaseReason: z.string().nullable().describe('pool_release (automatic) or pool_release_manual'),
  version: z.number().int(),
});

export const poolEventSchema = z.object({
  id: z.number().int(),
  kind: z.enum(POOL_REASONS),
  accountId: z.number().int(),
  accountName: z.string(),
  tier: z.enum(TIERS),
  orgUnitName: z.string(),
  fromUserId: z.number().int().nullable(),
  fromUserName: z.string().nullable(),
  toUserId: z.number().int().nullable(),
  toUserName: z.string().nullable(),
  actorUserId: z.number().int().nullable().describe('null for the automatic release'),
  actorName: z.string().nullable(),
  note: z.string().nullable().describe("the reason given for a release by hand or a manager's assignment"),
  createdAt: z.number().int(),
});

export const POOL_SORTS = ['poolSince', 'name', 'tier', 'lastFollowUpAt'] as const;
/** The pool list's filters: its query and what "select all N matching" sends as `match`. */
export const poolFilterShape = {
  orgUnitId: queryId.optional().describe('pool of this unit and its sub-units'),
  q: z.string().trim().max(100).optional(),
  tier: z.enum(TIERS).optional(),
  industry: z.enum(INDUSTRIES).optional(),
};
export const poolQuery = listQuery(POOL_SORTS, '-poolSince', poolFilterShape);
export const poolPageSchema = z.object({
  items: z.array(poolItemSchema),
  total: z.number().int(),
  allowance: allowanceSchema.nullable(),
});

export const poolEventsQuery = z.strictObject({
  orgUnitId: queryId.optional(),
  limit: queryInt(z.number().int().min(1).max(500)).default(50),
  offset: queryInt(z.number().int().min(0)).default(0),
});
export const poolEventPageSchema = z.object({ items: z.array(poolEventSchema), total: z.number().int() });

export const releaseRunRequest = z.strictObject({}).optional();
export const releaseRunSchema = z.object({
  released: z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() }),
  total: z.number().int(),
  ranAt: z.number().int(),
});

export const claimRequest = z.strictObject({ version: versionField });
export const assignRequest = z.strictObject({
  version: versionField,
  toUserId: recordId,
  reason: text(500).describe('why this person gets the account; kept in the audit log'),
});
export const releaseRequest = z.strictObject({ version: versionField, reason: text(500) });

export type Allowance = z.infer<typeof allowanceSchema>;
export type PoolItem = z.infer<typeof poolItemSchema>;
export type PoolEvent = z.infer<typeof poolEventSchema>;
export type PoolQuery = z.infer<typeof poolQuery>;
export type PoolPage = z.infer<typeof poolPageSchema>;
export type PoolEventsQuery = z.infer<typeof poolEventsQuery>;
export type PoolEventPage = z.infer<typeof poolEventPageSchema>;
export type ReleaseRun = z.infer<typeof releaseRunSchema>;
export type ClaimRequest = z.infer<typeof claimRequest>;
export type AssignRequest = z.infer<typeof assignRequest>;
export type ReleaseRequest = z.infer<typeof releaseRequest>;
