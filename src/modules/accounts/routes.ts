import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, idParam, optionalText, page, versionField, queryId, text, INT4_MAX } from '../../contracts/common.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import { accountDetailSchema, accountListQuery, accountSchema, createAccountBody, updateAccountBody } from './schemas.ts';
import * as accounts from './service.ts';
import * as profile from './profile.ts';
import { needs } from '../../server/access.ts';

/** Roles that work with accounts at all (docs/organisation.md); the service narrows to the records in reach. */

const profileText = (max: number) => optionalText(max);
const profileShape = {
  businessOverview: profileText(5000),
  organisation: profileText(5000),
  decisionProcess: profileText(5000),
  budgetCycle: profileText(1000),
  installedBaseOurs: profileText(5000),
  installedBaseCompetitors: profileText(5000),
  relationshipHistory: profileText(5000),
  planObjectives: profileText(5000),
  planRelationships: profileText(5000),
  planResources: profileText(5000),
  planReviewDate: z.iso.date('must be a date YYYY-MM-DD').nullable().optional(),
};
const profileSchema = z.object({
  ...Object.fromEntries(Object.keys(profileShape).map((k) => [k, z.string().nullable()])),
  version: z.number().int(),
  updatedAt: z.number().int().nullable(),
});

export default async function accountRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  r.get('/accounts', {
    config: { access: needs('accounts.read') },
    schema: {
      tags: ['accounts'],
      summary: 'Accounts the caller may see, filtered, sorted and paginated',
      querystring: accountListQuery,
      response: { 200: page(accountSchema), ...errorResponses },
    },
  }, async (req) => accounts.listAccounts(db, actorOf(req), req.query));

  r.get('/accounts/duplicates', {
    config: { access: needs('accounts.write') },
    schema: {
      tags: ['accounts'],
      summary: 'Accounts that look like a new one (similar name or same credit code), checked before creating',
      querystring: z.strictObject({ name: text(200), creditCode: z.string().trim().max(18).optional(), exceptId: queryId.optional() }),
      response: {
        200: z.object({
          matches: z.array(z.object({ id: z.number().int().nullable(), name: z.string(), ownerName: z.string().nullable(), similarity: z.number(), visible: z.boolean(), sameCreditCode: z.boolean() })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => ({ matches: await accounts.findDuplicates(db, actorOf(req), req.query.name, req.query.creditCode?.toUpperCase(), req.query.exceptId) }));

  r.post('/accounts', {
    config: { access: needs('accounts.create') },
    schema: {
      tags: ['accounts'],
      summary: 'Create an account; 409 possible_duplicate lists similar accounts unless allowSimilarName',
      body: createAccountBody,
      response: { 201: accountDetailSchema, ...errorResponses },
    },
  }, async (req, reply) => reply.code(201).send(await accounts.createAccount(db, actorOf(req), req.body, ipOf(req))));

  r.get('/accounts/:id', {
    config: { access: needs('accounts.read') },
    schema: { tags: ['accounts'], params: idParam, response: { 200: accountDetailSchema, ...errorResponses } },
  }, async (req) => accounts.getAccount(db, actorOf(req), req.params.id));

  r.patch('/accounts/:id', {
    config: { access: needs('accounts.write') },
    schema: {
      tags: ['accounts'],
      summary: 'Change an account; changing the owner needs a manager and a reason',
      params: idParam,
      body: updateAccountBody,
      response: { 200: accountDetailSchema, ...errorResponses },
    },
  }, async (req) => accounts.updateAccount(db, actorOf(req), req.params.id, req.body));

  r.post('/accounts/:id/archive', {
    config: { access: needs('accounts.manage') },
    schema: { tags: ['accounts'], summary: 'Archive (accounts are never deleted)', params: idParam, body: z.strictObject({ version: versionField }), response: { 200: accountDetailSchema, ...errorResponses } },
  }, async (req) => accounts.setArchived(db, actorOf(req), req.params.id, true, req.body.version));

  r.post('/accounts/:id/restore', {
    config: { access: needs('accounts.manage') },
    schema: { tags: ['accounts'], params: idParam, body: z.strictObject({ version: versionField }), response: { 200: accountDetailSchema, ...errorResponses } },
  }, async (req) => accounts.setArchived(db, actorOf(req), req.params.id, false, req.body.version));

  r.get('/accounts/:id/history', {
    config: { access: needs('accounts.read') },
    schema: {
      tags: ['accounts'],
      summary: 'Owner, tier and status changes of the account, newest first',
      params: idParam,
      response: {
        200: z.object({
          items: z.array(z.object({
            id: z.number().int(), field: z.string(), oldValue: z.string().nullable(), newValue: z.string().nullable(),
            oldLabel: z.string().nullable(), newLabel: z.string().nullable(), reason: z.string().nullable(), actorName: z.string().nullable(), createdAt: z.number().int(),
          })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => ({ items: await accounts.accountHistory(db, actorOf(req), req.params.id) }));

  r.get('/accounts/:id/profile', {
    config: { access: needs('accounts.read') },
    schema: { tags: ['accounts'], summary: 'Key-account profile and account plan (docs/archive.md)', params: idParam, response: { 200: profileSchema, ...errorResponses } },
  }, async (req) => profile.getProfile(db, actorOf(req), req.params.id));

  r.put('/accounts/:id/profile', {
    config: { access: needs('accounts.write') },
    schema: {
      tags: ['accounts'],
      summary: 'Save the key-account profile and plan (A-tier and named accounts); version 0 creates it',
      params: idParam,
      body: z.strictObject({ version: z.number().int().min(0).max(INT4_MAX), ...profileShape }),
      response: { 200: profileSchema, ...errorResponses },
    },
  }, async (req) => profile.saveProfile(db, actorOf(req), req.params.id, req.body));
}
