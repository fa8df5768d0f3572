import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_SIGNED_IN, needs } from '../../server/access.ts';
import { email, errorResponses, idParam, listQuery, optionalText, page, password, queryBool, text, versionField, queryId, recordId } from '../../contracts/common.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import { LOCALES, ROLES } from '../../domain/roles.ts';
import * as users from './service.ts';

export const userSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  orgUnitPath: z.array(z.string()).describe('names of the units from the top of the organisation down to the user\'s unit'),
  orgUnitLabel: z.string().describe('the shortest tail of orgUnitPath, joined by " / ", that no other active unit shares: "上海分公司 / 销售一部"'),
  title: z.string().nullable(),
  phone: z.string().nullable(),
  active: z.boolean(),
  locale: z.enum(LOCALES),
  canExport: z.boolean(),
  mustChangePassword: z.boolean().describe('the password was set by an administrator; until the user changes it, the API refuses everything but /auth/me, /auth/password and /auth/logout (403 password_change_required)'),
  createdAt: z.number().int().describe('epoch milliseconds'),
  updatedAt: z.number().int(),
  deactivatedAt: z.number().int().nullable(),
  version: z.number().int(),
});

const listUsersQuery = listQuery(['name', 'email', 'role', 'createdAt'], 'name', {
  q: z.string().trim().max(100).optional().describe('substring of name or email'),
  role: z.enum(ROLES).optional(),
  orgUnitId: queryId.optional().describe('unit, including its sub-units'),
  active: queryBool,
});

const versionBody = z.strictObject({ version: versionField });

export default async function userRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  r.get('/users', {
    config: { access: ANY_SIGNED_IN },
    schema: {
      tags: ['users'],
      summary: 'Users the caller may see: all for admin/executive, the subtree for a manager, the own unit otherwise',
      querystring: listUsersQuery,
      response: { 200: page(userSchema), ...errorResponses },
    },
  }, async (req) => users.listUsers(db, actorOf(req), req.query));

  r.get('/users/:id', {
    config: { access: ANY_SIGNED_IN },
    schema: { tags: ['users'], params: idParam, response: { 200: userSchema, ...errorResponses } },
  }, async (req) => users.getUser(db, actorOf(req), req.params.id));

  r.post('/users', {
    config: { access: needs('users.administer') },
    schema: {
      tags: ['users'],
      summary: 'Create a user, who must change the given password at the first sign-in',
      body: z.strictObject({
        email,
        name: text(100),
        role: z.enum(ROLES),
        orgUnitId: recordId,
        password,
        title: optionalText(100),
        phone: optionalText(40),
        locale: z.enum(LOCALES).optional(),
        canExport: z.boolean().optional().describe('defaults by role: on for admin, executive, manager, finance'),
      }),
      response: { 201: userSchema, ...errorResponses },
    },
  }, async (req, reply) => reply.code(201).send(await users.createUser(db, actorOf(req), req.body, ipOf(req))));

  r.patch('/users/:id', {
    config: { access: needs('users.administer') },
    schema: {
      tags: ['users'],
      summary: 'Change a user: name, email, role, unit, export permission',
      params: idParam,
      body: z.strictObject({
        version: versionField,
        email: email.optional(),
        name: text(100).optional(),
        role: z.enum(ROLES).optional(),
        orgUnitId: recordId.optional(),
        title: optionalText(100),
        phone: optionalText(40),
        canExport: z.boolean().optional(),
      }),
      response: { 200: userSchema, ...errorResponses },
    },
  }, async (req) => users.updateUser(db, actorOf(req), req.params.id, req.body, ipOf(req)));

  r.post('/users/:id/password', {
    config: { access: needs('users.administer') },
    schema: {
      tags: ['users'],
      summary: "Reset a user's password; ends all their sessions, and the user must change it at the next sign-in",
      params: idParam,
      body: z.strictObject({ version: versionField, password }),
      response: { 200: userSchema, ...errorResponses },
    },
  }, async (req) => users.resetPassword(db, actorOf(req), req.params.id, req.body, ipOf(req)));

  r.post('/users/:id/deactivate', {
    config: { access: needs('users.administer') },
    schema: { tags: ['users'], summary: 'Deactivate a user; ends their sessions at once. 409 handover_required (with accounts, opportunities, territories, handoverId) while the user owns live accounts, open opportunities or active territory rules, or a handover is in progress: complete a handover instead', params: idParam, body: versionBody, response: { 200: userSchema, ...errorResponses } },
  }, async (req) => users.setActive(db, actorOf(req), req.params.id, false, req.body.version, ipOf(req)));

  r.post('/users/:id/activate', {
    config: { access: needs('users.administer') },
    schema: { tags: ['users'], summary: 'Reactivate a user', params: idParam, body: versionBody, response: { 200: userSchema, ...errorResponses } },
  }, async (req) => users.setActive(db, actorOf(req), req.params.id, true, req.body.version, ipOf(req)));
}
