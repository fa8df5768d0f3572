import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, idParam, problemSchema } from '../../contracts/common.ts';
import * as contract from '../../contracts/opportunities.ts';
import * as bulkContract from '../../contracts/bulk.ts';
import * as bulk from './bulk.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as opportunities from './service.ts';
import { saveStageEvidence } from './evidence.ts';
import { needs } from '../../server/access.ts';
import { fastOkSerializer } from '../../server/fast-json.ts';

export default async function opportunityRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.get(
    '/opportunities',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags: ['opportunities'],
        summary: 'Opportunities the caller may see (docs/organisation.md), filtered, sorted and paginated',
        querystring: contract.opportunityListQuery,
        response: { 200: contract.opportunityListPageSchema, ...errorResponses },
      },
      // A desk card and the list page, asked for on every visit: written straight from the schema (src/server/fast-json.ts).
      serializerCompiler: fastOkSerializer(contract.opportunityListPageSchema),
    },
    async (req) => opportunities.listOpportunities(db, actorOf(req), req.query),
  );

  routes.post(
    '/opportunities/bulk/reassign',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags: ['opportunities'],
        summary:
          'Give the selected open deals to one person, with a reason: each needs its owner or a manager over it; all or nothing (400 for ids out of sight, 403 bulk_refused listing the others)',
        body: bulkContract.bulkReassignOpportunitiesRequest,
        response: { 200: bulkContract.bulkResultSchema, ...errorResponses },
      },
    },
    async (req) => bulk.bulkReassign(db, actorOf(req), req.body, ipOf(req)),
  );

  routes.post(
    '/opportunities',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags: ['opportunities'],
        summary:
          'Create an opportunity on an account (the owner joins its team as sales lead); entering past the first stage needs the evidence of every stage skipped, as a move from the first stage does (docs/sales-process.md) — 422 lists what is missing',
        body: contract.createOpportunityRequest,
        response: { 201: contract.opportunityDetailSchema, 422: problemSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await opportunities.createOpportunity(db, actorOf(req), req.body)),
  );

  routes.get(
    '/opportunities/board',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags: ['opportunities'],
        summary:
          'The kanban board of one sales process, or of every process as a lane per process (docs/sales-process.md): a column per stage with count, amount and expected amount, and its largest 50 cards (20 on the board of every process); open cards expected to close in [closeFrom, closeTo]; the won column holds what was won in that period (default the last 30 days)',
        querystring: contract.boardQuery,
        response: { 200: contract.boardSchema, ...errorResponses },
      },
      // Up to 350 cards, some 220 KB: written straight from the schema (src/server/fast-json.ts).
      serializerCompiler: fastOkSerializer(contract.boardSchema),
    },
    async (req) => opportunities.board(db, actorOf(req), req.query),
  );

  routes.get(
    '/opportunities/attention',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags: ['opportunities'],
        summary:
          'Open opportunities that need attention (docs/sales-process.md): stalled, no plan, advantage lost — with the count of each in the same scope',
        querystring: contract.attentionQuery,
        response: { 200: contract.attentionPageSchema, ...errorResponses },
      },
      // A desk card: written straight from the schema (src/server/fast-json.ts).
      serializerCompiler: fastOkSerializer(contract.attentionPageSchema),
    },
    async (req) => opportunities.attention(db, actorOf(req), req.query),
  );

  routes.get(
    '/opportunities/:id',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags: ['opportunities'],
        params: idParam,
        response: { 200: contract.opportunityDetailSchema, ...errorResponses },
      },
    },
    async (req) => opportunities.getOpportunity(db, actorOf(req), req.params.id),
  );

  routes.patch(
    '/opportunities/:id',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags: ['opportunities'],
        summary: 'Change an opportunity; owner, amount, close date and forecast category are kept in the history',
        params: idParam,
        body: contract.updateOpportunityRequest,
        response: { 200: contract.opportunityDetailSchema, ...errorResponses },
      },
    },
    async (req) => opportunities.updateOpportunity(db, actorOf(req), req.params.id, req.body),
  );

  routes.post(
    '/opportunities/:id/stage',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags: ['opportunities'],
        summary:
          'Move to another stage (docs/sales-process.md): forward with evidence, back with a reason; 422 lists missing evidence',
        params: idParam,
        body: contract.moveStageRequest,
        response: { 200: contract.opportunityDetailSchema, 422: problemSchema, ...errorResponses },
      },
    },
    async (req) => opportunities.moveStage(db, actorOf(req), req.params.id, req.body),
  );

  routes.put(
    '/opportunities/:id/evidence',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags: ['opportunities'],
        summary:
          "Record the evidence of the current stage as it is collected, replacing what was gathered (docs/sales-process.md): only that stage's items, each once, with the note or file it requires; anyone on the team. Emptied when the stage changes; a move still decides on the evidence it is sent",
        params: idParam,
        body: contract.saveEvidenceRequest,
        response: { 200: contract.opportunityDetailSchema, ...errorResponses },
      },
    },
    async (req) => saveStageEvidence(db, actorOf(req), req.params.id, req.body),
  );

  routes.get(
    '/opportunities/:id/stage-history',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags: ['opportunities'],
        summary: 'Every stage the opportunity was in: entered, left, by whom, evidence given, time in stage',
        params: idParam,
        response: { 200: contract.stageHistorySchema, ...errorResponses },
      },
    },
    async (req) => ({ items: await opportunities.stageHistory(db, actorOf(req), req.params.id) }),
  );

  routes.post(
    '/opportunities/:id/team',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags: ['opportunities'],
        summary:
          'Add a colleague to the team (docs/sales-process.md § The opportunity): any active user of the workspace; the same person twice is 409',
        params: idParam,
        body: contract.addTeamMemberRequest,
        response: { 200: contract.opportunityDetailSchema, ...errorResponses },
      },
    },
    async (req) => opportunities.addTeamMember(db, actorOf(req), req.params.id, req.body),
  );

  routes.delete(
    '/opportunities/:id/team/:memberId',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags: ['opportunities'],
        summary:
          "Remove a team member (the owner or a manager over it), or leave the team yourself; the owner's sales-lead seat cannot be removed (409). 204 when you left and no longer see the opportunity",
        params: contract.memberParams,
        response: { 200: contract.opportunityDetailSchema, 204: z.null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const detail = await opportunities.removeTeamMember(db, actorOf(req), req.params.id, req.params.memberId);
      return detail ? detail : reply.code(204).send(null);
    },
  );

  routes.post(
    '/opportunities/:id/close',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags: ['opportunities'],
        summary:
          'Close as won (contract amount; moves to the won stage), lost or abandoned (reason and competitor) — docs/sales-process.md § The stage gate',
        params: idParam,
        body: contract.closeOpportunityRequest,
        response: { 200: contract.opportunityDetailSchema, 422: problemSchema, ...errorResponses },
      },
    },
    async (req) => opportunities.closeOpportunity(db, actorOf(req), req.params.id, req.body),
  );

  routes.post(
    '/opportunities/:id/reopen',
    {
      config: { access: needs('opportunities.write') },
      schema: {
        tags: ['opportunities'],
        summary: 'Reopen a closed opportunity at the stage it was in (its owner or a manager over it, with a reason)',
        params: idParam,
        body: contract.reopenRequest,
        response: { 200: contract.opportunityDetailSchema, ...errorResponses },
      },
    },
    async (req) => opportunities.reopenOpportunity(db, actorOf(req), req.params.id, req.body),
  );

  routes.get(
    '/opportunities/:id/history',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags: ['opportunities'],
        summary:
          'The audit trail: owner, team, stage, amount, close date, forecast category and status changes, newest first',
        params: idParam,
        response: { 200: contract.historySchema, ...errorResponses },
      },
    },
    async (req) => ({ items: await opportunities.opportunityHistory(db, actorOf(req), req.params.id) }),
  );

  routes.get(
    '/opportunities/:id/attachments',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags: ['opportunities'],
        summary: 'The files given as stage evidence on this opportunity (download each with GET /attachments/:id)',
        params: idParam,
        response: { 200: contract.opportunityAttachmentList, ...errorResponses },
      },
    },
    async (req) => ({ items: await opportunities.opportunityAttachments(db, actorOf(req), req.params.id) }),
  );
}
