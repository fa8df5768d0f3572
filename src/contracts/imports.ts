import { z } from 'zod';
import { page, queryBool, queryInt, text } from './common.ts';
import { ACCOUNT_STATUSES, COMPANY_SIZES, INDUSTRIES, LEAD_SOURCES } from '../domain/accounts.ts';
import { IMPORT_KINDS } from '../domain/import-fields.ts';
import { MAPPABLE_FIELDS, type MappableField } from '../domain/import-vocabulary.ts';
import { LOSS_REASONS, OPPORTUNITY_STATUSES } from '../domain/opportunity.ts';
import { DUPLICATE_MODES } from '../domain/import-validate.ts';
import { TEXT_ENCODINGS } from '../domain/spreadsheet-format.ts';

/** Importing accounts, contacts, purchase history and opportunities from CSV or xlsx (docs/archive.md § Import and export). */
export const JOB_STATUSES = [
  'reading',
  'mapping',
  'validating',
  'validated',
  'committing',
  'committed',
  'failed',
] as const;
/** The states in which a process works on the job, holding its lease. */
export const RUNNING_STATUSES = ['reading', 'validating', 'committing'] as const;
export const REPORT_KINDS = ['errors', 'warnings', 'duplicates'] as const;

const values = z.record(z.string(), z.union([z.string(), z.number()]));

export const rowProblemSchema = z.object({
  field: z.string(),
  code: z.string(),
  message: z.string(),
  params: values
    .optional()
    .describe(
      'the values the message names, for a translated text (e.g. unknown_owner: email; unknown_value: value, allowed codes; duplicate_in_file: row; ambiguous: count; reports-to problems: name)',
    ),
});
const mapping = z.record(z.string(), z.number().int().nullable());
const codeOf = (codes: readonly [string, ...string[]]) =>
  z.record(z.string().min(1).max(200), z.enum(codes)).optional();
const valueMappingSchema = z
  .strictObject({
    industry: codeOf(INDUSTRIES),
    size: codeOf(COMPANY_SIZES),
    leadSource: codeOf(LEAD_SOURCES),
    status: codeOf(ACCOUNT_STATUSES),
    dealStatus: codeOf(OPPORTUNITY_STATUSES),
    lossReason: codeOf(LOSS_REASONS),
    process: z
      .record(z.string().min(1).max(200), z.string().min(1).max(200))
      .optional()
      .describe('a process name as written → the name of one of the workspace’s processes'),
    stage: z
      .record(z.string().min(1).max(200), z.string().min(1).max(200))
      .optional()
      .describe('a stage name as written → the name of a stage of the row’s process'),
  })
  .describe('per coded field: a value as written in the file → the code it stands for (the value-mapping step)');
const unknownValueSchema = z.object({
  field: z.enum(MAPPABLE_FIELDS as [MappableField, ...MappableField[]]),
  value: z.string().describe('as written in the file (the first spelling met)'),
  rows: z.number().int().describe('rows holding it'),
  suggestion: z.string().nullable().describe('the code (or workspace name) it most likely stands for, to pre-select'),
  choices: z
    .array(z.string())
    .optional()
    .describe("process and stage: the workspace's names it may stand for (coded fields list their codes in the app)"),
});
const countsSchema = z.object({
  create: z.number().int(),
  update: z.number().int(),
  skip: z.number().int(),
  error: z.number().int(),
  duplicate: z.number().int(),
  similar: z.number().int().describe('rows to be created whose name resembles an existing account'),
});
const resultSchema = z.object({ created: z.number().int(), updated: z.number().int(), skipped: z.number().int() });
const failureInfoSchema = z.object({
  code: z
    .string()
    .describe(
      "interrupted (the process running it stopped), expired (never committed; rows removed), or the refused file's problem code",
    ),
  phase: z.enum(RUNNING_STATUSES).optional().describe('for interrupted: what was running'),
  params: values.optional(),
});

export const jobSchema = z.object({
  id: z.number().int(),
  kind: z.enum(IMPORT_KINDS),
  fileName: z.string(),
  status: z.enum(JOB_STATUSES),
  userId: z.number().int(),
  userName: z.string(),
  format: z.enum(['csv', 'xlsx']).nullable(),
  encoding: z.enum(TEXT_ENCODINGS).nullable(),
  detectedEncoding: z.enum(TEXT_ENCODINGS).nullable(),
  replacementChars: z
    .number()
    .int()
    .describe('undecodable characters in the first 256 KB: a sign the encoding is wrong'),
  headers: z.array(z.string()),
  mapping: mapping.nullable(),
  duplicateMode: z.enum(DUPLICATE_MODES).nullable(),
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  errorCount: z.number().int(),
  counts: countsSchema.nullable(),
  skipErrors: z.boolean(),
  result: resultSchema.nullable(),
  failure: z.string().nullable(),
  failureInfo: failureInfoSchema.nullable().describe('why the import failed, for a translated text'),
  valueMapping: valueMappingSchema,
  unknownValues: z
    .array(unknownValueSchema)
    .describe('coded values the dry run did not recognise, most frequent first (at most 100 per field)'),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export const jobDetailSchema = jobSchema.extend({
  suggestedMapping: mapping.describe('remembered mapping, else header heuristics (zh/en)'),
  preview: z.array(z.object({ rowNo: z.number().int(), cells: z.array(z.string()) })),
  searchPending: z
    .number()
    .int()
    .describe(
      'records this committed import created that are not yet searchable: the indexing job writes their search entries after the commit (seconds)',
    ),
});

export const uploadQuery = z.strictObject({
  kind: z.enum(IMPORT_KINDS),
  fileName: text(200).default('import.csv'),
  encoding: z.enum(TEXT_ENCODINGS).optional().describe('override the detected CSV encoding'),
});
export const templateQuery = z.strictObject({
  kind: z.enum(IMPORT_KINDS),
  lang: z.enum(['zh-CN', 'en-US']).default('zh-CN').describe('the language of the headers'),
});
export const listImportsQuery = z.strictObject({
  limit: queryInt(z.number().int().min(1).max(100)).default(20),
  offset: queryInt(z.number().int().min(0)).default(0),
  all: queryBool,
});
export const jobPage = page(jobSchema);
export const validateRequest = z.strictObject({
  mapping: z.record(z.string(), z.number().int().min(0).nullable()).describe('field → column index (0-based) or null'),
  duplicateMode: z
    .enum(DUPLICATE_MODES)
    .describe('rows matching an existing record (credit code, then name): skip, update it, or create anyway'),
  valueMapping: valueMappingSchema.optional().describe('kept from the last run when left out'),
});
export const commitRequest = z.strictObject({
  skipErrors: z.boolean().default(false).describe('import the valid rows and leave out those with errors'),
});
export const reportRowSchema = z.object({
  rowNo: z.number().int(),
  outcome: z.enum(['create', 'update', 'skip', 'error']).nullable().describe('what the commit will do with the row'),
  problems: z.array(rowProblemSchema),
});
export const reportRowPage = page(reportRowSchema);
export const reportPageQuery = z.strictObject({
  limit: queryInt(z.number().int().min(1).max(500)).default(50),
  offset: queryInt(z.number().int().min(0)).default(0),
});

export type JobStatus = (typeof JOB_STATUSES)[number];
export type RunningStatus = (typeof RUNNING_STATUSES)[number];
export type ReportKind = (typeof REPORT_KINDS)[number];
export type RowProblem = z.infer<typeof rowProblemSchema>;
export type Counts = z.infer<typeof countsSchema>;
export type FailureInfo = z.infer<typeof failureInfoSchema>;
export type ImportJobSummary = z.infer<typeof jobSchema>;
export type ImportJob = z.infer<typeof jobDetailSchema>;
export type UploadQuery = z.infer<typeof uploadQuery>;
export type ListImportsQuery = z.infer<typeof listImportsQuery>;
export type TemplateQuery = z.infer<typeof templateQuery>;
export type ValidateRequest = z.infer<typeof validateRequest>;
export type CommitRequest = z.infer<typeof commitRequest>;
export type CommitInput = z.input<typeof commitRequest>;
export type ReportRow = z.infer<typeof reportRowSchema>;
export type ReportPageQuery = z.infer<typeof reportPageQuery>;
export type UnknownValue = z.infer<typeof unknownValueSchema>;

/** The `limit` member of a 400 refusing a file over one of the caps: which cap, and its value. */
export const limitSchema = z.object({ name: z.string(), max: z.number() });
export type ImportLimitBreach = z.infer<typeof limitSchema>;
