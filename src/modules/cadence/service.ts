import type { Db } from '../../db/database.ts';
import { TIERS, type Tier } from '../../domain/accounts.ts';
import { can, type Actor } from '../../domain/policy.ts';
import type { WorkspaceSettings } from '../../domain/settings.ts';
import { DUE_SOON_DAYS, type CadenceAccount, type CadenceAccountsQuery, type CadenceState, type ComplianceResponse } from '../../contracts/activities.ts';
import { forbidden } from '../../server/problem.ts';
import { loadSettings } from '../workspace/service.ts';
import * as repo from './repository.ts';

const DAY = 86_400_000;

/** The instants a clock is compared with now, per tier (docs/rhythm.md § Cadence). */
export function bounds(now: number, s: WorkspaceSettings): repo.CadenceBounds {
  const per = (f: (t: Tier) => number) => Object.fromEntries(TIERS.map((t) => [t, f(t)])) as Record<Tier, number>;
  return {
    overdue: per((t) => now - s.followUpDays[t] * DAY),
    soon: per((t) => now - s.followUpDays[t] * DAY + DUE_SOON_DAYS * DAY),
    interval: per((t) => s.followUpDays[t] * DAY),
  };
}

const percent = (onTime: number, all: number) => (all === 0 ? null : Math.round((onTime / all) * 1000) / 10);

/** The supervision view (跟进监督): cadence compliance per rep within the caller's reach. */
export async function compliance(db: Db, actor: Actor, q: { orgUnitId?: number | undefined }): Promise<ComplianceResponse> {
  if (!can(actor, 'activities.supervise')) throw forbidden('Only managers supervise the follow-up cadence');
  const settings = await loadSettings(db.kysely, actor.workspaceId);
  const rows = await repo.compliancePerOwner(db.kysely, actor, bounds(actor.now, settings), q.orgUnitId);
  const items = rows.map((r) => {
    const accounts = Number(r.accounts);
    const overdue = Number(r.overdue);
    return { userId: r.user_id, userName: r.user_name, orgUnitName: r.unit_name, accounts, overdue, dueSoon: Number(r.due_soon), onTime: accounts - overdue, compliance: percent(accounts - overdue, accounts) };
  });
  const sum = (k: 'accounts' | 'overdue' | 'dueSoon' | 'onTime') => items.reduce((n, i) => n + i[k], 0);
  return { items, totals: { accounts: sum('accounts'), overdue: sum('overdue'), dueSoon: sum('dueSoon'), onTime: sum('onTime'), compliance: percent(sum('onTime'), sum('accounts')) } };
}

/** The accounts behind a figure of the supervision view, or a rep's own (mine): soonest due first. */
export async function cadenceAccounts(db: Db, actor: Actor, q: CadenceAccountsQuery) {
  if (q.mine && q.ownerId !== undefined && q.ownerId !== actor.userId) return { items: [], total: 0 };
  const settings = await loadSettings(db.kysely, actor.workspaceId);
  const { items, total } = await repo.cadenceAccounts(db.kysely, actor, bounds(actor.now, settings), {
    ownerId: q.mine ? actor.userId : q.ownerId, orgUnitId: q.orgUnitId, state: q.state, limit: q.limit, offset: q.offset, sort: q.sort,
  });
  return {
    total,
    items: items.map((r): CadenceAccount => ({
      id: r.id, name: r.name, tier: r.tier as Tier, ownerId: r.owner_id!, ownerName: r.owner_name,
      lastFollowUpAt: r.last_follow_up_at === null ? null : Number(r.last_follow_up_at), nextDue: Number(r.next_due), state: r.state as CadenceState,
    })),
  };
}
