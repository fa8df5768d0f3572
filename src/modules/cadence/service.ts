import type { Db } from '../../db/database.ts';
import { TIERS, type Tier } from '../../domain/accounts.ts';
import { can, type Actor } from '../../domain/policy.ts';
import type { WorkspaceSettings } from '../../domain/settings.ts';
import {
  DUE_SOON_DAYS,
  type CadenceAccount,
  type CadenceAccountsQuery,
  type CadenceState,
  type ComplianceResponse,
} from '../../contracts/activities.ts';
import { forbidden } from '../../server/problem.ts';
import { loadRules } from '../workspace/service.ts';
import { dueBeforeThresholds } from '../../domain/cadence.ts';
import * as repo from './repository.ts';

const DAY = 86_400_000;

/**
 * The instants a clock is compared with, per tier (docs/rhythm.md § Cadence): overdue once the workspace's today is
 * past the due date, due soon when the due date falls within the next DUE_SOON_DAYS days.
 */
export function bounds(now: number, settings: WorkspaceSettings, timeZone: string): repo.CadenceBounds {
  return {
    overdue: dueBeforeThresholds(now, settings, timeZone),
    soon: dueBeforeThresholds(now, settings, timeZone, DUE_SOON_DAYS),
    interval: Object.fromEntries(TIERS.map((t) => [t, settings.followUpDays[t] * DAY])) as Record<Tier, number>,
  };
}

const percent = (onTime: number, all: number) => (all === 0 ? null : Math.round((onTime / all) * 1000) / 10);

/** The supervision view (跟进监督): cadence compliance per rep within the caller's reach. */
export async function compliance(
  db: Db,
  actor: Actor,
  query: { orgUnitId?: number | undefined },
): Promise<ComplianceResponse> {
  if (!can(actor, 'activities.supervise')) throw forbidden('Only managers supervise the follow-up cadence');
  const { settings, calendar } = await loadRules(db.kysely, actor);
  const rows = await repo.compliancePerOwner(
    db.kysely,
    actor,
    bounds(actor.now, settings, calendar.timeZone),
    query.orgUnitId,
  );
  const items = rows.map((row) => {
    const accounts = Number(row.accounts);
    const overdue = Number(row.overdue);
    return {
      userId: row.user_id,
      userName: row.user_name,
      orgUnitName: row.unit_name,
      accounts,
      overdue,
      dueSoon: Number(row.due_soon),
      onTime: accounts - overdue,
      compliance: percent(accounts - overdue, accounts),
    };
  });
  const sum = (k: 'accounts' | 'overdue' | 'dueSoon' | 'onTime') => items.reduce((n, i) => n + i[k], 0);
  return {
    items,
    totals: {
      accounts: sum('accounts'),
      overdue: sum('overdue'),
      dueSoon: sum('dueSoon'),
      onTime: sum('onTime'),
      compliance: percent(sum('onTime'), sum('accounts')),
    },
  };
}

/** The accounts behind a figure of the supervision view, or a rep's own (mine): soonest due first. */
export async function cadenceAccounts(db: Db, actor: Actor, query: CadenceAccountsQuery) {
  if (query.mine && query.ownerId !== undefined && query.ownerId !== actor.userId) return { items: [], total: 0 };
  const { settings, calendar } = await loadRules(db.kysely, actor);
  const { items, total } = await repo.cadenceAccounts(
    db.kysely,
    actor,
    bounds(actor.now, settings, calendar.timeZone),
    {
      ownerId: query.mine ? actor.userId : query.ownerId,
      orgUnitId: query.orgUnitId,
      state: query.state,
      limit: query.limit,
      offset: query.offset,
      sort: query.sort,
    },
  );
  return {
    total,
    items: items.map((item): CadenceAccount => ({
      id: item.id,
      name: item.name,
      tier: item.tier as Tier,
      ownerId: item.owner_id!,
      ownerName: item.owner_name,
      lastFollowUpAt: item.last_follow_up_at === null ? null : Number(item.last_follow_up_at),
      nextDue: Number(item.next_due),
      state: item.state as CadenceState,
    })),
  };
}
