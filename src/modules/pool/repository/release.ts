import { CompiledQuery, sql, type Compilable, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { lockRows, withoutParallelWorkers, type Engine } from '../../../db/dialect.ts';
import type { Tier } from '../../../domain/accounts.ts';

/**
 * The automatic release (docs/archive.md): which accounts are due, and their release with its
 * history rows, set-based. An account moved by a person: moves.ts; the pool's lists: list.ts.
 */

/**
 * The accounts of one tier due for the automatic release (docs/archive.md): owned, not archived,
 * created and last followed up before the cutoff, not assigned to their owner since (claim,
 * handover, reassignment), and with no deal in progress nor one that moved or closed since.
 * The candidates come from accounts_ws_release alone, and each NOT EXISTS probes one account
 * through an index: history_ws_entity, and opportunities_ws_account_work, which holds the
 * three columns tested, so an account's ten-odd deals are read from the index alone
 * (migration 0029; tier C at 100,000 accounts and 1,000,000 deals: 3.5 s → 0.25 s).
 */
function dueAccounts(db: Kysely<Database>, workspaceId: number, tier: Tier, cutoff: number) {
  return (
    db
      .selectFrom('accounts')
      .where('accounts.workspace_id', '=', workspaceId)
      .where('accounts.tier', '=', tier)
      .where('accounts.in_pool', '=', 0)
      .where('accounts.archived_at', 'is', null)
      .where('accounts.owner_id', 'is not', null)
      .where('accounts.created_at', '<', cutoff)
      .where((eb) =>
        eb.or([eb('accounts.last_follow_up_at', 'is', null), eb('accounts.last_follow_up_at', '<', cutoff)]),
      )
      // Assigned to the current owner (claim, handover, reassignment) within the window: not yet.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('record_history as h')
              .select(eb.lit(1).as('one'))
              .where('h.workspace_id', '=', workspaceId)
              .where('h.entity_type', '=', 'account')
              .whereRef('h.entity_id', '=', 'accounts.id')
              .where('h.field', '=', 'owner')
              .where('h.created_at', '>=', cutoff),
          ),
        ),
      )
      // A deal in progress, or one that moved or closed within the window, is work on the account.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('opportunities as o')
              .select(eb.lit(1).as('one'))
              .where('o.workspace_id', '=', workspaceId)
              .whereRef('o.account_id', '=', 'accounts.id')
              .where((inner) =>
                inner.or([
                  inner('o.status', '=', 'open'),
                  inner('o.stage_entered_at', '>=', cutoff),
                  inner('o.closed_at', '>=', cutoff),
                ]),
              ),
          ),
        ),
      )
  );
}

/**
 * The ids due in a tier, read in one statement from the two indexes of migration 0029 (ids
 * only: 100,000 accounts are 800 kB); the release then writes them in batches (pool/release.ts).
 * SQLite is told the index (INDEXED BY): its statistics come from a sample of the first rows
 * of each index (src/db/statistics.ts), which makes accounts_ws_owner look as selective, and
 * through it the read visits every account row (1.3 s at 100,000 accounts instead of 25 ms).
 * PostgreSQL reads the candidates from the index alone too (it holds the id since migration
 * 0050), and without parallel workers: it is the nightly job's, beside other users' requests.
 */
export async function dueAccountIds(
  db: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  tier: Tier,
  cutoff: number,
): Promise<number[]> {
  const query = dueAccounts(db, workspaceId, tier, cutoff).select('accounts.id');
  const result = await withoutParallelWorkers(engine, db, (trx) =>
    trx.executeQuery<{ id: number }>(readingAccounts(engine, query, 'indexed by "accounts_ws_release"')),
  );
  return result.rows.map((row) => row.id);
}

/**
 * A statement reading `accounts` with SQLite told how: the sampled statistics (see dueAccountIds)
 * would otherwise walk accounts_ws_owner over every account, also for a batch of ids given,
 * which `not indexed` reads by rowid instead. PostgreSQL's planner has real statistics.
 */
function readingAccounts(engine: Engine, query: Compilable, hint: string): CompiledQuery {
  const compiled = query.compile();
  if (engine === 'postgres') return compiled;
  const from = 'from "accounts" where';
  if (!compiled.sql.includes(from)) throw new Error('the due accounts statement no longer reads from accounts');
  return CompiledQuery.raw(compiled.sql.replace(from, `from "accounts" ${hint} where`), [...compiled.parameters]);
}

/**
 * Releases those of `ids` still due, set-based, inside the caller's transaction:
 *  1. on PostgreSQL, lock the due rows so nothing changes them until commit;
 *  2. one INSERT … SELECT writes a record_history row (field 'owner', reason 'pool_release')
 *     for every account of the batch still due;
 *  3. one UPDATE releases exactly the accounts those rows name.
 * Because step 2 reads `in_pool = 0` when it writes, a second run (another process) that
 * waited for this one finds nothing left to release. Returns how many accounts were released.
 */
export async function releaseDue(
  trx: Kysely<Database>,
  engine: Engine,
  workspaceId: number,
  tier: Tier,
  cutoff: number,
  now: number,
  ids: number[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const due = () => dueAccounts(trx, workspaceId, tier, cutoff).where('accounts.id', 'in', ids);
  await lockRows(engine, due().select('accounts.id'));
  const insert = trx
    .insertInto('record_history')
    .columns([
      'workspace_id',
      'entity_type',
      'entity_id',
      'field',
      'old_value',
      'new_value',
      'reason',
      'actor_user_id',
      'created_at',
    ])
    .expression(
      due().select((eb) => [
        eb.val(workspaceId).as('workspace_id'),
        sql.lit('account').as('entity_type'),
        'accounts.id',
        sql.lit('owner').as('field'),
        sql<string>`cast(${eb.ref('accounts.owner_id')} as text)`.as('old_value'),
        sql<null>`null`.as('new_value'),
        sql.lit('pool_release').as('reason'),
        sql<null>`null`.as('actor_user_id'),
        eb.val(now).as('created_at'),
      ]),
    );
  const inserted = await trx.executeQuery(readingAccounts(engine, insert, 'not indexed'));
  if (Number(inserted.numAffectedRows ?? 0) === 0) return 0;
  const released = await trx
    .updateTable('accounts')
    .set((eb) => ({ owner_id: null, in_pool: 1, pool_since: now, updated_at: now, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('in_pool', '=', 0)
    .where('id', 'in', ids)
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('record_history')
        .select('entity_id')
        .where('workspace_id', '=', workspaceId)
        .where('entity_type', '=', 'account')
        .where('field', '=', 'owner')
        .where('reason', '=', 'pool_release')
        .where('created_at', '=', now)
        .where('entity_id', 'in', ids),
    )
    .executeTakeFirst();
  return Number(released.numUpdatedRows);
}

export async function workspacesWithSettings(db: Kysely<Database>) {
  return db.selectFrom('workspaces').select(['id', 'settings']).orderBy('id').execute();
}
