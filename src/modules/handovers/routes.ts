import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../contracts/common.ts';
import * as contract from '../../contracts/handovers.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as handovers from './service.ts';
import { needs } from '../../server/access.ts';

/** Admins hand over anyone; managers the people of their subtree (the service checks which). */

export default async function handoverRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/handovers',
    {
      config: { access: needs('handover.manage') },
      schema: {
        tags: ['handovers'],
        summary: 'Handovers of departing users within reach, newest first',
        querystring: contract.handoverListQuery,
        response: { 200: contract.handoverPageSchema, ...errorResponses },
      },
    },
    async (req) => handovers.listHandovers(db, actorOf(req), req.query),
  );

  routes.post(
    '/handovers',
    {
      config: { access: needs('handover.manage') },
      schema: {
        tags: ['handovers'],
        summary:
          'Start the handover of a departing user: a draft with the inventory of everything they own or take part in',
        body: contract.startHandoverRequest,
        response: { 201: contract.handoverDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await handovers.startHandover(db, actorOf(req), req.body.fromUserId, ipOf(req))),
  );

  routes.get(
    '/handovers/:id',
    {
      config: { access: needs('handover.manage') },
      schema: {
        tags: ['handovers'],
        summary: 'The handover with each item, its successor and note, and what still blocks completion',
        params: idParam,
        response: { 200: contract.handoverDetailSchema, ...errorResponses },
      },
    },
    async (req) => handovers.getHandover(db, actorOf(req), req.params.id),
  );

  routes.get(
    '/handovers/:id/contacts',
    {
      config: { access: needs('handover.manage') },
      schema: {
        tags: ['handovers'],
        summary: 'Contacts of the accounts in the handover, to name key contacts in notes',
        params: idParam,
        response: { 200: contract.handoverContactsSchema, ...errorResponses },
      },
    },
    async (req) => ({ items: await handovers.handoverContacts(db, actorOf(req), req.params.id) }),
  );

  routes.patch(
    '/handovers/:id/items',
    {
      config: { access: needs('handover.manage') },
      schema: {
        tags: ['handovers'],
        summary: 'Assign successors: in bulk (many items, one user) or one by one; null clears',
        params: idParam,
        body: contract.assignSuccessorsRequest,
        response: { 200: contract.handoverDetailSchema, ...errorResponses },
      },
    },
    async (req) => handovers.assignSuccessors(db, actorOf(req), req.params.id, req.body.items),
  );

  routes.put(
    '/handovers/:id/items/:itemId/note',
    {
      config: { access: needs('handover.manage') },
      schema: {
        tags: ['handovers'],
        summary: 'The handover note of a key account: state, open issues, key contacts',
        params: contract.handoverItemParams,
        body: contract.saveNoteRequest,
        response: { 200: contract.handoverDetailSchema, ...errorResponses },
      },
    },
    async (req) => handovers.saveNote(db, actorOf(req), req.params.id, req.params.itemId, req.body),
  );

  routes.post(
    '/handovers/:id/complete',
    {
      config: { access: needs('handover.manage') },
      schema: {
        tags: ['handovers'],
        summary:
          'Move everything to the successors and deactivate the user, in one transaction; 409 lists what is missing',
        params: idParam,
        body: contract.handoverVersionRequest,
        response: { 200: contract.handoverDetailSchema, ...errorResponses },
      },
    },
    async (req) => handovers.completeHandover(db, actorOf(req), req.params.id, req.body.version, ipOf(req)),
  );

  routes.post(
    '/handovers/:id/cancel',
    {
      config: { access: needs('handover.manage') },
      schema: {
        tags: ['handovers'],
        summary: 'Abandon a draft handover; the user stays active',
        params: idParam,
        body: contract.handoverVersionRequest,
        response: { 200: contract.handoverDetailSchema, ...errorResponses },
      },
    },
    async (req) => handovers.cancelHandover(db, actorOf(req), req.params.id, req.body.version, ipOf(req)),
  );
}
