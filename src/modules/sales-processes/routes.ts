import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_SIGNED_IN, needs } from '../../server/access.ts';
import { errorResponses, idParam, optionalText, queryBool, text, versionField, queryId, recordId } from '../../contracts/common.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import { BUYING_PHASES } from '../../domain/buying-phase.ts';
import { TEAM_ROLES } from '../../domain/opportunity.ts';
import * as processes from './service.ts';
import * as stages from './stages.ts';

const evidenceItem = z.strictObject({
  key: z.string().trim().regex(/^[a-z0-9_]{1,40}$/, 'must be 1–40 lower-case letters, digits or _'),
  label: text(200),
  requires: z.enum(['check', 'note', 'attachment']),
});

export const stageSchema = z.object({
  id: z.number().int(),
  processId: z.number().int(),
  position: z.number().int(),
  name: z.string(),
  probability: z.number().int().describe('win probability, percent'),
  purpose: z.string().nullable(),
  milestone: z.string().nullable(),
  evidence: z.array(z.object({ key: z.string(), label: z.string(), requires: z.enum(['check', 'note', 'attachment']) })),
  actions: z.array(z.string()),
  roles: z.array(z.string()),
  expectedDays: z.number().int(),
  buyingPhase: z.enum(BUYING_PHASES).nullable(),
  won: z.boolean(),
  version: z.number().int(),
});

const probability = z.number().int().min(0, 'must be 0–100').max(100, 'must be 0–100').describe('win probability, percent');

/** What an administrator sets on a stage, when adding it or editing it. */
const stageFields = {
  name: text(100),
  probability,
  purpose: optionalText(1000),
  milestone: optionalText(1000),
  evidence: z.array(evidenceItem).max(20).optional(),
  actions: z.array(text(500)).max(20).optional(),
  roles: z.array(z.enum(TEAM_ROLES)).max(8).optional(),
  expectedDays: z.number().int().min(0).max(730).optional(),
  buyingPhase: z.enum(BUYING_PHASES).nullable().optional(),
};

const processSummary = z.object({
  id: z.number().int(), name: z.string(), description: z.string().nullable(), templateKey: z.string().nullable(), active: z.boolean(), stageCount: z.number().int(),
  openOpportunities: z.number().int().describe('open opportunities in this process that the caller may see'),
  updatedAt: z.number().int(), version: z.number().int(),
});
const processSchema = processSummary.omit({ stageCount: true, openOpportunities: true }).extend({ stages: z.array(stageSchema) });
const bilingual = z.object({ zh: z.string(), en: z.string() });

export default async function salesProcessRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  r.get('/sales-processes', {
    config: { access: ANY_SIGNED_IN },
    schema: { tags: ['sales process'], summary: 'The workspace\'s sales processes (docs/sales-process.md § Sales processes and stages)', querystring: z.strictObject({ includeInactive: queryBool }), response: { 200: z.object({ items: z.array(processSummary), total: z.number().int() }), ...errorResponses } },
  }, async (req) => {
    const items = await processes.listProcesses(db, actorOf(req), req.query.includeInactive ?? false);
    return { items, total: items.length };
  });

  r.get('/sales-processes/templates', {
    config: { access: ANY_SIGNED_IN },
    schema: { tags: ['sales process'], summary: 'The four templates that ship', response: { 200: z.object({ items: z.array(z.object({ key: z.string(), name: bilingual, description: bilingual, stages: z.array(z.object({ name: bilingual, probability: z.number().int() })) })) }), ...errorResponses } },
  }, async () => ({ items: processes.templates() }));

  r.post('/sales-processes', {
    config: { access: needs('processes.administer') },
    schema: {
      tags: ['sales process'],
      summary: 'Copy a template into a new, editable process',
      body: z.strictObject({ templateKey: z.enum(['small', 'large', 'seven_steps', 'p0_p7']), name: text(100).optional(), lang: z.enum(['zh', 'en']).default('zh') }),
      response: { 201: processSchema, ...errorResponses },
    },
  }, async (req, reply) => reply.code(201).send(await processes.copyTemplate(db, actorOf(req), req.body, ipOf(req))));

  r.get('/sales-processes/:id', {
    config: { access: ANY_SIGNED_IN },
    schema: { tags: ['sales process'], summary: 'A process with its ordered stages', params: idParam, response: { 200: processSchema, ...errorResponses } },
  }, async (req) => processes.getProcess(db, actorOf(req), req.params.id));

  r.patch('/sales-processes/:id', {
    config: { access: needs('processes.administer') },
    schema: { tags: ['sales process'], params: idParam, body: z.strictObject({ version: versionField, name: text(100).optional(), description: optionalText(1000), active: z.boolean().optional() }), response: { 200: processSchema, ...errorResponses } },
  }, async (req) => processes.updateProcess(db, actorOf(req), req.params.id, req.body));

  r.patch('/process-stages/:id', {
    config: { access: needs('processes.administer') },
    schema: {
      tags: ['sales process'],
      summary: 'Edit a stage; history keeps the name and probability in force at the time',
      params: idParam,
      body: z.strictObject({ version: versionField, ...stageFields, name: stageFields.name.optional(), probability: stageFields.probability.optional() }),
      response: { 200: stageSchema, ...errorResponses },
    },
  }, async (req) => processes.updateStage(db, actorOf(req), req.params.id, req.body));

  r.post('/sales-processes/:id/stages', {
    config: { access: needs('processes.administer') },
    schema: {
      tags: ['sales process'],
      summary: 'Add a stage at a position; the stages from there on move down (never after the won stage)',
      params: idParam,
      body: z.strictObject({
        version: versionField.describe('The process\'s version you read; a stale one gets 409'),
        position: z.number().int().min(0).describe('0-based place of the new stage'),
        ...stageFields,
      }),
      response: { 201: processSchema, ...errorResponses },
    },
  }, async (req, reply) => reply.code(201).send(await stages.addStage(db, actorOf(req), req.params.id, req.body, ipOf(req))));

  r.delete('/process-stages/:id', {
    config: { access: needs('processes.administer') },
    schema: {
      tags: ['sales process'],
      summary: 'Remove a stage no opportunity is in (409 names them); not the won stage, and a process keeps two. History keeps its stage names',
      params: idParam,
      querystring: z.strictObject({ version: queryId.optional().describe('The process\'s version you read; a stale one gets 409') }),
      response: { 200: processSchema, ...errorResponses },
    },
  }, async (req) => stages.removeStage(db, actorOf(req), req.params.id, req.query.version, ipOf(req)));

  r.put('/sales-processes/:id/stage-order', {
    config: { access: needs('processes.administer') },
    schema: {
      tags: ['sales process'],
      summary: 'Put the stages in a new order (every stage once, the won stage last); probabilities may change along with it and must not decrease',
      params: idParam,
      body: z.strictObject({
        version: versionField.describe('The process\'s version you read; a stale one gets 409'),
        stages: z.array(z.strictObject({ id: recordId, probability: probability.optional() })).min(1).max(stages.MAX_STAGES),
      }),
      response: { 200: processSchema, ...errorResponses },
    },
  }, async (req) => stages.reorderStages(db, actorOf(req), req.params.id, req.body, ipOf(req)));
}
