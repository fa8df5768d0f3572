import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { containsInsensitive, type Engine } from '../../src/db/dialect.ts';

/**
 * What a search must find, by the substring scan the search index replaces (docs/search.md):
 * each list's `q=` and global search's accounts, as ids, in no order. `subtree`: only the records
 * of the units under that path (a manager's reach, tested on the records' own units).
 */
export function substringScan(
  kysely: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  subtree: string | null = null,
) {
  const subtreeUnits = () =>
    kysely
      .selectFrom('org_units')
      .select('org_units.id')
      .where('org_units.workspace_id', '=', workspaceId)
      .where('org_units.path', 'like', `${subtree}%`);
  const accountsList = () => {
    const query = kysely
      .selectFrom('accounts')
      .select('accounts.id')
      .where('accounts.workspace_id', '=', workspaceId)
      .where('accounts.archived_at', 'is', null);
    return subtree === null ? query : query.where('accounts.org_unit_id', 'in', subtreeUnits());
  };
  const contactColumns = ['contacts.name', 'contacts.mobile', 'contacts.phone', 'contacts.email'] as const;
  const ids = async (rows: Promise<{ id: number }[]>) => (await rows).map((row) => row.id);
  return {
    /** The accounts list: name, credit code, or a contact's name, phones, email or WeChat id. */
    accounts: (query: string) =>
      ids(
        accountsList()
          .where((eb) =>
            eb.or([
              containsInsensitive(engine, eb.ref('accounts.name'), query),
              containsInsensitive(engine, eb.ref('accounts.credit_code'), query),
              eb.exists(
                eb
                  .selectFrom('contacts')
                  .select('contacts.id')
                  .whereRef('contacts.account_id', '=', 'accounts.id')
                  .where((inner) =>
                    inner.or(
                      [...contactColumns, 'contacts.wechat' as const].map((column) =>
                        containsInsensitive(engine, inner.ref(column), query),
                      ),
                    ),
                  ),
              ),
            ]),
          )
          .execute(),
      ),
    /** The contacts list: a contact's name, phones, email or title, or its account's name. */
    contacts: (query: string) =>
      ids(
        kysely
          .selectFrom('contacts')
          .innerJoin('accounts', 'accounts.id', 'contacts.account_id')
          .select('contacts.id')
          .where('contacts.workspace_id', '=', workspaceId)
          .where('contacts.archived_at', 'is', null)
          .where((eb) =>
            eb.or(
              [...contactColumns, 'contacts.title' as const, 'accounts.name' as const].map((column) =>
                containsInsensitive(engine, eb.ref(column), query),
              ),
            ),
          )
          .execute(),
      ),
    /** The opportunities list: a deal's name or its account's. */
    opportunities: (query: string) =>
      ids(
        kysely
          .selectFrom('opportunities')
          .innerJoin('accounts', 'accounts.id', 'opportunities.account_id')
          .select('opportunities.id')
          .where('opportunities.workspace_id', '=', workspaceId)
          .where((eb) =>
            eb.or([
              containsInsensitive(engine, eb.ref('opportunities.name'), query),
              containsInsensitive(engine, eb.ref('accounts.name'), query),
            ]),
          )
          .execute(),
      ),
    /** Global search's accounts: name or credit code, in the reach. */
    searchAccounts: (query: string) =>
      ids(
        accountsList()
          .where((eb) =>
            eb.or([
              containsInsensitive(engine, eb.ref('accounts.name'), query),
              containsInsensitive(engine, eb.ref('accounts.credit_code'), query),
            ]),
          )
          .execute(),
      ),
    /** Global search's contacts: name, phones, email, title or WeChat id, their account in the reach. */
    searchContacts: (query: string) => {
      const found = kysely
        .selectFrom('contacts')
        .innerJoin('accounts', 'accounts.id', 'contacts.account_id')
        .select('contacts.id')
        .where('contacts.workspace_id', '=', workspaceId)
        .where('contacts.archived_at', 'is', null)
        .where('accounts.archived_at', 'is', null)
        .where((eb) =>
          eb.or(
            [...contactColumns, 'contacts.title' as const, 'contacts.wechat' as const].map((column) =>
              containsInsensitive(engine, eb.ref(column), query),
            ),
          ),
        );
      return ids((subtree === null ? found : found.where('accounts.org_unit_id', 'in', subtreeUnits())).execute());
    },
    /** Global search's deals: the name, in the reach. */
    searchOpportunities: (query: string) => {
      const found = kysely
        .selectFrom('opportunities')
        .select('opportunities.id')
        .where('opportunities.workspace_id', '=', workspaceId)
        .where((eb) => containsInsensitive(engine, eb.ref('opportunities.name'), query));
      return ids((subtree === null ? found : found.where('opportunities.org_unit_id', 'in', subtreeUnits())).execute());
    },
  };
}
