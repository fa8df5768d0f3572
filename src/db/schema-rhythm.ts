import type { Generated } from 'kysely';

/** The tables of the follow-up rhythm (docs/rhythm.md), migration 0014. */
export interface TaskTable {
  id: Generated<number>;
  workspace_id: number;
  title: string;
  notes: string | null;
  assignee_id: number;
  created_by: number | null;
  due_date: string;
  status: Generated<string>;
  source: Generated<string>;
  source_key: string | null;
  account_id: number | null;
  opportunity_id: number | null;
  activity_id: number | null;
  completed_at: number | null;
  completed_by: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface NotificationTable {
  id: Generated<number>;
  workspace_id: number;
  user_id: number;
  kind: string;
  dedupe_key: string;
  subject_type: string;
  subject_id: number;
  subject_name: string;
  due_date: string | null;
  created_at: number;
  read_at: number | null;
}

export interface CheckpointReviewTable {
  id: Generated<number>;
  workspace_id: number;
  opportunity_id: number;
  kind: string;
  period: string;
  outcome: string;
  note: string | null;
  reviewed_by: number;
  created_at: number;
}

export interface WeeklyReportTable {
  id: Generated<number>;
  workspace_id: number;
  user_id: number;
  week_start: string;
  plan_visits: string | null;
  plan_targets: string | null;
  plan_deals: Generated<string>;
  plan_submitted_at: number | null;
  summary_done: string | null;
  summary_progress: string | null;
  summary_problems: Generated<string>;
  summary_help: string | null;
  summary_submitted_at: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface WeeklyReportCommentTable {
  id: Generated<number>;
  workspace_id: number;
  report_id: number;
  author_id: number;
  body: string;
  created_at: number;
}

export interface CallbackTable {
  id: Generated<number>;
  workspace_id: number;
  period: string;
  rep_id: number;
  activity_id: number;
  account_id: number;
  auditor_id: number;
  task_id: number | null;
  outcome: string | null;
  feedback: string | null;
  answered_at: number | null;
  created_at: number;
  version: number;
}

export interface CalendarFeedTable {
  id: Generated<number>;
  workspace_id: number;
  user_id: number;
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}
