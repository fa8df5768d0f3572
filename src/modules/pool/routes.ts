import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../contracts/common.ts';
import * as contract from '../../contracts/pool.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import { accountDetailSchema } from '../../contracts/accounts.ts';
import * as pool from './service.ts';
import { bulkAssign, bulkClaim } from './bulk.ts';
import * as bulkContract from '../../contracts/bulk.ts';
import { needs } from '../../server/access.ts';

/** Who sees pools (docs/organisation.md, §3.3): reps their unit's and the units' above, managers their subtree's. */

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
        querystring: contract.poolQuery,
        response: { 200: contract.poolPageSchema, ...errorResponses },
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
        querystring: contract.poolEventsQuery,
        response: { 200: contract.poolEventPageSchema, ...errorResponses },
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
        body: contract.releaseRunRequest,
        response: { 200: contract.releaseRunSchema, ...errorResponses },
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
        body: contract.claimRequest,
        response: { 200: accountDetailSchema, ...errorResponses },
      },
    },
    async (req) => pool.claim(db, actorOf(req), req.params.id, req.body.version, ipOf(req)),
  );

  routes.post(
    '/accounts/bulk/claim',
    {
      config: { access: needs('pool.claim') },
      schema: {
        tags: ['pool'],
        summary:
          'Take several pool accounts (or every one the pool filter `match` gives) as their owner, within the claim limit; all or nothing (400 for ids out of sight, 403 bulk_refused for rows no longer in the pool, 409 claim_limit_reached)',
        body: bulkContract.bulkClaimRequest,
        response: { 200: bulkContract.bulkResultSchema, ...errorResponses },
      },
    },
    async (req) => bulkClaim(db, actorOf(req), req.body, ipOf(req)),
  );

  routes.post(
    '/accounts/bulk/assign',
    {
      config: { access: needs('pool.assign') },
      schema: {
        tags: ['pool'],
        summary:
          "Give several pool accounts to a rep or manager of your subtree, with a reason, within that person's claim limit; all or nothing (400 for ids out of sight, 403 bulk_refused, 409 claim_limit_reached)",
        body: bulkContract.bulkAssignRequest,
        response: { 200: bulkContract.bulkResultSchema, ...errorResponses },
      },
    },
    async (req) => bulkAssign(db, actorOf(req), req.body, ipOf(req)),
  );

  routes.post(
    '/accounts/:id/assign',
    {
      config: { access: needs('pool.assign') },
      schema: {
        tags: ['pool'],
        summary: 'Give a pool account to a rep or manager of your subtree',
        params: idParam,
        body: contract.assignRequest,
        response: { 200: accountDetailSchema, ...errorResponses },
      },
    },
    async (req) =>
      pool.assign(db, actorOf(req), req.params.id, req.body.version, req.body.toUserId, req.body.reason, ipOf(req)),
  );

  routes.post(
    '/accounts/:id/release',
    {
      config: { access: needs('pool.release') },
      schema: {
        tags: ['pool'],
        summary: 'Return an account to the pool of its unit: its owner or a manager, with a reason',
        params: idParam,
        body: contract.releaseRequest,
        response: { 200: accountDetailSchema, ...errorResponses },
      },
    },
    async (req) => pool.releaseByHand(db, actorOf(req), req.params.id, req.body.version, req.body.reason, ipOf(req)),
  );
}
