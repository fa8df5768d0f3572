import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { needs } from '../../server/access.ts';
import { errorResponses, idParam, page } from '../../contracts/common.ts';
import * as contract from '../../contracts/forecasts.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as forecasts from './service.ts';
import * as views from './views.ts';

/**
 * The revenue forecast (docs/targets.md § Revenue forecast, § Gap analysis P1–P4). Reads take a
 * scope and a period and answer 403 for a scope out of the caller's reach.
 */
export default async function forecastRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const tags = ['forecasts'];

  typedApp.get(
    '/forecasts',
    {
      config: { access: needs('forecasts.read') },
      schema: {
        tags,
        summary:
          "The forecast of a scope and period: the latest submissions in the forecast formula, beside the funnel's objective figure, the adjusted figure and the week-by-week history",
        querystring: contract.forecastQuery,
        response: { 200: contract.forecastView, ...errorResponses },
      },
    },
    async (req) => views.forecastView(db, actorOf(req), req.query),
  );

  typedApp.get(
    '/forecasts/draft',
    {
      config: { access: needs('forecasts.submit') },
      schema: {
        tags,
        summary:
          "The caller's submission form for this week: their open deals, pre-filled from this week's submission or the deals' own categories",
        querystring: contract.periodQuery,
        response: { 200: contract.draftResponse, ...errorResponses },
      },
    },
    async (req) => forecasts.draft(db, actorOf(req), req.query),
  );

  typedApp.post(
    '/forecasts/submissions',
    {
      config: { access: needs('forecasts.submit') },
      schema: {
        tags,
        summary:
          "Submit the caller's forecast for this week; a second submission the same week replaces the first, which is kept",
        body: contract.submitRequest,
        response: { 201: contract.submissionDetail, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await forecasts.submit(db, actorOf(req), req.body, ipOf(req))),
  );

  typedApp.get(
    '/forecasts/submissions',
    {
      config: { access: needs('forecasts.read') },
      schema: {
        tags,
        summary: 'The submissions of a scope in a period, newest first (history=true: the replaced ones too)',
        querystring: contract.submissionsQuery,
        response: { 200: page(contract.submissionSummary), ...errorResponses },
      },
    },
    async (req) => views.listSubmissions(db, actorOf(req), req.query),
  );

  typedApp.get(
    '/forecasts/submissions/:id',
    {
      config: { access: needs('forecasts.read') },
      schema: {
        tags,
        summary: 'One submission with its deals',
        params: idParam,
        response: { 200: contract.submissionDetail, ...errorResponses },
      },
    },
    async (req) => forecasts.submissionDetail(db, actorOf(req), req.params.id),
  );

  typedApp.put(
    '/forecasts/adjustments',
    {
      config: { access: needs('forecasts.adjust') },
      schema: {
        tags,
        summary:
          "Set a unit's adjusted forecast for this week; later changes name the version read (409 when someone else changed it)",
        body: contract.adjustRequest,
        response: { 200: contract.adjustmentSchema, ...errorResponses },
      },
    },
    async (req) => forecasts.adjust(db, actorOf(req), req.body, ipOf(req)),
  );

  typedApp.get(
    '/forecasts/accuracy',
    {
      config: { access: needs('forecasts.read') },
      schema: {
        tags,
        summary: 'Forecast against what was won, per person and per unit one level down',
        querystring: contract.scopedQuery,
        response: { 200: contract.accuracyResponse, ...errorResponses },
      },
    },
    async (req) => views.accuracy(db, actorOf(req), req.query),
  );

  typedApp.get(
    '/forecasts/behind',
    {
      config: { access: needs('forecasts.read') },
      schema: {
        tags,
        summary:
          'The units one level down (or the people of a unit without sub-units) furthest behind their quota in the period',
        querystring: contract.behindQuery,
        response: { 200: contract.behindResponse, ...errorResponses },
      },
    },
    async (req) => views.behind(db, actorOf(req), req.query),
  );

  typedApp.get(
    '/forecasts/gap',
    {
      config: { access: needs('forecasts.read') },
      schema: {
        tags,
        summary: 'The live P1–P4 gap of a scope and period, with the new customers needed per remaining week',
        querystring: contract.gapQuery,
        response: { 200: contract.gapView, ...errorResponses },
      },
    },
    async (req) => views.gapView(db, actorOf(req), req.query),
  );
}
