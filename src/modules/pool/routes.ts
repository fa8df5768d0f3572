import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INDUSTRIES, TIERS } from '../../domain/accounts.ts';
import { POOL_REASONS } from '../../domain/pool.ts';
import {
  errorResponses,
  idParam,
  listQuery,
  text,
  versionField,
  queryId,
  queryInt,
  recordId,
} from '../../contracts/common.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import { accountDetailSchema } from '../../contracts/accounts.ts';
import * as pool from './service.ts';
import { needs } from '../../server/access.ts';

/** Who sees pools (docs/organisation.md, §3.3): reps their unit's and the units' above, managers their subtree's. */

const allowanceSchema = z
  .object({ limit: z.number().int(), held: z.number().int(), remaining: z.number().int() })
  .describe('private accounts the caller holds against the claim limit');

const poolItemSchema = z.object({
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

const eventSchema = z.object({
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
  note: z.string().nullable().describe('the reason given for a release by hand'),
  createdAt: z.number().int(),
});

export default async function poolRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/pool',
    {
      config: { access: needs('pool.read') },
      schema: {
        tags: ['pool'],
        summary: 'Accounts in the public pools within reach (客户公海), with days in pool and previous owner',
        querystring: listQuery(['poolSince', 'name', 'tier', 'lastFollowUpAt'], '-poolSince', {
          orgUnitId: queryId.optional().describe('pool of this unit and its sub-units'),
          q: z.string().trim().max(100).optional(),
          tier: z.enum(TIERS).optional(),
          industry: z.enum(INDUSTRIES).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(poolItemSchema),
            total: z.number().int(),
            allowance: allowanceSchema.nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => pool.listPool(db, actorOf(req), req.query),
  );

  routes.get(
    '/pool/events',
    {
      config: { access: needs('pool.read') },
      schema: {
        tags: ['pool'],
        summary: 'Releases and claims: who, which account, when, why; newest first',
        querystring: z.strictObject({
          orgUnitId: queryId.optional(),
          limit: queryInt(z.number().int().min(1).max(500)).default(50),
          offset: queryInt(z.number().int().min(0)).default(0),
        }),
        response: { 200: z.object({ items: z.array(eventSchema), total: z.number().int() }), ...errorResponses },
      },
    },
    async (req) => pool.listEvents(db, actorOf(req), req.query),
  );

  routes.post(
    '/pool/release-run',
    {
      config: { access: needs('pool.run') },
      schema: {
        tags: ['pool'],
        summary: 'Run the automatic release now for this workspace (it also runs nightly)',
        body: z.strictObject({}).optional(),
        response: {
          200: z.object({
            released: z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() }),
            total: z.number().int(),
            ranAt: z.number().int(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => pool.releaseNow(db, actorOf(req), ipOf(req)),
  );

  routes.post(
    '/accounts/:id/claim',
    {
      config: { access: needs('pool.claim') },
      schema: {
        tags: ['pool'],
        summary: 'Take a pool account as its owner, within the claim limit; 409 when someone else was first',
        params: idParam,
        body: z.strictObject({ version: versionField }),
        response: { 200: accountDetailSchema, ...errorResponses },
      },
    },
    async (req) => pool.claim(db, actorOf(req), req.params.id, req.body.version, ipOf(req)),
  );

  routes.post(
    '/accounts/:id/assign',
    {
      config: { access: needs('pool.assign') },
      schema: {
        tags: ['pool'],
        summary: 'Give a pool account to a rep or manager of your subtree',
        params: idParam,
        body: z.strictObject({ version: versionField, toUserId: recordId }),
        response: { 200: accountDetailSchema, ...errorResponses },
      },
    },
    async (req) => pool.assign(db, actorOf(req), req.params.id, req.body.version, req.body.toUserId, ipOf(req)),
  );

  routes.post(
    '/accounts/:id/release',
    {
      config: { access: needs('pool.release') },
      schema: {
        tags: ['pool'],
        summary: 'Return an account to the pool of its unit: its owner or a manager, with a reason',
        params: idParam,
        body: z.strictObject({ version: versionField, reason: text(500) }),
        response: { 200: accountDetailSchema, ...errorResponses },
      },
    },
    async (req) => pool.releaseByHand(db, actorOf(req), req.params.id, req.body.version, req.body.reason, ipOf(req)),
  );
}
