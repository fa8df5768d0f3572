import { z } from 'zod';
import { optionalText, queryBool, queryId, queryInt, recordId, text, versionField } from './common.ts';
import { INDUSTRIES } from '../domain/accounts.ts';
import { PROVINCE_SPELLINGS } from '../domain/regions.ts';

/** Territory rules (井田, docs/organisation.md): which rep owns new accounts at a place. */
const industry = z.enum(INDUSTRIES);

export const territorySchema = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  district: z.string().nullable(),
  industry: industry.nullable().describe('every write takes one of the industries, so the rule holds one'),
  userId: z.number().int(),
  userName: z.string(),
  userActive: z.boolean(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  active: z.boolean(),
  specificity: z
    .number()
    .int()
    .describe('how many of province, city, district, industry the rule names; the most specific match wins'),
  editable: z.boolean().describe('the caller may change or delete this rule'),
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

const placeSchema = z.object({
  province: z.string().nullable(),
  city: z.string().nullable(),
  district: z.string().nullable(),
  industry: industry.nullable(),
});

export const listTerritoriesQuery = z.strictObject({
  limit: queryInt(z.number().int().min(1).max(500)).default(100),
  offset: queryInt(z.number().int().min(0)).default(0),
  userId: queryId.optional(),
  province: z.string().max(30).optional(),
  industry: z.enum(INDUSTRIES).optional(),
  active: queryBool,
});

export const territoryConflictSchema = z.object({
  place: placeSchema,
  specificity: z.number().int(),
  rules: z.array(territorySchema),
});
export const conflictList = z.object({ items: z.array(territoryConflictSchema), total: z.number().int() });

export const mismatchesQuery = z.strictObject({
  limit: queryInt(z.number().int().min(1).max(200)).default(50),
  offset: queryInt(z.number().int().min(0)).default(0),
});
export const territoryMismatchSchema = z.object({
  accountId: z.number().int(),
  accountName: z.string(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  industry: z.string().nullable(),
  ownerId: z.number().int(),
  ownerName: z.string().nullable(),
  territoryUserId: z.number().int(),
  territoryUserName: z.string(),
  ruleId: z.number().int(),
});
export const mismatchList = z.object({ items: z.array(territoryMismatchSchema), total: z.number().int() });

export const previewQuery = z.strictObject({
  province: z.string().max(30).optional(),
  city: z.string().max(30).optional(),
  district: z.string().max(30).optional(),
  industry: z.enum(INDUSTRIES).optional(),
});
export const previewSchema = z.object({
  result: z.enum(['assigned', 'conflict', 'none', 'inactive']),
  user: z.object({ id: z.number().int(), name: z.string(), orgUnitName: z.string() }).nullable(),
  rules: z.array(territorySchema),
});

export const applyRequest = z.strictObject({ dryRun: z.boolean().default(true) });
export const applyResult = z.object({
  dryRun: z.boolean(),
  poolAccounts: z.number().int(),
  assigned: z.number().int(),
  conflicted: z.number().int(),
  unmatched: z.number().int(),
  sample: z.array(
    z.object({ accountId: z.number().int(), accountName: z.string(), userId: z.number().int(), userName: z.string() }),
  ),
});

export const createTerritoryRequest = z.strictObject({
  name: optionalText(100),
  ...place,
  userId: recordId,
  active: z.boolean().optional(),
});
export const updateTerritoryRequest = z.strictObject({
  version: versionField,
  name: optionalText(100),
  province: province.optional(),
  city: place.city,
  district: place.district,
  industry: place.industry,
  userId: recordId.optional(),
  active: z.boolean().optional(),
});

export type Territory = z.infer<typeof territorySchema>;
export type TerritoryConflict = z.infer<typeof territoryConflictSchema>;
export type TerritoryMismatch = z.infer<typeof territoryMismatchSchema>;
export type ListTerritoriesQuery = z.infer<typeof listTerritoriesQuery>;
export type MismatchesQuery = z.infer<typeof mismatchesQuery>;
export type Preview = z.infer<typeof previewSchema>;
export type ApplyResult = z.infer<typeof applyResult>;
export type CreateTerritoryRequest = z.infer<typeof createTerritoryRequest>;
export type CreateTerritoryInput = z.input<typeof createTerritoryRequest>;
export type UpdateTerritoryRequest = z.infer<typeof updateTerritoryRequest>;
export type UpdateTerritoryInput = z.input<typeof updateTerritoryRequest>;
export type ConflictList = z.infer<typeof conflictList>;
export type MismatchList = z.infer<typeof mismatchList>;
