/**
 * Shapes of the API JSON shared by every feature: the server's contracts (src/contracts),
 * imported as types only, so a changed field fails this typecheck too.
 */
export { ROLES, ORG_UNIT_TYPES } from '../../../src/domain/roles.ts';
export type { Role, OrgUnitType } from '../../../src/domain/roles.ts';
export type { Page } from '../../../src/contracts/common.ts';
export type { User } from '../../../src/contracts/users.ts';
export type { Workspace } from '../../../src/contracts/workspace.ts';
export type { Me } from '../../../src/contracts/auth.ts';
export type { OrgUnit } from '../../../src/contracts/org.ts';
export type { AuditEntry } from '../../../src/contracts/audit.ts';
