import type { Generated } from 'kysely';

/** Activities and visit plans (migration 0013, docs/rhythm.md). Conventions as in schema.ts. */
export interface ActivityTable {
  id: Generated<number>;
  workspace_id: number;
  account_id: number;
  opportunity_id: number | null;
  owner_id: number;
  /** src/domain/activities.ts ACTIVITY_TYPES */
  type: string;
  /** planned, done, cancelled */
  status: string;
  start_at: number;
  end_at: number | null;
  subject: string | null;
  notes: string | null;
  outcome: string | null;
  location: string | null;
  /** A manager archived it (reps never delete activities): gone from lists, timelines and the follow-up. */
  archived_at: number | null;
  created_by: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface ActivityContactTable {
  activity_id: number;
  contact_id: number;
  workspace_id: number;
}

/** The plan of a visit and, after it, its review; versioned through its activity. */
export interface VisitPlanTable {
  activity_id: number;
  workspace_id: number;
  planned_by: number;
  /** JSON of VisitPlan (src/contracts/activities.ts). */
  plan: string;
  objective_count: number;
  /** JSON of VisitReview; null until reviewed. */
  review: string | null;
  achieved: number | null;
  partly: number | null;
  missed: number | null;
  reviewed_by: number | null;
  reviewed_at: number | null;
  created_at: number;
  updated_at: number;
}
