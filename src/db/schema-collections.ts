import type { Generated } from 'kysely';

/** Payment plans (docs/targets.md § Expected collections): a versioned header per opportunity and its installments. */
export interface PaymentPlanTable {
  opportunity_id: number;
  workspace_id: number;
  updated_by: number;
  updated_at: number;
  version: Generated<number>;
}

export interface PaymentInstallmentTable {
  id: Generated<number>;
  workspace_id: number;
  opportunity_id: number;
  /** YYYY-MM-DD in the workspace's zone. */
  due_date: string;
  /** Fen. */
  amount: number;
  note: string | null;
}
