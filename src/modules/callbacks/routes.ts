import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../contracts/common.ts';
import {
  answerCallbackRequest,
  callbackListQuery,
  callbackPage,
  callbackRatesQuery,
  callbackRatesResponse,
  callbackSchema,
  drawCallbacksRequest,
  drawCallbacksResponse,
} from '../../contracts/callbacks.ts';
import { needs } from '../../server/access.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as callbacks from './service.ts';

/** The random callback audit (docs/rhythm.md § Callback audit). */
export default async function callbackRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  typedApp.post(
    '/callbacks/draws',
    {
      config: { access: needs('callbacks.draw') },
      schema: {
        tags: ['activities'],
        summary:
          "Draw a month's reproducible sample of the logged visits of each rep within reach (the workspace's rate, at least one visit per rep who logged any); each drawn visit becomes a callback and a task for the auditor. A rep's month is drawn once",
        body: drawCallbacksRequest,
        response: { 200: drawCallbacksResponse, ...errorResponses },
      },
    },
    async (req) => callbacks.drawCallbacks(db, actorOf(req), req.body, ipOf(req)),
  );

  typedApp.get(
    '/callbacks',
    {
      config: { access: needs('callbacks.read') },
      schema: {
        tags: ['activities'],
        summary:
          'Callbacks within reach — an auditor their own, with the account and the contacts to phone; a manager those of the reps of their subtree',
        querystring: callbackListQuery,
        response: { 200: callbackPage, ...errorResponses },
      },
    },
    async (req) => callbacks.listCallbacks(db, actorOf(req), req.query),
  );

  typedApp.post(
    '/callbacks/:id/answer',
    {
      config: { access: needs('callbacks.answer') },
      schema: {
        tags: ['activities'],
        summary:
          "Record the customer's answer, once: confirmed, not confirmed (flagged to the rep's manager) or feedback (with what they said)",
        params: idParam,
        body: answerCallbackRequest,
        response: { 200: callbackSchema, ...errorResponses },
      },
    },
    async (req) => callbacks.answerCallback(db, actorOf(req), req.params.id, req.body, ipOf(req)),
  );

  typedApp.get(
    '/callbacks/rates',
    {
      config: { access: needs('activities.supervise') },
      schema: {
        tags: ['activities'],
        summary:
          'Confirmation rate per rep within reach for a month, counted in SQL: drawn, open, confirmed, not confirmed, feedback; rate = confirmed ÷ (confirmed + not confirmed)',
        querystring: callbackRatesQuery,
        response: { 200: callbackRatesResponse, ...errorResponses },
      },
    },
    async (req) => callbacks.callbackRates(db, actorOf(req), req.query),
  );
}
