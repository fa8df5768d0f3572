import type { Generated } from 'kysely';

/** Imported purchase history (docs/archive.md § Import and export), migration 0027. */
export interface PurchaseTable {
  id: Generated<number>;
  workspace_id: number;
  account_id: number;
  /** YYYY-MM-DD as written. */
  purchased_on: string;
  /** Start of that day in the workspace's time zone, epoch ms. */
  purchased_at: number;
  /** Fen. */
  amount: number;
  product: string | null;
  notes: string | null;
  import_job_id: number | null;
  created_by: number | null;
  created_at: number;
}
