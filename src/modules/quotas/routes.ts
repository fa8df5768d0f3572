import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses } from '../../contracts/common.ts';
import * as contract from '../../contracts/quotas.ts';
import { needs } from '../../server/access.ts';
import { actorOf } from '../../server/request.ts';
import * as quotas from './service.ts';

/** Quotas (docs/targets.md § Quotas): the table, its bulk save, the history, the figure of a scope and period. */
export default async function quotaRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const tags = ['quotas'];

  r.get('/quotas', {
    config: { access: needs('quotas.read') },
    schema: {
      tags, summary: 'The quotas of a fiscal year for every unit and person the caller may see (a rep: their own), with what each unit\'s members add up to and the difference',
      querystring: contract.quotaTableQuery, response: { 200: contract.quotaTable, ...errorResponses },
    },
  }, async (req) => quotas.quotaTable(db, actorOf(req), req.query));

  r.put('/quotas', {
    config: { access: needs('quotas.manage') },
    schema: {
      tags, summary: 'Sets (or with amount null, removes) quotas of people and units in one transaction, with the reason kept in each one\'s history; ratios and shares must add up to 100',
      body: contract.saveQuotasRequest, response: { 200: contract.saveQuotasResponse, ...errorResponses },
    },
  }, async (req) => quotas.saveQuotas(db, actorOf(req), req.body));

  r.get('/quotas/history', {
    config: { access: needs('quotas.read') },
    schema: {
      tags, summary: 'The changes of a person\'s or unit\'s quotas, newest first, with who and why',
      querystring: contract.quotaHistoryQuery, response: { 200: contract.quotaHistory, ...errorResponses },
    },
  }, async (req) => quotas.quotaHistory(db, actorOf(req), req.query));

  r.get('/quotas/figure', {
    config: { access: needs('quotas.read') },
    schema: {
      tags, summary: 'The quota of a scope (a person, a unit\'s subtree, the workspace) in a period; 403 for a scope the caller may not see',
      querystring: contract.quotaFigureQuery, response: { 200: contract.quotaFigure, ...errorResponses },
    },
  }, async (req) => quotas.quotaFigure(db, actorOf(req), req.query));
}
