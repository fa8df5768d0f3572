import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as contract from '../../contracts/auth.ts';
import { ANY_SIGNED_IN } from '../../server/access.ts';
import { errorResponses, problemSchema } from '../../contracts/common.ts';
import { actorOf, ipOf, SESSION_COOKIE, sessionOf, setSessionCookie } from '../../server/request.ts';
import { capabilities, unitReach } from '../../domain/policy.ts';
import { CAPABILITIES } from '../../contracts/capabilities.ts';
import { getUser, updateMe } from '../users/service.ts';
import { getWorkspace } from '../workspace/service.ts';
import * as auth from './service.ts';

export default async function authRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app;

  async function me(req: FastifyRequest): Promise<contract.Me> {
    const actor = actorOf(req);
    const [user, workspace] = await Promise.all([getUser(db, actor, actor.userId), getWorkspace(db, actor)]);
    const held = capabilities(actor);
    return { user, workspace, reach: unitReach(actor).kind, capabilities: CAPABILITIES.filter((c) => held.has(c)) };
  }

  routes.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: contract.loginRequest,
        response: { 200: contract.meSchema, 400: problemSchema, 401: problemSchema, 429: problemSchema },
      },
    },
    async (req, reply) => {
      const result = await auth.login(db, config, {
        email: req.body.email,
        password: req.body.password,
        ip: ipOf(req),
        userAgent: req.headers['user-agent'] ?? null,
      });
      setSessionCookie(req, reply, result.token, config.sessionAbsoluteMs);
      const resolved = await auth.resolveSession(db, config, result.token);
      req.actor = resolved!.actor;
      req.sessionId = resolved!.sessionId;
      return me(req);
    },
  );

  routes.post(
    '/auth/logout',
    {
      config: { access: ANY_SIGNED_IN, beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign out: ends this session',
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await auth.logout(db, sessionOf(req), actorOf(req), ipOf(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  routes.get(
    '/auth/me',
    {
      config: { access: ANY_SIGNED_IN, beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, their workspace and permissions',
        response: { 200: contract.meSchema, ...errorResponses },
      },
    },
    async (req) => me(req),
  );

  routes.patch(
    '/auth/me',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['auth'],
        summary: 'Change own name, phone or interface language',
        body: contract.updateMeRequest,
        response: { 200: contract.meSchema, ...errorResponses },
      },
    },
    async (req) => {
      await updateMe(db, actorOf(req), req.body);
      return me(req);
    },
  );

  routes.post(
    '/auth/password',
    {
      config: { access: ANY_SIGNED_IN, beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary:
          'Change own password; signs out other sessions. The one route, with GET /auth/me and POST /auth/logout, open to a user who must change an administrator-set password',
        body: contract.changePasswordRequest,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await auth.changeOwnPassword(db, actorOf(req), sessionOf(req), req.body, ipOf(req));
      return reply.code(204).send(null);
    },
  );
}
