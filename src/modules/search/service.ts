import type { Db } from '../../db/database.ts';
import { can, type Actor } from '../../domain/policy.ts';
import type { SearchQuery, SearchResponse } from '../../contracts/search.ts';
import * as repo from './repository.ts';

/**
 * Global search (docs/search.md): each group only for a caller who may read that kind of
 * record, scoped by the same reach as its list; the groups run side by side.
 */
export async function search(db: Db, actor: Actor, query: SearchQuery): Promise<SearchResponse> {
  const { q, limit } = query;
  const k = db.kysely;
  const m = await repo.prepareMatch(k, actor.workspaceId, q);
  const readsAccounts = can(actor, 'accounts.read');
  const [accounts, contacts, opportunities] = await Promise.all([
    readsAccounts ? repo.searchAccounts(k, db.engine, actor, q, m, limit) : null,
    readsAccounts ? repo.searchContacts(k, db.engine, actor, q, m, limit) : null,
    can(actor, 'opportunities.read') ? repo.searchOpportunities(k, db.engine, actor, q, m, limit) : null,
  ]);
  return {
    q,
    accounts: accounts && {
      total: accounts.total, capped: accounts.capped,
      items: accounts.rows.map((r) => ({ id: r.id, name: r.name, city: r.city, tier: r.tier, ownerName: r.owner_name, inPool: r.in_pool === 1 })),
    },
    contacts: contacts && {
      total: contacts.total, capped: contacts.capped,
      items: contacts.rows.map((r) => ({ id: r.id, name: r.name, title: r.title, accountId: r.account_id, accountName: r.account_name })),
    },
    opportunities: opportunities && {
      total: opportunities.total, capped: opportunities.capped,
      items: opportunities.rows.map((r) => ({ id: r.id, name: r.name, accountId: r.account_id, accountName: r.account_name, status: r.status as 'open', amount: Number(r.amount) })),
    },
  };
}
