import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { PurchaseTable } from './schema-purchases.ts';
import type { PaymentInstallmentTable, PaymentPlanTable } from './schema-collections.ts';
import type { QuotaTable, FunnelTotalTable, FunnelUnitTotalTable } from './schema-targets.ts';
import type {
  OpportunityTable,
  SalesProcessTable,
  ProcessStageTable,
  OpportunityStageHistoryTable,
  OpportunityReviewTable,
  OpportunityTeamTable,
  AttachmentTable,
  BuyingRoleTable,
} from './schema-sales.ts';
import type { SearchTables } from './schema-search.ts';

export type { QuotaTable, FunnelTotalTable, FunnelUnitTotalTable };
export type {
  OpportunityTable,
  SalesProcessTable,
  ProcessStageTable,
  OpportunityStageHistoryTable,
  OpportunityReviewTable,
  OpportunityTeamTable,
  AttachmentTable,
  BuyingRoleTable,
};
import type { CreditSplitTable } from './schema-groups.ts';
export type { CreditSplitTable };
import type {
  TaskTable,
  NotificationTable,
  CheckpointReviewTable,
  WeeklyReportTable,
  WeeklyReportCommentTable,
  CallbackTable,
  CalendarFeedTable,
} from './schema-rhythm.ts';
export type {
  TaskTable,
  NotificationTable,
  CheckpointReviewTable,
  WeeklyReportTable,
  WeeklyReportCommentTable,
  CallbackTable,
  CalendarFeedTable,
};
import type {
  ForecastSubmissionTable,
  ForecastSubmissionDealTable,
  ForecastAdjustmentTable,
} from './schema-forecast.ts';
export type { ForecastSubmissionTable, ForecastSubmissionDealTable, ForecastAdjustmentTable };
import type { ActivityTable, ActivityContactTable, VisitPlanTable } from './schema-activities.ts';

export type { ActivityTable, ActivityContactTable, VisitPlanTable };

/**
 * Table types. Conventions (ARCHITECTURE.md § Data conventions): integer ids, instants as
 * epoch milliseconds, calendar dates as YYYY-MM-DD text, booleans as 0/1 integers (the one
 * representation both engines share), money in fen.
 */
export interface WorkspaceTable {
  id: Generated<number>;
  name: string;
  currency: string;
  time_zone: string;
  fiscal_year_start_month: number;
  /** JSON of WorkspaceSettings overrides (src/domain/settings.ts holds the defaults). */
  settings: Generated<string>;
  created_at: number;
  version: number;
  /** When the tier recompute last ran over the workspace (migration 0049). */
  tiers_computed_at: number | null;
}

export interface OrgUnitTable {
  id: Generated<number>;
  workspace_id: number;
  parent_id: number | null;
  name: string;
  type: string;
  /** Materialised path of ids, "/1/4/9/": subtree = prefix match on an index. */
  path: string;
  sort_order: number;
  /** 'territory' | 'key_account' (docs/organisation.md § Sales modes); null follows the parent (migration 0017). */
  sales_mode: string | null;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface UserTable {
  id: Generated<number>;
  workspace_id: number;
  org_unit_id: number;
  email: string;
  name: string;
  role: string;
  title: string | null;
  phone: string | null;
  password_hash: string;
  active: number;
  locale: string;
  /** Export of lists (docs/archive.md § Import and export) is a permission; off for reps by default. */
  can_export: number;
  /** 1 while the password is one an administrator set (new user, reset): the user must change it first. */
  must_change_password: Generated<number>;
  created_at: number;
  updated_at: number;
  deactivated_at: number | null;
  version: number;
}

export interface SessionTable {
  /** sha256 of the cookie token: a leaked table does not leak usable sessions. */
  id: string;
  workspace_id: number;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  /** Null only for events before a workspace is known (a failed login for an unknown email). */
  workspace_id: number | null;
  actor_user_id: number | null;
  action: string;
  target_type: string | null;
  target_id: number | null;
  /** What the event is about when there is no row to point at, e.g. the email of a login. */
  subject: string | null;
  ip: string | null;
  detail: string | null;
  created_at: number;
}

export interface AccountTable {
  id: Generated<number>;
  workspace_id: number;
  name: string;
  name_key: string;
  credit_code: string | null;
  industry: string | null;
  province: string | null;
  city: string | null;
  district: string | null;
  address: string | null;
  size: string | null;
  website: string | null;
  phone: string | null;
  lead_source: string | null;
  referrer_account_id: number | null;
  /** The parent in its group (migration 0017): group → subsidiary → branch, any depth. */
  parent_account_id: number | null;
  owner_id: number | null;
  org_unit_id: number;
  status: Generated<string>;
  tier: Generated<string>;
  tier_computed: Generated<string>;
  tier_override: string | null;
  tier_override_reason: string | null;
  value_type: string | null;
  trailing_amount: Generated<number>;
  prior_amount: Generated<number>;
  /** No longer written (migration 0049: the stamp is the workspace's `tiers_computed_at`). */
  tier_computed_at: number | null;
  named_account: Generated<number>;
  named_criteria: Generated<string>;
  in_pool: Generated<number>;
  pool_since: number | null;
  last_follow_up_at: number | null;
  /** The last follow-up known without an activity behind it (migration 0013): the floor when the newest activity goes. */
  follow_up_base_at: number | null;
  notes: string | null;
  archived_at: number | null;
  created_by: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface AccountProfileTable {
  account_id: number;
  workspace_id: number;
  business_overview: string | null;
  organisation: string | null;
  decision_process: string | null;
  budget_cycle: string | null;
  installed_base_ours: string | null;
  installed_base_competitors: string | null;
  relationship_history: string | null;
  plan_objectives: string | null;
  plan_relationships: string | null;
  plan_resources: string | null;
  plan_review_date: string | null;
  updated_by: number | null;
  updated_at: number;
  version: number;
}

export interface ContactTable {
  id: Generated<number>;
  workspace_id: number;
  account_id: number;
  name: string;
  title: string | null;
  department: string | null;
  reports_to_id: number | null;
  phone: string | null;
  mobile: string | null;
  email: string | null;
  wechat: string | null;
  birthday: string | null;
  notes: string | null;
  archived_at: number | null;
  created_by: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface RecordHistoryTable {
  id: Generated<number>;
  workspace_id: number;
  entity_type: string;
  entity_id: number;
  field: string;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
  actor_user_id: number | null;
  created_at: number;
}

export interface SavedViewTable {
  id: Generated<number>;
  workspace_id: number;
  user_id: number;
  area: string;
  name: string;
  query: string;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface TerritoryRuleTable {
  id: Generated<number>;
  workspace_id: number;
  name: string | null;
  province: string | null;
  city: string | null;
  district: string | null;
  industry: string | null;
  user_id: number;
  active: number;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface HandoverTable {
  id: Generated<number>;
  workspace_id: number;
  from_user_id: number;
  status: string;
  created_by: number;
  summary: string | null;
  created_at: number;
  completed_at: number | null;
  version: number;
}

export interface HandoverItemTable {
  id: Generated<number>;
  workspace_id: number;
  handover_id: number;
  entity_type: string;
  entity_id: number;
  to_user_id: number | null;
  note: string | null;
  created_at: number;
  updated_at: number;
}

export interface JobLeaseTable {
  name: string;
  locked_until: number;
  locked_by: string | null;
  last_run_at: number | null;
  last_result: string | null;
}

export interface ImportJobTable {
  id: Generated<number>;
  workspace_id: number;
  user_id: number;
  kind: string;
  file_name: string;
  status: string;
  headers: string;
  mapping: string | null;
  duplicate_mode: string | null;
  total_rows: number;
  processed_rows: number;
  error_count: number;
  report: string | null;
  /** Until when the process running the job's phase holds it (null: nothing running). */
  lease_expires_at: number | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface ImportRowTable {
  job_id: number;
  row_no: number;
  workspace_id: number;
  data: string;
  /** Dry-run verdict (migration 0003): create, update, skip, error. */
  outcome: string | null;
  problems: string | null;
  target_id: number | null;
}

export interface ImportMappingTable {
  id: Generated<number>;
  workspace_id: number;
  user_id: number;
  kind: string;
  mapping: string;
  updated_at: number;
}

export interface Database extends SearchTables {
  opportunity_credit_splits: CreditSplitTable;
  workspaces: WorkspaceTable;
  org_units: OrgUnitTable;
  users: UserTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  accounts: AccountTable;
  account_profiles: AccountProfileTable;
  contacts: ContactTable;
  buying_roles: BuyingRoleTable;
  opportunities: OpportunityTable;
  opportunity_team: OpportunityTeamTable;
  attachments: AttachmentTable;
  sales_processes: SalesProcessTable;
  process_stages: ProcessStageTable;
  opportunity_stage_history: OpportunityStageHistoryTable;
  opportunity_reviews: OpportunityReviewTable;
  record_history: RecordHistoryTable;
  saved_views: SavedViewTable;
  territory_rules: TerritoryRuleTable;
  handovers: HandoverTable;
  handover_items: HandoverItemTable;
  job_leases: JobLeaseTable;
  import_jobs: ImportJobTable;
  import_rows: ImportRowTable;
  import_mappings: ImportMappingTable;
  tasks: TaskTable;
  notifications: NotificationTable;
  checkpoint_reviews: CheckpointReviewTable;
  weekly_reports: WeeklyReportTable;
  weekly_report_comments: WeeklyReportCommentTable;
  callbacks: CallbackTable;
  calendar_feeds: CalendarFeedTable;
  quotas: QuotaTable;
  funnel_totals: FunnelTotalTable;
  forecast_submissions: ForecastSubmissionTable;
  forecast_submission_deals: ForecastSubmissionDealTable;
  forecast_adjustments: ForecastAdjustmentTable;
  activities: ActivityTable;
  activity_contacts: ActivityContactTable;
  visit_plans: VisitPlanTable;
  funnel_unit_totals: FunnelUnitTotalTable;
  purchases: PurchaseTable;
  payment_plans: PaymentPlanTable;
  payment_installments: PaymentInstallmentTable;
}

export type Workspace = Selectable<WorkspaceTable>;
export type OrgUnit = Selectable<OrgUnitTable>;
export type NewOrgUnit = Insertable<OrgUnitTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type Account = Selectable<AccountTable>;
export type Contact = Selectable<ContactTable>;
export type BuyingRole = Selectable<BuyingRoleTable>;
export type NewAccount = Insertable<AccountTable>;
