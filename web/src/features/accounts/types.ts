/**
 * Shapes of the customer-archive API (src/modules/accounts, contacts, saved-views) and its
 * vocabularies, shared with src/domain/accounts.ts (docs/archive.md, §3.2). Labels live in
 * this area's messages files.
 */
import {
  ACCOUNT_STATUSES,
  ATTITUDES,
  BUYING_ROLES,
  COMPANY_SIZES,
  INDUSTRIES,
  INFLUENCE_LEVELS,
  LEAD_SOURCES,
  NAMED_CRITERIA,
  RELATIONSHIP_DEGREES,
  TIERS,
  VALUE_TYPES,
} from '../../../../src/domain/accounts.ts';

// The vocabularies come from the server's pure domain module, so the two never drift apart.
export {
  ACCOUNT_STATUSES,
  ATTITUDES,
  BUYING_ROLES,
  COMPANY_SIZES,
  INDUSTRIES,
  INFLUENCE_LEVELS,
  LEAD_SOURCES,
  NAMED_CRITERIA,
  RELATIONSHIP_DEGREES,
  TIERS,
  VALUE_TYPES,
};
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export type Tier = (typeof TIERS)[number];
export type ValueType = (typeof VALUE_TYPES)[number];
export type Industry = (typeof INDUSTRIES)[number];
export type CompanySize = (typeof COMPANY_SIZES)[number];
export type LeadSource = (typeof LEAD_SOURCES)[number];
export type BuyingRoleKind = (typeof BUYING_ROLES)[number];
export type Attitude = (typeof ATTITUDES)[number];
export type Influence = (typeof INFLUENCE_LEVELS)[number];
export type NamedCriterion = (typeof NAMED_CRITERIA)[number];

/** Provinces as stored on accounts and territory rules: the full names (src/domain/regions.ts). */
export { PROVINCES } from '../../../../src/domain/regions.ts';

export type {
  Account,
  AccountDetail,
  DuplicateMatch,
  HistoryEntry,
  Profile,
} from '../../../../src/contracts/accounts.ts';
export { PROFILE_FIELDS } from '../../../../src/domain/accounts.ts';
export type { ProfileField } from '../../../../src/domain/accounts.ts';

export type { Contact, BuyingRole } from '../../../../src/contracts/contacts.ts';
import type { Contact, BuyingRole } from '../../../../src/contracts/contacts.ts';

export type MapGap =
  | { kind: 'missing_role'; role: BuyingRoleKind }
  | { kind: 'weak_high_influence'; contactId: number; role: BuyingRoleKind }
  | { kind: 'no_holder'; contactId: number; role: BuyingRoleKind }
  | { kind: 'opponent'; contactId: number; role: BuyingRoleKind; influence: Influence };

export interface RelationshipMapData {
  contacts: (Contact & { roles: BuyingRole[] })[];
  holders: { userId: number; name: string }[];
  gaps: MapGap[];
  coverage: number;
  parts: { roles: number; relationships: number; support: number };
}

export type { SavedView } from '../../../../src/contracts/saved-views.ts';

/** The list filters kept in the URL (and in saved views). */
export const ACCOUNT_FILTER_KEYS = [
  'q',
  'ownerId',
  'orgUnitId',
  'tier',
  'status',
  'industry',
  'province',
  'city',
  'valueType',
  'named',
  'inPool',
  'overdue',
  'archived',
  'sort',
] as const;
export type AccountFilterKey = (typeof ACCOUNT_FILTER_KEYS)[number];
export type AccountFilters = Partial<Record<AccountFilterKey, string>>;
