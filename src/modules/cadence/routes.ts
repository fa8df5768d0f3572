import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses } from '../../contracts/common.ts';
import {
  cadenceAccountsPage,
  cadenceAccountsQuery,
  complianceQuery,
  complianceResponse,
  planSummaryQuery,
  planSummaryResponse,
} from '../../contracts/activities.ts';
import { needs } from '../../server/access.ts';
import { fastOkSerializer } from '../../server/fast-json.ts';
import { actorOf } from '../../server/request.ts';
import { planSummary } from '../activities/plans.ts';
import * as cadence from './service.ts';

export default async function cadenceRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  typedApp.get(
    '/cadence/compliance',
    {
      config: { access: needs('activities.supervise') },
      schema: {
        tags: ['activities'],
        summary:
          'The supervision view (docs/rhythm.md § Cadence): per rep within reach, owned active accounts, on time, due soon, overdue and the compliance percentage, counted in SQL',
        querystring: complianceQuery,
        response: { 200: complianceResponse, ...errorResponses },
      },
      // A row per rep, 2,000 for a whole company: written straight from the schema (src/server/fast-json.ts).
      serializerCompiler: fastOkSerializer(complianceResponse),
    },
    async (req) => cadence.compliance(db, actorOf(req), req.query),
  );

  typedApp.get(
    '/cadence/accounts',
    {
      config: { access: needs('accounts.read') },
      schema: {
        tags: ['activities'],
        summary:
          "The accounts behind the cadence figures, within reach: by owner (mine for one's desk), unit and state, soonest due first",
        querystring: cadenceAccountsQuery,
        response: { 200: cadenceAccountsPage, ...errorResponses },
      },
      // A desk card (the rep's own cadence list): written straight from the schema (src/server/fast-json.ts).
      serializerCompiler: fastOkSerializer(cadenceAccountsPage),
    },
    async (req) => cadence.cadenceAccounts(db, actorOf(req), req.query),
  );

  typedApp.get(
    '/visit-plans/summary',
    {
      config: { access: needs('activities.supervise') },
      schema: {
        tags: ['activities'],
        summary:
          'Plan versus result across a team (docs/rhythm.md § Visit plan and review): per rep, planned visits, reviewed, objectives achieved, partly, missed; the visits behind it are GET /activities?planned=true&ownerId=',
        querystring: planSummaryQuery,
        response: { 200: planSummaryResponse, ...errorResponses },
      },
    },
    async (req) => ({ items: await planSummary(db, actorOf(req), req.query) }),
  );
}
