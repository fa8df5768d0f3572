import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, csvResponse, errorResponses, idParam } from '../../contracts/common.ts';
import * as contract from '../../contracts/imports.ts';
import { isSqliteBusy } from '../../db/dialect.ts';
import { actorOf } from '../../server/request.ts';
import { rawBody } from '../../server/raw-body.ts';
import { startLeaseSweeper } from './lease.ts';
import { IMPORT_LIMITS } from './limits.ts';
import * as imports from './service.ts';
import * as reportFiles from './report-files.ts';
import { needs } from '../../server/access.ts';

/** Who imports: the roles that create accounts and contacts (presales and executives do not, docs/organisation.md). */
const MAX_FILE_BYTES = IMPORT_LIMITS.fileBytes;

export default async function importRoutes(app: FastifyInstance) {
  // The file is the raw body (CSV or xlsx, any content type but JSON); only in this plugin.
  app.addContentTypeParser('*', rawBody(MAX_FILE_BYTES));
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  // Imports whose process stopped (lease expired) are marked interrupted, at start-up and then
  // periodically (lease.ts). On SQLite a commit holding the write lock makes a sweep fail busy at
  // once (db.noWait): skipped, the next one runs in 15 s.
  let stopSweeper: (() => void) | undefined;
  app.addHook('onReady', async () => {
    stopSweeper = startLeaseSweeper(db.noWait, (err) => {
      if (!isSqliteBusy(err)) app.log.warn({ err }, 'import lease sweep failed');
    });
  });
  app.addHook('onClose', async () => stopSweeper?.());

  routes.post(
    '/imports',
    {
      config: { access: needs('import') },
      bodyLimit: MAX_FILE_BYTES,
      schema: {
        tags: ['imports'],
        summary:
          'Upload a CSV (UTF-8 or GBK/GB18030) or .xlsx file as the raw request body (e.g. application/octet-stream); answers the headers, a preview and a suggested mapping. The file is read in a worker under caps (rows, columns per row, cell length, stored size, inflated bytes of the workbook): one over a cap is refused with a 400 whose code names it and `limit: { name, max }`',
        upload: {
          mediaTypes: [CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, 'application/octet-stream'],
          description: "the file's bytes (at most 50 MB)",
        },
        querystring: contract.uploadQuery,
        response: { 201: contract.jobDetailSchema, ...errorResponses, 413: errorResponses[400] },
      },
    },
    async (req, reply) => {
      const body = Buffer.isBuffer(req.body) ? req.body : undefined;
      return reply.code(201).send(await imports.createImport(db, actorOf(req), req.query, body));
    },
  );

  routes.get(
    '/imports',
    {
      config: { access: needs('import') },
      schema: {
        tags: ['imports'],
        summary: "The caller's imports, newest first (admins: all=true for the workspace's)",
        querystring: contract.listImportsQuery,
        response: { 200: contract.jobPage, ...errorResponses },
      },
    },
    async (req) => imports.listImports(db, actorOf(req), req.query),
  );

  routes.get(
    '/imports/template',
    {
      config: { access: needs('import') },
      schema: {
        tags: ['imports'],
        summary:
          "An empty file to fill in: the kind's columns as the import recognises them, headers in the language asked (CSV, UTF-8 with a byte-order mark)",
        querystring: contract.templateQuery,
        response: { ...csvResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      const file = reportFiles.templateCsv(req.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${req.query.kind}-template.csv"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        )
        .send(file.body);
    },
  );

  routes.get(
    '/imports/:id',
    {
      config: { access: needs('import') },
      schema: {
        tags: ['imports'],
        summary: 'An import with its progress (only its importer and admins see it)',
        params: idParam,
        response: { 200: contract.jobDetailSchema, ...errorResponses },
      },
    },
    async (req) => imports.getImport(db, actorOf(req), req.params.id),
  );

  routes.post(
    '/imports/:id/validate',
    {
      config: { access: needs('import') },
      schema: {
        tags: ['imports'],
        summary:
          'Save the column mapping (remembered for next time) and start the dry run; poll GET /imports/:id for progress',
        params: idParam,
        body: contract.validateRequest,
        response: { 202: contract.jobDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(202).send(await imports.startValidation(db, actorOf(req), req.params.id, req.body)),
  );

  routes.post(
    '/imports/:id/commit',
    {
      config: { access: needs('import') },
      schema: {
        tags: ['imports'],
        summary: 'Write the validated rows, all or nothing; rows with errors block it unless skipErrors',
        params: idParam,
        body: contract.commitRequest,
        response: { 202: contract.jobDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(202).send(await imports.commitImport(db, actorOf(req), req.params.id, req.body)),
  );

  const reportRows = { 200: contract.reportRowPage, ...errorResponses };

  routes.get(
    '/imports/:id/errors',
    {
      config: { access: needs('import') },
      schema: {
        tags: ['imports'],
        summary: 'The dry-run report: each bad row with its problems (field, code, message)',
        params: idParam,
        querystring: contract.reportPageQuery,
        response: reportRows,
      },
    },
    async (req) => reportFiles.listReportRows(db, actorOf(req), req.params.id, 'errors', req.query),
  );

  routes.get(
    '/imports/:id/warnings',
    {
      config: { access: needs('import') },
      schema: {
        tags: ['imports'],
        summary:
          'Rows that will be created but deserve a look: names resembling an existing account (code similar_existing)',
        params: idParam,
        querystring: contract.reportPageQuery,
        response: reportRows,
      },
    },
    async (req) => reportFiles.listReportRows(db, actorOf(req), req.params.id, 'warnings', req.query),
  );

  routes.get(
    '/imports/:id/duplicates',
    {
      config: { access: needs('import') },
      schema: {
        tags: ['imports'],
        summary:
          'Rows matching a record (codes duplicate_existing, duplicate_in_file), with what the commit will do with each: skip, update, create anyway, or error',
        params: idParam,
        querystring: contract.reportPageQuery,
        response: reportRows,
      },
    },
    async (req) => reportFiles.listReportRows(db, actorOf(req), req.params.id, 'duplicates', req.query),
  );

  routes.get(
    '/imports/:id/errors/csv',
    {
      config: { access: needs('import') },
      schema: {
        tags: ['imports'],
        summary: "The error report as a CSV file (row, field, problem, and the row's cells)",
        params: idParam,
        response: { ...csvResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      const file = await reportFiles.errorReportCsv(db, actorOf(req), req.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="import-errors.csv"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        )
        .send(Readable.from(file.lines) as never);
    },
  );
}
