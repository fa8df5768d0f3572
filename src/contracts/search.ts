import { z } from 'zod';
import { queryInt } from './common.ts';

/**
 * Global search (docs/search.md): one typed text across accounts, contacts and opportunities,
 * each group limited and counted, scoped by the caller's reach like the group's own list.
 * Chinese substrings of any length; two or more Latin letters also match the pinyin initials
 * of names (张伟 is found by "zw").
 */
export const SEARCH_COUNT_CAP = 1000;

export const searchQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .describe('substring of a name, phone, email, title or credit code; or pinyin initials of a name'),
  limit: queryInt(z.number().int().min(1).max(20)).default(5).describe('results per group'),
});
export type SearchQuery = z.infer<typeof searchQuery>;

const group = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int().describe(`matches the caller may see, counted up to ${SEARCH_COUNT_CAP}`),
    capped: z.boolean().describe(`true when there are more than ${SEARCH_COUNT_CAP}`),
  });

export const searchAccount = z.object({
  id: z.number().int(),
  name: z.string(),
  city: z.string().nullable(),
  tier: z.string(),
  ownerName: z.string().nullable(),
  inPool: z.boolean(),
});
export const searchContact = z.object({
  id: z.number().int(),
  name: z.string(),
  title: z.string().nullable(),
  accountId: z.number().int(),
  accountName: z.string(),
});
export const searchOpportunity = z.object({
  id: z.number().int(),
  name: z.string(),
  accountId: z.number().int(),
  accountName: z.string(),
  status: z.enum(['open', 'won', 'lost', 'abandoned']),
  amount: z.number().int().describe('fen'),
});

export const searchResponse = z.object({
  q: z.string(),
  /** null: the caller may not read that kind of record at all (accounts.read, opportunities.read). */
  accounts: group(searchAccount).nullable(),
  contacts: group(searchContact).nullable(),
  opportunities: group(searchOpportunity).nullable(),
});
export type SearchResponse = z.infer<typeof searchResponse>;
export type SearchAccount = z.infer<typeof searchAccount>;
export type SearchContact = z.infer<typeof searchContact>;
export type SearchOpportunity = z.infer<typeof searchOpportunity>;
