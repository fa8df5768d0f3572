import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses } from '../../contracts/common.ts';
import { deskQuery, deskSchema } from '../../contracts/desk.ts';
import { needs } from '../../server/access.ts';
import { fastOkSerializer } from '../../server/fast-json.ts';
import { actorOf } from '../../server/request.ts';
import { desk } from './service.ts';

export default async function deskRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/desk',
    {
      // The opportunity and account reads come together (domain/policy.ts READ); each card's service scopes its own rows.
      config: { access: needs('opportunities.read') },
      schema: {
        tags: ['opportunities'],
        summary:
          "The desk in one request (docs/DESIGN.md § The desk): needs attention, accounts overdue for a follow-up and deals closing this month — each card's first `limit` rows and total, exactly as its list endpoint answers them (a rep's: their own records) — and whether the caller sees any account or opportunity at all",
        querystring: deskQuery,
        response: { 200: deskSchema, ...errorResponses },
      },
      // Asked for on every visit of the home page: written straight from the schema (src/server/fast-json.ts).
      serializerCompiler: fastOkSerializer(deskSchema),
    },
    async (req) => desk(db, actorOf(req), req.query),
  );
}
