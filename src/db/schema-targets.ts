import type { Generated } from 'kysely';

/** Quotas and the funnel's kept totals (migration 0015, docs/targets.md). */
export interface QuotaTable {
  id: Generated<number>;
  workspace_id: number;
  /** 'user' or 'unit'. */
  subject_type: string;
  subject_id: number;
  /** Named by the calendar year the fiscal year starts in (src/domain/calendar.ts). */
  fiscal_year: number;
  /** The annual quota, fen. */
  amount: number;
  /** JSON [q1, q2, q3, q4], integer percent adding up to 100. */
  quarter_ratios: string;
  /** JSON [{key, share}], integer percent adding up to 100; [] when not split. */
  categories: string;
  /** 'tax_inclusive' or 'net'. */
  basis: string;
  created_at: number;
  updated_at: number;
  updated_by: number | null;
  version: number;
}

/**
 * Open and won deals counted and summed per owner, unit, process, stage, month of expected close
 * and size class, kept in the same transaction as every change to a deal
 * (src/modules/funnel/upkeep.ts) so a funnel reads a few hundred rows instead of a million.
 */
export interface FunnelTotalTable {
  workspace_id: number;
  process_id: number;
  stage_id: number;
  org_unit_id: number;
  owner_id: number;
  /** 'open' or 'won' (lost and abandoned deals are in no funnel). */
  status: string;
  /** 'YYYY-MM' of the expected (for won: actual) close date; '' when the deal has none. */
  close_month: string;
  /** 'small' or 'large' against the workspace's threshold. */
  size_class: string;
  /** The deals' business line ('' for none; docs/targets.md § Business lines). */
  business_line: string;
  deals: number;
  amount: number;
}

/** The same totals per unit subtree (migration 0015_quotas_funnel_units): a deal counts at its unit and every unit above. */
export interface FunnelUnitTotalTable {
  workspace_id: number;
  process_id: number;
  unit_id: number;
  status: string;
  close_month: string;
  stage_id: number;
  size_class: string;
  business_line: string;
  deals: number;
  amount: number;
}
