/** Shapes of the API JSON: see the modules route files on the server and /api/openapi.json. */
import type { Locale } from '../i18n/locale.ts';
import type { Capability } from '../../../src/contracts/capabilities.ts';

export const ROLES = ['admin', 'executive', 'manager', 'rep', 'presales', 'auditor', 'finance'] as const;
export type Role = (typeof ROLES)[number];

export const ORG_UNIT_TYPES = ['group', 'region', 'branch', 'department', 'team'] as const;
export type OrgUnitType = (typeof ORG_UNIT_TYPES)[number];

export interface Page<T> {
  items: T[];
  total: number;
}

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  orgUnitId: number;
  orgUnitName: string;
  /** Unit names from the top of the organisation down to the user's unit. */
  orgUnitPath: string[];
  /** The shortest tail of orgUnitPath that tells the unit from its namesakes: "上海分公司 / 销售一部". */
  orgUnitLabel: string;
  title: string | null;
  phone: string | null;
  active: boolean;
  locale: Locale;
  canExport: boolean;
  /** The password is one an administrator set; the app asks for a new one before anything else. */
  mustChangePassword: boolean;
  createdAt: number;
  updatedAt: number;
  deactivatedAt: number | null;
  version: number;
}

export interface Workspace {
  id: number;
  name: string;
  currency: string;
  timeZone: string;
  fiscalYearStartMonth: number;
  version: number;
}

export interface Me {
  user: User;
  workspace: Workspace;
  /** How much of the organisation the user sees (the server's unit reach). */
  reach: 'workspace' | 'subtree' | 'unit';
  /** What the user may do (src/domain/policy.ts decides); the app shows only what they hold. */
  capabilities: Capability[];
}

export interface OrgUnit {
  id: number;
  parentId: number | null;
  name: string;
  type: OrgUnitType;
  path: string;
  depth: number;
  sortOrder: number;
  archived: boolean;
  memberCount?: number;
  createdAt: number;
  updatedAt: number;
  version: number;
}

export interface AuditEntry {
  id: number;
  action: string;
  actorUserId: number | null;
  actorName: string | null;
  targetType: string | null;
  targetId: number | null;
  subject: string | null;
  targetName: string | null;
  ip: string | null;
  detail: unknown;
  createdAt: number;
}
