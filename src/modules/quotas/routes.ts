import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, errorResponses } from '../../contracts/common.ts';
import * as contract from '../../contracts/quotas.ts';
import { needs } from '../../server/access.ts';
import { actorOf } from '../../server/request.ts';
import { rawBody } from '../../server/raw-body.ts';
import * as quotas from './service.ts';
import { importQuotas } from './import.ts';
import { quotaLines } from './lines.ts';
import { quotaHistory, saveQuotas } from './save.ts';

const QUOTA_FILE_BYTES = 5 * 1024 * 1024;

/** Quotas (docs/targets.md § Quotas): the table, its bulk save, the history, the figure of a scope and period. */
export default async function quotaRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const tags = ['quotas'];
  // The import takes the file as its raw body (JSON bodies keep their own parser).
  app.addContentTypeParser('*', rawBody(QUOTA_FILE_BYTES));

  typedApp.get(
    '/quotas',
    {
      config: { access: needs('quotas.read') },
      schema: {
        tags,
        summary:
          "The quotas of a fiscal year for every unit and person the caller may see (a rep: their own), with what each unit's members add up to and the difference",
        querystring: contract.quotaTableQuery,
        response: { 200: contract.quotaTable, ...errorResponses },
      },
    },
    async (req) => quotas.quotaTable(db, actorOf(req), req.query),
  );

  typedApp.put(
    '/quotas',
    {
      config: { access: needs('quotas.manage') },
      schema: {
        tags,
        summary:
          "Sets (or with amount null, removes) quotas of people and units in one transaction, with the reason kept in each one's history; ratios and shares must add up to 100",
        body: contract.saveQuotasRequest,
        response: { 200: contract.saveQuotasResponse, ...errorResponses },
      },
    },
    async (req) => saveQuotas(db, actorOf(req), req.body),
  );

  typedApp.get(
    '/quotas/history',
    {
      config: { access: needs('quotas.read') },
      schema: {
        tags,
        summary: "The changes of a person's or unit's quotas, newest first, with who and why",
        querystring: contract.quotaHistoryQuery,
        response: { 200: contract.quotaHistory, ...errorResponses },
      },
    },
    async (req) => quotaHistory(db, actorOf(req), req.query),
  );

  typedApp.get(
    '/quotas/figure',
    {
      config: { access: needs('quotas.read') },
      schema: {
        tags,
        summary:
          "The quota of a scope (a person, a unit's subtree, the workspace) in a period; 403 for a scope the caller may not see",
        querystring: contract.quotaFigureQuery,
        response: { 200: contract.quotaFigure, ...errorResponses },
      },
    },
    async (req) => quotas.quotaFigure(db, actorOf(req), req.query),
  );

  typedApp.get(
    '/quotas/lines',
    {
      config: { access: needs('quotas.read') },
      schema: {
        tags,
        summary:
          "Quota attainment by business line for a scope and period: each line's part of the quota against what it won, beside its open deals; the deals of no line apart; 403 for a scope the caller may not see",
        querystring: contract.quotaLinesQuery,
        response: { 200: contract.quotaLines, ...errorResponses },
      },
    },
    async (req) => quotaLines(db, actorOf(req), req.query),
  );

  typedApp.post(
    '/quotas/import',
    {
      config: { access: needs('quotas.manage') },
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Quotas from a CSV or .xlsx file sent as the raw body: a header row, then email or unit name, annual quota in yuan, optionally Q1–Q4 ratios and the basis. dryRun=true checks every row and saves nothing; otherwise a file with any row in error is refused and nothing is saved',
        upload: {
          mediaTypes: [CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, 'application/octet-stream'],
          description: "the file's bytes (at most 5 MB)",
        },
        querystring: contract.quotaImportQuery,
        response: { 200: contract.quotaImportResponse, ...errorResponses, 413: errorResponses[400] },
      },
    },
    async (req) => importQuotas(db, actorOf(req), req.query, Buffer.isBuffer(req.body) ? req.body : undefined),
  );
}
