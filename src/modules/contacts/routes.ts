import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as contract from '../../contracts/contacts.ts';
import { contactListQuery, contactSchema, opportunityQuery, roleSchema } from '../../contracts/contacts.ts';
import { cappedPage, errorResponses, idParam, versionField } from '../../contracts/common.ts';
import { actorOf } from '../../server/request.ts';
import * as contacts from './service.ts';
import { needs } from '../../server/access.ts';
import { fastOkSerializer } from '../../server/fast-json.ts';

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
        response: { 200: cappedPage(contactSchema), ...errorResponses },
      },
      // The list page, asked for on every visit: written straight from the schema (src/server/fast-json.ts).
      serializerCompiler: fastOkSerializer(cappedPage(contactSchema)),
    },
    async (req) => contacts.listContacts(db, actorOf(req), req.query),
  );

  routes.post(
    '/contacts',
    {
      config: { access: needs('accounts.write') },
      schema: {
        tags: ['contacts'],
        body: contract.createContactBody,
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
        body: contract.updateContactBody,
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
        response: { 200: contract.roleListResponse, ...errorResponses },
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
        body: contract.createRoleBody,
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
        body: contract.updateRoleBody,
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
          200: contract.relationshipMapResponse,
          ...errorResponses,
        },
      },
    },
    async (req) => contacts.relationshipMap(db, actorOf(req), req.params.id, req.query.opportunityId ?? null),
  );
}
