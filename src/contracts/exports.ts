import { z } from 'zod';
import { queryId } from './common.ts';
import { accountFilterShape } from './accounts.ts';
import { idsParam } from './bulk.ts';
import { activityFilterShape } from './activities.ts';
import { contactFilterShape } from './contacts.ts';
import { opportunityFilterShape } from './opportunities.ts';
import { lineParam } from './funnel.ts';
import { periodParam, scopeParam } from './targets.ts';

/** Exports (docs/archive.md § Import and export): each list's own filters plus the file's format and language; the answer is a file, not JSON. */
export const exportParams = {
  format: z.enum(['csv', 'xlsx']).default('csv').describe('csv (UTF-8 with BOM, opens in Excel) or xlsx'),
  lang: z.enum(['zh-CN', 'en-US']).default('zh-CN').describe('language of the column headers and values'),
};
export const exportParamsSchema = z.object(exportParams);
export type ExportParams = z.infer<typeof exportParamsSchema>;
export type ExportFormat = ExportParams['format'];

/** The reports of docs/targets.md that GET /forecasts/export can write. */
export const EXPORT_REPORTS = ['forecast', 'accuracy', 'gap', 'analyses', 'funnel'] as const;
export type ExportReport = (typeof EXPORT_REPORTS)[number];

export const accountExportQuery = z.strictObject({ ...accountFilterShape, ids: idsParam.optional(), ...exportParams });
export const contactExportQuery = z.strictObject({ ...contactFilterShape, ids: idsParam.optional(), ...exportParams });
export const opportunityExportQuery = z.strictObject({
  ...opportunityFilterShape,
  ids: idsParam.optional(),
  ...exportParams,
});
export const activityExportQuery = z.strictObject({ ...activityFilterShape, ...exportParams });
export const reportExportQuery = z.strictObject({
  report: z.enum(EXPORT_REPORTS),
  scope: scopeParam.optional(),
  period: z
    .union([periodParam, z.literal('all')])
    .optional()
    .describe(`${periodParam.description ?? ''}; all (every open deal) for the funnel only`),
  processId: queryId.optional().describe('the funnel: its sales process; default as the Funnel page opens'),
  line: lineParam.describe(
    'the funnel, forecast and gap: the business line shown (a key, or none); the other reports are not by line (400)',
  ),
  ...exportParams,
});

export type AccountExportQuery = z.infer<typeof accountExportQuery>;
export type ContactExportQuery = z.infer<typeof contactExportQuery>;
export type OpportunityExportQuery = z.infer<typeof opportunityExportQuery>;
export type ActivityExportQuery = z.infer<typeof activityExportQuery>;
export type ReportExportQuery = z.infer<typeof reportExportQuery>;
/** What the web app puts in a download link: defaults may be left out. */
export type ReportExportInput = z.input<typeof reportExportQuery>;
