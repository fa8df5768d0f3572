import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as contract from '../../contracts/sales-processes.ts';
import { ANY_SIGNED_IN, needs } from '../../server/access.ts';
import { errorResponses, idParam } from '../../contracts/common.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as processes from './service.ts';
import * as stages from './stages.ts';

export default async function salesProcessRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/sales-processes',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['sales process'],
        summary: "The workspace's sales processes (docs/sales-process.md § Sales processes and stages)",
        querystring: contract.listProcessesQuery,
        response: { 200: contract.processList, ...errorResponses },
      },
    },
    async (req) => {
      const items = await processes.listProcesses(db, actorOf(req), req.query.includeInactive ?? false);
      return { items, total: items.length };
    },
  );

  routes.get(
    '/sales-processes/templates',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['sales process'],
        summary: 'The four templates that ship',
        response: { 200: contract.templateList, ...errorResponses },
      },
    },
    async () => ({ items: processes.templates() }),
  );

  routes.post(
    '/sales-processes',
    {
      config: { access: needs('processes.administer') },
      schema: {
        tags: ['sales process'],
        summary: 'Copy a template into a new, editable process',
        body: contract.copyTemplateRequest,
        response: { 201: contract.processSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await processes.copyTemplate(db, actorOf(req), req.body, ipOf(req))),
  );

  routes.get(
    '/sales-processes/:id',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['sales process'],
        summary: 'A process with its ordered stages',
        params: idParam,
        response: { 200: contract.processSchema, ...errorResponses },
      },
    },
    async (req) => processes.getProcess(db, actorOf(req), req.params.id),
  );

  routes.patch(
    '/sales-processes/:id',
    {
      config: { access: needs('processes.administer') },
      schema: {
        tags: ['sales process'],
        params: idParam,
        body: contract.updateProcessRequest,
        response: { 200: contract.processSchema, ...errorResponses },
      },
    },
    async (req) => processes.updateProcess(db, actorOf(req), req.params.id, req.body),
  );

  routes.patch(
    '/process-stages/:id',
    {
      config: { access: needs('processes.administer') },
      schema: {
        tags: ['sales process'],
        summary: 'Edit a stage; history keeps the name and probability in force at the time',
        params: idParam,
        body: contract.updateStageRequest,
        response: { 200: contract.stageSchema, ...errorResponses },
      },
    },
    async (req) => processes.updateStage(db, actorOf(req), req.params.id, req.body),
  );

  routes.post(
    '/sales-processes/:id/stages',
    {
      config: { access: needs('processes.administer') },
      schema: {
        tags: ['sales process'],
        summary: 'Add a stage at a position; the stages from there on move down (never after the won stage)',
        params: idParam,
        body: contract.addStageRequest,
        response: { 201: contract.processSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await stages.addStage(db, actorOf(req), req.params.id, req.body, ipOf(req))),
  );

  routes.delete(
    '/process-stages/:id',
    {
      config: { access: needs('processes.administer') },
      schema: {
        tags: ['sales process'],
        summary:
          'Remove a stage no opportunity is in (409 names them); not the won stage, and a process keeps two. History keeps its stage names',
        params: idParam,
        querystring: contract.removeStageQuery,
        response: { 200: contract.processSchema, ...errorResponses },
      },
    },
    async (req) => stages.removeStage(db, actorOf(req), req.params.id, req.query.version, ipOf(req)),
  );

  routes.put(
    '/sales-processes/:id/stage-order',
    {
      config: { access: needs('processes.administer') },
      schema: {
        tags: ['sales process'],
        summary:
          'Put the stages in a new order (every stage once, the won stage last); probabilities may change along with it and must not decrease',
        params: idParam,
        body: contract.stageOrderRequest,
        response: { 200: contract.processSchema, ...errorResponses },
      },
    },
    async (req) => stages.reorderStages(db, actorOf(req), req.params.id, req.body, ipOf(req)),
  );
}
