import type { Capability } from '../contracts/capabilities.ts';
import type { Role } from './roles.ts';

/**
 * The role visibility rules of docs/organisation.md, in one place. Pure: callers pass what they know
 * about the actor, and get back descriptions that repositories turn into WHERE clauses.
 * Later areas (accounts, opportunities, activities) extend this module, never re-derive it.
 */
export interface Actor {
  workspaceId: number;
  userId: number;
  role: Role;
  orgUnitId: number;
  /** Materialised path of the actor's own unit, e.g. "/1/4/9/". */
  unitPath: string;
  /**
   * The instant the request is served at: the clock is read once per request and use cases
   * take the time from here, so every date one request writes agrees and a test can fix it.
   */
  now: number;
  /** The user's own export grant (users.can_export, docs/archive.md § Import and export); `capabilities` decides what it is worth. */
  exportGranted: boolean;
}

/** Which part of the org tree an actor may see. */
export type UnitReach =
  { kind: 'workspace' } | { kind: 'subtree'; path: string } | { kind: 'unit'; unitId: number; path: string };

/**
 * admin and executive see the whole workspace; a manager sees the subtree under their unit;
 * everyone else sees their own unit (colleagues they sell beside), not the units around it.
 */
export function unitReach(actor: Actor): UnitReach {
  switch (actor.role) {
    case 'admin':
    case 'executive':
      return { kind: 'workspace' };
    case 'manager':
      return { kind: 'subtree', path: actor.unitPath };
    default:
      return { kind: 'unit', unitId: actor.orgUnitId, path: actor.unitPath };
  }
}

/** Whether a unit (by its path) lies within what the actor may see. */
export function reachesUnit(actor: Actor, unitPath: string): boolean {
  const reach = unitReach(actor);
  if (reach.kind === 'workspace') return true;
  if (reach.kind === 'subtree') return unitPath.startsWith(reach.path);
  return unitPath === reach.path;
}

const READ: readonly Capability[] = ['accounts.read', 'opportunities.read', 'activities.read'];
const SELL: readonly Capability[] = [...READ, 'accounts.write', 'opportunities.write', 'activities.write'];
/** Quotas and the funnel (docs/targets.md): whose numbers is targetsVisible. */
const TARGETS: readonly Capability[] = ['quotas.read', 'funnel.read'];
/** The revenue forecast (docs/targets.md § Revenue forecast): sellers submit, managers and above adjust a unit's figure. */
const FORECAST_READ: readonly Capability[] = ['forecasts.read'];

/**
 * What each role may do (docs/organisation.md), before the user's own grants. Per record, the functions
 * below narrow it (a manager's subtree, a rep's own accounts).
 *  - admin: everything but claiming from the pool (admins own no accounts);
 *  - executive: reads everything, the territories, pools and audit log; acts on no record;
 *  - manager: sells, manages accounts and handovers of their subtree, runs territories;
 *  - rep: sells, creates accounts, imports, claims and releases pool accounts;
 *  - presales: works on the deals they are on the team of (and those accounts);
 *  - auditor: their own tasks and callbacks, which they answer (docs/rhythm.md § Callback audit);
 *    finance: nothing yet (contracts will add theirs).
 * Tasks: everyone who works records writes them; executives and auditors read their own.
 * Callbacks: managers and admins draw the sample and read their reach's; executives read.
 */
const TASKS: readonly Capability[] = ['tasks.read', 'tasks.write'];

const ROLE_CAPABILITIES: Record<Role, readonly Capability[]> = {
  admin: [
    ...SELL,
    ...TASKS,
    'accounts.create',
    'accounts.manage',
    'pool.read',
    'pool.release',
    'pool.assign',
    'pool.run',
    'territories.read',
    'territories.manage',
    'handover.manage',
    'import',
    'export',
    'audit.read',
    'processes.administer',
    'org.administer',
    'users.administer',
    'workspace.administer',
    ...TARGETS,
    'quotas.manage',
    ...FORECAST_READ,
    'forecasts.adjust',
    'activities.supervise',
    'callbacks.read',
    'callbacks.draw',
  ],
  executive: [
    ...READ,
    'pool.read',
    'territories.read',
    'audit.read',
    'tasks.read',
    ...TARGETS,
    ...FORECAST_READ,
    'forecasts.adjust',
    'activities.supervise',
    'callbacks.read',
  ],
  manager: [
    ...SELL,
    ...TASKS,
    'accounts.create',
    'accounts.manage',
    'pool.read',
    'pool.claim',
    'pool.release',
    'pool.assign',
    'territories.read',
    'territories.manage',
    'handover.manage',
    'import',
    ...TARGETS,
    'quotas.manage',
    ...FORECAST_READ,
    'forecasts.submit',
    'forecasts.adjust',
    'activities.supervise',
    'callbacks.read',
    'callbacks.draw',
  ],
  rep: [
    ...SELL,
    ...TASKS,
    'accounts.create',
    'pool.read',
    'pool.claim',
    'pool.release',
    'import',
    ...TARGETS,
    ...FORECAST_READ,
    'forecasts.submit',
  ],
  presales: [...SELL, ...TASKS, ...TARGETS, ...FORECAST_READ],
  auditor: ['tasks.read', 'callbacks.read', 'callbacks.answer'],
  finance: [],
};

/**
 * Roles whose users may export when granted (docs/archive.md § Import and export): those who read the exportable lists
 * (accounts, contacts, opportunities). An admin always may; finance and auditors have no list
 * to export yet, so a grant gives them nothing.
 */
const EXPORTING_ROLES: readonly Role[] = ['admin', 'executive', 'manager', 'rep', 'presales'];

/** Everything the actor may do, from their role and their own grants: the one place this is decided. */
export function capabilities(actor: Pick<Actor, 'role' | 'exportGranted'>): ReadonlySet<Capability> {
  // `can` asks this several times a request: each role and grant's set is built once.
  const key = `${actor.role}:${actor.exportGranted}`;
  let held = heldSets.get(key);
  if (!held) {
    held = new Set<Capability>(ROLE_CAPABILITIES[actor.role]);
    if (EXPORTING_ROLES.includes(actor.role) && (actor.role === 'admin' || actor.exportGranted)) held.add('export');
    else held.delete('export');
    heldSets.set(key, held);
  }
  return held;
}
const heldSets = new Map<string, Set<Capability>>();

export const can = (actor: Pick<Actor, 'role' | 'exportGranted'>, capability: Capability): boolean =>
  capabilities(actor).has(capability);

/** The export grant a user gets with a role — at creation and at every change of role (docs/archive.md § Import and export: reps off). */
export function defaultExportPermission(role: Role): boolean {
  return role === 'admin' || role === 'executive' || role === 'manager';
}

/**
 * Which accounts an actor may see (docs/organisation.md):
 *  - admin, executive: all;
 *  - manager: accounts of units in their subtree (owned there, or in that unit's pool);
 *  - rep: accounts they own, accounts of opportunities whose team they are on, and the pool
 *    of their own unit and the units above it (so they can claim);
 *  - presales: accounts of opportunities whose team they are on;
 *  - auditor, finance: none yet (their areas — callbacks, contracts — will grant reach).
 */
export type AccountReach =
  | { kind: 'workspace' }
  | { kind: 'subtree'; path: string }
  | { kind: 'own'; userId: number; poolUnitIds: number[] }
  | { kind: 'team'; userId: number }
  | { kind: 'none' };

export function accountReach(actor: Actor): AccountReach {
  switch (actor.role) {
    case 'admin':
    case 'executive':
      return { kind: 'workspace' };
    case 'manager':
      return { kind: 'subtree', path: actor.unitPath };
    case 'rep':
      return { kind: 'own', userId: actor.userId, poolUnitIds: actor.unitPath.split('/').filter(Boolean).map(Number) };
    case 'presales':
      return { kind: 'team', userId: actor.userId };
    default:
      return { kind: 'none' };
  }
}

/** The facts about one account that decide what the actor may do with it. */
export interface AccountFacts {
  ownerId: number | null;
  unitPath: string;
  inPool: boolean;
  /** The actor is on the team of one of the account's opportunities. */
  onTeam: boolean;
}

/** Edit fields, contacts and roles: the owner, a team member, a manager above it, an admin. */
export function canEditAccount(actor: Actor, account: AccountFacts): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role === 'manager') return account.unitPath.startsWith(actor.unitPath);
  if (actor.role === 'rep') return !account.inPool && (account.ownerId === actor.userId || account.onTeam);
  if (actor.role === 'presales') return account.onTeam;
  return false;
}

/** Reassign, archive, override the tier: managers over their subtree, and admins. Never reps. */
export function canManageAccount(actor: Actor, account: Pick<AccountFacts, 'unitPath'>): boolean {
  if (actor.role === 'admin') return true;
  return actor.role === 'manager' && account.unitPath.startsWith(actor.unitPath);
}

/** The facts about one opportunity that decide what the actor may do with it. */
export interface OpportunityFacts {
  ownerId: number;
  unitPath: string;
  /** The actor is on the opportunity's team. */
  onTeam: boolean;
}

/**
 * What an actor may do with an opportunity they can see (docs/organisation.md, §5.2, §5.3), for the
 * server's checks and for the `permissions` the API returns — the one place this is decided.
 *  - edit (lead the deal): the owner, a manager above its unit, an admin — the fields in
 *    OPPORTUNITY_LEAD_FIELDS, stage moves, closing, reopening, the team, pipeline reviews;
 *  - contribute: they and the rest of the team (reps, presales on it) — the analysis:
 *    qualification, buying phase, SWOT and competitors, win strategy, next step, products,
 *    description, evidence files; a member may also leave the team;
 *  - manage: a manager above its unit, an admin — override missing evidence, mark an advantage lost.
 * Executives read; they act on no deal.
 */
export interface OpportunityRights {
  edit: boolean;
  contribute: boolean;
  manage: boolean;
}

export function opportunityRights(actor: Actor, opportunity: OpportunityFacts): OpportunityRights {
  const manage = canManageAccount(actor, opportunity);
  const seller = actor.role === 'rep' || actor.role === 'presales';
  const edit = manage || (seller && opportunity.ownerId === actor.userId);
  return { edit, contribute: edit || (seller && opportunity.onTeam), manage };
}

/**
 * The deal's identity and commercial figures: only those who lead it change them. A team
 * member who sends one unchanged (a whole form) is not refused; a change is.
 */
export const OPPORTUNITY_LEAD_FIELDS = [
  'name',
  'amount',
  'expectedCloseDate',
  'forecastCategory',
  'ownerId',
  'leadSource',
] as const;

/** The facts about one task that decide what the actor may do with it (docs/rhythm.md § Tasks). */
export interface TaskFacts {
  assigneeId: number;
  createdBy: number | null;
  /** Path of the assignee's unit. */
  assigneeUnitPath: string;
}

/**
 * Complete, reopen, change or hand on a task: its assignee, its creator, a manager over the
 * assignee's unit, an admin — each only with `tasks.write` (an auditor answers callbacks
 * through the callback, not by ticking the task).
 */
export function taskRights(actor: Actor, task: TaskFacts): { edit: boolean; reassign: boolean } {
  if (!can(actor, 'tasks.write')) return { edit: false, reassign: false };
  const over = actor.role === 'admin' || (actor.role === 'manager' && task.assigneeUnitPath.startsWith(actor.unitPath));
  const edit = over || task.assigneeId === actor.userId || task.createdBy === actor.userId;
  return { edit, reassign: edit };
}

/** What a quota, funnel or forecast is about (docs/targets.md): the workspace, a unit's subtree or one person. */
export type TargetSubject =
  | { kind: 'workspace' }
  | { kind: 'unit'; unitId: number; path: string }
  | { kind: 'user'; userId: number; unitPath: string };

/**
 * Whose numbers an actor may see (docs/targets.md § Who sees what): admins and executives
 * everyone's; a manager their subtree's (its units and people) and their own; reps and presales
 * only their own. Nobody else's: a report on a scope out of reach is refused, not emptied.
 */
export function targetsVisible(actor: Actor, subject: TargetSubject): boolean {
  if (!can(actor, 'funnel.read') && !can(actor, 'quotas.read')) return false;
  if (actor.role === 'admin' || actor.role === 'executive') return true;
  if (subject.kind === 'user' && subject.userId === actor.userId) return true;
  if (actor.role !== 'manager') return false;
  if (subject.kind === 'unit') return subject.path.startsWith(actor.unitPath);
  return subject.kind === 'user' && subject.unitPath.startsWith(actor.unitPath);
}

/** The scope a report opens on: a rep's own numbers, a manager's unit, the workspace for admins and executives. */
export function defaultTargetSubject(actor: Actor): TargetSubject {
  if (actor.role === 'admin' || actor.role === 'executive') return { kind: 'workspace' };
  if (actor.role === 'manager') return { kind: 'unit', unitId: actor.orgUnitId, path: actor.unitPath };
  return { kind: 'user', userId: actor.userId, unitPath: actor.unitPath };
}

/**
 * Who sets a quota: an admin anyone's; a manager those below them — the people of their
 * subtree and its sub-units, not their own or their unit's, which are set from above.
 */
export function canSetQuota(actor: Actor, subject: TargetSubject): boolean {
  if (!can(actor, 'quotas.manage')) return false;
  if (actor.role === 'admin') return subject.kind !== 'workspace';
  if (subject.kind === 'unit') return subject.path.startsWith(actor.unitPath) && subject.path !== actor.unitPath;
  return subject.kind === 'user' && subject.userId !== actor.userId && subject.unitPath.startsWith(actor.unitPath);
}

/**
 * Who sets a unit's adjusted forecast (docs/targets.md § Revenue forecast): a manager for their
 * own unit and the units below it; an executive or admin for any unit.
 */
export function canAdjustForecast(actor: Actor, unitPath: string): boolean {
  if (!can(actor, 'forecasts.adjust')) return false;
  if (actor.role === 'admin' || actor.role === 'executive') return true;
  return unitPath.startsWith(actor.unitPath);
}
