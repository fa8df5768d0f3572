import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.ts';

/**
 * Indexes of the nightly pool release (issue 8, docs/archive.md). For each tier it looks for the
 * accounts due — owned, not archived, in no pool, not followed up since the cutoff — and probes
 * each one's deals for one in progress or moved or closed since. At 100,000 accounts and
 * 1,000,000 deals that read every account row and ten deal rows per candidate: 3.5 s for tier C.
 * - accounts_ws_release holds the whole filter of the accounts (partial: only owned accounts not
 *   archived), so the candidates are found in the index alone;
 * - opportunities_ws_account_work adds the three columns the probe tests to (workspace_id,
 *   account_id), so each account's deals are read from the index alone. It serves every query
 *   opportunities_ws_account served, which it replaces.
 * Tier C at the scale set: 3.5 s → 0.25 s.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createIndex('accounts_ws_release')
    .on('accounts')
    .columns(['workspace_id', 'in_pool', 'tier', 'last_follow_up_at', 'created_at'])
    .where(sql.ref('archived_at'), 'is', null)
    .where(sql.ref('owner_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('opportunities_ws_account_work')
    .on('opportunities')
    .columns(['workspace_id', 'account_id', 'status', 'stage_entered_at', 'closed_at'])
    .execute();
  await db.schema.dropIndex('opportunities_ws_account').execute();
}
