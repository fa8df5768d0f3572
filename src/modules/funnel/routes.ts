import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses } from '../../contracts/common.ts';
import * as contract from '../../contracts/funnel.ts';
import { needs } from '../../server/access.ts';
import { fastOkSerializer } from '../../server/fast-json.ts';
import { actorOf } from '../../server/request.ts';
import * as funnel from './service.ts';
import * as members from './members.ts';

const membersSerializer = fastOkSerializer(contract.funnelMembersResponse);

/** The live funnel and its health (docs/targets.md § Funnel, § Funnel health). */
export default async function funnelRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;
  const tags = ['funnel'];

  typedApp.get(
    '/funnel',
    {
      config: { access: needs('funnel.read') },
      schema: {
        tags,
        summary:
          'The funnel of a scope, process and period: per stage the open deals, their amount, expected amount and expected deals (small projects by count, large by amount), and what was won; 403 for a scope the caller may not see',
        querystring: contract.funnelQuery,
        response: { 200: contract.funnelResponse, ...errorResponses },
      },
    },
    async (req) => funnel.funnel(db, actorOf(req), req.query),
  );

  typedApp.get(
    '/funnel/members',
    {
      config: { access: needs('funnel.read') },
      schema: {
        tags,
        summary:
          'The same funnel with a row per person of the scope, with their quota, attainment and gap: a page of the rows, sorted and searched on the server, and how many there are',
        querystring: contract.funnelMembersQuery,
        response: { 200: contract.funnelMembersResponse, ...errorResponses },
      },
      // Up to 500 rows a page: written straight from the schema (docs/targets.md § Funnel, the per-member table).
      serializerCompiler: membersSerializer,
    },
    async (req) => members.funnelMembers(db, actorOf(req), req.query),
  );

  typedApp.get(
    '/funnel/health',
    {
      config: { access: needs('funnel.read') },
      schema: {
        tags,
        summary:
          "Funnel health: the standard funnel from the scope's quota and average deal, balance per stage with its flags, yield, time in each stage, the week-by-week flow projection and the opportunity gap",
        querystring: contract.healthQuery,
        response: { 200: contract.healthResponse, ...errorResponses },
      },
    },
    async (req) => funnel.funnelHealth(db, actorOf(req), req.query),
  );
}
