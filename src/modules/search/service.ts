import type { Db } from '../../db/database.ts';
import { can, type Actor } from '../../domain/policy.ts';
import type { SearchQuery, SearchResponse } from '../../contracts/search.ts';
import * as repo from './repository/plan.ts';
import { looksLikeInitials, prepareMatch, RARITY_PROBE, type SearchKind } from './repository/match.ts';

/**
 * Global search (docs/search.md): each group only for a caller who may read that kind of
 * record, scoped by the same reach as its list; the groups run side by side.
 */
export async function search(db: Db, actor: Actor, query: SearchQuery): Promise<SearchResponse> {
  const { q: text, limit } = query;
  const kysely = db.kysely;
  const kinds: SearchKind[] = looksLikeInitials(text) ? ['a', 'c', 'o', 'ap', 'cp', 'op'] : ['a', 'c', 'o'];
  const match = await prepareMatch(kysely, actor.workspaceId, text, kinds, RARITY_PROBE, true);
  const readsAccounts = can(actor, 'accounts.read');
  const [accounts, contacts, opportunities] = await Promise.all([
    readsAccounts ? repo.searchAccounts(kysely, db.engine, actor, text, match, limit) : null,
    readsAccounts ? repo.searchContacts(kysely, db.engine, actor, text, match, limit) : null,
    can(actor, 'opportunities.read') ? repo.searchOpportunities(kysely, db.engine, actor, text, match, limit) : null,
  ]);
  return {
    q: text,
    accounts: accounts && {
      total: accounts.total,
      capped: accounts.capped,
      items: accounts.rows.map((row) => ({
        id: row.id,
        name: row.name,
        city: row.city,
        tier: row.tier,
        ownerName: row.owner_name,
        inPool: row.in_pool === 1,
      })),
    },
    contacts: contacts && {
      total: contacts.total,
      capped: contacts.capped,
      items: contacts.rows.map((row) => ({
        id: row.id,
        name: row.name,
        title: row.title,
        accountId: row.account_id,
        accountName: row.account_name,
      })),
    },
    opportunities: opportunities && {
      total: opportunities.total,
      capped: opportunities.capped,
      items: opportunities.rows.map((row) => ({
        id: row.id,
        name: row.name,
        accountId: row.account_id,
        accountName: row.account_name,
        status: row.status as 'open',
        amount: Number(row.amount),
      })),
    },
  };
}
