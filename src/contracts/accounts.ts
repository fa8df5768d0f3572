import { z } from 'zod';
import {
  cappedPage,
  INT4_MAX,
  listQuery,
  optionalText,
  queryBool,
  queryId,
  recordId,
  text,
  versionField,
} from './common.ts';
import {
  ACCOUNT_STATUSES,
  COMPANY_SIZES,
  INDUSTRIES,
  LEAD_SOURCES,
  PROFILE_FIELDS,
  TIERS,
  VALUE_TYPES,
  type ProfileField,
} from '../domain/accounts.ts';

/** Accounts (docs/archive.md): the record, its filters, writes, duplicates, history and key-account profile. Shared by the account routes, the export, the pool, tiers and the import. */
/** The vocabularies' columns are text in the database; every write (the API, the import, the tier job) takes only their values. */
export const accountSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  creditCode: z.string().nullable(),
  industry: z.enum(INDUSTRIES).nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  district: z.string().nullable(),
  address: z.string().nullable(),
  size: z.enum(COMPANY_SIZES).nullable(),
  website: z.string().nullable(),
  phone: z.string().nullable(),
  leadSource: z.enum(LEAD_SOURCES).nullable(),
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
  valueType: z.enum(VALUE_TYPES).nullable(),
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

export const createAccountRequest = z.strictObject({
  name: text(200),
  ...accountFields,
  allowSimilarName: z.boolean().optional().describe('create even though similar names exist'),
  named: z
    .boolean()
    .optional()
    .describe(
      'a named (key) account from the start (managers only): it goes to the nearest key-account team within reach, into its pool (docs/organisation.md § Sales modes)',
    ),
});

export const updateAccountRequest = z.strictObject({
  version: recordId,
  name: text(200).optional(),
  ...accountFields,
  ownerReason: text(500).optional().describe('required when ownerId changes'),
});

/** Filters of the account list; the export and saved views take the same ones. */
export const accountFilterShape = {
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe("substring of name, credit code, or a contact's name, phone or email (Chinese included)"),
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

export const ACCOUNT_SORTS = ['name', 'updatedAt', 'createdAt', 'tier', 'lastFollowUpAt', 'trailingAmount'] as const;
export const accountListQuery = listQuery(ACCOUNT_SORTS, '-updatedAt', accountFilterShape);
export const accountPage = cappedPage(accountSchema);

export const duplicatesQuery = z.strictObject({
  name: text(200),
  creditCode: z.string().trim().max(18).optional(),
  exceptId: queryId.optional(),
});
export const duplicateMatchSchema = z.object({
  id: z.number().int().nullable(),
  name: z.string(),
  ownerName: z.string().nullable(),
  similarity: z.number(),
  visible: z.boolean(),
  sameCreditCode: z.boolean(),
});
export const duplicatesSchema = z.object({ matches: z.array(duplicateMatchSchema) });

export const versionRequest = z.strictObject({ version: versionField });

export const historyEntrySchema = z.object({
  id: z.number().int(),
  field: z.string(),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  oldLabel: z.string().nullable(),
  newLabel: z.string().nullable(),
  reason: z.string().nullable(),
  actorName: z.string().nullable(),
  createdAt: z.number().int(),
});
export const historySchema = z.object({ items: z.array(historyEntrySchema) });

const profileText = (max: number) => optionalText(max);
const profileShape = {
  businessOverview: profileText(5000),
  organisation: profileText(5000),
  decisionProcess: profileText(5000),
  budgetCycle: profileText(1000),
  installedBaseOurs: profileText(5000),
  installedBaseCompetitors: profileText(5000),
  relationshipHistory: profileText(5000),
  planObjectives: profileText(5000),
  planRelationships: profileText(5000),
  planResources: profileText(5000),
  planReviewDate: z.iso.date('must be a date YYYY-MM-DD').nullable().optional(),
} satisfies Record<ProfileField | 'planReviewDate', z.ZodType>;
export const profileSchema = z.object({
  ...(Object.fromEntries(PROFILE_FIELDS.map((k) => [k, z.string().nullable()])) as Record<
    ProfileField,
    z.ZodNullable<z.ZodString>
  >),
  planReviewDate: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.number().int().nullable(),
});
export const saveProfileRequest = z.strictObject({ version: z.number().int().min(0).max(INT4_MAX), ...profileShape });

export type Account = z.infer<typeof accountSchema>;
export type AccountDetail = z.infer<typeof accountDetailSchema>;
export type AccountListQuery = z.infer<typeof accountListQuery>;
export type AccountFilterQuery = Omit<AccountListQuery, 'limit' | 'offset' | 'sort'>;
export type CreateAccountRequest = z.infer<typeof createAccountRequest>;
export type CreateAccountInput = z.input<typeof createAccountRequest>;
export type UpdateAccountRequest = z.infer<typeof updateAccountRequest>;
export type UpdateAccountInput = z.input<typeof updateAccountRequest>;
export type DuplicateMatch = z.infer<typeof duplicateMatchSchema>;
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type Profile = z.infer<typeof profileSchema>;
export type SaveProfileRequest = z.infer<typeof saveProfileRequest>;
export type SaveProfileInput = z.input<typeof saveProfileRequest>;
