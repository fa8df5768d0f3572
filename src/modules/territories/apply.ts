import type { Db } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';
import { matchTerritory } from '../../domain/territory.ts';
import { recordAudit } from '../audit/repository.ts';
import { recordChanges } from '../history/repository.ts';
import * as repo from './repository.ts';
import type * as contract from '../../contracts/territories.ts';
import { canChange, domainRule, subtreePath } from './read.ts';

/**
 * Gives pool accounts to the reps their territory names (optional companion to docs/organisation.md):
 * conflicts and places without a rule stay in the pool. One transaction, one UPDATE per
 * rep, an owner history row per account. dryRun reports without changing anything.
 */
export async function applyToPool(
  db: Db,
  actor: Actor,
  dryRun: boolean,
  ip: string | null,
): Promise<contract.ApplyResult> {
  const rules = await repo.activeRules(db.kysely, actor.workspaceId);
  const usable = rules.filter((r) => r.user_active === 1 && canChange(actor, r.unit_path));
  const owners = new Map(
    usable.map((r) => [r.user_id, { userId: r.user_id, unitId: r.org_unit_id, name: r.user_name }]),
  );
  const { now } = actor;
  return db.kysely.transaction().execute(async (trx) => {
    const pool = await repo.poolAccounts(trx, actor, subtreePath(actor) ?? null);
    const plan = new Map<number, number[]>();
    let conflicted = 0;
    let unmatched = 0;
    const sample: { accountId: number; accountName: string; userId: number; userName: string }[] = [];
    for (const account of pool) {
      const match = matchTerritory(usable.map(domainRule), account);
      if (match.kind === 'conflict') conflicted++;
      else if (match.kind === 'none') unmatched++;
      else {
        plan.set(match.userId, [...(plan.get(match.userId) ?? []), account.id]);
        if (sample.length < 50)
          sample.push({
            accountId: account.id,
            accountName: account.name,
            userId: match.userId,
            userName: owners.get(match.userId)!.name,
          });
      }
    }
    let assigned = 0;
    if (!dryRun) {
      for (const [userId, ids] of plan) {
        const owner = owners.get(userId)!;
        const done = await repo.assignPoolAccounts(trx, actor.workspaceId, ids, owner, now);
        assigned += done.length;
        await recordChanges(
          trx,
          done.map((id) => ({
            workspaceId: actor.workspaceId,
            entityType: 'account' as const,
            entityId: id,
            field: 'owner',
            oldValue: null,
            newValue: userId,
            reason: 'territory',
            actorUserId: actor.userId,
          })),
          now,
        );
      }
      await recordAudit(
        trx,
        {
          workspaceId: actor.workspaceId,
          actorUserId: actor.userId,
          action: 'territory.apply',
          targetType: 'workspace',
          targetId: actor.workspaceId,
          ip,
          detail: { assigned, conflicted, unmatched },
        },
        now,
      );
    } else {
      assigned = [...plan.values()].reduce((n, ids) => n + ids.length, 0);
    }
    return { dryRun, poolAccounts: pool.length, assigned, conflicted, unmatched, sample };
  });
}
