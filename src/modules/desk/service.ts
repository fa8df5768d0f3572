import type { Db } from '../../db/database.ts';
import { dateIn, monthEnd } from '../../domain/calendar.ts';
import type { Actor } from '../../domain/policy.ts';
import { accountListQuery } from '../../contracts/accounts.ts';
import { DESK_CLOSING_MIN_PROBABILITY, type Desk, type DeskQuery } from '../../contracts/desk.ts';
import { attentionQuery, opportunityListQuery } from '../../contracts/opportunities.ts';
import { listAccounts } from '../accounts/service.ts';
import { attention, listOpportunities } from '../opportunities/service.ts';
import { loadRules } from '../workspace/service.ts';

/**
 * The desk in one request (docs/DESIGN.md § The desk): the three cards web/src/features/home/Desk.tsx
 * shows, each read by the service of its list endpoint with the query that endpoint would parse from
 * the card's "view all" link — the same scope, filters, defaults, totals and DTOs, no query or rule
 * of its own. What it saves is the requests: one session check, one validation, one answer and
 * one round trip instead of three to five. The cards are read at once (on PostgreSQL each on a
 * connection of the pool); whether anything exists at all is asked only when a card is empty.
 */
export async function desk(db: Db, actor: Actor, query: DeskQuery): Promise<Desk> {
  const { calendar } = await loadRules(db.kysely, actor);
  const today = dateIn(actor.now, calendar.timeZone);
  // A rep's desk is about their own accounts and deals, not their unit's; a manager's is the team's.
  const ownerId = actor.role === 'rep' ? actor.userId : null;
  const filter = { ownerId, closeFrom: today, closeTo: monthEnd(today), minProbability: DESK_CLOSING_MIN_PROBABILITY };
  // Parsed as the list routes parse their query strings, so a card is exactly what its list answers.
  const mine = ownerId === null ? {} : { ownerId: String(ownerId) };
  const page = { limit: String(query.limit), offset: '0' };
  const [attentionPage, overdue, closing] = await Promise.all([
    attention(db, actor, attentionQuery.parse({ ...mine, ...page })),
    listAccounts(
      db,
      actor,
      accountListQuery.parse({ ...mine, overdue: 'true', archived: 'false', sort: 'tier', ...page }),
    ),
    listOpportunities(
      db,
      actor,
      opportunityListQuery.parse({
        ...mine,
        status: 'open',
        closeFrom: filter.closeFrom,
        closeTo: filter.closeTo,
        minProbability: String(filter.minProbability),
        sort: 'expectedCloseDate',
        ...page,
      }),
    ),
  ]);
  // A card with rows proves there is something; only an empty one needs the question (as GET ?limit=1 asks it).
  const any = { limit: '1', offset: '0' };
  const [anyAccounts, anyOpportunities] = await Promise.all([
    overdue.total > 0 || listAccounts(db, actor, accountListQuery.parse(any)).then((found) => found.total > 0),
    attentionPage.total > 0 ||
      closing.total > 0 ||
      listOpportunities(db, actor, opportunityListQuery.parse(any)).then((found) => found.total > 0),
  ]);
  return { filter, attention: attentionPage, overdue, closing, anyAccounts, anyOpportunities };
}
