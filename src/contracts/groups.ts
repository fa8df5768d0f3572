import { z } from 'zod';
import { TIERS } from '../domain/accounts.ts';
import { recordId, versionField } from './common.ts';

/**
 * Group accounts and credit splits (docs/archive.md § Group accounts): an account's parent in
 * its group, the group page's roll-up, and a deal's credit shared between owners in whole
 * percent adding up to 100. Pure zod: the web app imports the types.
 */
export const setParentBody = z.strictObject({
  version: versionField,
  parentAccountId: recordId
    .nullable()
    .describe('the parent account in the group; null takes the account out of its group'),
});

const figures = {
  trailingAmount: z.number().int().describe('purchases in the trailing window, fen'),
  priorAmount: z.number().int().describe('purchases in the window before, fen'),
  openDeals: z.number().int(),
  openAmount: z.number().int().describe('fen'),
  wonAmount: z.number().int().describe('fen'),
  contacts: z.number().int(),
};

export const groupMemberSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  parentAccountId: z.number().int().nullable(),
  depth: z.number().int().describe('levels below the group root'),
  tier: z.enum(TIERS),
  named: z.boolean(),
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  archived: z.boolean(),
  ...figures,
});

export const groupSchema = z.object({
  rootId: z.number().int(),
  /** The members the caller may see, root first then by depth; figures count only what the caller may see. */
  members: z.array(groupMemberSchema),
  hiddenMembers: z
    .number()
    .int()
    .describe("members of the group outside the caller's reach, counted but not shown or summed"),
  totals: z.object({ accounts: z.number().int(), ...figures }),
  tier: z.enum(TIERS).describe("the group's tier: its best member's"),
  tierCounts: z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() }),
});
export type Group = z.infer<typeof groupSchema>;
export type GroupMember = z.infer<typeof groupMemberSchema>;

export const creditSplitsBody = z.strictObject({
  splits: z
    .array(z.strictObject({ userId: recordId, percent: z.number().int().min(1).max(100) }))
    .max(10)
    .describe(
      "the owners' shares in whole percent, adding up to 100; an empty list gives the deal's owner all the credit",
    ),
});

export const creditSplitsSchema = z.object({
  opportunityId: z.number().int(),
  splits: z.array(z.object({ userId: z.number().int(), userName: z.string(), percent: z.number().int() })),
});
export type CreditSplits = z.infer<typeof creditSplitsSchema>;
