import { z } from 'zod';
import { accountPage } from './accounts.ts';
import { queryInt } from './common.ts';
import { attentionPageSchema, opportunityListPageSchema } from './opportunities.ts';

/**
 * The desk (docs/archive.md § Follow-up cadence, docs/DESIGN.md § The desk): what a rep or a manager
 * works on now, in one request — each card the first rows and total its list endpoint answers for the
 * same filter, and whether there is anything at all to show (an empty card of a new workspace says
 * what to do instead of "all is well").
 */

/** "Closing this month" leaves out the long shots: deals at 0–10% are not "closing". */
export const DESK_CLOSING_MIN_PROBABILITY = 11;

export const deskQuery = z.strictObject({
  limit: queryInt(z.number().int().min(1).max(500))
    .default(5)
    .describe("each card's first rows, as a list's limit (the total counts them all)"),
});

export const deskSchema = z.object({
  filter: z
    .object({
      ownerId: z
        .number()
        .int()
        .nullable()
        .describe("a rep's desk holds their own records (the lists' ownerId); null: everything in the caller's sight"),
      closeFrom: z.string().describe("the closing card's first day: today in the workspace's time zone"),
      closeTo: z.string().describe("the closing card's last day: the end of today's month"),
      minProbability: z.number().int().describe("the closing card's probability floor"),
    })
    .describe('what the cards were filtered by: their lists ("view all") open with the same filter'),
  attention: attentionPageSchema.describe('GET /opportunities/attention?ownerId&limit'),
  overdue: accountPage.describe('GET /accounts?ownerId&overdue=true&archived=false&sort=tier&limit'),
  closing: opportunityListPageSchema.describe(
    'GET /opportunities?ownerId&status=open&closeFrom&closeTo&minProbability&sort=expectedCloseDate&limit',
  ),
  anyAccounts: z.boolean().describe('the caller sees at least one account (any owner, any state)'),
  anyOpportunities: z.boolean().describe('the caller sees at least one opportunity (any owner, any state)'),
});

export type DeskQuery = z.infer<typeof deskQuery>;
export type Desk = z.infer<typeof deskSchema>;
