import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, page, queryId, queryInt } from '../../contracts/common.ts';
import { actorOf } from '../../server/request.ts';
import { listAuditLog } from './service.ts';
import { needs } from '../../server/access.ts';

const auditEntrySchema = z.object({
  id: z.number().int(),
  action: z.string(),
  actorUserId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.number().int().nullable(),
  subject: z.string().nullable(),
  targetName: z.string().nullable().describe('the current name of the user, unit, account, process, territory rule or import file the event is about'),
  ip: z.string().nullable(),
  detail: z.unknown().nullable(),
  createdAt: z.number().int(),
});

export default async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/audit-log', {
    config: { access: needs('audit.read') },
    schema: {
      tags: ['audit'],
      summary: 'Sign-ins, exports and permission changes of the workspace, newest first',
      querystring: z.strictObject({
        limit: queryInt(z.number().int().min(1).max(500)).default(50),
        offset: queryInt(z.number().int().min(0)).default(0),
        action: z.string().max(60).optional().describe('action prefix, e.g. "auth.login"'),
        actorUserId: queryId.optional(),
        since: queryInt(z.number().int()).optional().describe('epoch ms, inclusive'),
        until: queryInt(z.number().int()).optional().describe('epoch ms, exclusive'),
      }),
      response: { 200: page(auditEntrySchema), ...errorResponses },
    },
  }, async (req) => listAuditLog(app.db, actorOf(req), req.query));
}
