import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses } from '../../contracts/common.ts';
import * as contract from '../../contracts/search.ts';
import { ANY_SIGNED_IN } from '../../server/access.ts';
import { actorOf } from '../../server/request.ts';
import * as search from './service.ts';

/**
 * Global search: anyone signed in; each group is there only for a caller who may read that
 * kind of record (null otherwise) and holds only the records in their reach.
 */
export default async function searchRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  typedApp.get(
    '/search',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['search'],
        summary:
          'Accounts, contacts and opportunities matching a text (substring, Chinese included, or pinyin initials), grouped and counted',
        querystring: contract.searchQuery,
        response: { 200: contract.searchResponse, ...errorResponses },
      },
    },
    async (req) => search.search(db, actorOf(req), req.query),
  );
}
