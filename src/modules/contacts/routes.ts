import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ATTITUDES, BUYING_ROLES, INFLUENCE_LEVELS, TIERS } from '../../domain/accounts.ts';
import { contactListQuery } from '../../contracts/contacts.ts';
import {
  errorResponses,
  idParam,
  optionalText,
  page,
  text,
  versionField,
  queryId,
  recordId,
} from '../../contracts/common.ts';
import { actorOf } from '../../server/request.ts';
import * as contacts from './service.ts';
import { needs } from '../../server/access.ts';

export const contactSchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  accountName: z.string(),
  accountTier: z.enum(TIERS),
  accountOwnerId: z.number().int().nullable(),
  accountOwnerName: z.string().nullable(),
  name: z.string(),
  title: z.string().nullable(),
  department: z.string().nullable(),
  reportsToId: z.number().int().nullable(),
  phone: z.string().nullable(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  wechat: z.string().nullable(),
  birthday: z.string().nullable(),
  notes: z.string().nullable(),
  archived: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  version: z.number().int(),
});

const contactFields = {
  title: optionalText(100),
  department: optionalText(100),
  reportsToId: recordId.nullable().optional().describe('the contact this one reports to (same account)'),
  phone: optionalText(40),
  mobile: optionalText(40),
  email: z
    .string()
    .trim()
    .max(254)
    .pipe(z.email('must be a valid email address'))
    .meta({ format: 'email' })
    .nullable()
    .optional(),
  wechat: optionalText(60),
  birthday: z.iso.date('must be a date YYYY-MM-DD').nullable().optional(),
  notes: optionalText(5000).describe('interests, topics they enjoy (docs/archive.md § Buying roles)'),
};

export const roleSchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  opportunityId: z.number().int().nullable(),
  contactId: z.number().int(),
  contactName: z.string(),
  role: z.enum(BUYING_ROLES),
  attitude: z.enum(ATTITUDES),
  influence: z.enum(INFLUENCE_LEVELS),
  relationship: z.number().int().min(1).max(5),
  holderUserId: z.number().int().nullable(),
  holderName: z.string().nullable(),
  notes: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.number().int(),
});

const roleFields = {
  attitude: z.enum(ATTITUDES).optional(),
  influence: z.enum(INFLUENCE_LEVELS).optional(),
  relationship: z
    .number()
    .int()
    .min(1, 'must be 1–5')
    .max(5, 'must be 1–5')
    .optional()
    .describe('1 unknown, 2 acquainted, 3 trusting, 4 supportive, 5 ally'),
  holderUserId: recordId.nullable().optional().describe('which of our people holds the relationship'),
  notes: optionalText(2000),
};

const gapSchema = z.object({
  kind: z.enum(['missing_role', 'weak_high_influence', 'no_holder', 'opponent']),
  role: z.enum(BUYING_ROLES),
  contactId: z.number().int().optional(),
  influence: z.enum(INFLUENCE_LEVELS).optional(),
});

const opportunityQuery = z.strictObject({
  opportunityId: queryId.optional().describe('roles on this opportunity; account-level roles when absent'),
});

export default async function contactRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/contacts',
    {
      config: { access: needs('accounts.read') },
      schema: {
        tags: ['contacts'],
        summary: 'Contacts of the accounts the caller may see',
        querystring: contactListQuery,
        response: { 200: page(contactSchema), ...errorResponses },
      },
    },
    async (req) => contacts.listContacts(db, actorOf(req), req.query),
  );

  routes.post(
    '/contacts',
    {
      config: { access: needs('accounts.write') },
      schema: {
        tags: ['contacts'],
        body: z.strictObject({ accountId: recordId, name: text(100), ...contactFields }),
        response: { 201: contactSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await contacts.createContact(db, actorOf(req), req.body)),
  );

  routes.get(
    '/contacts/:id',
    {
      config: { access: needs('accounts.read') },
      schema: { tags: ['contacts'], params: idParam, response: { 200: contactSchema, ...errorResponses } },
    },
    async (req) => contacts.getContact(db, actorOf(req), req.params.id),
  );

  routes.patch(
    '/contacts/:id',
    {
      config: { access: needs('accounts.write') },
      schema: {
        tags: ['contacts'],
        params: idParam,
        body: z.strictObject({ version: versionField, name: text(100).optional(), ...contactFields }),
        response: { 200: contactSchema, ...errorResponses },
      },
    },
    async (req) => contacts.updateContact(db, actorOf(req), req.params.id, req.body),
  );

  routes.post(
    '/contacts/:id/archive',
    {
      config: { access: needs('accounts.manage') },
      schema: {
        tags: ['contacts'],
        summary: 'Archive (contacts are never deleted)',
        params: idParam,
        body: z.strictObject({ version: versionField }),
        response: { 200: contactSchema, ...errorResponses },
      },
    },
    async (req) => contacts.setContactArchived(db, actorOf(req), req.params.id, true, req.body.version),
  );

  routes.post(
    '/contacts/:id/restore',
    {
      config: { access: needs('accounts.manage') },
      schema: {
        tags: ['contacts'],
        params: idParam,
        body: z.strictObject({ version: versionField }),
        response: { 200: contactSchema, ...errorResponses },
      },
    },
    async (req) => contacts.setContactArchived(db, actorOf(req), req.params.id, false, req.body.version),
  );

  routes.get(
    '/accounts/:id/buying-roles',
    {
      config: { access: needs('accounts.read') },
      schema: {
        tags: ['contacts'],
        summary: 'Buying roles on the account, or on one of its opportunities',
        params: idParam,
        querystring: opportunityQuery,
        response: { 200: z.object({ items: z.array(roleSchema) }), ...errorResponses },
      },
    },
    async (req) => ({
      items: await contacts.listRoles(db, actorOf(req), req.params.id, req.query.opportunityId ?? null),
    }),
  );

  routes.post(
    '/buying-roles',
    {
      config: { access: needs('accounts.write') },
      schema: {
        tags: ['contacts'],
        summary: 'Give a contact a buying role (docs/archive.md § Buying roles), at account level or on an opportunity',
        body: z.strictObject({
          contactId: recordId,
          opportunityId: recordId.nullable().optional(),
          role: z.enum(BUYING_ROLES),
          ...roleFields,
        }),
        response: { 201: roleSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await contacts.createRole(db, actorOf(req), req.body)),
  );

  routes.patch(
    '/buying-roles/:id',
    {
      config: { access: needs('accounts.write') },
      schema: {
        tags: ['contacts'],
        params: idParam,
        body: z.strictObject({ version: versionField, role: z.enum(BUYING_ROLES).optional(), ...roleFields }),
        response: { 200: roleSchema, ...errorResponses },
      },
    },
    async (req) => contacts.updateRole(db, actorOf(req), req.params.id, req.body),
  );

  routes.delete(
    '/buying-roles/:id',
    {
      config: { access: needs('accounts.write') },
      schema: {
        tags: ['contacts'],
        summary: 'Remove a role assignment (the contact stays)',
        params: idParam,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await contacts.deleteRole(db, actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  routes.get(
    '/accounts/:id/relationship-map',
    {
      config: { access: needs('accounts.read') },
      schema: {
        tags: ['contacts'],
        summary:
          'The relationship map (渔网图): contacts with reporting lines and roles, our people, gaps and coverage score',
        params: idParam,
        querystring: opportunityQuery,
        response: {
          200: z.object({
            contacts: z.array(contactSchema.extend({ roles: z.array(roleSchema) })),
            holders: z.array(z.object({ userId: z.number().int(), name: z.string() })),
            gaps: z.array(gapSchema),
            coverage: z.number().int().min(0).max(100),
            parts: z.object({ roles: z.number(), relationships: z.number(), support: z.number() }),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => contacts.relationshipMap(db, actorOf(req), req.params.id, req.query.opportunityId ?? null),
  );
}
