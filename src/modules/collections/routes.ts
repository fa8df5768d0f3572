import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../contracts/common.ts';
import * as contract from '../../contracts/collections.ts';
import { healthQuery } from '../../contracts/funnel.ts';
import { needs } from '../../server/access.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as service from './service.ts';

/** Payment plans and the expected collections of large projects (docs/targets.md § Expected collections). */
export default async function collectionRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  typedApp.get(
    '/opportunities/:id/payment-plan',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags: ['opportunities'],
        summary: "The opportunity's payment plan: installments by due date (empty without a plan)",
        params: idParam,
        response: { 200: contract.paymentPlanSchema, ...errorResponses },
      },
    },
    async (req) => service.paymentPlan(db, actorOf(req), req.params.id),
  );

  typedApp.put(
    '/opportunities/:id/payment-plan',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags: ['opportunities'],
        summary:
          'Save the whole payment plan (those who may edit the opportunity): the first without a version, later ones with the version read (409 when stale); installments add up to at most the amount; an empty list removes it',
        params: idParam,
        body: contract.savePaymentPlanRequest,
        response: { 200: contract.paymentPlanSchema, ...errorResponses },
      },
    },
    async (req) => service.savePaymentPlan(db, actorOf(req), req.params.id, req.body, ipOf(req)),
  );

  typedApp.get(
    '/funnel/collections',
    {
      config: { access: needs('funnel.read') },
      schema: {
        tags: ['funnel'],
        summary:
          "Expected collections of the scope's large projects in a period, per stage of the process: open deals' expected amount × the first-period share (or their planned installments due × probability), won deals' installments due, × the realisation factor; 403 for a scope the caller may not see",
        querystring: healthQuery,
        response: { 200: contract.collectionsResponse, ...errorResponses },
      },
    },
    async (req) => service.collections(db, actorOf(req), req.query),
  );
}
