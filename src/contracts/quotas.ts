import { z } from 'zod';
import { recordId, text, versionField, queryInt, queryId } from './common.ts';
import { periodParam, periodSchema, scopeParam, scopeSchema } from './targets.ts';

/**
 * Quotas (docs/targets.md § Quotas): an annual amount per person and per org unit, split into
 * fiscal quarters by ratios and into categories by shares, each adding up to 100, on a
 * tax-inclusive or net basis. A unit without its own quota counts the sum of its members'.
 * Money in fen (integers), ratios and shares in integer percent.
 */
export const QUOTA_BASES = ['tax_inclusive', 'net'] as const;

const fen = z.number().int('must be a whole number of fen').min(0, 'must not be negative').max(1e15, 'is too large');
const percent = z
  .number()
  .int('must be a whole percent')
  .min(0, 'must be between 0 and 100')
  .max(100, 'must be between 0 and 100');
export const fiscalYear = z.number().int().min(1970).max(9998);

export const quotaSetting = z.object({
  id: z.number().int(),
  amount: z.number().int().describe('the annual quota, fen, in its own basis'),
  quarterRatios: z.array(z.number().int()).describe('percent of the year per fiscal quarter, Q1 first'),
  categories: z
    .array(z.object({ key: z.string(), share: z.number().int() }))
    .describe('percent of the quota per category'),
  basis: z.enum(QUOTA_BASES),
  updatedAt: z.number().int(),
  updatedBy: z.string().nullable(),
  version: z.number().int(),
});

const amounts = z.object({
  year: z.number().int(),
  quarters: z.array(z.number().int()).describe('fen per fiscal quarter, Q1 first'),
  categories: z.record(z.string(), z.array(z.number().int())).describe('fen per category per quarter'),
});

export const quotaRow = z.object({
  subjectType: z.enum(['user', 'unit']),
  subjectId: z.number().int(),
  name: z.string(),
  /** The unit a person sits in, or a unit's parent. */
  parentUnitId: z.number().int().nullable(),
  depth: z.number().int().describe('depth in the org tree of the unit (a person: of their unit, plus one)'),
  role: z.string().nullable(),
  quota: quotaSetting.nullable().describe('the quota set for this person or unit; null when none is set'),
  effective: amounts.describe(
    "what counts, in the basis asked for: the set quota, or for a unit without one its members' sum",
  ),
  members: amounts.nullable().describe("units: the sum of the members' quotas (people in it, sub-units)"),
  difference: z.number().int().nullable().describe("units with a quota of their own: set − members' sum for the year"),
  canEdit: z.boolean(),
});

export const quotaTableQuery = z.strictObject({
  fiscalYear: queryInt(fiscalYear).optional().describe('default the current fiscal year'),
  orgUnitId: queryId.optional().describe('this unit and everything below it; default everything the caller may see'),
  basis: z
    .enum(QUOTA_BASES)
    .optional()
    .describe(
      "basis of the effective amounts; default the workspace's defaultQuotaBasis (tax_inclusive unless set otherwise)",
    ),
});
export const quotaTable = z.object({
  fiscalYear: z.number().int(),
  basis: z.enum(QUOTA_BASES),
  defaultBasis: z.enum(QUOTA_BASES).describe('the basis a new quota gets when none is named (Settings → Rules)'),
  taxRatePercent: z.number().int(),
  rows: z.array(quotaRow),
});

export const quotaItem = z.strictObject({
  subjectType: z.enum(['user', 'unit']),
  subjectId: recordId,
  amount: fen.nullable().describe("the annual quota, fen; null removes it (a unit then counts its members' sum)"),
  quarterRatios: z
    .array(percent)
    .length(4, 'must have four quarters')
    .optional()
    .describe('default 25/25/25/25, or the ratios already set'),
  categories: z
    .array(z.strictObject({ key: text(40), share: percent }))
    .max(20, 'must have at most 20 categories')
    .optional()
    .describe(
      "the split: by project size (small, large) or by the workspace's business line keys, shares adding up to 100; [] removes it; default the split already set",
    ),
  basis: z
    .enum(QUOTA_BASES)
    .optional()
    .describe("default the basis already set, else the workspace's defaultQuotaBasis"),
  version: versionField.optional().describe('the version you read; required to change a quota that exists'),
});
export const saveQuotasRequest = z.strictObject({
  fiscalYear,
  reason: text(500).describe('why: kept in the history of every quota changed'),
  items: z.array(quotaItem).min(1, 'must have at least one quota').max(5000, 'must have at most 5000 quotas'),
});
export const saveQuotasResponse = z.object({ changed: z.number().int() });

export const quotaHistoryQuery = z.strictObject({
  subjectType: z.enum(['user', 'unit']),
  subjectId: queryId,
  fiscalYear: queryInt(fiscalYear).optional(),
});
export const quotaHistory = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      fiscalYear: z.number().int(),
      before: z.string().nullable().describe('JSON of the quota before: {amount, quarterRatios, categories, basis}'),
      after: z.string().nullable(),
      reason: z.string().nullable(),
      actorName: z.string().nullable(),
      at: z.number().int(),
    }),
  ),
});

export const quotaImportQuery = z.strictObject({
  fiscalYear: queryInt(fiscalYear),
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true: check the file and say what it would change, save nothing'),
  reason: z.string().trim().min(1).max(500).optional().describe('kept in the history; default "import"'),
});
export const quotaImportResponse = z.object({
  items: z.array(
    z.object({
      row: z.number().int(),
      subjectType: z.enum(['user', 'unit']),
      subjectId: z.number().int(),
      name: z.string(),
      amount: z.number().int().nullable(),
    }),
  ),
  errors: z.array(z.object({ row: z.number().int(), column: z.string(), code: z.string(), message: z.string() })),
  changed: z.number().int(),
});

export const quotaFigureQuery = z.strictObject({
  scope: scopeParam.optional(),
  period: periodParam.optional(),
  basis: z.enum(QUOTA_BASES).optional(),
});
export const quotaFigure = z.object({
  scope: scopeSchema,
  period: periodSchema,
  basis: z.enum(QUOTA_BASES),
  amount: z.number().int().describe('the quota of the scope in the period, fen'),
  set: z.boolean().describe("false when it is the members' sum (a unit or workspace without its own quota)"),
  membersAmount: z.number().int().nullable().describe("units: the members' sum in the period"),
  categories: z.record(z.string(), z.number().int()).describe('fen per category in the period'),
});

export const quotaLinesQuery = quotaFigureQuery;
const lineFigures = {
  realised: z.number().int().describe('won in the period, fen'),
  won: z.number().int().describe('deals won in the period'),
  open: z.number().int().describe("open deals the period's funnel counts"),
  openAmount: z.number().int(),
  expectedAmount: z.number().int().describe("Σ amount × the stage's probability of those open deals"),
};
export const quotaLines = z.object({
  scope: scopeSchema,
  period: periodSchema,
  basis: z.enum(QUOTA_BASES),
  lines: z.array(
    z.object({
      key: z.string(),
      nameZh: z.string(),
      nameEn: z.string(),
      quota: z.number().int().describe("the line's part of the quota in the period (its category), fen"),
      ...lineFigures,
      attainment: z.number().nullable().describe('realised ÷ quota; null when the line has no quota'),
    }),
  ),
  noLine: z.object(lineFigures).describe('deals none of whose products belongs to a line'),
  total: z.object({
    quota: z.number().int().describe('the whole quota of the scope in the period'),
    unassignedQuota: z
      .number()
      .int()
      .describe('the part of the quota not split by line (quotas without line categories), fen'),
    realised: z.number().int(),
    attainment: z.number().nullable(),
  }),
});

export type QuotaLines = z.infer<typeof quotaLines>;
export type QuotaTable = z.infer<typeof quotaTable>;
export type QuotaRow = z.infer<typeof quotaRow>;
export type QuotaItem = z.infer<typeof quotaItem>;
export type SaveQuotasRequest = z.infer<typeof saveQuotasRequest>;
export type QuotaHistory = z.infer<typeof quotaHistory>;
export type QuotaFigureDto = z.infer<typeof quotaFigure>;
export type QuotaImportResponse = z.infer<typeof quotaImportResponse>;
