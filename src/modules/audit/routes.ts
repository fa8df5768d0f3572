import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses } from '../../contracts/common.ts';
import * as contract from '../../contracts/audit.ts';
import { actorOf } from '../../server/request.ts';
import { listAuditLog } from './service.ts';
import { needs } from '../../server/access.ts';

export default async function auditRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(
    '/audit-log',
    {
      config: { access: needs('audit.read') },
      schema: {
        tags: ['audit'],
        summary: 'Sign-ins, exports and permission changes of the workspace, newest first',
        querystring: contract.auditListQuery,
        response: { 200: contract.auditPage, ...errorResponses },
      },
    },
    async (req) => listAuditLog(app.db, actorOf(req), req.query),
  );
}
