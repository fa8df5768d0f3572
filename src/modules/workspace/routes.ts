import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ANY_SIGNED_IN, needs } from '../../server/access.ts';
import { errorResponses, problemSchema } from '../../contracts/common.ts';
import * as contract from '../../contracts/workspace.ts';
import { actorOf, ipOf, setSessionCookie } from '../../server/request.ts';
import { login } from '../auth/service.ts';
import * as ws from './service.ts';

export default async function workspaceRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app;

  routes.get(
    '/setup',
    {
      config: { access: 'public' },
      schema: {
        tags: ['setup'],
        summary: 'Whether this installation still needs its first workspace',
        response: { 200: contract.setupStatusResponse },
      },
    },
    async () => ({ needed: (await ws.countWorkspaces(db.kysely)) === 0 }),
  );

  routes.post(
    '/setup',
    {
      config: { access: 'public' },
      schema: {
        tags: ['setup'],
        summary: 'Create the first workspace and its administrator, and sign in (only on an empty installation)',
        body: contract.setupRequest,
        response: { 201: contract.setupResponse, 400: problemSchema, 409: problemSchema },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const created = await ws.setupFirstWorkspace(db, {
        name: body.workspaceName,
        admin: {
          email: body.adminEmail,
          name: body.adminName,
          password: body.adminPassword,
          locale: body.locale ?? 'zh-CN',
        },
        ...(body.timeZone ? { timeZone: body.timeZone } : {}),
        ...(body.currency ? { currency: body.currency } : {}),
      });
      const session = await login(db, config, {
        email: body.adminEmail,
        password: body.adminPassword,
        ip: ipOf(req),
        userAgent: req.headers['user-agent'] ?? null,
      });
      setSessionCookie(req, reply, session.token, config.sessionAbsoluteMs);
      return reply.code(201).send({ workspaceId: created.workspaceId });
    },
  );

  routes.get(
    '/workspace',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['workspace'],
        summary: "The caller's workspace settings",
        response: { 200: contract.workspaceSchema, ...errorResponses },
      },
    },
    async (req) => ws.getWorkspace(db, actorOf(req)),
  );

  routes.patch(
    '/workspace',
    {
      config: { access: needs('workspace.administer') },
      schema: {
        tags: ['workspace'],
        summary: 'Change workspace settings',
        body: contract.updateWorkspaceRequest,
        response: { 200: contract.workspaceSchema, ...errorResponses },
      },
    },
    async (req) => ws.updateWorkspace(db, actorOf(req), req.body, ipOf(req)),
  );
}
