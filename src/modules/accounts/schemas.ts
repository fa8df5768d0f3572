import { z } from 'zod';
import { ACCOUNT_STATUSES, COMPANY_SIZES, INDUSTRIES, LEAD_SOURCES, TIERS, VALUE_TYPES } from '../../domain/accounts.ts';
import { listQuery, optionalText, queryBool, text, queryId, recordId } from '../../contracts/common.ts';

/** Account schemas shared by the account routes, the export and the import. */
export const accountSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  creditCode: z.string().nullable(),
  industry: z.string().nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  district: z.string().nullable(),
  address: z.string().nullable(),
  size: z.string().nullable(),
  website: z.string().nullable(),
  phone: z.string().nullable(),
  leadSource: z.string().nullable(),
  referrerAccountId: z.number().int().nullable(),
  parentAccountId: z.number().int().nullable().describe('the parent in its group (PUT /accounts/{id}/parent)'),
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  orgUnitId: z.number().int(),
  orgUnitName: z.string(),
  status: z.enum(ACCOUNT_STATUSES),
  tier: z.enum(TIERS),
  tierComputed: z.enum(TIERS),
  tierOverride: z.enum(TIERS).nullable(),
  tierOverrideReason: z.string().nullable(),
  valueType: z.string().nullable(),
  trailingAmount: z.number().int().describe('purchase amount in the trailing window, fen'),
  priorAmount: z.number().int().describe('purchase amount in the window before, fen'),
  named: z.boolean(),
  namedCriteria: z.record(z.string(), z.boolean()),
  inPool: z.boolean(),
  poolSince: z.number().int().nullable(),
  lastFollowUpAt: z.number().int().nullable(),
  nextFollowUpDue: z.number().int(),
  followUpOverdue: z.boolean(),
  notes: z.string().nullable(),
  archived: z.boolean(),
  contactCount: z.number().int(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  version: z.number().int(),
});

export const accountDetailSchema = accountSchema.extend({
  permissions: z.object({ edit: z.boolean(), manage: z.boolean() }),
});

const nullableEnum = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).nullable().optional();

/** Writable account fields (create and update share them). */
export const accountFields = {
  creditCode: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.string().max(18, 'must be 18 characters'))
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional()
    .describe('统一社会信用代码: 18 characters with a check character (GB 32100-2015); empty clears it')
    .meta({ pattern: '^(|[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18})$' }),
  industry: nullableEnum(INDUSTRIES),
  province: optionalText(30),
  city: optionalText(30),
  district: optionalText(30),
  address: optionalText(200),
  size: nullableEnum(COMPANY_SIZES),
  website: optionalText(200),
  phone: optionalText(40),
  leadSource: nullableEnum(LEAD_SOURCES),
  referrerAccountId: recordId.nullable().optional(),
  status: z.enum(ACCOUNT_STATUSES).optional(),
  notes: optionalText(5000),
  ownerId: recordId.nullable().optional(),
};

export const createAccountBody = z.strictObject({
  name: text(200),
  ...accountFields,
  allowSimilarName: z.boolean().optional().describe('create even though similar names exist'),
});

export const updateAccountBody = z.strictObject({
  version: recordId,
  name: text(200).optional(),
  ...accountFields,
  ownerReason: text(500).optional().describe('required when ownerId changes'),
});

/** Filters of the account list; the export and saved views take the same ones. */
export const accountFilterShape = {
  q: z.string().trim().max(100).optional().describe('substring of name, credit code, or a contact\'s name, phone or email (Chinese included)'),
  ownerId: queryId.optional(),
  orgUnitId: queryId.optional().describe('unit, including its sub-units'),
  tier: z.enum(TIERS).optional(),
  status: z.enum(ACCOUNT_STATUSES).optional(),
  industry: z.enum(INDUSTRIES).optional(),
  province: z.string().max(30).optional(),
  city: z.string().max(30).optional(),
  valueType: z.enum(VALUE_TYPES).optional(),
  named: queryBool,
  inPool: queryBool,
  overdue: queryBool.describe('follow-up overdue for the tier (docs/archive.md § Follow-up cadence)'),
  archived: queryBool,
};

export const accountListQuery = listQuery(['name', 'updatedAt', 'createdAt', 'tier', 'lastFollowUpAt', 'trailingAmount'], '-updatedAt', accountFilterShape);
