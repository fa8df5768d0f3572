import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

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
  created_at: number;
  version: number;
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
  /** Export of lists (SPEC §3.4) is a permission; off for reps by default. */
  can_export: number;
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

export interface Database {
  workspaces: WorkspaceTable;
  org_units: OrgUnitTable;
  users: UserTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
}

export type Workspace = Selectable<WorkspaceTable>;
export type OrgUnit = Selectable<OrgUnitTable>;
export type NewOrgUnit = Insertable<OrgUnitTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type AuditEntry = Selectable<AuditLogTable>;
