import type { Db } from '../db/database.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { createWorkspace, countWorkspaces } from '../modules/workspace/service.ts';
import { DEMO_PASSWORD, DEMO_WORKSPACE, generateDemoCompany } from './company.ts';
import { generateDemoAccounts } from './accounts.ts';
import { loadCompany } from './load-company.ts';
import { loadAccounts } from './load-accounts.ts';
import { seedDemoGroups } from './groups.ts';
import { PeoplePicker } from './people.ts';
import { seedDemoPoolAndHandover } from './handover.ts';
import { seedDemoOpportunityInsight } from './opportunity-insight.ts';
import { seedDemoActivities } from './activities.ts';
import { recomputeWorkspace } from '../modules/tiers/recompute.ts';
import { rebuildFunnel } from '../modules/funnel/upkeep.ts';
import { loadRules } from '../modules/workspace/service.ts';
import { seedDemoQuotas } from './quotas.ts';
import { seedDemoLines } from './lines.ts';
import { seedDemoForecasts } from './forecasts.ts';
import { seedDemoPaymentPlans } from './payment-plans.ts';
import { seedDemoCallbacks } from './callbacks.ts';
import { seedDemoWeeklyReports } from './weekly-reports.ts';
import { Random } from './random.ts';
import { refreshPlannerStatistics } from '../db/statistics.ts';

export interface DemoSummary {
  workspaceId: number;
  units: number;
  users: number;
  accounts: number;
  contacts: number;
  opportunities: number;
}

/**
 * Loads the demo company into an empty database, in one transaction. Refuses a database
 * that already holds a workspace: demo data never mixes with a real company's.
 */
export async function loadDemo(
  db: Db,
  opts: { seed?: number; scale?: number; force?: boolean } = {},
): Promise<DemoSummary> {
  if (!opts.force && (await countWorkspaces(db.kysely)) > 0) {
    throw new Error('the database already holds a workspace; the demo loads only into an empty database');
  }
  const seed = opts.seed ?? 20261124;
  const scale = Math.max(0.1, opts.scale ?? 1);
  const company = generateDemoCompany({ seed, scale });
  const rng = new Random(seed + 1);
  const demoAccounts = generateDemoAccounts(rng, Math.round(300 * scale), new PeoplePicker(rng));
  // One hash for every demo user: they all share the documented password.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const admin = company.users.find((u) => u.role === 'admin')!;
  const now = Date.now();
  const summary = await db.kysely.transaction().execute(async (trx) => {
    const ws = await createWorkspace(
      trx,
      { name: DEMO_WORKSPACE, admin: { email: admin.email, name: admin.name, passwordHash } },
      now,
    );
    const { unitIds, userIds } = await loadCompany(trx, ws, company, admin, passwordHash, now);
    const counts = await loadAccounts(trx, ws.workspaceId, demoAccounts, company.users, userIds, unitIds, rng, now);
    return {
      workspaceId: ws.workspaceId,
      units: company.units.length,
      users: company.users.length,
      accounts: demoAccounts.length,
      ...counts,
    };
  });
  // Then what the nightly jobs would have done: ABC tiers from the purchase history, stale
  // accounts back in their pools — and one departed rep's completed handover.
  await seedDemoGroups(db.kysely, summary.workspaceId, now);
  await recomputeWorkspace(db, summary.workspaceId, null, now);
  await seedDemoPoolAndHandover(db, summary.workspaceId);
  // Qualification, SWOT, competitors, win strategies, pipeline reviews (docs/sales-process.md, §5.5, §5.6).
  await seedDemoOpportunityInsight(db.kysely, summary.workspaceId, seed, now);
  // A year of activities, visit plans and reviews, tasks and 1-15-30 checkpoints (docs/rhythm.md).
  await seedDemoActivities(db.kysely, summary.workspaceId, seed, now);
  // The business lines its products fall into, then — the deals were bulk-inserted — the funnel's
  // totals counted once, each deal stamped with its line (docs/targets.md § Funnel, § Business lines).
  await seedDemoLines(db.kysely, summary.workspaceId);
  await rebuildFunnel(db.kysely, summary.workspaceId);
  // A year of quotas, set against what each rep has won so far (docs/targets.md § Quotas).
  await seedDemoQuotas(
    db.kysely,
    summary.workspaceId,
    seed,
    now,
    (await loadRules(db.kysely, summary.workspaceId)).calendar,
  );
  // Weekly forecasts of the last quarter (docs/targets.md § Weekly submissions), after the quotas they are measured against.
  await seedDemoForecasts(db.kysely, summary.workspaceId, seed, now);
  // Payment plans of the large deals, for the funnel's expected collections (docs/targets.md § Expected collections).
  await seedDemoPaymentPlans(db.kysely, summary.workspaceId, seed, now);
  await seedDemoCallbacks(db, summary.workspaceId, seed, now);
  // Weekly plans and summaries of the last weeks, with comments and this week's missing ones (docs/rhythm.md).
  await seedDemoWeeklyReports(db.kysely, summary.workspaceId, seed, now);
  await refreshPlannerStatistics(db, 'bulk');
  return summary;
}
