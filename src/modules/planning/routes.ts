import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ANY_SIGNED_IN } from '../../server/access.ts';
import { errorResponses } from '../../contracts/common.ts';
import * as contract from '../../contracts/planning.ts';
import * as planning from './service.ts';

/**
 * The planning calculators (docs/targets.md): pure arithmetic on the numbers sent, no data
 * read, so anyone signed in may use them.
 */
export default async function planningRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['planning'];

  routes.post(
    '/planning/standard-funnel',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags,
        summary:
          'The standard funnel a quota needs: deals, wins and new entries per week, the count per stage, the headcount',
        body: contract.standardFunnelRequest,
        response: { 200: contract.standardFunnelResponse, ...errorResponses },
      },
    },
    async (req) => planning.standardFunnel(req.body),
  );

  routes.post(
    '/planning/funnel-gap',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags,
        summary:
          'Expected deals and amount of a funnel, the gap to the quota in money, deals and first-stage deals, and the week-by-week flow projection',
        body: contract.funnelGapRequest,
        response: { 200: contract.funnelGapResponse, ...errorResponses },
      },
    },
    async (req) => planning.funnelGap(req.body),
  );

  routes.post(
    '/planning/forecast',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags,
        summary:
          'The revenue forecast: realised + commit × weight + possible × weight + quota × unforecast rate × weeks left',
        body: contract.forecastRequest,
        response: { 200: contract.forecastResponse, ...errorResponses },
      },
    },
    async (req) => planning.forecast(req.body),
  );

  routes.post(
    '/planning/gap',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags,
        summary:
          'The P1–P4 gap analysis: what remains after the committed and possible deals, the pipeline and new customers needed',
        body: contract.gapRequest,
        response: { 200: contract.gapResponse, ...errorResponses },
      },
    },
    async (req) => planning.gap(req.body),
  );
}
