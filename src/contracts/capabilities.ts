/**
 * The named capabilities a signed-in user may hold (issue 13): what a route declares it needs
 * (`config.access` in src/server/access.ts), what `/auth/me` returns and what the web app
 * follows. Which role holds which is decided in src/domain/policy.ts (`capabilities`), and
 * nowhere else; rights over one record (edit this account, override on this deal) are the
 * per-record functions beside it (canEditAccount, opportunityRights…).
 * Pure data: the web app imports it.
 */
export const CAPABILITIES = [
  /** See accounts, contacts, buying roles, the relationship map, tier summaries. */
  'accounts.read',
  /** Create an account (presales join accounts through deals; executives read). */
  'accounts.create',
  /** Change accounts and contacts — which ones is canEditAccount. */
  'accounts.write',
  /** Reassign, archive, restore, override tiers, recompute tiers, choose owners: canManageAccount per record. */
  'accounts.manage',
  'opportunities.read',
  /** Create and work on deals — which ones is opportunityRights. */
  'opportunities.write',
  /** See the public pools (客户公海) and their releases and claims. */
  'pool.read',
  /** Take a pool account for oneself. */
  'pool.claim',
  /** Return an account to the pool (its owner, a manager over it). */
  'pool.release',
  /** Give a pool account to someone of one's subtree. */
  'pool.assign',
  /** Run the automatic release by hand. */
  'pool.run',
  /** See activities (those of accounts one sees, and one's own), visit plans and reviews. */
  'activities.read',
  /** Log, plan, change and review activities — which ones is the activities service's rule (owner, manager over the account). */
  'activities.write',
  /** The supervision views (docs/rhythm.md): cadence compliance per rep, plan versus result across a team. */
  'activities.supervise',
  'territories.read',
  'territories.manage',
  /** Hand over a departing user's accounts, deals, seats and territories. */
  'handover.manage',
  'import',
  /** Download lists (docs/archive.md § Import and export): the role and the user's own grant; refusals are audited. */
  'export',
  'audit.read',
  'processes.administer',
  'org.administer',
  'users.administer',
  /** See one's tasks and notifications (and, by reach, the team's tasks). */
  'tasks.read',
  /** Create, complete, change and reassign tasks — which ones is taskRights. */
  'tasks.write',
  /** See quotas and their history (docs/targets.md): whose is targetsVisible in policy.ts. */
  'quotas.read',
  /** Set quotas: an admin anyone's, a manager those below them (canSetQuota). */
  'quotas.manage',
  /** The live funnel and its health for a scope the caller may see. */
  'funnel.read',
  /** The revenue forecast, its history and accuracy, the P1–P4 gap and the analyses, for a scope the caller may see. */
  'forecasts.read',
  /** Submit one's own weekly forecast (docs/targets.md § Revenue forecast). */
  'forecasts.submit',
  /** Set a unit's adjusted forecast: which units is canAdjustForecast. */
  'forecasts.adjust',
  /** The callback audit (docs/rhythm.md § Callback audit): an auditor their own callbacks, a manager those of their subtree's reps. */
  'callbacks.read',
  /** Record what the customer said on a callback assigned to oneself. */
  'callbacks.answer',
  /** Draw a month's sample of the visits of the reps within reach. */
  'callbacks.draw',
  /** Workspace settings and rules. */
  'workspace.administer',
] as const;

export type Capability = (typeof CAPABILITIES)[number];
