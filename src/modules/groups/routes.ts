import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../contracts/common.ts';
import { creditSplitsBody, creditSplitsSchema, groupSchema, setParentBody } from '../../contracts/groups.ts';
import { needs } from '../../server/access.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import { accountDetailSchema } from '../../contracts/accounts.ts';
import * as groups from './service.ts';

/** Group accounts and credit splits (docs/archive.md § Group accounts). */
export default async function groupRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  typedApp.put(
    '/accounts/:id/parent',
    {
      config: { access: needs('accounts.write') },
      schema: {
        tags: ['accounts'],
        summary: 'Put the account under a parent in its group (any depth, no cycles), or take it out',
        params: idParam,
        body: setParentBody,
        response: { 200: accountDetailSchema, ...errorResponses },
      },
    },
    async (req) => groups.setParent(db, actorOf(req), req.params.id, req.body),
  );

  typedApp.get(
    '/accounts/:id/group',
    {
      config: { access: needs('accounts.read') },
      schema: {
        tags: ['accounts'],
        summary:
          "The account's group from its root: members, and purchases, deals, contacts and tier rolled up over what the caller may see",
        params: idParam,
        response: { 200: groupSchema, ...errorResponses },
      },
    },
    async (req) => groups.group(db, actorOf(req), req.params.id),
  );

  typedApp.get(
    '/opportunities/:id/credit-splits',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags: ['opportunities'],
        summary: "How the deal's credit is shared between owners (empty: all the owner's)",
        params: idParam,
        response: { 200: creditSplitsSchema, ...errorResponses },
      },
    },
    async (req) => groups.creditSplits(db, actorOf(req), req.params.id),
  );

  typedApp.put(
    '/opportunities/:id/credit-splits',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags: ['opportunities'],
        summary:
          "Split the deal's credit between owners in whole percent adding up to 100 (a manager over the deal; audited)",
        params: idParam,
        body: creditSplitsBody,
        response: { 200: creditSplitsSchema, ...errorResponses },
      },
    },
    async (req) => groups.setCreditSplits(db, actorOf(req), req.params.id, req.body.splits, ipOf(req)),
  );
}
