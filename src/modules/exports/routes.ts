import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, fileResponse } from '../../contracts/common.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import { exportOpportunities } from './opportunities.ts';
import { exportActivities } from '../activities/export.ts';
import { exportReport } from './reports.ts';
import * as contract from '../../contracts/exports.ts';
import * as exports from './service.ts';
import { needs } from '../../server/access.ts';

function send(reply: FastifyReply, file: exports.ExportFile) {
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_');
  return reply
    .header('content-type', file.contentType)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    )
    .header('x-export-rows', String(file.rows))
    .header('cache-control', 'no-store')
    .send(file.body);
}

export default async function exportRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/accounts/export',
    {
      config: { access: needs('export') },
      schema: {
        tags: ['accounts'],
        summary:
          'Download the account list (same filters and visibility as GET /accounts) as CSV or xlsx; needs the export permission and is audited',
        querystring: contract.accountExportQuery,
        response: { ...fileResponse, ...errorResponses },
      },
    },
    async (req, reply) => send(reply, await exports.exportAccounts(db, actorOf(req), req.query, ipOf(req))),
  );

  routes.get(
    '/contacts/export',
    {
      config: { access: needs('export') },
      schema: {
        tags: ['contacts'],
        summary:
          'Download the contact list (same filters and visibility as GET /contacts) as CSV or xlsx; needs the export permission and is audited',
        querystring: contract.contactExportQuery,
        response: { ...fileResponse, ...errorResponses },
      },
    },
    async (req, reply) => send(reply, await exports.exportContacts(db, actorOf(req), req.query, ipOf(req))),
  );

  routes.get(
    '/opportunities/export',
    {
      config: { access: needs('export') },
      schema: {
        tags: ['opportunities'],
        summary:
          'Download the opportunity list (same filters and visibility as GET /opportunities) as CSV or xlsx; needs the export permission and is audited',
        querystring: contract.opportunityExportQuery,
        response: { ...fileResponse, ...errorResponses },
      },
    },
    async (req, reply) => send(reply, await exportOpportunities(db, actorOf(req), req.query, ipOf(req))),
  );

  routes.get(
    '/activities/export',
    {
      config: { access: needs('export') },
      schema: {
        tags: ['activities'],
        summary:
          'Download the activity list (same filters and visibility as GET /activities) as CSV or xlsx; needs the export permission and is audited',
        querystring: contract.activityExportQuery,
        response: { ...fileResponse, ...errorResponses },
      },
    },
    async (req, reply) => send(reply, await exportActivities(db, actorOf(req), req.query, ipOf(req))),
  );

  routes.get(
    '/forecasts/export',
    {
      config: { access: needs('export') },
      schema: {
        tags: ['forecasts'],
        summary:
          'Download a report of docs/targets.md (forecast, accuracy, gap, analyses) for the scope and period it is shown with; needs the export permission and is audited',
        querystring: contract.reportExportQuery,
        response: { ...fileResponse, ...errorResponses },
      },
    },
    async (req, reply) => send(reply, await exportReport(db, actorOf(req), req.query, ipOf(req))),
  );
}
