import type { Db } from '../../db/database.ts';
import { inBatches } from '../../db/batches.ts';
import { effectiveTier } from '../../domain/abc-tier.ts';
import type { Tier } from '../../domain/accounts.ts';
import { canManageAccount, type Actor } from '../../domain/policy.ts';
import { valueTypeOf } from '../../domain/value-type.ts';
import type { BulkResult, BulkTierRequest } from '../../contracts/bulk.ts';
import { recordAudit } from '../audit/repository.ts';
import { checkSelection, selectionIds } from '../bulk.ts';
import { matchingAccountIds } from '../accounts/service.ts';
import { recordChanges } from '../history/repository.ts';
import { loadSettings } from '../workspace/service.ts';
import * as repo from './repository.ts';
import { valueThresholds } from './service.ts';

/**
 * Sets the tier of the selected accounts by hand, with a reason (the list's bulk action); tier null
 * clears the override, back to the computed tier. The single override's rule for each row: a
 * manager over it, not archived. All or nothing (src/modules/bulk.ts). The value type follows the
 * new tier at once ("most value" depends on it, SPEC §3.1), as for one account.
 */
export async function bulkTier(db: Db, actor: Actor, input: BulkTierRequest, ip: string | null): Promise<BulkResult> {
  const selected = await selectionIds(input, (limit) => matchingAccountIds(db, actor, input.match ?? {}, limit));
  const { ids, rows } = await checkSelection(
    selected,
    (batch) => repo.bulkTierCandidates(db.kysely, actor, batch),
    (row) => {
      if (!canManageAccount(actor, { unitPath: row.unit_path })) return 'forbidden';
      return row.archived_at === null ? null : 'archived';
    },
  );
  const settings = await loadSettings(db.kysely, actor);
  const override = input.tier;
  const historyReason = override === null ? `override cleared: ${input.reason}` : input.reason;
  const changing = rows
    .filter((row) => row.tier_override !== override)
    .map((row) => {
      const tier = effectiveTier(row.tier_computed as Tier, override);
      const valueType = valueTypeOf(
        row.trailing_amount,
        row.prior_amount,
        { tier, named: row.named_account === 1 },
        valueThresholds(settings),
      );
      return { id: row.id, before: row.tier, tier, valueType };
    });
  // Rows that end alike are written together: at most three tiers times five value types of statements per batch.
  const groups = new Map<string, typeof changing>();
  for (const row of changing) {
    const key = `${row.tier}|${row.valueType}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    for (const group of groups.values()) {
      const { tier, valueType } = group[0]!;
      await inBatches(
        group.map((row) => row.id),
        (batch) =>
          repo.overrideTiers(
            trx,
            actor.workspaceId,
            batch,
            { override, reason: override === null ? null : input.reason, tier, valueType },
            now,
          ),
      );
    }
    await recordChanges(
      trx,
      changing.map((row) => ({
        workspaceId: actor.workspaceId,
        entityType: 'account',
        entityId: row.id,
        field: 'tier',
        oldValue: row.before,
        newValue: row.tier,
        reason: historyReason,
        actorUserId: actor.userId,
      })),
      now,
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'account.bulk_tier',
        ip,
        detail: {
          override,
          reason: input.reason,
          rows: changing.length,
          selected: ids.length,
          ...(input.match ? { filter: input.match } : {}),
        },
      },
      now,
    );
  });
  return { updated: changing.length };
}
