import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_SIGNED_IN } from '../../server/access.ts';
import { errorResponses, optionalText, password, problemSchema, text } from '../../contracts/common.ts';
import { actorOf, ipOf, SESSION_COOKIE, sessionOf, setSessionCookie } from '../../server/request.ts';
import { LOCALES } from '../../domain/roles.ts';
import { capabilities, unitReach } from '../../domain/policy.ts';
import { CAPABILITIES } from '../../contracts/capabilities.ts';
import { getUser, updateMe } from '../users/service.ts';
import { getWorkspace } from '../workspace/service.ts';
import { userSchema } from '../users/routes.ts';
import { workspaceSchema } from '../workspace/routes.ts';
import * as auth from './service.ts';

const meSchema = z.object({
  user: userSchema,
  workspace: workspaceSchema,
  reach: z.enum(['workspace', 'subtree', 'unit']).describe('how much of the organisation the user sees: all of it (admin, executive), their subtree (manager), their own unit'),
  capabilities: z.array(z.enum(CAPABILITIES)).describe('what the user may do: route declarations name these; decided by role and the user\'s own grants'),
});

export default async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app;

  async function me(req: FastifyRequest) {
    const actor = actorOf(req);
    const [user, workspace] = await Promise.all([getUser(db, actor, actor.userId), getWorkspace(db, actor)]);
    const held = capabilities(actor);
    return { user, workspace, reach: unitReach(actor).kind, capabilities: CAPABILITIES.filter((c) => held.has(c)) };
  }

  r.post('/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email and password; sets the session cookie',
      body: z.strictObject({ email: z.string().trim().min(1, { message: 'is required', abort: true }).regex(/\S/, 'must not be empty').max(254), password: z.string().min(1, 'is required').max(128) }),
      response: { 200: meSchema, 400: problemSchema, 401: problemSchema, 429: problemSchema },
    },
  }, async (req, reply) => {
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
  });

  r.post('/auth/logout', {
    config: { access: ANY_SIGNED_IN, beforePasswordChange: true },
    schema: { tags: ['auth'], summary: 'Sign out: ends this session', response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    await auth.logout(db, sessionOf(req), actorOf(req), ipOf(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  r.get('/auth/me', {
    config: { access: ANY_SIGNED_IN, beforePasswordChange: true },
    schema: { tags: ['auth'], summary: 'The signed-in user, their workspace and permissions', response: { 200: meSchema, ...errorResponses } },
  }, async (req) => me(req));

  r.patch('/auth/me', {
    config: { access: ANY_SIGNED_IN },
    schema: {
      tags: ['auth'],
      summary: 'Change own name, phone or interface language',
      body: z.strictObject({ name: text(100).optional(), phone: optionalText(40), locale: z.enum(LOCALES).optional() }),
      response: { 200: meSchema, ...errorResponses },
    },
  }, async (req) => {
    await updateMe(db, actorOf(req), req.body);
    return me(req);
  });

  r.post('/auth/password', {
    config: { access: ANY_SIGNED_IN, beforePasswordChange: true },
    schema: {
      tags: ['auth'],
      summary: 'Change own password; signs out other sessions. The one route, with GET /auth/me and POST /auth/logout, open to a user who must change an administrator-set password',
      body: z.strictObject({ currentPassword: z.string().min(1, 'is required').max(128), newPassword: password }),
      response: { 204: z.null(), ...errorResponses },
    },
  }, async (req, reply) => {
    await auth.changeOwnPassword(db, actorOf(req), sessionOf(req), req.body, ipOf(req));
    return reply.code(204).send(null);
  });

}
