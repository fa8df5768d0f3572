import { DEFAULT_QUALIFYING_TYPES, type ActivityType } from './activities.ts';
import type { BusinessLine } from './business-lines.ts';
import type { QuotaBasis } from './quota.ts';

/**
 * Workspace-configurable rules with the defaults the method gives (docs/method.md). Stored as JSON overrides on
 * the workspace; every reader goes through workspaceSettings() so defaults live here only.
 */
export interface WorkspaceSettings {
  /** ABC tiers (docs/archive.md): cumulative share of purchase amount, in basis points. */
  tierAShareBp: number;
  tierBShareBp: number;
  tierWindowMonths: number;
  /** Revenue forecast (docs/targets.md § Revenue forecast): weights of commit and possible, percent; unforecast share of the quota per remaining week, percent. */
  forecastCommitWeight: number;
  forecastPossibleWeight: number;
  forecastUnforecastRate: number;
  /** Gap analysis (docs/targets.md § Gap analysis P1–P4): P1, P2, P3 in percent. */
  gapP1: number;
  gapP2: number;
  gapP3: number;
  /** Follow-up frequency by tier (docs/archive.md § Follow-up cadence): maximum days between qualifying follow-ups. */
  followUpDays: { A: number; B: number; C: number };
  /** Public pool (docs/archive.md): days without follow-up before release; null = never. */
  poolReleaseDays: { A: number | null; B: number | null; C: number | null };
  /** Most private (non-pool) accounts a rep may hold when claiming from the pool. */
  claimLimit: number;
  /** Activity types that count as a qualifying follow-up (docs/rhythm.md § Activities): reset the cadence, keep the account out of the pool. */
  qualifyingActivityTypes: ActivityType[];
  /** Opportunity size class threshold in fen (docs/sales-process.md § The opportunity: 200,000). */
  largeDealThreshold: number;
  /** VAT rate between net and tax-inclusive amounts (docs/targets.md § Quotas: 13 for a factor of 1.13). */
  taxRatePercent: number;
  /** The basis a quota gets when its setter names none (docs/targets.md § Quotas). */
  defaultQuotaBasis: QuotaBasis;
  /** Activity productivity targets per rep and week (docs/targets.md § Other analyses; SPEC §6.6: 5 new accounts); 0 = no target. */
  activityNewAccountsTarget: number;
  activityVisitsTarget: number;
  /** Expected collections of large projects (docs/targets.md § Expected collections): share of a contract collected in the period it is signed, and the realisation factor on the total, percent. */
  collectionFirstPeriodShare: number;
  collectionRealisationPercent: number;
  /** A deal is stalled after its stage's expected days × this percent / 100 (docs/sales-process.md § Problems: 150 = × 1.5). */
  stalledFactorPercent: number;
  /** Value types (docs/archive.md § Value type): rise that makes "growth", fall that makes "shrinking", in basis points of the prior window. */
  valueGrowthBp: number;
  valueShrinkBp: number;
  /** Callback audit (docs/rhythm.md § Callback audit): share of each rep's month of visits drawn, percent. */
  callbackRatePercent: number;
  /** Business lines and their products (docs/targets.md § Business lines); none by default. */
  businessLines: BusinessLine[];
}

export const DEFAULT_SETTINGS: WorkspaceSettings = {
  tierAShareBp: 8000,
  tierBShareBp: 9500,
  tierWindowMonths: 12,
  forecastCommitWeight: 70,
  forecastPossibleWeight: 25,
  forecastUnforecastRate: 4,
  gapP1: 70,
  gapP2: 25,
  gapP3: 20,
  followUpDays: { A: 7, B: 15, C: 30 },
  poolReleaseDays: { A: null, B: 60, C: 30 },
  claimLimit: 200,
  largeDealThreshold: 200_000_00,
  taxRatePercent: 13,
  defaultQuotaBasis: 'tax_inclusive',
  activityNewAccountsTarget: 5,
  activityVisitsTarget: 0,
  collectionFirstPeriodShare: 50,
  collectionRealisationPercent: 100,
  stalledFactorPercent: 150,
  valueGrowthBp: 2_000,
  valueShrinkBp: 1_000,
  callbackRatePercent: 10,
  businessLines: [],
  qualifyingActivityTypes: [...DEFAULT_QUALIFYING_TYPES],
};

export function workspaceSettings(stored: string | Partial<WorkspaceSettings> | null | undefined): WorkspaceSettings {
  let partial: Partial<WorkspaceSettings> = {};
  if (typeof stored === 'string') {
    try {
      partial = JSON.parse(stored) as Partial<WorkspaceSettings>;
    } catch {
      partial = {};
    }
  } else if (stored) partial = stored;
  return {
    ...DEFAULT_SETTINGS,
    ...partial,
    followUpDays: { ...DEFAULT_SETTINGS.followUpDays, ...partial.followUpDays },
    poolReleaseDays: { ...DEFAULT_SETTINGS.poolReleaseDays, ...partial.poolReleaseDays },
  };
}
