import { z } from 'zod';
import { ATTITUDES, BUYING_ROLES, INFLUENCE_LEVELS, TIERS } from '../domain/accounts.ts';
import { listQuery, optionalText, queryBool, queryId, recordId, text, versionField } from './common.ts';

/**
 * The contact list (docs/archive.md § Contacts list): every contact of the accounts the caller
 * may see, filtered by the contact and by its account. The list, its export and saved views
 * take the same filters. Pure zod: the web app imports the types.
 */
export const contactFilterShape = {
  q: z.string().trim().max(100).optional().describe('substring of name, phone, email, title or company'),
  accountId: queryId.optional(),
  ownerId: queryId.optional().describe("the account's owner"),
  orgUnitId: queryId.optional().describe("the account's unit, including its sub-units"),
  tier: z.enum(TIERS).optional().describe("the account's tier"),
  role: z.enum(BUYING_ROLES).optional().describe('holds this buying role on the account or one of its deals'),
  hasPhone: queryBool.describe('has a mobile or phone number'),
  archived: queryBool,
};

export const CONTACT_SORTS = ['name', 'updatedAt', 'accountName'] as const;
export const contactListQuery = listQuery(CONTACT_SORTS, 'name', contactFilterShape);
export type ContactListQuery = z.infer<typeof contactListQuery>;
export type ContactFilterQuery = Omit<ContactListQuery, 'limit' | 'offset' | 'sort'>;
/** The filters as they travel in a URL (the web app's list state, saved views, the export link). */
export type ContactFilterParams = Partial<Record<keyof typeof contactFilterShape | 'sort', string>>;

/** A contact as every contact route answers (docs/archive.md § Contacts). */
export const contactSchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  accountName: z.string(),
  accountTier: z.enum(TIERS),
  accountOwnerId: z.number().int().nullable(),
  accountOwnerName: z.string().nullable(),
  name: z.string(),
  title: z.string().nullable(),
  department: z.string().nullable(),
  reportsToId: z.number().int().nullable(),
  phone: z.string().nullable(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  wechat: z.string().nullable(),
  birthday: z.string().nullable(),
  notes: z.string().nullable(),
  archived: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  version: z.number().int(),
});

export const contactFields = {
  title: optionalText(100),
  department: optionalText(100),
  reportsToId: recordId.nullable().optional().describe('the contact this one reports to (same account)'),
  phone: optionalText(40),
  mobile: optionalText(40),
  email: z
    .string()
    .trim()
    .max(254)
    .pipe(z.email('must be a valid email address'))
    .meta({ format: 'email' })
    .nullable()
    .optional(),
  wechat: optionalText(60),
  birthday: z.iso.date('must be a date YYYY-MM-DD').nullable().optional(),
  notes: optionalText(5000).describe('interests, topics they enjoy (docs/archive.md § Buying roles)'),
};

export const roleSchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  opportunityId: z.number().int().nullable(),
  contactId: z.number().int(),
  contactName: z.string(),
  role: z.enum(BUYING_ROLES),
  attitude: z.enum(ATTITUDES),
  influence: z.enum(INFLUENCE_LEVELS),
  relationship: z.number().int().min(1).max(5),
  holderUserId: z.number().int().nullable(),
  holderName: z.string().nullable(),
  notes: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.number().int(),
});

export const roleFields = {
  attitude: z.enum(ATTITUDES).optional(),
  influence: z.enum(INFLUENCE_LEVELS).optional(),
  relationship: z
    .number()
    .int()
    .min(1, 'must be 1–5')
    .max(5, 'must be 1–5')
    .optional()
    .describe('1 unknown, 2 acquainted, 3 trusting, 4 supportive, 5 ally'),
  holderUserId: recordId.nullable().optional().describe('which of our people holds the relationship'),
  notes: optionalText(2000),
};

export const gapSchema = z.object({
  kind: z.enum(['missing_role', 'weak_high_influence', 'no_holder', 'opponent']),
  role: z.enum(BUYING_ROLES),
  contactId: z.number().int().optional(),
  influence: z.enum(INFLUENCE_LEVELS).optional(),
});

export const opportunityQuery = z.strictObject({
  opportunityId: queryId.optional().describe('roles on this opportunity; account-level roles when absent'),
});

export const createContactBody = z.strictObject({ accountId: recordId, name: text(100), ...contactFields });
export const updateContactBody = z.strictObject({
  version: versionField,
  name: text(100).optional(),
  ...contactFields,
});
export const createRoleBody = z.strictObject({
  contactId: recordId,
  opportunityId: recordId.nullable().optional(),
  role: z.enum(BUYING_ROLES),
  ...roleFields,
});
export const updateRoleBody = z.strictObject({
  version: versionField,
  role: z.enum(BUYING_ROLES).optional(),
  ...roleFields,
});
export const roleListResponse = z.object({ items: z.array(roleSchema) });
/** The relationship map (docs/archive.md § Buying roles): contacts with their roles, our people, gaps, coverage. */
export const relationshipMapResponse = z.object({
  contacts: z.array(contactSchema.extend({ roles: z.array(roleSchema) })),
  holders: z.array(z.object({ userId: z.number().int(), name: z.string() })),
  gaps: z.array(gapSchema),
  coverage: z.number().int().min(0).max(100),
  parts: z.object({ roles: z.number(), relationships: z.number(), support: z.number() }),
});

export type Contact = z.infer<typeof contactSchema>;
export type CreateContactBody = z.input<typeof createContactBody>;
export type UpdateContactBody = z.input<typeof updateContactBody>;
export type CreateRoleBody = z.input<typeof createRoleBody>;
export type UpdateRoleBody = z.input<typeof updateRoleBody>;
export type BuyingRole = z.infer<typeof roleSchema>;
