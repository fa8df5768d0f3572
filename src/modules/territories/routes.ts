import type { FastifyInstance } from 'fastify';
import { PROVINCE_SPELLINGS } from '../../domain/regions.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INDUSTRIES } from '../../domain/accounts.ts';
import { errorResponses, idParam, optionalText, page, queryBool, text, versionField, queryId, queryInt, recordId } from '../../contracts/common.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as territories from './service.ts';
import { needs } from '../../server/access.ts';


const territorySchema = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  district: z.string().nullable(),
  industry: z.string().nullable(),
  userId: z.number().int(),
  userName: z.string(),
  userActive: z.boolean(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  active: z.boolean(),
  specificity: z.number().int().describe('how many of province, city, district, industry the rule names; the most specific match wins'),
  editable: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  version: z.number().int(),
});

/** The service folds a spelling to its division (canonicalProvince) and refuses the rest; the document lists the usual ones. */
const province = text(30).meta({ enum: [...PROVINCE_SPELLINGS] });

const place = {
  province,
  city: optionalText(30),
  district: optionalText(30),
  industry: z.enum(INDUSTRIES).nullable().optional(),
};

const placeSchema = z.object({ province: z.string().nullable(), city: z.string().nullable(), district: z.string().nullable(), industry: z.string().nullable() });

export default async function territoryRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  r.get('/territories', {
    config: { access: needs('territories.read') },
    schema: {
      tags: ['territories'],
      summary: 'Territory rules (井田, docs/organisation.md) with their rep and unit; a manager sees those of their subtree',
      querystring: z.strictObject({
        limit: queryInt(z.number().int().min(1).max(500)).default(100),
        offset: queryInt(z.number().int().min(0)).default(0),
        userId: queryId.optional(),
        province: z.string().max(30).optional(),
        industry: z.enum(INDUSTRIES).optional(),
        active: queryBool,
      }),
      response: { 200: page(territorySchema), ...errorResponses },
    },
  }, async (req) => territories.listTerritories(db, actorOf(req), req.query));

  r.get('/territories/conflicts', {
    config: { access: needs('territories.read') },
    schema: {
      tags: ['territories'],
      summary: 'Places that active rules of the same specificity give to different reps (reported, never resolved silently)',
      response: { 200: z.object({ items: z.array(z.object({ place: placeSchema, specificity: z.number().int(), rules: z.array(territorySchema) })), total: z.number().int() }), ...errorResponses },
    },
  }, async (req) => territories.conflicts(db, actorOf(req)));

  r.get('/territories/mismatches', {
    config: { access: needs('territories.read') },
    schema: {
      tags: ['territories'],
      summary: 'Accounts in reach owned by someone other than the rep their territory names (reported, never reassigned silently)',
      querystring: z.strictObject({ limit: queryInt(z.number().int().min(1).max(200)).default(50), offset: queryInt(z.number().int().min(0)).default(0) }),
      response: {
        200: z.object({
          items: z.array(z.object({
            accountId: z.number().int(), accountName: z.string(), province: z.string().nullable(), city: z.string().nullable(), industry: z.string().nullable(),
            ownerId: z.number().int(), ownerName: z.string().nullable(), territoryUserId: z.number().int(), territoryUserName: z.string(), ruleId: z.number().int(),
          })),
          total: z.number().int(),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => territories.mismatches(db, actorOf(req), req.query));

  r.get('/territories/preview', {
    config: { access: needs('territories.read') },
    schema: {
      tags: ['territories'],
      summary: 'Who would own a new account at this place: assigned, conflict, none (the creator keeps it) or inactive (the rep is deactivated)',
      querystring: z.strictObject({ province: z.string().max(30).optional(), city: z.string().max(30).optional(), district: z.string().max(30).optional(), industry: z.enum(INDUSTRIES).optional() }),
      response: {
        200: z.object({
          result: z.enum(['assigned', 'conflict', 'none', 'inactive']),
          user: z.object({ id: z.number().int(), name: z.string(), orgUnitName: z.string() }).nullable(),
          rules: z.array(territorySchema),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => territories.preview(db, actorOf(req), { province: req.query.province ?? null, city: req.query.city ?? null, district: req.query.district ?? null, industry: req.query.industry ?? null }));

  r.post('/territories/apply', {
    config: { access: needs('territories.manage') },
    schema: {
      tags: ['territories'],
      summary: 'Give pool accounts to the reps their territory names; dryRun (the default) only reports',
      body: z.strictObject({ dryRun: z.boolean().default(true) }),
      response: {
        200: z.object({
          dryRun: z.boolean(), poolAccounts: z.number().int(), assigned: z.number().int(), conflicted: z.number().int(), unmatched: z.number().int(),
          sample: z.array(z.object({ accountId: z.number().int(), accountName: z.string(), userId: z.number().int(), userName: z.string() })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => territories.applyToPool(db, actorOf(req), req.body.dryRun, ipOf(req)));

  r.post('/territories', {
    config: { access: needs('territories.manage') },
    schema: {
      tags: ['territories'],
      summary: 'Add a territory rule: province, optional city and district, optional industry, the rep',
      body: z.strictObject({ name: optionalText(100), ...place, userId: recordId, active: z.boolean().optional() }),
      response: { 201: territorySchema, ...errorResponses },
    },
  }, async (req, reply) => reply.code(201).send(await territories.createTerritory(db, actorOf(req), req.body, ipOf(req))));

  r.get('/territories/:id', {
    config: { access: needs('territories.read') },
    schema: { tags: ['territories'], params: idParam, response: { 200: territorySchema, ...errorResponses } },
  }, async (req) => territories.getTerritory(db, actorOf(req), req.params.id));

  r.patch('/territories/:id', {
    config: { access: needs('territories.manage') },
    schema: {
      tags: ['territories'],
      summary: 'Change a territory rule',
      params: idParam,
      body: z.strictObject({
        version: versionField,
        name: optionalText(100),
        province: province.optional(),
        city: place.city,
        district: place.district,
        industry: place.industry,
        userId: recordId.optional(),
        active: z.boolean().optional(),
      }),
      response: { 200: territorySchema, ...errorResponses },
    },
  }, async (req) => territories.updateTerritory(db, actorOf(req), req.params.id, req.body, ipOf(req)));

  r.delete('/territories/:id', {
    config: { access: needs('territories.manage') },
    schema: { tags: ['territories'], summary: 'Delete a territory rule (rules are configuration)', params: idParam, response: { 204: z.null(), ...errorResponses } },
  }, async (req, reply) => {
    await territories.deleteTerritory(db, actorOf(req), req.params.id, ipOf(req));
    return reply.code(204).send(null);
  });
}
