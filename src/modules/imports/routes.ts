import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { IMPORT_KINDS } from '../../domain/import-fields.ts';
import { DUPLICATE_MODES } from '../../domain/import-validate.ts';
import { TEXT_ENCODINGS } from '../../domain/spreadsheet-format.ts';
import { CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, csvResponse, errorResponses, idParam, page, queryBool, queryInt, text } from '../../contracts/common.ts';
import { isSqliteBusy } from '../../db/dialect.ts';
import { actorOf } from '../../server/request.ts';
import { startLeaseSweeper } from './lease.ts';
import { IMPORT_LIMITS } from './limits.ts';
import * as imports from './service.ts';
import { needs } from '../../server/access.ts';

/** Who imports: the roles that create accounts and contacts (presales and executives do not, docs/organisation.md). */
const MAX_FILE_BYTES = IMPORT_LIMITS.fileBytes;

const problemSchema = z.object({
  field: z.string(), code: z.string(), message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional().describe('the values the message names, for a translated text (e.g. unknown_owner: email; unknown_value: value, allowed codes; duplicate_in_file: row; ambiguous: count; reports-to problems: name)'),
});
const jobSchema = z.object({
  id: z.number().int(),
  kind: z.enum(IMPORT_KINDS),
  fileName: z.string(),
  status: z.enum(['reading', 'mapping', 'validating', 'validated', 'committing', 'committed', 'failed']),
  userId: z.number().int(),
  userName: z.string(),
  format: z.enum(['csv', 'xlsx']).nullable(),
  encoding: z.enum(TEXT_ENCODINGS).nullable(),
  detectedEncoding: z.enum(TEXT_ENCODINGS).nullable(),
  replacementChars: z.number().int().describe('undecodable characters in the first 256 KB: a sign the encoding is wrong'),
  headers: z.array(z.string()),
  mapping: z.record(z.string(), z.number().int().nullable()).nullable(),
  duplicateMode: z.enum(DUPLICATE_MODES).nullable(),
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  errorCount: z.number().int(),
  counts: z.object({ create: z.number().int(), update: z.number().int(), skip: z.number().int(), error: z.number().int(), duplicate: z.number().int(), similar: z.number().int().describe('rows to be created whose name resembles an existing account') }).nullable(),
  skipErrors: z.boolean(),
  result: z.object({ created: z.number().int(), updated: z.number().int(), skipped: z.number().int() }).nullable(),
  failure: z.string().nullable(),
  failureInfo: z.object({
    code: z.string().describe('interrupted (the process running it stopped), expired (never committed; rows removed), or the refused file\'s problem code'),
    phase: z.enum(['reading', 'validating', 'committing']).optional().describe('for interrupted: what was running'),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  }).nullable().describe('why the import failed, for a translated text'),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
const jobDetailSchema = jobSchema.extend({
  suggestedMapping: z.record(z.string(), z.number().int().nullable()).describe('remembered mapping, else header heuristics (zh/en)'),
  preview: z.array(z.object({ rowNo: z.number().int(), cells: z.array(z.string()) })),
});

export default async function importRoutes(app: FastifyInstance) {
  // The file is the raw body (CSV or xlsx, any content type but JSON); only in this plugin.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES }, (_req, body, done) => done(null, body));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  // Imports whose process stopped (lease expired) are marked interrupted, at start-up and then
  // periodically (lease.ts). On SQLite a commit holding the write lock makes a sweep wait: skipped.
  let stopSweeper: (() => void) | undefined;
  app.addHook('onReady', async () => {
    stopSweeper = startLeaseSweeper(db.kysely, (err) => {
      if (!isSqliteBusy(err)) app.log.warn({ err }, 'import lease sweep failed');
    });
  });
  app.addHook('onClose', async () => stopSweeper?.());

  r.post('/imports', {
    config: { access: needs('import') },
    bodyLimit: MAX_FILE_BYTES,
    schema: {
      tags: ['imports'],
      summary: 'Upload a CSV (UTF-8 or GBK/GB18030) or .xlsx file as the raw request body (e.g. application/octet-stream); answers the headers, a preview and a suggested mapping. The file is read in a worker under caps (rows, columns per row, cell length, stored size, inflated bytes of the workbook): one over a cap is refused with a 400 whose code names it and `limit: { name, max }`',
      upload: { mediaTypes: [CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, 'application/octet-stream'], description: 'the file\'s bytes (at most 50 MB)' },
      querystring: z.strictObject({
        kind: z.enum(IMPORT_KINDS),
        fileName: text(200).default('import.csv'),
        encoding: z.enum(TEXT_ENCODINGS).optional().describe('override the detected CSV encoding'),
      }),
      response: { 201: jobDetailSchema, ...errorResponses, 413: errorResponses[400] },
    },
  }, async (req, reply) => {
    const body = Buffer.isBuffer(req.body) ? req.body : undefined;
    return reply.code(201).send(await imports.createImport(db, actorOf(req), req.query, body));
  });

  r.get('/imports', {
    config: { access: needs('import') },
    schema: {
      tags: ['imports'],
      summary: 'The caller\'s imports, newest first (admins: all=true for the workspace\'s)',
      querystring: z.strictObject({ limit: queryInt(z.number().int().min(1).max(100)).default(20), offset: queryInt(z.number().int().min(0)).default(0), all: queryBool }),
      response: { 200: page(jobSchema), ...errorResponses },
    },
  }, async (req) => imports.listImports(db, actorOf(req), req.query));

  r.get('/imports/:id', {
    config: { access: needs('import') },
    schema: { tags: ['imports'], summary: 'An import with its progress (only its importer and admins see it)', params: idParam, response: { 200: jobDetailSchema, ...errorResponses } },
  }, async (req) => imports.getImport(db, actorOf(req), req.params.id));

  r.post('/imports/:id/validate', {
    config: { access: needs('import') },
    schema: {
      tags: ['imports'],
      summary: 'Save the column mapping (remembered for next time) and start the dry run; poll GET /imports/:id for progress',
      params: idParam,
      body: z.strictObject({
        mapping: z.record(z.string(), z.number().int().min(0).nullable()).describe('field → column index (0-based) or null'),
        duplicateMode: z.enum(DUPLICATE_MODES).describe('rows matching an existing record (credit code, then name): skip, update it, or create anyway'),
      }),
      response: { 202: jobDetailSchema, ...errorResponses },
    },
  }, async (req, reply) => reply.code(202).send(await imports.startValidation(db, actorOf(req), req.params.id, req.body)));

  r.post('/imports/:id/commit', {
    config: { access: needs('import') },
    schema: {
      tags: ['imports'],
      summary: 'Write the validated rows, all or nothing; rows with errors block it unless skipErrors',
      params: idParam,
      body: z.strictObject({ skipErrors: z.boolean().default(false).describe('import the valid rows and leave out those with errors') }),
      response: { 202: jobDetailSchema, ...errorResponses },
    },
  }, async (req, reply) => reply.code(202).send(await imports.commitImport(db, actorOf(req), req.params.id, req.body)));

  const reportRows = { 200: page(z.object({ rowNo: z.number().int(), problems: z.array(problemSchema) })), ...errorResponses };
  const reportPage = z.strictObject({ limit: queryInt(z.number().int().min(1).max(500)).default(50), offset: queryInt(z.number().int().min(0)).default(0) });

  r.get('/imports/:id/errors', {
    config: { access: needs('import') },
    schema: {
      tags: ['imports'],
      summary: 'The dry-run report: each bad row with its problems (field, code, message)',
      params: idParam,
      querystring: reportPage,
      response: reportRows,
    },
  }, async (req) => imports.listReportRows(db, actorOf(req), req.params.id, 'errors', req.query));

  r.get('/imports/:id/warnings', {
    config: { access: needs('import') },
    schema: {
      tags: ['imports'],
      summary: 'Rows that will be created but deserve a look: names resembling an existing account (code similar_existing)',
      params: idParam,
      querystring: reportPage,
      response: reportRows,
    },
  }, async (req) => imports.listReportRows(db, actorOf(req), req.params.id, 'warnings', req.query));

  r.get('/imports/:id/errors/csv', {
    config: { access: needs('import') },
    schema: { tags: ['imports'], summary: 'The error report as a CSV file (row, field, problem, and the row\'s cells)', params: idParam, response: { ...csvResponse, ...errorResponses } },
  }, async (req, reply) => {
    const f = await imports.errorReportCsv(db, actorOf(req), req.params.id);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="import-errors.csv"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
      .send(Readable.from(f.lines) as never);
  });
}
