import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_SIGNED_IN, needs } from '../../server/access.ts';
import { email, errorResponses, password, problemSchema, text, versionField } from '../../contracts/common.ts';
import { actorOf, ipOf, setSessionCookie } from '../../server/request.ts';
import { LOCALES } from '../../domain/roles.ts';
import { login } from '../auth/service.ts';
import * as ws from './service.ts';

export const workspaceSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  currency: z.string(),
  timeZone: z.string(),
  fiscalYearStartMonth: z.number().int(),
  version: z.number().int(),
});

const timeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Asia/Shanghai')
  // Documented as the runtime's canonical zone names; the check also takes aliases (Asia/Chongqing).
  .meta({ enum: Intl.supportedValuesOf('timeZone') });

export default async function workspaceRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app;

  r.get('/setup', {
    config: { access: 'public' },
    schema: { tags: ['setup'], summary: 'Whether this installation still needs its first workspace', response: { 200: z.object({ needed: z.boolean() }) } },
  }, async () => ({ needed: (await ws.countWorkspaces(db.kysely)) === 0 }));

  r.post('/setup', {
    config: { access: 'public' },
    schema: {
      tags: ['setup'],
      summary: 'Create the first workspace and its administrator, and sign in (only on an empty installation)',
      body: z.strictObject({
        workspaceName: text(100),
        adminName: text(100),
        adminEmail: email,
        adminPassword: password,
        locale: z.enum(LOCALES).optional(),
        timeZone: timeZone.optional(),
        currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code').optional(),
      }),
      response: { 201: z.object({ workspaceId: z.number().int() }), 400: problemSchema, 409: problemSchema },
    },
  }, async (req, reply) => {
    const b = req.body;
    const created = await ws.setupFirstWorkspace(db, {
      name: b.workspaceName,
      admin: { email: b.adminEmail, name: b.adminName, password: b.adminPassword, locale: b.locale ?? 'zh-CN' },
      ...(b.timeZone ? { timeZone: b.timeZone } : {}),
      ...(b.currency ? { currency: b.currency } : {}),
    });
    const session = await login(db, config, { email: b.adminEmail, password: b.adminPassword, ip: ipOf(req), userAgent: req.headers['user-agent'] ?? null });
    setSessionCookie(req, reply, session.token, config.sessionAbsoluteMs);
    return reply.code(201).send({ workspaceId: created.workspaceId });
  });

  r.get('/workspace', {
    config: { access: ANY_SIGNED_IN },
    schema: { tags: ['workspace'], summary: "The caller's workspace settings", response: { 200: workspaceSchema, ...errorResponses } },
  }, async (req) => ws.getWorkspace(db, actorOf(req)));

  r.patch('/workspace', {
    config: { access: needs('workspace.administer') },
    schema: {
      tags: ['workspace'],
      summary: 'Change workspace settings',
      body: z.strictObject({
        version: versionField,
        name: text(100).optional(),
        currency: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code').optional(),
        timeZone: timeZone.optional(),
        fiscalYearStartMonth: z.number().int().min(1).max(12).optional(),
      }),
      response: { 200: workspaceSchema, ...errorResponses },
    },
  }, async (req) => ws.updateWorkspace(db, actorOf(req), req.body, ipOf(req)));
}
