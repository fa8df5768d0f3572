/** Vocabularies of the opportunity (docs/sales-process.md § The opportunity, §5.7, §6.4). */
export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost', 'abandoned'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

/** The team of docs/sales-process.md § The opportunity; stage templates suggest which to involve. */
export const TEAM_ROLES = [
  'sales_lead',
  'presales',
  'consultant',
  'executive_sponsor',
  'commercial',
  'finance',
  'legal',
  'implementation',
] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** The rep's own judgement of the period (docs/targets.md § Revenue forecast): commit ≥ 90%, possible ≥ 50%, else pipeline. */
export const FORECAST_CATEGORIES = ['commit', 'possible', 'pipeline', 'omitted'] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

/** Why an opportunity was lost or abandoned (docs/sales-process.md § The stage gate). */
/** What a pipeline review finds behind a problem (docs/sales-process.md "root causes to record"). */
export const ROOT_CAUSES = ['poor_execution', 'too_few_opportunities', 'low_average_value'] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];

export const LOSS_REASONS = [
  'price',
  'product_fit',
  'relationship',
  'competitor',
  'no_decision',
  'budget_cut',
  'timing',
  'other',
] as const;

/** The analysis of a deal (docs/sales-process.md § Win strategy): where each competitor stands, and the four SWOT quadrants. */
export const COMPETITOR_STATUSES = ['leading', 'close', 'behind', 'out'] as const;
export const SWOT_KEYS = ['strengths', 'weaknesses', 'opportunities', 'threats'] as const;
