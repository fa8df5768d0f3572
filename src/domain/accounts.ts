/** Vocabularies of the customer archive (docs/archive.md). Labels live in the web app's dictionaries. */

export const ACCOUNT_STATUSES = ['prospect', 'customer', 'dormant', 'lost'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const TIERS = ['A', 'B', 'C'] as const;
export type Tier = (typeof TIERS)[number];

/** docs/archive.md "three kinds of key account": most value, most growth potential, negative growth. */
export const VALUE_TYPES = ['value', 'growth', 'shrinking'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export const INDUSTRIES = [
  'manufacturing',
  'automotive',
  'electronics',
  'energy',
  'chemicals',
  'pharma',
  'food',
  'metals',
  'machinery',
  'logistics',
  'construction',
  'government',
  'education',
  'healthcare',
  'finance',
  'retail',
  'telecom',
  'other',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

export const COMPANY_SIZES = ['lt50', '50to200', '200to1000', '1000to5000', 'gt5000'] as const;
export type CompanySize = (typeof COMPANY_SIZES)[number];

/** Lead sources of docs/archive.md § Accounts. */
export const LEAD_SOURCES = [
  'phone_prospecting',
  'industrial_park',
  'customer_referral',
  'staff_referral',
  'existing_customer_module',
  'partner',
  'association',
  'event',
  'exhibition',
  'reference_visit',
  'online',
  'purchased_list',
  'competitor_customer',
  'inbound_call',
] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

/** The five buying roles of docs/archive.md § Buying roles, with what each needs and how to work with them. */
export const BUYING_ROLES = ['decision_maker', 'finance', 'supporter', 'technical', 'user'] as const;
export type BuyingRoleKind = (typeof BUYING_ROLES)[number];
export const ATTITUDES = ['supports', 'neutral', 'opposes'] as const;
export type Attitude = (typeof ATTITUDES)[number];
export const INFLUENCE_LEVELS = ['high', 'medium', 'low'] as const;
export type Influence = (typeof INFLUENCE_LEVELS)[number];
/** Relationship degree 1–5: unknown, acquainted, trusting, supportive, ally/coach. */
export const RELATIONSHIP_DEGREES = [1, 2, 3, 4, 5] as const;

/** Named-account criteria (docs/organisation.md), kept as a checklist on the account. */
export const NAMED_CRITERIA = [
  'large_budget',
  'product_fit',
  'uses_our_products',
  'good_relationship',
  'industry_standing',
] as const;
export type NamedCriterion = (typeof NAMED_CRITERIA)[number];

/** The key-account profile's text fields and the account plan's (docs/archive.md § Key-account profile); the plan's review date is separate. */
export const PROFILE_FIELDS = [
  'businessOverview',
  'organisation',
  'decisionProcess',
  'budgetCycle',
  'installedBaseOurs',
  'installedBaseCompetitors',
  'relationshipHistory',
  'planObjectives',
  'planRelationships',
  'planResources',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
