import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_SIGNED_IN, needs } from '../../server/access.ts';
import { errorResponses, idParam, page, versionField } from '../../contracts/common.ts';
import * as contract from '../../contracts/users.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as users from './service.ts';

const versionBody = z.strictObject({ version: versionField });

export default async function userRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/users',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['users'],
        summary: 'Users the caller may see: all for admin/executive, the subtree for a manager, the own unit otherwise',
        querystring: contract.listUsersQuery,
        response: { 200: page(contract.userSchema), ...errorResponses },
      },
    },
    async (req) => users.listUsers(db, actorOf(req), req.query),
  );

  routes.get(
    '/users/:id',
    {
      config: { access: ANY_SIGNED_IN },
      schema: { tags: ['users'], params: idParam, response: { 200: contract.userSchema, ...errorResponses } },
    },
    async (req) => users.getUser(db, actorOf(req), req.params.id),
  );

  routes.post(
    '/users',
    {
      config: { access: needs('users.administer') },
      schema: {
        tags: ['users'],
        summary: 'Create a user, who must change the given password at the first sign-in',
        body: contract.createUserRequest,
        response: { 201: contract.userSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await users.createUser(db, actorOf(req), req.body, ipOf(req))),
  );

  routes.patch(
    '/users/:id',
    {
      config: { access: needs('users.administer') },
      schema: {
        tags: ['users'],
        summary: 'Change a user: name, email, role, unit, export permission',
        params: idParam,
        body: contract.updateUserRequest,
        response: { 200: contract.userSchema, ...errorResponses },
      },
    },
    async (req) => users.updateUser(db, actorOf(req), req.params.id, req.body, ipOf(req)),
  );

  routes.post(
    '/users/:id/password',
    {
      config: { access: needs('users.administer') },
      schema: {
        tags: ['users'],
        summary: "Reset a user's password; ends all their sessions, and the user must change it at the next sign-in",
        params: idParam,
        body: contract.resetPasswordRequest,
        response: { 200: contract.userSchema, ...errorResponses },
      },
    },
    async (req) => users.resetPassword(db, actorOf(req), req.params.id, req.body, ipOf(req)),
  );

  routes.post(
    '/users/:id/deactivate',
    {
      config: { access: needs('users.administer') },
      schema: {
        tags: ['users'],
        summary:
          'Deactivate a user; ends their sessions at once. 409 handover_required (with accounts, opportunities, territories, handoverId) while the user owns live accounts, open opportunities or active territory rules, or a handover is in progress: complete a handover instead',
        params: idParam,
        body: versionBody,
        response: { 200: contract.userSchema, ...errorResponses },
      },
    },
    async (req) => users.setActive(db, actorOf(req), req.params.id, false, req.body.version, ipOf(req)),
  );

  routes.post(
    '/users/:id/activate',
    {
      config: { access: needs('users.administer') },
      schema: {
        tags: ['users'],
        summary: 'Reactivate a user',
        params: idParam,
        body: versionBody,
        response: { 200: contract.userSchema, ...errorResponses },
      },
    },
    async (req) => users.setActive(db, actorOf(req), req.params.id, true, req.body.version, ipOf(req)),
  );
}
