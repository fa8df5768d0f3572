import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { Engine } from '../../../db/dialect.ts';
import { accountReach, type Actor } from '../../../domain/policy.ts';
import { SEARCH_COUNT_CAP } from '../../../contracts/search.ts';
import { looksLikeInitials, type SearchKind, type TextMatch } from './match.ts';
import { accountsGroup, contactsGroup, opportunitiesGroup, type Group } from './group.ts';
import { rankedPlan } from './ranked.ts';
import { reachPlan, unsorted, walked, WALK_ROWS } from './walk.ts';
import { moreThanCap, walkedByIndex } from './index-walk.ts';

/**
 * Which plan answers a group (docs/search.md "How it works"):
 * - few candidates (the rarest gram of the group's kind in at most the count's cap of index rows): each is looked
 *   up and ranked (repository/ranked.ts), the count beside it;
 * - many, for a caller who sees only their own records (a rep, presales): their rows are tested
 *   one by one (a rep holds hundreds; the candidates of "mes" are a hundred thousand deals);
 * - many, for a workspace or a subtree: counted first (up to the cap, as before); more than the
 *   cap, the rows are walked in rank order and the walk stops at `limit`; otherwise ranked.
 */
/** Which plan: chosen by the candidates and the reach, or one forced, and the walk's bound (the tests compare them). */
export interface PlanOptions {
  force?: 'auto' | 'ranked' | 'walk' | 'reach';
  walkRows?: number;
}

async function searchGroup<R>(
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  text: string,
  match: TextMatch,
  limit: number,
  group: Group,
  { force = 'auto', walkRows = WALK_ROWS }: PlanOptions = {},
) {
  const ws = actor.workspaceId;
  // Many: common, or more candidates than the count's cap — ranked, those past the cap were
  // each looked up twice, to rank and to count (an admin's "hw": 1,000–2,000 accounts and
  // contacts by their initials, 60–66 ms each to rank on SQLite, 24–48 ms to count).
  const past = (kind: SearchKind) => match.common[kind] === true || (match.rarest[kind] ?? 0) > SEARCH_COUNT_CAP;
  const many =
    force === 'auto'
      ? past(group.kinds.text) || (looksLikeInitials(text) && past(group.kinds.initials))
      : force !== 'ranked';
  const reach = accountReach(actor).kind;
  const mine = force === 'auto' ? reach === 'own' || reach === 'team' : force === 'reach';
  let rows: R[];
  let total: number;
  if (many && mine) ({ rows, total } = await reachPlan<R>(db, engine, ws, text, match, group, limit));
  else if (!many) {
    const plan = rankedPlan(db, engine, ws, text, match, group);
    [rows, total] = (await Promise.all([plan.rows(limit), plan.count()])) as [R[], number];
  } else if (match.prefix === null && (await moreThanCap(db, engine, ws, text, match, group))) {
    // More than the cap, found by reading the index's lists from their start: the best are
    // found the same way (repository/index-walk.ts).
    total = SEARCH_COUNT_CAP + 1;
    rows = await walkedByIndex<R>(db, engine, ws, text, match, group, limit);
  } else {
    const plan = rankedPlan(db, engine, ws, text, match, group);
    const first = await plan.firstMatches(limit);
    total = first.total;
    if (total <= SEARCH_COUNT_CAP && force !== 'walk') rows = first.rows.map((row) => unsorted<R>(row));
    // Two or more characters: the index's lists come in rank order. One: its grams are many
    // lists (every gram starting with it), so the rows themselves are walked in that order.
    else if (match.prefix === null) rows = await walkedByIndex<R>(db, engine, ws, text, match, group, limit);
    else
      rows =
        (await walked<R>(db, engine, ws, text, match, group, limit, walkRows)) ?? ((await plan.rows(limit)) as R[]);
  }
  return { rows, total: Math.min(total, SEARCH_COUNT_CAP), capped: total > SEARCH_COUNT_CAP };
}

interface AccountHit {
  id: number;
  name: string;
  city: string | null;
  tier: string;
  in_pool: number;
  owner_name: string | null;
}
interface ContactHit {
  id: number;
  name: string;
  title: string | null;
  account_id: number;
  account_name: string;
}
interface OpportunityHit {
  id: number;
  name: string;
  account_id: number;
  account_name: string;
  status: string;
  amount: number | string;
}

type Args = [
  db: Kysely<Database>,
  engine: Engine,
  actor: Actor,
  text: string,
  match: TextMatch,
  limit: number,
  options?: PlanOptions,
];

const rest = (args: Args) => args.slice(0, 6) as [Kysely<Database>, Engine, Actor, string, TextMatch, number];

export const searchAccounts = (...args: Args) =>
  searchGroup<AccountHit>(...rest(args), accountsGroup(args[2]), args[6]);
export const searchContacts = (...args: Args) =>
  searchGroup<ContactHit>(...rest(args), contactsGroup(args[2]), args[6]);
export const searchOpportunities = (...args: Args) =>
  searchGroup<OpportunityHit>(...rest(args), opportunitiesGroup(args[2]), args[6]);
