/** Group accounts' credit splits (docs/archive.md § Group accounts), migration 0017. */
export interface CreditSplitTable {
  workspace_id: number;
  opportunity_id: number;
  user_id: number;
  /** Whole percent; a deal's rows add up to 100. */
  percent: number;
  created_at: number;
}
