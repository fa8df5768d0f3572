import type { Generated } from 'kysely';

/** The tables of the sales process: opportunities, processes and stages, their history, reviews, team, files and the buying roles taken on them (docs/sales-process.md). */
export interface OpportunityTable {
  id: Generated<number>;
  workspace_id: number;
  account_id: number;
  name: string;
  owner_id: number;
  org_unit_id: number;
  amount: number;
  status: string;
  expected_close_date: string | null;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
  version: number;
  /** Added by the sales-process migration (0006); null on rows from before it. */
  process_id: number | null;
  stage_id: number | null;
  stage_entered_at: number | null;
  lead_source: string | null;
  buying_phase: string | null;
  forecast_category: Generated<string>;
  next_step: string | null;
  next_step_date: string | null;
  products: Generated<string>;
  /** The line of its products, '' for none (docs/targets.md § Business lines); stamped by the funnel's upkeep. */
  business_line: Generated<string>;
  competitors: Generated<string>;
  qualification: Generated<string>;
  swot: Generated<string>;
  win_strategy: string | null;
  advantage_lost: Generated<number>;
  close_reason: string | null;
  close_competitor: string | null;
  contract_amount: number | null;
  description: string | null;
  /** Evidence gathered for the current stage (migration 0009): JSON [{stageId, key, note, attachmentId}]. */
  stage_evidence: Generated<string>;
}

export interface SalesProcessTable {
  id: Generated<number>;
  workspace_id: number;
  name: string;
  description: string | null;
  template_key: string | null;
  active: Generated<number>;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface ProcessStageTable {
  id: Generated<number>;
  workspace_id: number;
  process_id: number;
  position: number;
  name: string;
  probability: number;
  purpose: string | null;
  milestone: string | null;
  evidence: Generated<string>;
  actions: Generated<string>;
  roles: Generated<string>;
  expected_days: Generated<number>;
  buying_phase: string | null;
  is_won: Generated<number>;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface OpportunityStageHistoryTable {
  id: Generated<number>;
  workspace_id: number;
  opportunity_id: number;
  stage_id: number;
  stage_name: string;
  probability: number;
  entered_at: number;
  entered_by: number | null;
  left_at: number | null;
  left_by: number | null;
  exit_direction: string | null;
  exit_evidence: string | null;
  exit_reason: string | null;
  exit_overridden: string | null;
}

export interface OpportunityReviewTable {
  id: Generated<number>;
  workspace_id: number;
  opportunity_id: number;
  reviewer_id: number;
  completed_step: string | null;
  evidence: string | null;
  next_action: string | null;
  joint_plan: string | null;
  root_cause: string | null;
  next_action_date: string | null;
  created_at: number;
}

export interface OpportunityTeamTable {
  id: Generated<number>;
  workspace_id: number;
  opportunity_id: number;
  user_id: number;
  team_role: string;
  created_at: number;
}

/** Uploaded files, e.g. stage evidence (migration 0007, docs/sales-process.md). */
export interface AttachmentTable {
  id: Generated<number>;
  workspace_id: number;
  uploaded_by: number;
  opportunity_id: number | null;
  /** Set when the file is attached to an activity (migration 0013). */
  activity_id: number | null;
  file_name: string;
  content_type: string;
  size: number;
  data: Buffer;
  created_at: number;
}

export interface BuyingRoleTable {
  id: Generated<number>;
  workspace_id: number;
  account_id: number;
  opportunity_id: number | null;
  contact_id: number;
  role: string;
  attitude: string;
  influence: string;
  relationship: number;
  holder_user_id: number | null;
  notes: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}
