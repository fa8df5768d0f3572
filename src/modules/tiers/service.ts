import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import {
  NAMED_CRITERIA,
  TIERS,
  VALUE_TYPES,
  type NamedCriterion,
  type Tier,
  type ValueType,
} from '../../domain/accounts.ts';
import { effectiveTier } from '../../domain/abc-tier.ts';
import { canEditAccount, canManageAccount, type Actor } from '../../domain/policy.ts';
import { VALUE_TYPE_STRATEGY, valueTypeOf, type ValueThresholds } from '../../domain/value-type.ts';
import type { WorkspaceSettings } from '../../domain/settings.ts';
import { forbidden, invalid } from '../../server/problem.ts';
import { factsOf, getAccount, requireAccount } from '../accounts/service.ts';
import { recordAudit } from '../audit/repository.ts';
import { recordChanges } from '../history/repository.ts';
import { loadSettings } from '../workspace/service.ts';
import { keyAccountTeamWithinReach } from '../org/service.ts';
import * as repo from './repository.ts';
import type { NamedRequest, TierOverrideRequest, TierSummary } from '../../contracts/tiers.ts';

export async function summary(db: Db, actor: Actor, orgUnitId?: number): Promise<TierSummary> {
  let unitPath: string | null = null;
  if (orgUnitId !== undefined) {
    unitPath = await repo.unitPathOf(db.kysely, actor.workspaceId, orgUnitId);
    if (!unitPath)
      throw invalid('orgUnitId', { code: 'not_found', params: { id: orgUnitId } }, `no unit with id ${orgUnitId}`);
  }
  const [cells, settings, computedAt] = await Promise.all([
    repo.tierSummary(db.kysely, actor, unitPath),
    loadSettings(db.kysely, actor),
    repo.computedAt(db.kysely, actor.workspaceId),
  ]);
  const tiers = TIERS.map((tier) => {
    const tierCells = cells.filter((x) => x.tier === tier);
    return {
      tier,
      count: sum(tierCells, 'count'),
      trailingAmount: sum(tierCells, 'trailing'),
      priorAmount: sum(tierCells, 'prior'),
      overridden: sum(tierCells, 'overridden'),
    };
  });
  const valueTypes = [...VALUE_TYPES, null].map((valueType) => {
    const typeCells = cells.filter((x) => x.valueType === valueType);
    return {
      valueType: valueType as ValueType | null,
      count: sum(typeCells, 'count'),
      trailingAmount: sum(typeCells, 'trailing'),
      priorAmount: sum(typeCells, 'prior'),
      strategy: valueType ? VALUE_TYPE_STRATEGY[valueType] : null,
    };
  });
  return {
    tiers,
    valueTypes,
    matrix: cells.map((cell) => ({
      tier: cell.tier as Tier,
      valueType: cell.valueType as ValueType | null,
      count: cell.count,
      trailingAmount: cell.trailing,
    })),
    total: { count: sum(cells, 'count'), trailingAmount: sum(cells, 'trailing') },
    thresholds: {
      aShareBp: settings.tierAShareBp,
      bShareBp: settings.tierBShareBp,
      windowMonths: settings.tierWindowMonths,
      growthBp: settings.valueGrowthBp,
      shrinkBp: settings.valueShrinkBp,
    },
    computedAt,
  };
}

export const valueThresholds = (settings: WorkspaceSettings): ValueThresholds => ({
  growthBp: settings.valueGrowthBp,
  shrinkBp: settings.valueShrinkBp,
});

/**
 * An account's value type after its tier or named flag changed by hand: "most value" depends on
 * both (SPEC §3.1), so it follows at once from the stored amounts instead of waiting for the
 * nightly recompute.
 */
async function valueTypeAfter(
  trx: Parameters<typeof repo.tierState>[0],
  workspaceId: number,
  row: { trailing_amount: number | string; prior_amount: number | string },
  size: { tier: Tier; named: boolean },
): Promise<ValueType | null> {
  const settings = await loadSettings(trx, workspaceId);
  return valueTypeOf(Number(row.trailing_amount), Number(row.prior_amount), size, valueThresholds(settings));
}

const sum = <K extends string>(rows: Record<K, number>[], k: K) => rows.reduce((acc, r) => acc + r[k], 0);

/** A manager's tier override, with a reason (docs/archive.md "with reason, logged"); null clears it. */
export async function setOverride(db: Db, actor: Actor, id: number, input: TierOverrideRequest, ip: string | null) {
  const row = await requireAccount(db, actor, id);
  if (!canManageAccount(actor, factsOf(row))) throw forbidden('Only a manager over this account can override its tier');
  if (input.tier !== null && !input.reason)
    throw invalid('reason', { code: 'required' }, 'say why the tier is overridden');
  const computed = row.tier_computed as Tier;
  const before = row.tier as Tier;
  const after = effectiveTier(computed, input.tier);
  const reason =
    input.tier === null ? (input.reason ? `override cleared: ${input.reason}` : 'override cleared') : input.reason!;
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    const valueType = await valueTypeAfter(trx, actor.workspaceId, row, {
      tier: after,
      named: row.named_account === 1,
    });
    await updateVersioned(
      trx,
      'accounts',
      'Account',
      { workspaceId: actor.workspaceId, id, version: input.version },
      {
        tier_override: input.tier,
        tier_override_reason: input.tier === null ? null : input.reason,
        tier: after,
        value_type: valueType,
        updated_at: now,
      },
    );
    await recordChanges(
      trx,
      [
        {
          workspaceId: actor.workspaceId,
          entityType: 'account',
          entityId: id,
          field: 'tier',
          oldValue: before,
          newValue: after,
          reason,
          actorUserId: actor.userId,
        },
      ],
      now,
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'account.tier_override',
        targetType: 'account',
        targetId: id,
        ip,
        detail: { from: before, to: after, override: input.tier, computed, reason },
      },
      now,
    );
  });
  return getAccount(db, actor, id);
}

export type NamedCriteria = Partial<Record<NamedCriterion, boolean>>;

/**
 * Named accounts (指名客户, docs/organisation.md): the flag goes to the key-account team, so setting it
 * needs a manager; the criteria checklist is ordinary account work (the owner may tick it).
 */
export async function setNamed(db: Db, actor: Actor, id: number, input: NamedRequest, ip: string | null) {
  const row = await requireAccount(db, actor, id);
  const facts = factsOf(row);
  const wasNamed = row.named_account === 1;
  const namedChange = input.named !== undefined && input.named !== wasNamed;
  if (namedChange && !canManageAccount(actor, facts))
    throw forbidden('Only a manager can make an account a named account');
  if (input.criteria !== undefined && !canEditAccount(actor, facts)) throw forbidden('You cannot edit this account');
  if (!namedChange && input.named !== undefined && !canEditAccount(actor, facts))
    throw forbidden('You cannot edit this account');
  const current = JSON.parse(row.named_criteria || '{}') as NamedCriteria;
  const criteria: NamedCriteria = { ...current };
  for (const criterion of NAMED_CRITERIA)
    if (input.criteria?.[criterion] !== undefined) criteria[criterion] = input.criteria[criterion];
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    const valueType = namedChange
      ? await valueTypeAfter(trx, actor.workspaceId, row, { tier: row.tier as Tier, named: input.named === true })
      : undefined;
    // Named accounts go to the key-account team (SPEC §2): into its pool, for its manager to assign or its reps to claim.
    const team = namedChange && input.named ? await keyAccountTeamWithinReach(trx, actor, row.unit_path) : null;
    await updateVersioned(
      trx,
      'accounts',
      'Account',
      { workspaceId: actor.workspaceId, id, version: input.version },
      {
        ...(namedChange ? { named_account: input.named ? 1 : 0, value_type: valueType } : {}),
        ...(team ? { org_unit_id: team.id, owner_id: null, in_pool: 1, pool_since: now } : {}),
        named_criteria: JSON.stringify(criteria),
        updated_at: now,
      },
    );
    if (namedChange) {
      await recordChanges(
        trx,
        [
          {
            workspaceId: actor.workspaceId,
            entityType: 'account',
            entityId: id,
            field: 'named',
            oldValue: String(wasNamed),
            newValue: String(input.named),
            actorUserId: actor.userId,
          },
          ...(team && row.owner_id !== null
            ? [
                {
                  workspaceId: actor.workspaceId,
                  entityType: 'account' as const,
                  entityId: id,
                  field: 'owner',
                  oldValue: row.owner_id,
                  newValue: null,
                  reason: 'key_account_team',
                  actorUserId: actor.userId,
                },
              ]
            : []),
        ],
        now,
      );
      await recordAudit(
        trx,
        {
          workspaceId: actor.workspaceId,
          actorUserId: actor.userId,
          action: 'account.named',
          targetType: 'account',
          targetId: id,
          ip,
          detail: { named: input.named, criteria, ...(team ? { keyAccountUnitId: team.id } : {}) },
        },
        now,
      );
    }
  });
  return getAccount(db, actor, id);
}
