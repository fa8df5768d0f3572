import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../contracts/common.ts';
import * as contract from '../../contracts/tiers.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import { accountDetailSchema } from '../../contracts/accounts.ts';
import * as tiers from './service.ts';
import { recompute } from './recompute.ts';
import { bulkTier } from './bulk.ts';
import * as bulkContract from '../../contracts/bulk.ts';
import { needs } from '../../server/access.ts';

export default async function tierRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.post(
    '/tiers/recompute',
    {
      config: { access: needs('accounts.manage') },
      schema: {
        tags: ['tiers'],
        summary: 'Recompute ABC tiers and value types of the whole workspace now (also runs nightly)',
        body: contract.recomputeRequest,
        response: { 200: contract.recomputeResult, ...errorResponses },
      },
    },
    async (req) => recompute(db, actorOf(req)),
  );

  routes.get(
    '/tiers/summary',
    {
      config: { access: needs('accounts.read') },
      schema: {
        tags: ['tiers'],
        summary:
          "Accounts and purchase amounts per tier and value type within the caller's reach, with the thresholds in force",
        querystring: contract.summaryQuery,
        response: { 200: contract.tierSummarySchema, ...errorResponses },
      },
    },
    async (req) => tiers.summary(db, actorOf(req), req.query.orgUnitId),
  );

  routes.post(
    '/accounts/:id/tier-override',
    {
      config: { access: needs('accounts.manage') },
      schema: {
        tags: ['accounts'],
        summary: "Override the account's ABC tier (a reason is required), or clear the override with tier: null",
        params: idParam,
        body: contract.tierOverrideRequest,
        response: { 200: accountDetailSchema, ...errorResponses },
      },
    },
    async (req) =>
      tiers.setOverride(
        db,
        actorOf(req),
        req.params.id,
        { ...req.body, reason: req.body.reason || undefined },
        ipOf(req),
      ),
  );

  routes.post(
    '/accounts/bulk/tier',
    {
      config: { access: needs('accounts.manage') },
      schema: {
        tags: ['accounts'],
        summary:
          'Set the tier of the selected accounts by hand with a reason (tier null clears the override); a manager over each; all or nothing (400 for ids out of sight, 403 bulk_refused listing the others)',
        body: bulkContract.bulkTierRequest,
        response: { 200: bulkContract.bulkResultSchema, ...errorResponses },
      },
    },
    async (req) => bulkTier(db, actorOf(req), req.body, ipOf(req)),
  );

  routes.put(
    '/accounts/:id/named',
    {
      config: { access: needs('accounts.write') },
      schema: {
        tags: ['accounts'],
        summary:
          'Named account (指名客户) flag and its criteria checklist; the flag needs a manager, the checklist an editor',
        params: idParam,
        body: contract.namedRequest,
        response: { 200: accountDetailSchema, ...errorResponses },
      },
    },
    async (req) => tiers.setNamed(db, actorOf(req), req.params.id, req.body, ipOf(req)),
  );
}
