import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../contracts/common.ts';
import * as contract from '../../contracts/accounts.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as accounts from './service.ts';
import { createAccount } from './create.ts';
import { findDuplicates } from './duplicates.ts';
import { updateAccount } from './update.ts';
import * as profile from './profile.ts';
import * as bulk from './bulk.ts';
import * as bulkContract from '../../contracts/bulk.ts';
import { needs } from '../../server/access.ts';
import { fastOkSerializer } from '../../server/fast-json.ts';

export default async function accountRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/accounts',
    {
      config: { access: needs('accounts.read') },
      schema: {
        tags: ['accounts'],
        summary: 'Accounts the caller may see, filtered, sorted and paginated',
        querystring: contract.accountListQuery,
        response: { 200: contract.accountPage, ...errorResponses },
      },
      // A desk card and the list page, asked for on every visit: written straight from the schema (src/server/fast-json.ts).
      serializerCompiler: fastOkSerializer(contract.accountPage),
    },
    async (req) => accounts.listAccounts(db, actorOf(req), req.query),
  );

  routes.post(
    '/accounts/bulk/reassign',
    {
      config: { access: needs('accounts.manage') },
      schema: {
        tags: ['accounts'],
        summary:
          'Give the selected accounts to one rep or manager, with a reason; all or nothing (400 for ids out of sight, 403 bulk_refused listing rows you may not change)',
        body: bulkContract.bulkReassignAccountsRequest,
        response: { 200: bulkContract.bulkResultSchema, ...errorResponses },
      },
    },
    async (req) => bulk.bulkReassign(db, actorOf(req), req.body, ipOf(req)),
  );

  routes.get(
    '/accounts/duplicates',
    {
      config: { access: needs('accounts.write') },
      schema: {
        tags: ['accounts'],
        summary: 'Accounts that look like a new one (similar name or same credit code), checked before creating',
        querystring: contract.duplicatesQuery,
        response: { 200: contract.duplicatesSchema, ...errorResponses },
      },
    },
    async (req) => ({
      matches: await findDuplicates(
        db,
        actorOf(req),
        req.query.name,
        req.query.creditCode?.toUpperCase(),
        req.query.exceptId,
      ),
    }),
  );

  routes.post(
    '/accounts',
    {
      config: { access: needs('accounts.create') },
      schema: {
        tags: ['accounts'],
        summary: 'Create an account; 409 possible_duplicate lists similar accounts unless allowSimilarName',
        body: contract.createAccountRequest,
        response: { 201: contract.accountDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await createAccount(db, actorOf(req), req.body, ipOf(req))),
  );

  routes.get(
    '/accounts/:id',
    {
      config: { access: needs('accounts.read') },
      schema: {
        tags: ['accounts'],
        params: idParam,
        response: { 200: contract.accountDetailSchema, ...errorResponses },
      },
    },
    async (req) => accounts.getAccount(db, actorOf(req), req.params.id),
  );

  routes.patch(
    '/accounts/:id',
    {
      config: { access: needs('accounts.write') },
      schema: {
        tags: ['accounts'],
        summary: 'Change an account; changing the owner needs a manager and a reason',
        params: idParam,
        body: contract.updateAccountRequest,
        response: { 200: contract.accountDetailSchema, ...errorResponses },
      },
    },
    async (req) => updateAccount(db, actorOf(req), req.params.id, req.body),
  );

  routes.post(
    '/accounts/:id/archive',
    {
      config: { access: needs('accounts.manage') },
      schema: {
        tags: ['accounts'],
        summary: 'Archive (accounts are never deleted)',
        params: idParam,
        body: contract.versionRequest,
        response: { 200: contract.accountDetailSchema, ...errorResponses },
      },
    },
    async (req) => accounts.setArchived(db, actorOf(req), req.params.id, true, req.body.version),
  );

  routes.post(
    '/accounts/:id/restore',
    {
      config: { access: needs('accounts.manage') },
      schema: {
        tags: ['accounts'],
        params: idParam,
        body: contract.versionRequest,
        response: { 200: contract.accountDetailSchema, ...errorResponses },
      },
    },
    async (req) => accounts.setArchived(db, actorOf(req), req.params.id, false, req.body.version),
  );

  routes.get(
    '/accounts/:id/history',
    {
      config: { access: needs('accounts.read') },
      schema: {
        tags: ['accounts'],
        summary: 'Owner, tier and status changes of the account, newest first',
        params: idParam,
        response: { 200: contract.historySchema, ...errorResponses },
      },
    },
    async (req) => ({ items: await accounts.accountHistory(db, actorOf(req), req.params.id) }),
  );

  routes.get(
    '/accounts/:id/profile',
    {
      config: { access: needs('accounts.read') },
      schema: {
        tags: ['accounts'],
        summary: 'Key-account profile and account plan (docs/archive.md)',
        params: idParam,
        response: { 200: contract.profileSchema, ...errorResponses },
      },
    },
    async (req) => profile.getProfile(db, actorOf(req), req.params.id),
  );

  routes.put(
    '/accounts/:id/profile',
    {
      config: { access: needs('accounts.write') },
      schema: {
        tags: ['accounts'],
        summary: 'Save the key-account profile and plan (A-tier and named accounts); version 0 creates it',
        params: idParam,
        body: contract.saveProfileRequest,
        response: { 200: contract.profileSchema, ...errorResponses },
      },
    },
    async (req) => profile.saveProfile(db, actorOf(req), req.params.id, req.body),
  );
}
