/** The seven roles of docs/organisation.md. */
export const ROLES = ['admin', 'executive', 'manager', 'rep', 'presales', 'auditor', 'finance'] as const;
export type Role = (typeof ROLES)[number];

/** Org unit type labels (docs/organisation.md: group → region → branch → department / team). */
export const ORG_UNIT_TYPES = ['group', 'region', 'branch', 'department', 'team'] as const;
export type OrgUnitType = (typeof ORG_UNIT_TYPES)[number];

export const LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];
