import type { Db } from '../../db/database.ts';
import { shortTransaction, writeInBatches } from '../../db/batches.ts';
import { inTransaction } from '../../db/transaction.ts';
import { refreshPlannerStatistics, reloadPlannerStatistics } from '../../db/statistics.ts';
import type { Tier } from '../../domain/accounts.ts';
import { effectiveTier, tierRanking, tierWindows } from '../../domain/abc-tier.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { valueTypeOf } from '../../domain/value-type.ts';
import type { RecomputeResult } from '../../contracts/tiers.ts';
import { forbidden } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { recordChanges, type Change } from '../history/repository.ts';
import { offThread, runsOffThread } from '../jobs/off-thread.ts';
import { loadSettings, workspaceIds } from '../workspace/service.ts';
import * as repo from './repository.ts';
import { valueThresholds } from './service.ts';

/** The recompute of ABC tiers and value types (docs/archive.md): a manager's, and the nightly job's. */

/**
 * Recomputes ABC tiers and value types of the whole workspace (docs/archive.md): amounts
 * aggregated in SQL, tiers and types in domain/, on the connection given (the route and the
 * nightly job run it off the server's thread, see recompute and recomputeAll). The reads share
 * one read transaction (no write lock); then the accounts are written in short transactions of
 * BATCH_ROWS accounts each (src/db/batches.ts): the values of those that changed set-based, a
 * history row for each whose effective tier moved; last the workspace's stamp (migration 0049:
 * unchanged accounts are not rewritten). One transaction for all held the write lock
 * for the whole recompute (12 s at the scale set), and every other user's write failed busy
 * meanwhile. The effective tier is written as coalesce(override, computed), so an override set
 * between the read and the write stands; a recompute stopped half-way is finished by the next.
 * `sqliteWorker`: on the job worker's own SQLite connection each write takes the write lock first.
 */
export async function recomputeWorkspace(
  db: Db,
  workspaceId: number,
  actorUserId: number | null,
  now = Date.now(),
  // paced: the nightly job yields between batches (src/db/batches.ts pauseAfter); a manager's
  // recompute, which they wait for, and the scale set's build do not.
  opts: { sqliteWorker?: boolean; paced?: boolean } = {},
): Promise<RecomputeResult> {
  const source = repo.wonDealsAndPurchases;
  const settings = await loadSettings(db.kysely, workspaceId);
  const windows = tierWindows(now, settings.tierWindowMonths);
  const [trailing, prior, state] = await inTransaction(db.kysely, (trx) =>
    Promise.all([
      source.amountsByAccount(trx, workspaceId, windows.from, windows.to),
      source.amountsByAccount(trx, workspaceId, windows.priorFrom, windows.from),
      repo.tierState(trx, workspaceId),
    ]),
  );
  // The cut-offs once; each account's tier in its batch (no map of 100,000 built in one go: issue 8).
  const tierOf = tierRanking(
    state.map((account) => trailing.get(account.id) ?? 0),
    { aShareBp: settings.tierAShareBp, bShareBp: settings.tierBShareBp },
  );
  const byTier: Record<Tier, number> = { A: 0, B: 0, C: 0 };
  let updated = 0;
  let tierChanged = 0;
  const written = await writeInBatches(
    db.kysely,
    state,
    async (trx, accounts) => {
      const writes: repo.TierWrite[] = [];
      const changes: Change[] = [];
      const counted: Tier[] = [];
      for (const account of accounts) {
        const trailingAmount = trailing.get(account.id) ?? 0;
        const priorAmount = prior.get(account.id) ?? 0;
        const computed = tierOf(trailingAmount);
        const override = account.tier_override as Tier | null;
        const effective = effectiveTier(computed, override);
        const valueType = valueTypeOf(
          trailingAmount,
          priorAmount,
          { tier: effective, named: account.named_account === 1 },
          valueThresholds(settings),
        );
        counted.push(effective);
        if (
          computed !== account.tier_computed ||
          valueType !== account.value_type ||
          trailingAmount !== account.trailing_amount ||
          priorAmount !== account.prior_amount ||
          effective !== account.tier
        )
          writes.push({
            id: account.id,
            tierComputed: computed,
            valueType,
            trailing: trailingAmount,
            prior: priorAmount,
          });
        if (effective !== account.tier)
          changes.push({
            workspaceId,
            entityType: 'account',
            entityId: account.id,
            field: 'tier',
            oldValue: account.tier,
            newValue: effective,
            reason: 'recompute',
            actorUserId,
          });
      }
      // Only the accounts whose values changed: a row rewritten for nothing costs PostgreSQL a new
      // version in every index and its index-only scans their shortcut (migration 0049).
      await repo.writeTiers(trx, workspaceId, writes);
      await recordChanges(trx, changes, now);
      // The totals only once the batch is written: a batch refused busy on SQLite runs again whole.
      for (const tier of counted) byTier[tier]++;
      updated += writes.length;
      tierChanged += changes.length;
      return accounts.length;
    },
    { sqliteWorker: opts.sqliteWorker ?? false, paced: opts.paced ?? false },
  );
  await shortTransaction(db.kysely, (trx) => repo.stampComputedAt(trx, workspaceId, now), opts);
  const result: RecomputeResult = {
    accounts: written,
    updated,
    tierChanged,
    byTier,
    window: { from: windows.from, to: windows.to, priorFrom: windows.priorFrom, months: settings.tierWindowMonths },
    computedAt: now,
  };
  if (actorUserId !== null)
    await shortTransaction(
      db.kysely,
      (trx) =>
        recordAudit(
          trx,
          {
            workspaceId,
            actorUserId,
            action: 'tiers.recompute',
            targetType: 'workspace',
            targetId: workspaceId,
            detail: { ...result },
          },
          now,
        ),
      opts,
    );
  return result;
}

export async function recompute(db: Db, actor: Actor): Promise<RecomputeResult> {
  if (!can(actor, 'accounts.manage')) throw forbidden('Only administrators and managers can recompute tiers');
  const { workspaceId, userId } = actor;
  const now = Date.now();
  // On a SQLite file in the job worker (src/modules/jobs/off-thread.ts): other users read on meanwhile.
  return offThread(db, { job: 'tiers.recompute', now, workspaceId, actorUserId: userId }, () =>
    recomputeWorkspace(db, workspaceId, userId, now),
  );
}

/**
 * The nightly job: every workspace, then fresh planner statistics of the tables it writes (the
 * accounts' tiers, their history) — all off the server's thread on a SQLite file; the server's
 * connection then only rereads them. Not the whole database: on PostgreSQL that was one statement
 * of 7.6 s of a core beside other users' requests at a fresh copy's first start (issue 8), for
 * tables the recompute never touches.
 */
export async function recomputeAll(db: Db, now = Date.now()): Promise<string> {
  const worker = runsOffThread(db);
  const result = await offThread(db, { job: 'tiers.recompute', now }, () => recomputeAllHere(db, now));
  if (worker) await reloadPlannerStatistics(db);
  return result;
}

/** The tables the recompute writes: their statistics are refreshed after it. */
export const RECOMPUTE_WRITES = ['accounts', 'record_history'] as const;

/** The nightly job's work on the connection given (the server's, or the job worker's own). */
export async function recomputeAllHere(db: Db, now: number, opts: { sqliteWorker?: boolean } = {}): Promise<string> {
  const workspaces = await workspaceIds(db.kysely);
  let accounts = 0;
  let changed = 0;
  for (const workspace of workspaces) {
    const result = await recomputeWorkspace(db, workspace.id, null, now, { ...opts, paced: true });
    accounts += result.accounts;
    changed += result.tierChanged;
  }
  await refreshPlannerStatistics(db, 'bulk', RECOMPUTE_WRITES);
  return `${workspaces.length} workspaces, ${accounts} accounts, ${changed} tier changes`;
}
