import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BUYING_PHASES } from '../../domain/buying-phase.ts';
import { FORECAST_CATEGORIES, OPPORTUNITY_STATUSES, TEAM_ROLES } from '../../domain/opportunity.ts';
import { LEAD_SOURCES } from '../../domain/accounts.ts';
import { errorResponses, idParam, listQuery, optionalText, page, problemSchema, text, versionField } from '../../server/http-schemas.ts';
import { actorOf } from '../../server/request.ts';
import * as opportunities from './service.ts';

const OPPORTUNITY_ROLES = ['admin', 'executive', 'manager', 'rep', 'presales'] as const;
const WRITERS = ['admin', 'manager', 'rep', 'presales'] as const;

/** Money in fen: a non-negative integer (¥1,234.50 is 123450). */
const fen = z.number({ message: 'must be a number (fen)' }).int('must be whole fen').min(0, 'must not be negative').max(1e15);
const isoDate = z.iso.date('must be a date YYYY-MM-DD');

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
  closeReason: z.string().nullable(),
  closeCompetitor: z.string().nullable(),
  contractAmount: z.number().int().nullable(),
  description: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  version: z.number().int(),
});

const detailSchema = opportunitySchema.extend({
  team: z.array(z.object({ id: z.number().int(), userId: z.number().int(), userName: z.string(), teamRole: z.enum(TEAM_ROLES) })),
  permissions: z.object({ edit: z.boolean(), manage: z.boolean() }),
});

const editable = {
  amount: fen.optional(),
  expectedCloseDate: isoDate.optional(),
  ownerId: z.number().int().positive().optional(),
  leadSource: z.enum(LEAD_SOURCES).nullable().optional(),
  buyingPhase: z.enum(BUYING_PHASES).nullable().optional(),
  forecastCategory: z.enum(FORECAST_CATEGORIES).optional(),
  nextStep: optionalText(500),
  nextStepDate: isoDate.nullable().optional(),
  description: optionalText(5000),
};

export default async function opportunityRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  r.get('/opportunities', {
    config: { access: OPPORTUNITY_ROLES },
    schema: {
      tags: ['opportunities'],
      summary: 'Opportunities the caller may see (SPEC §2), filtered, sorted and paginated',
      querystring: listQuery(['name', 'amount', 'expectedCloseDate', 'updatedAt', 'stageEnteredAt'], '-updatedAt', {
        q: z.string().trim().max(100).optional().describe('substring of the opportunity or account name'),
        status: z.enum(OPPORTUNITY_STATUSES).optional(),
        ownerId: z.coerce.number().int().positive().optional(),
        orgUnitId: z.coerce.number().int().positive().optional().describe('unit, including its sub-units'),
        accountId: z.coerce.number().int().positive().optional(),
        processId: z.coerce.number().int().positive().optional(),
        stageId: z.coerce.number().int().positive().optional(),
        closeFrom: isoDate.optional().describe('expected close date on or after'),
        closeTo: isoDate.optional().describe('expected close date on or before'),
      }),
      response: { 200: page(opportunitySchema), ...errorResponses },
    },
  }, async (req) => opportunities.listOpportunities(db, actorOf(req), req.query));

  r.post('/opportunities', {
    config: { access: WRITERS },
    schema: {
      tags: ['opportunities'],
      summary: 'Create an opportunity on an account (the owner joins its team as sales lead)',
      body: z.strictObject({
        accountId: z.number().int().positive(),
        name: text(200),
        processId: z.number().int().positive(),
        stageId: z.number().int().positive().optional().describe('defaults to the first stage'),
        ...editable,
        amount: fen,
        expectedCloseDate: isoDate,
      }),
      response: { 201: detailSchema, ...errorResponses },
    },
  }, async (req, reply) => reply.code(201).send(await opportunities.createOpportunity(db, actorOf(req), req.body)));

  r.get('/opportunities/:id', {
    config: { access: OPPORTUNITY_ROLES },
    schema: { tags: ['opportunities'], params: idParam, response: { 200: detailSchema, ...errorResponses } },
  }, async (req) => opportunities.getOpportunity(db, actorOf(req), req.params.id));

  r.patch('/opportunities/:id', {
    config: { access: WRITERS },
    schema: {
      tags: ['opportunities'],
      summary: 'Change an opportunity; owner, amount, close date and forecast category are kept in the history',
      params: idParam,
      body: z.strictObject({ version: versionField, name: text(200).optional(), ...editable, ownerReason: z.string().trim().min(1).max(500).optional(), advantageLost: z.boolean().optional() }),
      response: { 200: detailSchema, ...errorResponses },
    },
  }, async (req) => opportunities.updateOpportunity(db, actorOf(req), req.params.id, req.body));

  r.post('/opportunities/:id/stage', {
    config: { access: WRITERS },
    schema: {
      tags: ['opportunities'],
      summary: 'Move to another stage (SPEC §5.3): forward with evidence, back with a reason; 422 lists missing evidence',
      params: idParam,
      body: z.strictObject({
        version: versionField,
        stageId: z.number().int().positive(),
        evidence: z.array(z.strictObject({
          stageId: z.number().int().positive(),
          key: z.string().max(40),
          note: z.string().trim().max(2000).nullable().optional(),
          attachmentId: z.number().int().positive().nullable().optional(),
        })).max(100).default([]),
        reason: z.string().trim().max(1000).optional(),
        override: z.boolean().optional().describe('a manager overrides missing evidence (reason required)'),
        contractAmount: fen.optional().describe('required when the target is the won stage'),
      }),
      response: { 200: detailSchema, 422: problemSchema, ...errorResponses },
    },
  }, async (req) => opportunities.moveStage(db, actorOf(req), req.params.id, req.body));

  r.get('/opportunities/:id/stage-history', {
    config: { access: OPPORTUNITY_ROLES },
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
}
