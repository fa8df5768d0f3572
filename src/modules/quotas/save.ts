import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type * as contract from '../../contracts/quotas.ts';
import { canSetQuota, targetsVisible, type Actor, type TargetSubject } from '../../domain/policy.ts';
import { DEFAULT_QUARTER_RATIOS, type QuotaSetting } from '../../domain/quota.ts';
import { AppError, forbidden, invalid, staleVersion } from '../../server/problem.ts';
import { listHistory, recordChanges, type Change } from '../history/repository.ts';
import { loadRules } from '../workspace/service.ts';
import * as targets from '../targets/scope.ts';
import * as repo from './repository.ts';
import { settingOf } from './service.ts';
import { checkSplits } from './splits.ts';

/** Saving the quota table (docs/targets.md § Quotas), and the history of what was saved. */

/**
 * Saves a table of quotas in one transaction, each change with its reason in the history.
 * Ratios and shares must add up to 100; a person or unit out of reach is 400 naming the item
 * (as if it did not exist); one the caller sees but may not set (a manager's own) is 403;
 * a version older than the stored one is 409, and nothing is saved.
 */
export async function saveQuotas(db: Db, actor: Actor, req: contract.SaveQuotasRequest): Promise<{ changed: number }> {
  const { settings } = await loadRules(db.kysely, actor);
  const lineKeys = new Set(settings.businessLines.map((line) => line.key));
  const seen = new Map<string, number>();
  const subjects: TargetSubject[] = [];
  for (const [index, item] of req.items.entries()) {
    const key = `${item.subjectType}:${item.subjectId}`;
    if (seen.has(key))
      throw invalid(
        `items.${index}.subjectId`,
        { code: 'duplicate', params: { index: seen.get(key)! } },
        `the same ${item.subjectType} as item ${seen.get(key)}`,
      );
    seen.set(key, index);
    checkSplits(item, lineKeys, `items.${index}`);
    const subject = await subjectFor(db.kysely, actor.workspaceId, item.subjectType, item.subjectId);
    if (!subject || !targetsVisible(actor, subject))
      throw invalid(
        `items.${index}.subjectId`,
        { code: 'not_found', params: { id: item.subjectId } },
        `no ${item.subjectType} with id ${item.subjectId}`,
      );
    if (!canSetQuota(actor, subject))
      throw forbidden(
        item.subjectType === 'user' && item.subjectId === actor.userId
          ? 'Your own quota is set from above'
          : 'Only an administrator or a manager above it sets this quota',
      );
    subjects.push(subject);
  }
  const defaultBasis = settings.defaultQuotaBasis;
  // Counted inside and returned: on SQLite a transaction refused busy is run again whole
  // (src/db/busy-wait.ts), so nothing outside it changes until it has committed.
  const changed = await db.kysely.transaction().execute(async (trx) => {
    const changes: Change[] = [];
    for (const item of req.items) {
      const current = await repo.quotaOf(trx, actor.workspaceId, req.fiscalYear, item.subjectType, item.subjectId);
      if (current && item.version !== undefined && item.version !== current.version)
        throw staleVersion('Quota', current.version);
      if (!current && item.version !== undefined && item.amount !== null) throw staleVersion('Quota', 0);
      const before = current ? JSON.stringify(settingOf(current)) : null;
      let after: string | null = null;
      if (item.amount === null) {
        if (!current) continue;
        if (!(await repo.deleteQuota(trx, actor.workspaceId, current.id, current.version)))
          throw staleVersion('Quota', current.version + 1);
      } else {
        const prior = current ? settingOf(current) : null;
        const setting: QuotaSetting = {
          amount: item.amount,
          quarterRatios: item.quarterRatios ?? prior?.quarterRatios ?? DEFAULT_QUARTER_RATIOS,
          categories: item.categories ?? prior?.categories ?? [],
          basis: item.basis ?? prior?.basis ?? defaultBasis,
        };
        after = JSON.stringify(setting);
        if (after === before) continue;
        const values = {
          amount: setting.amount,
          quarter_ratios: JSON.stringify(setting.quarterRatios),
          categories: JSON.stringify(setting.categories),
          basis: setting.basis,
          now: actor.now,
          by: actor.userId,
        };
        if (current) {
          if (!(await repo.updateQuota(trx, actor.workspaceId, current.id, current.version, values)))
            throw staleVersion('Quota', current.version + 1);
        } else {
          await repo.insertQuota(trx, {
            workspace_id: actor.workspaceId,
            fiscal_year: req.fiscalYear,
            subject_type: item.subjectType,
            subject_id: item.subjectId,
            ...values,
          });
        }
      }
      changes.push({
        workspaceId: actor.workspaceId,
        entityType: item.subjectType === 'user' ? 'quota_user' : 'quota_unit',
        entityId: item.subjectId,
        field: `FY${req.fiscalYear}`,
        oldValue: before,
        newValue: after,
        reason: req.reason,
        actorUserId: actor.userId,
      });
    }
    await recordChanges(trx, changes, actor.now);
    return changes.length;
  });
  return { changed };
}

async function subjectFor(
  db: Kysely<Database>,
  workspaceId: number,
  type: 'user' | 'unit',
  id: number,
): Promise<TargetSubject | null> {
  if (type === 'unit') {
    const unit = await targets.unitOf(db, workspaceId, id);
    return unit ? { kind: 'unit', unitId: unit.id, path: unit.path } : null;
  }
  const user = await targets.userOf(db, workspaceId, id);
  return user ? { kind: 'user', userId: user.id, unitPath: user.path } : null;
}

/** The changes of one person's or unit's quotas, newest first, with reasons. */
export async function quotaHistory(
  db: Db,
  actor: Actor,
  query: { subjectType: 'user' | 'unit'; subjectId: number; fiscalYear?: number | undefined },
): Promise<contract.QuotaHistory> {
  const subject = await subjectFor(db.kysely, actor.workspaceId, query.subjectType, query.subjectId);
  if (!subject || !targetsVisible(actor, subject))
    throw new AppError('not_found', `No ${query.subjectType} with id ${query.subjectId}`);
  const rows = await listHistory(
    db.kysely,
    actor.workspaceId,
    query.subjectType === 'user' ? 'quota_user' : 'quota_unit',
    query.subjectId,
    query.fiscalYear === undefined ? undefined : `FY${query.fiscalYear}`,
  );
  return {
    items: rows.map((row) => ({
      id: row.id,
      fiscalYear: Number(row.field.slice(2)),
      before: row.old_value,
      after: row.new_value,
      reason: row.reason,
      actorName: row.actor_name,
      at: Number(row.created_at),
    })),
  };
}
