import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NAMED_CRITERIA, TIERS, VALUE_TYPES } from '../../domain/accounts.ts';
import { errorResponses, idParam, versionField, queryId } from '../../contracts/common.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import { accountDetailSchema } from '../accounts/schemas.ts';
import * as tiers from './service.ts';
import { needs } from '../../server/access.ts';

const tierCounts = z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() });

const recomputeResult = z.object({
  accounts: z.number().int(),
  updated: z.number().int().describe('accounts whose computed tier, value type or amounts changed'),
  tierChanged: z.number().int().describe('accounts whose effective tier changed (each logged in the history)'),
  byTier: tierCounts,
  window: z.object({ from: z.number().int(), to: z.number().int(), priorFrom: z.number().int(), months: z.number().int() }),
  computedAt: z.number().int(),
});

const summarySchema = z.object({
  tiers: z.array(z.object({ tier: z.enum(TIERS), count: z.number().int(), trailingAmount: z.number().int(), priorAmount: z.number().int(), overridden: z.number().int() })),
  valueTypes: z.array(z.object({
    valueType: z.enum(VALUE_TYPES).nullable().describe('null: no purchases in either window'),
    count: z.number().int(), trailingAmount: z.number().int(), priorAmount: z.number().int(), strategy: z.string().nullable(),
  })),
  matrix: z.array(z.object({ tier: z.enum(TIERS), valueType: z.enum(VALUE_TYPES).nullable(), count: z.number().int(), trailingAmount: z.number().int() })),
  total: z.object({ count: z.number().int(), trailingAmount: z.number().int() }),
  thresholds: z.object({ aShareBp: z.number().int(), bShareBp: z.number().int(), windowMonths: z.number().int(), growthBp: z.number().int(), shrinkBp: z.number().int() }),
  computedAt: z.number().int().nullable(),
});

const criteriaShape = Object.fromEntries(NAMED_CRITERIA.map((k) => [k, z.boolean().optional()])) as Record<(typeof NAMED_CRITERIA)[number], z.ZodOptional<z.ZodBoolean>>;

export default async function tierRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  r.post('/tiers/recompute', {
    config: { access: needs('accounts.manage') },
    schema: {
      tags: ['tiers'],
      summary: 'Recompute ABC tiers and value types of the whole workspace now (also runs nightly)',
      body: z.strictObject({}).optional(),
      response: { 200: recomputeResult, ...errorResponses },
    },
  }, async (req) => tiers.recompute(db, actorOf(req)));

  r.get('/tiers/summary', {
    config: { access: needs('accounts.read') },
    schema: {
      tags: ['tiers'],
      summary: 'Accounts and purchase amounts per tier and value type within the caller\'s reach, with the thresholds in force',
      querystring: z.strictObject({ orgUnitId: queryId.optional().describe('unit, including its sub-units') }),
      response: { 200: summarySchema, ...errorResponses },
    },
  }, async (req) => tiers.summary(db, actorOf(req), req.query.orgUnitId));

  r.post('/accounts/:id/tier-override', {
    config: { access: needs('accounts.manage') },
    schema: {
      tags: ['accounts'],
      summary: 'Override the account\'s ABC tier (a reason is required), or clear the override with tier: null',
      params: idParam,
      body: z.strictObject({
        version: versionField,
        tier: z.enum(TIERS).nullable(),
        reason: z.string().trim().max(500, 'must be at most 500 characters').optional().describe('required when setting an override'),
      }),
      response: { 200: accountDetailSchema, ...errorResponses },
    },
  }, async (req) => tiers.setOverride(db, actorOf(req), req.params.id, { ...req.body, reason: req.body.reason || undefined }, ipOf(req)));

  r.put('/accounts/:id/named', {
    config: { access: needs('accounts.write') },
    schema: {
      tags: ['accounts'],
      summary: 'Named account (指名客户) flag and its criteria checklist; the flag needs a manager, the checklist an editor',
      params: idParam,
      body: z.strictObject({ version: versionField, named: z.boolean().optional(), criteria: z.strictObject(criteriaShape).optional() }),
      response: { 200: accountDetailSchema, ...errorResponses },
    },
  }, async (req) => tiers.setNamed(db, actorOf(req), req.params.id, req.body, ipOf(req)));
}
