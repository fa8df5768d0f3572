import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HANDOVER_CATEGORIES, HANDOVER_STATUSES } from '../../domain/handover.ts';
import { ROLES } from '../../domain/roles.ts';
import { errorResponses, idParam, versionField, queryId, queryInt, recordId } from '../../contracts/common.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as handovers from './service.ts';
import { needs } from '../../server/access.ts';

/** Admins hand over anyone; managers the people of their subtree (the service checks which). */

const countsShape = Object.fromEntries(HANDOVER_CATEGORIES.map((c) => [c, z.number().int()])) as Record<
  (typeof HANDOVER_CATEGORIES)[number],
  z.ZodNumber
>;

const noteSchema = z.object({
  state: z.string(),
  openIssues: z.string(),
  keyContacts: z.string(),
  contactIds: z.array(z.number().int()),
});

const handoverBase = z.object({
  id: z.number().int(),
  status: z.enum(HANDOVER_STATUSES),
  fromUser: z.object({
    id: z.number().int(),
    name: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    active: z.boolean(),
    orgUnitName: z.string(),
  }),
  createdBy: z.number().int(),
  createdByName: z.string().nullable(),
  createdAt: z.number().int(),
  completedAt: z.number().int().nullable(),
  summary: z
    .object({
      counts: z.object(countsShape),
      successors: z.array(z.object({ userId: z.number().int(), name: z.string(), count: z.number().int() })),
      completedBy: z.number().int(),
    })
    .nullable(),
  version: z.number().int(),
});

const itemSchema = z.object({
  id: z.number().int(),
  category: z.enum(HANDOVER_CATEGORIES),
  entityId: z.number().int(),
  label: z.string(),
  detail: z
    .string()
    .nullable()
    .describe('names and places as written: the account, unit, contact title or territory place'),
  role: z.string().nullable().describe('team items: the team role code; relationship items: the buying role code'),
  industry: z.string().nullable().describe('territory items: the industry code (null = any industry)'),
  accountId: z.number().int().nullable(),
  tier: z.string().nullable(),
  named: z.boolean(),
  keyAccount: z.boolean().describe('A tier or named: needs a handover note'),
  amount: z.number().int().nullable().describe('fen'),
  toUserId: z.number().int().nullable(),
  toUserName: z.string().nullable(),
  note: noteSchema.nullable(),
  noteGaps: z.array(z.string()),
});

const detailSchema = handoverBase.extend({
  counts: z.object({ ...countsShape, tasks: z.number().int(), visits: z.number().int() }),
  keyAccounts: z.number().int(),
  items: z.array(itemSchema),
  missing: z.array(
    z.object({
      itemId: z.number().int(),
      category: z.enum(HANDOVER_CATEGORIES),
      problem: z.enum(['no_successor', 'no_note']),
    }),
  ),
  notes: z.object({ tasksAndVisits: z.string() }),
});

const listItemSchema = handoverBase.extend({
  counts: z.object(countsShape),
  itemCount: z.number().int(),
  assignedCount: z.number().int(),
});

const itemParams = z.strictObject({ id: queryId, itemId: queryId });

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
        querystring: z.strictObject({
          status: z.enum(HANDOVER_STATUSES).optional(),
          limit: queryInt(z.number().int().min(1).max(200)).default(50),
          offset: queryInt(z.number().int().min(0)).default(0),
        }),
        response: { 200: z.object({ items: z.array(listItemSchema), total: z.number().int() }), ...errorResponses },
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
        body: z.strictObject({ fromUserId: recordId }),
        response: { 201: detailSchema, ...errorResponses },
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
        response: { 200: detailSchema, ...errorResponses },
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
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number().int(),
                accountId: z.number().int(),
                name: z.string(),
                title: z.string().nullable(),
              }),
            ),
          }),
          ...errorResponses,
        },
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
        body: z.strictObject({
          items: z
            .array(z.strictObject({ itemId: recordId, toUserId: recordId.nullable() }))
            .min(1)
            .max(5000),
        }),
        response: { 200: detailSchema, ...errorResponses },
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
        params: itemParams,
        body: z.strictObject({
          state: z.string().trim().max(5000),
          openIssues: z.string().trim().max(5000),
          keyContacts: z.string().trim().max(5000).default(''),
          contactIds: z.array(recordId).max(50).default([]),
        }),
        response: { 200: detailSchema, ...errorResponses },
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
        body: z.strictObject({ version: versionField }),
        response: { 200: detailSchema, ...errorResponses },
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
        body: z.strictObject({ version: versionField }),
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    async (req) => handovers.cancelHandover(db, actorOf(req), req.params.id, req.body.version, ipOf(req)),
  );
}
