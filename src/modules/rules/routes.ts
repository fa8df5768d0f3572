import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ANY_SIGNED_IN, needs } from '../../server/access.ts';
import { errorResponses } from '../../contracts/common.ts';
import * as contract from '../../contracts/rules.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as rules from './service.ts';

export default async function rulesRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/workspace/rules',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['workspace'],
        summary: 'The workspace rules: ABC thresholds, follow-up cadence, pool release, claim limit, large deal',
        response: { 200: contract.rulesSchema, ...errorResponses },
      },
    },
    async (req) => rules.getRules(db, actorOf(req)),
  );

  routes.patch(
    '/workspace/rules',
    {
      config: { access: needs('workspace.administer') },
      schema: {
        tags: ['workspace'],
        summary:
          'Change some of the workspace rules; the whole set is validated (A share < B share ≤ 100%, A ≤ B ≤ C intervals…)',
        body: contract.updateRulesRequest,
        response: { 200: contract.rulesSchema, ...errorResponses },
      },
    },
    async (req) => rules.updateRules(db, actorOf(req), req.body, ipOf(req)),
  );
}
