import { z } from 'zod';
import { BUYING_ROLES, TIERS } from '../domain/accounts.ts';
import { listQuery, queryBool, queryId } from './common.ts';

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
