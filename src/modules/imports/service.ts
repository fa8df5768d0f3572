import type { Kysely } from 'kysely';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { inBatches } from '../../db/batches.ts';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import {
  importFields,
  missingRequired,
  type ColumnMapping,
  type ImportField,
  type ImportKind,
} from '../../domain/import-fields.ts';
import { mappingByHeader, suggestMapping } from '../../domain/import-headers.ts';
import { normaliseValueMapping } from '../../domain/import-vocabulary.ts';
import type { DuplicateMode } from '../../domain/import-validate.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { countReplacementChars, decodeText, detectEncoding, sniffFormat } from '../../domain/spreadsheet-format.ts';
import type { FieldError } from '../../contracts/problems.ts';
import { AppError, conflict, fieldError, forbidden, invalid, notFound } from '../../server/problem.ts';
import { parseReport, type FailureInfo, type JobStatus, type Report } from './job-report.ts';
import { holdLease, leaseUntil } from './lease.ts';
import { ImportLimitError } from './limits.ts';
import { readInWorker } from './reading.ts';
import * as repo from './repository/jobs.ts';
import { launch, liveProgress } from './run-phase.ts';
import type * as contract from '../../contracts/imports.ts';
import type { Page } from '../../contracts/common.ts';
import { searchPendingOfImport } from '../search/indexing.ts';

/**
 * Import of the customer archive (docs/archive.md § Import and export): upload → column mapping → dry run (every bad
 * row listed: row, field, problem; duplicates found) → all-or-nothing commit, with progress.
 *
 * The uploaded file is read in the import worker under the caps of limits.ts (reading.ts);
 * this thread only stores the rows it sends back. Responsiveness (100,000 rows while others
 * work): rows are validated in chunks that yield to the event loop; the commit is one
 * transaction of set-based multi-row inserts. On SQLite that transaction runs in a worker
 * thread on its own connection, so the shared connection (which Kysely serialises) stays
 * free and WAL lets readers continue; on PostgreSQL it holds one pooled connection while the
 * others serve requests (run-phase.ts runs the phases). A running job holds a lease (lease.ts), so
 * one whose process died is found and marked interrupted. The report's rows, the error report
 * and the template are read in report-files.ts.
 */

const PREVIEW_ROWS = 5;

export type { JobStatus };

export function toJobDto(job: repo.JobRow): contract.ImportJobSummary {
  const report = parseReport(job.report);
  const processed = job.status === 'committing' ? (liveProgress(job.id) ?? job.processed_rows) : job.processed_rows;
  return {
    id: job.id,
    kind: job.kind as ImportKind,
    fileName: job.file_name,
    status: job.status as JobStatus,
    userId: job.user_id,
    userName: job.user_name,
    format: report.format ?? null,
    encoding: report.encoding ?? null,
    detectedEncoding: report.detectedEncoding ?? null,
    replacementChars: report.replacementChars ?? 0,
    headers: JSON.parse(job.headers) as string[],
    mapping: job.mapping ? (JSON.parse(job.mapping) as ColumnMapping) : null,
    duplicateMode: (job.duplicate_mode ?? null) as DuplicateMode | null,
    totalRows: job.total_rows,
    processedRows: processed,
    errorCount: job.error_count,
    counts: report.counts ?? null,
    skipErrors: report.skipErrors ?? false,
    result: report.result ?? null,
    failure: report.failure ?? null,
    failureInfo: report.failureInfo ?? null,
    valueMapping: report.valueMapping ?? {},
    unknownValues: report.unknownValues ?? [],
    createdAt: job.created_at,
    updatedAt: job.updated_at,
  };
}

/** The job, if the caller may see it: its importer, or an admin of the workspace. 404 otherwise. */
export async function requireJob(db: Kysely<Database>, actor: Actor, id: number) {
  const job = await repo.getJob(db, actor.workspaceId, id);
  if (!job || (job.user_id !== actor.userId && !can(actor, 'workspace.administer'))) throw notFound('Import');
  return job;
}

export async function getImport(db: Db, actor: Actor, id: number): Promise<contract.ImportJob> {
  const job = await requireJob(db.kysely, actor, id);
  const headers = JSON.parse(job.headers) as string[];
  const remembered = await repo.getMapping(db.kysely, actor.workspaceId, job.user_id, job.kind);
  const preview = (await repo.firstRows(db.kysely, actor.workspaceId, id, PREVIEW_ROWS)).map((row) => ({
    rowNo: row.row_no,
    cells: JSON.parse(row.data) as string[],
  }));
  return {
    ...toJobDto(job),
    suggestedMapping: job.mapping
      ? (JSON.parse(job.mapping) as ColumnMapping)
      : suggestMapping(job.kind as ImportKind, headers, remembered),
    preview,
    // Only a committed import has records; the count is of an index, milliseconds even at 100,000.
    searchPending: job.status === 'committed' ? await searchPendingOfImport(db.kysely, actor.workspaceId, id) : 0,
  };
}

export async function listImports(
  db: Db,
  actor: Actor,
  query: contract.ListImportsQuery,
): Promise<Page<contract.ImportJobSummary>> {
  const { items, total } = await repo.listJobs(
    db.kysely,
    actor.workspaceId,
    can(actor, 'workspace.administer') && query.all ? null : actor.userId,
    query.limit,
    query.offset,
  );
  return { items: items.map(toJobDto), total };
}

// ── Upload ────────────────────────────────────────────────────────────────────

export async function createImport(db: Db, actor: Actor, input: contract.UploadQuery, bytes: Buffer | undefined) {
  // Importing deals creates deals: only those who may (docs/organisation.md), like POST /opportunities.
  if (input.kind === 'opportunities' && !can(actor, 'opportunities.write'))
    throw forbidden('You cannot create opportunities');
  if (!bytes || bytes.length === 0)
    throw invalid(
      'file',
      { code: 'missing_file' },
      'is required: send the CSV or .xlsx file as the request body',
      'missing_file',
    );
  const sniffed = sniffFormat(bytes);
  if (sniffed.format === 'unknown')
    throw invalid('file', { code: 'unsupported_file' }, sniffed.reason, 'unsupported_file');
  const format = sniffed.format;
  const detected = format === 'csv' ? detectEncoding(bytes) : null;
  const encoding = format === 'csv' ? (input.encoding ?? detected!) : null;
  const replacementChars =
    format === 'csv' ? countReplacementChars(decodeText(bytes.subarray(0, 256 * 1024), encoding!)) : 0;
  const kysely = db.kysely;
  const now = Date.now();
  const jobId = await repo.insertJob(kysely, {
    workspaceId: actor.workspaceId,
    userId: actor.userId,
    kind: input.kind,
    fileName: input.fileName,
    status: 'reading',
    leaseExpiresAt: leaseUntil(now),
    now,
  });
  const base: Report = { format, encoding, detectedEncoding: detected };
  const fail = async (problem: AppError, failureInfo: FailureInfo) => {
    await repo.deleteRows(kysely, actor.workspaceId, jobId);
    const failure = problem.errors?.[0]?.message ?? problem.message;
    await repo.updateJob(kysely, actor.workspaceId, jobId, {
      status: 'failed',
      total_rows: 0,
      lease_expires_at: null,
      report: JSON.stringify({ ...base, failure, failureInfo } satisfies Report),
    });
    return problem;
  };
  const release = holdLease(kysely, actor.workspaceId, jobId);
  let headers: string[] | null = null;
  let total = 0;
  try {
    for await (const batch of readInWorker(bytes, format, encoding ?? 'utf-8')) {
      const rows = headers === null ? batch.slice(1) : batch;
      headers ??= JSON.parse(batch[0]!.data) as string[];
      total += rows.length;
      // A few hundred rows a statement, each after a turn of the event loop: the reader hands over
      // up to two batches of 2,000 at once, and storing them in one go held every other request 40-60 ms.
      await inBatches(rows, async (part) => {
        await yieldToLoop();
        await repo.insertRows(kysely, actor.workspaceId, jobId, part);
      });
    }
  } catch (error) {
    if (error instanceof ImportLimitError) {
      // problem+json naming the cap: its code, the message, and `limit: { name, max }`.
      throw await fail(
        new AppError(error.code, `file: ${error.message}`, {
          errors: [fieldError('file', { code: 'over_limit', params: { max: error.limit.max } }, error.message)],
          params: { limit: error.limit, ...error.params },
        }),
        { code: error.code, params: error.params },
      );
    }
    throw await fail(
      invalid(
        'file',
        { code: 'unreadable_file' },
        `could not be read as ${format === 'xlsx' ? 'an .xlsx workbook' : 'CSV'}: ${(error as Error).message}`,
        'unreadable_file',
      ),
      { code: 'unreadable_file' },
    );
  } finally {
    release();
  }
  if (headers === null || total === 0)
    throw await fail(
      invalid(
        'file',
        { code: 'no_rows' },
        headers === null ? 'is empty' : 'has a header row but no data rows',
        'no_rows',
      ),
      { code: 'no_rows' },
    );
  await repo.updateJob(kysely, actor.workspaceId, jobId, {
    status: 'mapping',
    headers: JSON.stringify(headers),
    total_rows: total,
    lease_expires_at: null,
    report: JSON.stringify({ ...base, replacementChars } satisfies Report),
  });
  return getImport(db, actor, jobId);
}

// ── Mapping and dry run ───────────────────────────────────────────────────────

export async function startValidation(db: Db, actor: Actor, id: number, input: contract.ValidateRequest) {
  const job = await requireJob(db.kysely, actor, id);
  if (!['mapping', 'validated', 'failed'].includes(job.status))
    throw conflict('import_busy', `the import is ${job.status}; it cannot be validated now`, 'status');
  if (job.total_rows === 0)
    throw conflict(
      'import_without_rows',
      'the import holds no rows (the file was refused, or its rows were removed); upload the file again',
      'status',
    );
  const kind = job.kind as ImportKind;
  const headers = JSON.parse(job.headers) as string[];
  const fields = importFields(kind) as readonly string[];
  const mapping: ColumnMapping = {};
  const errors: FieldError[] = [];
  const usedBy = new Map<number, string>();
  for (const [field, idx] of Object.entries(input.mapping)) {
    if (!fields.includes(field))
      errors.push(fieldError(`mapping.${field}`, { code: 'not_a_field' }, `is not a field of ${kind}`));
    else if (idx !== null && (idx < 0 || idx >= headers.length))
      errors.push(
        fieldError(
          `mapping.${field}`,
          { code: 'column_range', params: { max: headers.length - 1 } },
          `must be a column between 0 and ${headers.length - 1}`,
        ),
      );
    else if (idx !== null && usedBy.has(idx))
      errors.push(
        fieldError(
          `mapping.${field}`,
          { code: 'column_taken', params: { column: headers[idx] ?? String(idx), field: usedBy.get(idx)! } },
          `column "${headers[idx]}" is already mapped to ${usedBy.get(idx)}`,
        ),
      );
    else {
      mapping[field as ImportField] = idx;
      if (idx !== null) usedBy.set(idx, field);
    }
  }
  for (const missing of missingRequired(kind, mapping))
    errors.push(
      missing.includes('|')
        ? fieldError(
            `mapping.${missing.split('|')[0]}`,
            { code: 'name_or_credit_code' },
            'map the account name or the credit code column',
          )
        : fieldError(`mapping.${missing}`, { code: 'required' }, 'is required'),
    );
  if (errors.length)
    throw new AppError('mapping_incomplete', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  await repo.saveMapping(db.kysely, actor.workspaceId, job.user_id, kind, mappingByHeader(mapping, headers));
  const previous = parseReport(job.report);
  const report: Report = {
    ...previous,
    valueMapping: input.valueMapping ? normaliseValueMapping(input.valueMapping) : (previous.valueMapping ?? {}),
    unknownValues: undefined,
    counts: undefined,
    failure: null,
    failureInfo: null,
    result: undefined,
  };
  const ok = await repo.updateJob(
    db.kysely,
    actor.workspaceId,
    id,
    {
      status: 'validating',
      mapping: JSON.stringify(mapping),
      duplicate_mode: input.duplicateMode,
      processed_rows: 0,
      error_count: 0,
      report: JSON.stringify(report),
      lease_expires_at: leaseUntil(),
    },
    ['mapping', 'validated', 'failed'],
  );
  if (!ok) throw conflict('import_busy', 'the import changed meanwhile; reload it', 'status');
  launch(db, actor, id, 'validate', false);
  return getImport(db, actor, id);
}

export async function commitImport(db: Db, actor: Actor, id: number, input: contract.CommitRequest) {
  const job = await requireJob(db.kysely, actor, id);
  if (job.status !== 'validated')
    throw conflict(
      'not_validated',
      job.status === 'committed' ? 'the import was already committed' : 'run the dry run first',
      'status',
    );
  if (job.error_count > 0 && !input.skipErrors) {
    throw invalid(
      'skipErrors',
      { code: 'rows_have_errors', params: { count: job.error_count } },
      `${job.error_count} rows have errors: correct the file, or choose to import the valid rows and skip those`,
      'rows_have_errors',
    );
  }
  const report: Report = { ...parseReport(job.report), skipErrors: input.skipErrors };
  const ok = await repo.updateJob(
    db.kysely,
    actor.workspaceId,
    id,
    { status: 'committing', processed_rows: 0, report: JSON.stringify(report), lease_expires_at: leaseUntil() },
    ['validated'],
  );
  if (!ok) throw conflict('import_busy', 'the import is already being committed', 'status');
  launch(db, actor, id, 'commit', input.skipErrors);
  return getImport(db, actor, id);
}
