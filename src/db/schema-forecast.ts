import type { Generated } from 'kysely';

/** The revenue forecast's tables (docs/targets.md § Revenue forecast): weekly submissions, their deals, managers' adjustments. */
export interface ForecastSubmissionTable {
  id: Generated<number>;
  workspace_id: number;
  user_id: number;
  org_unit_id: number;
  /** The period as the API names it (FY2026-Q3). */
  period: string;
  /** Monday of the week submitted for, YYYY-MM-DD. */
  week_start: string;
  commit_amount: number;
  possible_amount: number;
  quota: number;
  realised: number;
  forecast: number;
  note: string | null;
  submitted_at: number;
  /** Set when a later submission of the same week replaced this one; null for the current one. */
  superseded_at: number | null;
}

export interface ForecastSubmissionDealTable {
  submission_id: number;
  workspace_id: number;
  opportunity_id: number;
  /** 'commit' or 'possible'. */
  category: string;
  amount: number;
}

export interface ForecastAdjustmentTable {
  id: Generated<number>;
  workspace_id: number;
  org_unit_id: number;
  period: string;
  week_start: string;
  amount: number;
  note: string | null;
  adjusted_by: number;
  created_at: number;
  updated_at: number;
  version: number;
}
