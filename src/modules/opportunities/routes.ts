import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BUYING_PHASES } from '../../domain/buying-phase.ts';
import { FORECAST_CATEGORIES, LOSS_REASONS, OPPORTUNITY_STATUSES, TEAM_ROLES } from '../../domain/opportunity.ts';
import { LEAD_SOURCES } from '../../domain/accounts.ts';
import { errorResponses, idParam, listQuery, queryInt, optionalText, page, problemSchema, text, versionField, queryId, recordId } from '../../contracts/common.ts';
import { actorOf } from '../../server/request.ts';
import { stageSchema } from '../../contracts/sales-processes.ts';
import * as opportunities from './service.ts';
import { saveStageEvidence } from './evidence.ts';
import { needs } from '../../server/access.ts';


/** Money in fen: a non-negative integer (¥1,234.50 is 123450). */
const fen = z.number({ message: 'must be a number (fen)' }).int('must be whole fen').min(0, 'must not be negative').max(1e15);
const isoDate = z.iso.date('must be a date YYYY-MM-DD');

/** Filters of GET /opportunities, shared with its export. */
export const opportunityFilterShape = {
  q: z.string().trim().max(100).optional().describe('substring of the opportunity or account name'),
  status: z.enum(OPPORTUNITY_STATUSES).optional(),
  ownerId: queryId.optional(),
  orgUnitId: queryId.optional().describe('unit, including its sub-units'),
  accountId: queryId.optional(),
  processId: queryId.optional(),
  stageId: queryId.optional(),
  closeFrom: isoDate.optional().describe('expected close date on or after'),
  closeTo: isoDate.optional().describe('expected close date on or before'),
  minProbability: queryInt(z.number().int().min(0).max(100)).optional()
    .describe('current stage probability at least this percent: "closing soon" leaves out the long shots'),
  sizeClass: z.enum(['small', 'large']).optional().describe('small or large projects, by the workspace\'s large-deal threshold (what the funnel drills down by)'),
};

export const opportunitySchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  accountName: z.string(),
  name: z.string(),
  ownerId: z.number().int(),
  ownerName: z.string().nullable(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  amount: z.number().int().describe('fen'),
  sizeClass: z.enum(['small', 'large']),
  status: z.enum(OPPORTUNITY_STATUSES),
  expectedCloseDate: z.string().nullable(),
  closedAt: z.number().int().nullable(),
  processId: z.number().int().nullable(),
  processName: z.string().nullable(),
  stageId: z.number().int().nullable(),
  stageName: z.string().nullable(),
  probability: z.number().int().nullable(),
  expectedAmount: z.number().int().nullable().describe('amount × stage probability, fen'),
  stageEnteredAt: z.number().int().nullable(),
  daysInStage: z.number().int().nullable(),
  leadSource: z.string().nullable(),
  buyingPhase: z.enum(BUYING_PHASES).nullable(),
  stageAheadOfBuyer: z.boolean(),
  forecastCategory: z.enum(FORECAST_CATEGORIES),
  nextStep: z.string().nullable(),
  nextStepDate: z.string().nullable(),
  problems: z.array(z.enum(['stalled', 'no_plan', 'advantage_lost'])),
  advantageMarked: z.boolean().describe('a manager marked the advantage as lost (one cause of the advantage_lost problem)'),
  closeReason: z.string().nullable(),
  closeCompetitor: z.string().nullable(),
  contractAmount: z.number().int().nullable(),
  description: z.string().nullable(),
  products: z.array(z.string()),
  evidence: z.array(z.object({ stageId: z.number().int(), key: z.string(), note: z.string().nullable(), attachmentId: z.number().int().nullable() }))
    .describe('the evidence gathered so far for the current stage of an open opportunity (docs/sales-process.md); emptied when the stage changes'),
  evidenceStatus: z.object({ given: z.number().int().describe('items complete'), required: z.number().int().describe('items the current stage asks for') }).nullable()
    .describe('how far the current stage\'s evidence is; null when closed'),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  version: z.number().int(),
});

/** What the caller may do with the opportunity (docs/organisation.md, §5.2); the rule is domain/policy.ts opportunityRights. */
export const permissionsSchema = z.object({
  edit: z.boolean().describe('lead the deal: amount, close date, forecast, owner, name, lead source; stage moves, close, reopen, the team'),
  contribute: z.boolean().describe('the analysis: qualification, buying phase, SWOT and competitors, win strategy, next step, products, description'),
  manage: z.boolean().describe('a manager over it: override missing evidence, mark an advantage lost'),
});

const detailSchema = opportunitySchema.extend({
  team: z.array(z.object({ id: z.number().int(), userId: z.number().int(), userName: z.string(), teamRole: z.enum(TEAM_ROLES) })),
  suggestedRoles: z.array(z.enum(TEAM_ROLES)).describe('the current stage\'s roles to involve that nobody on the team holds yet (docs/sales-process.md § Sales processes and stages)'),
  permissions: permissionsSchema,
});

/** Evidence given for a stage gate (docs/sales-process.md): only items of the stages left or skipped. */
const evidenceSchema = z.array(z.strictObject({
  stageId: recordId,
  key: z.string().max(40),
  note: z.string().trim().max(2000).nullable().optional(),
  attachmentId: recordId.nullable().optional(),
})).max(100);
const gateReason = z.string().trim().max(1000).optional();
const gateOverride = z.boolean().optional().describe('a manager overrides missing evidence (reason required)');

const PROBLEMS = ['stalled', 'no_plan', 'advantage_lost'] as const;
const memberParams = z.strictObject({ id: queryId, memberId: queryId });

const editable = {
  amount: fen.optional(),
  expectedCloseDate: isoDate.optional(),
  ownerId: recordId.optional(),
  leadSource: z.enum(LEAD_SOURCES).nullable().optional(),
  buyingPhase: z.enum(BUYING_PHASES).nullable().optional(),
  forecastCategory: z.enum(FORECAST_CATEGORIES).optional(),
  nextStep: optionalText(500),
  nextStepDate: isoDate.nullable().optional(),
  description: optionalText(5000),
  products: z.array(text(100)).max(20, 'at most 20 products').optional().describe('what is being sold'),
};

export default async function opportunityRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  r.get('/opportunities', {
    config: { access: needs('opportunities.read') },
    schema: {
      tags: ['opportunities'],
      summary: 'Opportunities the caller may see (docs/organisation.md), filtered, sorted and paginated',
      querystring: listQuery(['name', 'amount', 'expectedCloseDate', 'updatedAt', 'stageEnteredAt'], '-updatedAt', opportunityFilterShape),
      response: { 200: page(opportunitySchema), ...errorResponses },
    },
  }, async (req) => opportunities.listOpportunities(db, actorOf(req), req.query));

  r.post('/opportunities', {
    config: { access: needs('opportunities.write') },
    schema: {
      tags: ['opportunities'],
      summary: 'Create an opportunity on an account (the owner joins its team as sales lead); entering past the first stage needs the evidence of every stage skipped, as a move from the first stage does (docs/sales-process.md) — 422 lists what is missing',
      body: z.strictObject({
        accountId: recordId,
        name: text(200),
        processId: recordId,
        stageId: recordId.optional().describe('defaults to the first stage'),
        ...editable,
        amount: fen,
        expectedCloseDate: isoDate,
        evidence: evidenceSchema.optional().describe('the evidence of the stages skipped when starting past the first'),
        reason: gateReason,
        override: gateOverride,
      }),
      response: { 201: detailSchema, 422: problemSchema, ...errorResponses },
    },
  }, async (req, reply) => reply.code(201).send(await opportunities.createOpportunity(db, actorOf(req), req.body)));

  r.get('/opportunities/board', {
    config: { access: needs('opportunities.read') },
    schema: {
      tags: ['opportunities'],
      summary: 'The kanban board of one sales process (docs/sales-process.md): a column per stage with count, amount and expected amount, and its largest 50 cards; open cards expected to close in [closeFrom, closeTo]; the won column holds what was won in that period (default the last 30 days)',
      querystring: z.strictObject({
        processId: queryId,
        ownerId: queryId.optional(),
        orgUnitId: queryId.optional().describe('unit, including its sub-units'),
        closeFrom: isoDate.optional().describe('open: expected close on or after; won column: won on or after'),
        closeTo: isoDate.optional().describe('open: expected close on or before; won column: won on or before'),
        q: z.string().trim().max(100).optional().describe('substring of the opportunity or account name'),
      }),
      response: {
        200: z.object({
          process: z.object({ id: z.number().int(), name: z.string() }),
          columns: z.array(z.object({
            stage: stageSchema,
            count: z.number().int(),
            amount: z.number().int().describe('fen'),
            expectedAmount: z.number().int().describe('Σ amount × stage probability, fen'),
            cards: z.array(opportunitySchema.extend({ permissions: z.object({ edit: z.boolean().describe('may move it (drag the card)'), manage: z.boolean().describe('may override missing evidence when moving it') }) })),
            more: z.number().int().describe('opportunities in the column beyond the cards shown'),
          })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => opportunities.board(db, actorOf(req), req.query));

  r.get('/opportunities/attention', {
    config: { access: needs('opportunities.read') },
    schema: {
      tags: ['opportunities'],
      summary: 'Open opportunities that need attention (docs/sales-process.md): stalled, no plan, advantage lost — with the count of each in the same scope',
      querystring: listQuery(['name', 'amount', 'expectedCloseDate', 'updatedAt', 'stageEnteredAt'], 'stageEnteredAt', {
        ownerId: queryId.optional(),
        orgUnitId: queryId.optional().describe('unit, including its sub-units'),
        problem: z.enum(PROBLEMS).optional().describe('only this problem; default any'),
      }),
      response: {
        200: page(opportunitySchema).extend({ counts: z.object({ stalled: z.number().int(), no_plan: z.number().int(), advantage_lost: z.number().int() }) }),
        ...errorResponses,
      },
    },
  }, async (req) => opportunities.attention(db, actorOf(req), req.query));

  r.get('/opportunities/:id', {
    config: { access: needs('opportunities.read') },
    schema: { tags: ['opportunities'], params: idParam, response: { 200: detailSchema, ...errorResponses } },
  }, async (req) => opportunities.getOpportunity(db, actorOf(req), req.params.id));

  r.patch('/opportunities/:id', {
    config: { access: needs('opportunities.write') },
    schema: {
      tags: ['opportunities'],
      summary: 'Change an opportunity; owner, amount, close date and forecast category are kept in the history',
      params: idParam,
      body: z.strictObject({ version: versionField, name: text(200).optional(), ...editable, ownerReason: text(500).optional(), advantageLost: z.boolean().optional(),
        advantageReason: text(500).optional().describe('why the advantage is lost: required when marking it (advantageLost true), optional when clearing') }),
      response: { 200: detailSchema, ...errorResponses },
    },
  }, async (req) => opportunities.updateOpportunity(db, actorOf(req), req.params.id, req.body));

  r.post('/opportunities/:id/stage', {
    config: { access: needs('opportunities.write') },
    schema: {
      tags: ['opportunities'],
      summary: 'Move to another stage (docs/sales-process.md): forward with evidence, back with a reason; 422 lists missing evidence',
      params: idParam,
      body: z.strictObject({
        version: versionField.optional().describe('the version you read: a move decided on a stale card gets 409 (the board always sends it)'),
        stageId: recordId,
        evidence: evidenceSchema.default([]),
        reason: gateReason,
        override: gateOverride,
        contractAmount: fen.optional().describe('required when the target is the won stage'),
      }),
      response: { 200: detailSchema, 422: problemSchema, ...errorResponses },
    },
  }, async (req) => opportunities.moveStage(db, actorOf(req), req.params.id, req.body));

  r.put('/opportunities/:id/evidence', {
    config: { access: needs('opportunities.write') },
    schema: {
      tags: ['opportunities'],
      summary: 'Record the evidence of the current stage as it is collected, replacing what was gathered (docs/sales-process.md): only that stage\'s items, each once, with the note or file it requires; anyone on the team. Emptied when the stage changes; a move still decides on the evidence it is sent',
      params: idParam,
      body: z.strictObject({ version: versionField, evidence: evidenceSchema }),
      response: { 200: detailSchema, ...errorResponses },
    },
  }, async (req) => saveStageEvidence(db, actorOf(req), req.params.id, req.body));

  r.get('/opportunities/:id/stage-history', {
    config: { access: needs('opportunities.read') },
    schema: {
      tags: ['opportunities'],
      summary: 'Every stage the opportunity was in: entered, left, by whom, evidence given, time in stage',
      params: idParam,
      response: {
        200: z.object({
          items: z.array(z.object({
            id: z.number().int(), stageId: z.number().int(), stageName: z.string(), probability: z.number().int(), enteredAt: z.number().int(), enteredByName: z.string().nullable(),
            leftAt: z.number().int().nullable(), leftByName: z.string().nullable(), daysInStage: z.number(), exitDirection: z.string().nullable(),
            exitEvidence: z.array(z.object({ stageId: z.number().int(), key: z.string(), note: z.string().nullable().optional(), attachmentId: z.number().int().nullable().optional() })),
            exitReason: z.string().nullable(), exitOverridden: z.array(z.unknown()),
          })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => ({ items: await opportunities.stageHistory(db, actorOf(req), req.params.id) }));

  r.post('/opportunities/:id/team', {
    config: { access: needs('opportunities.write') },
    schema: {
      tags: ['opportunities'],
      summary: 'Add a colleague to the team (docs/sales-process.md § The opportunity): any active user of the workspace; the same person twice is 409',
      params: idParam,
      body: z.strictObject({ userId: recordId, teamRole: z.enum(TEAM_ROLES) }),
      response: { 200: detailSchema, ...errorResponses },
    },
  }, async (req) => opportunities.addTeamMember(db, actorOf(req), req.params.id, req.body));

  r.delete('/opportunities/:id/team/:memberId', {
    config: { access: needs('opportunities.write') },
    schema: {
      tags: ['opportunities'],
      summary: 'Remove a team member (the owner or a manager over it), or leave the team yourself; the owner\'s sales-lead seat cannot be removed (409). 204 when you left and no longer see the opportunity',
      params: memberParams,
      response: { 200: detailSchema, 204: z.null(), ...errorResponses },
    },
  }, async (req, reply) => {
    const detail = await opportunities.removeTeamMember(db, actorOf(req), req.params.id, req.params.memberId);
    return detail ? detail : reply.code(204).send(null);
  });

  r.post('/opportunities/:id/close', {
    config: { access: needs('opportunities.write') },
    schema: {
      tags: ['opportunities'],
      summary: 'Close as won (contract amount; moves to the won stage), lost or abandoned (reason and competitor) — docs/sales-process.md § The stage gate',
      params: idParam,
      body: z.strictObject({
        version: versionField,
        outcome: z.enum(['won', 'lost', 'abandoned']),
        contractAmount: z.number({ message: 'must be a number (fen)' }).int('must be whole fen').positive('must be more than 0').max(1e15).optional().describe('required when won'),
        reason: z.enum(LOSS_REASONS).optional().describe('required when lost or abandoned'),
        competitor: text(200).optional().describe('required when lost or abandoned: who won, or "none"'),
        note: z.string().trim().max(2000).optional().describe('won: a manager\'s override reason goes here'),
        evidence: evidenceSchema.optional().describe('won: the evidence of the stage left and of every stage skipped (the gathered evidence counts too); 422 lists what is missing'),
        override: gateOverride.describe('won: a manager waives missing evidence, with the note as the reason'),
      }),
      response: { 200: detailSchema, 422: problemSchema, ...errorResponses },
    },
  }, async (req) => opportunities.closeOpportunity(db, actorOf(req), req.params.id, req.body));

  r.post('/opportunities/:id/reopen', {
    config: { access: needs('opportunities.write') },
    schema: {
      tags: ['opportunities'],
      summary: 'Reopen a closed opportunity at the stage it was in (its owner or a manager over it, with a reason)',
      params: idParam,
      body: z.strictObject({ version: versionField, reason: text(1000) }),
      response: { 200: detailSchema, ...errorResponses },
    },
  }, async (req) => opportunities.reopenOpportunity(db, actorOf(req), req.params.id, req.body));

  r.get('/opportunities/:id/history', {
    config: { access: needs('opportunities.read') },
    schema: {
      tags: ['opportunities'],
      summary: 'The audit trail: owner, team, stage, amount, close date, forecast category and status changes, newest first',
      params: idParam,
      response: {
        200: z.object({
          items: z.array(z.object({
            field: z.string(), oldValue: z.string().nullable(), newValue: z.string().nullable(), oldLabel: z.string().nullable(), newLabel: z.string().nullable(),
            reason: z.string().nullable(), actorName: z.string().nullable(), createdAt: z.number().int(),
          })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => ({ items: await opportunities.opportunityHistory(db, actorOf(req), req.params.id) }));

  r.get('/opportunities/:id/attachments', {
    config: { access: needs('opportunities.read') },
    schema: {
      tags: ['opportunities'],
      summary: 'The files given as stage evidence on this opportunity (download each with GET /attachments/:id)',
      params: idParam,
      response: {
        200: z.object({
          items: z.array(z.object({ id: z.number().int(), fileName: z.string(), size: z.number().int(), contentType: z.string(), createdAt: z.number().int(), uploadedByName: z.string().nullable() })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => ({ items: await opportunities.opportunityAttachments(db, actorOf(req), req.params.id) }));
}
