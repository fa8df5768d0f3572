import { Worker } from 'node:worker_threads';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import { immediateTransaction } from '../../db/transaction.ts';
import type { Database, NewAccount } from '../../db/schema.ts';
import {
  importFields, mappingByHeader, missingRequired, suggestMapping, type ColumnMapping, type ImportField, type ImportKind,
} from '../../domain/import-fields.ts';
import type { FileContact, ReportsToLink } from '../../domain/import-reports-to.ts';
import { InFileDuplicates, validateAccountRow, validateContactRow, type AccountValues, type ContactValues, type DuplicateMode, type RowProblem } from '../../domain/import-validate.ts';
import { can, canEditAccount, reachesUnit, type Actor } from '../../domain/policy.ts';
import { countReplacementChars, csvLine, decodeText, detectEncoding, sniffFormat, UTF8_BOM, type FileFormat, type TextEncoding } from '../../domain/spreadsheet-format.ts';
import type { FieldError, FieldIssue } from '../../contracts/problems.ts';
import { AppError, conflict, fieldError, invalid, notFound } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { recordChanges, type Change } from '../history/repository.ts';
import { SimilarNameIndex } from '../../domain/similar-names.ts';
import { readRows } from './parse.ts';
import { checkReportsTo, writeReportsTo } from './reports-to.ts';
import * as repo from './repository.ts';

/**
 * Import of the customer archive (SPEC §3.4): upload → column mapping → dry run (every bad
 * row listed: row, field, problem; duplicates found) → all-or-nothing commit, with progress.
 *
 * Responsiveness (100,000 rows while others work): the file is read and validated in chunks
 * that yield to the event loop; the commit is one transaction of set-based multi-row inserts.
 * On SQLite that transaction runs in a worker thread on its own connection, so the shared
 * connection (which Kysely serialises) stays free and WAL lets readers continue; on
 * PostgreSQL it holds one pooled connection while the others serve requests.
 */

export const MAX_ROWS = 200_000;
const MAX_COLUMNS = 200;
const INSERT_CHUNK = 500;
const VALIDATE_CHUNK = 1000;
const PREVIEW_ROWS = 5;

export type JobStatus = 'reading' | 'mapping' | 'validating' | 'validated' | 'committing' | 'committed' | 'failed';
export type Outcome = 'create' | 'update' | 'skip' | 'error';

/** `similar`: rows to be created whose name resembles an existing account's (a warning, SPEC §3.3). */
interface Counts { create: number; update: number; skip: number; error: number; duplicate: number; similar: number }
interface Report {
  format?: FileFormat;
  encoding?: TextEncoding | null;
  detectedEncoding?: TextEncoding | null;
  replacementChars?: number;
  counts?: Counts;
  skipErrors?: boolean;
  result?: { created: number; updated: number; skipped: number };
  failure?: string | null;
}

const parseReport = (r: string | null): Report => (r ? (JSON.parse(r) as Report) : {});

/** Commit progress of jobs running in this process (inside a transaction nothing else can see it). */
const live = new Map<number, number>();

export function toJobDto(j: repo.JobRow) {
  const report = parseReport(j.report);
  const processed = j.status === 'committing' ? (live.get(j.id) ?? j.processed_rows) : j.processed_rows;
  return {
    id: j.id,
    kind: j.kind as ImportKind,
    fileName: j.file_name,
    status: j.status as JobStatus,
    userId: j.user_id,
    userName: j.user_name,
    format: report.format ?? null,
    encoding: report.encoding ?? null,
    detectedEncoding: report.detectedEncoding ?? null,
    replacementChars: report.replacementChars ?? 0,
    headers: JSON.parse(j.headers) as string[],
    mapping: j.mapping ? (JSON.parse(j.mapping) as ColumnMapping) : null,
    duplicateMode: (j.duplicate_mode ?? null) as DuplicateMode | null,
    totalRows: j.total_rows,
    processedRows: processed,
    errorCount: j.error_count,
    counts: report.counts ?? null,
    skipErrors: report.skipErrors ?? false,
    result: report.result ?? null,
    failure: report.failure ?? null,
    createdAt: j.created_at,
    updatedAt: j.updated_at,
  };
}

/** The job, if the caller may see it: its importer, or an admin of the workspace. 404 otherwise. */
async function requireJob(db: Kysely<Database>, actor: Actor, id: number) {
  const job = await repo.getJob(db, actor.workspaceId, id);
  if (!job || (job.user_id !== actor.userId && !can(actor, 'workspace.administer'))) throw notFound('Import');
  return job;
}

export async function getImport(db: Db, actor: Actor, id: number) {
  const job = await requireJob(db.kysely, actor, id);
  const headers = JSON.parse(job.headers) as string[];
  const remembered = await repo.getMapping(db.kysely, actor.workspaceId, job.user_id, job.kind);
  const preview = (await repo.firstRows(db.kysely, actor.workspaceId, id, PREVIEW_ROWS)).map((r) => ({ rowNo: r.row_no, cells: JSON.parse(r.data) as string[] }));
  return {
    ...toJobDto(job),
    suggestedMapping: job.mapping ? (JSON.parse(job.mapping) as ColumnMapping) : suggestMapping(job.kind as ImportKind, headers, remembered),
    preview,
  };
}

export async function listImports(db: Db, actor: Actor, q: { limit: number; offset: number; all?: boolean | undefined }) {
  const { items, total } = await repo.listJobs(db.kysely, actor.workspaceId, can(actor, 'workspace.administer') && q.all ? null : actor.userId, q.limit, q.offset);
  return { items: items.map(toJobDto), total };
}

// ── Upload ────────────────────────────────────────────────────────────────────

export async function createImport(db: Db, actor: Actor, input: { kind: ImportKind; fileName: string; encoding?: TextEncoding | undefined }, bytes: Buffer | undefined) {
  if (!bytes || bytes.length === 0) throw invalid('file', { code: 'missing_file' }, 'is required: send the CSV or .xlsx file as the request body', 'missing_file');
  const sniffed = sniffFormat(bytes);
  if (sniffed.format === 'unknown') throw invalid('file', { code: 'unsupported_file' }, sniffed.reason, 'unsupported_file');
  const format = sniffed.format;
  const detected = format === 'csv' ? detectEncoding(bytes) : null;
  const encoding = format === 'csv' ? (input.encoding ?? detected!) : null;
  const replacementChars = format === 'csv' ? countReplacementChars(decodeText(bytes.subarray(0, 256 * 1024), encoding!)) : 0;
  const k = db.kysely;
  const jobId = await repo.insertJob(k, { workspaceId: actor.workspaceId, userId: actor.userId, kind: input.kind, fileName: input.fileName, status: 'reading', now: Date.now() });
  let headers: string[] | null = null;
  let total = 0;
  let buffer: { rowNo: number; cells: string[] }[] = [];
  const fail = async (message: string, code: 'too_many_columns' | 'too_many_rows' | 'unreadable_file' | 'no_rows', issue: FieldIssue) => {
    await repo.deleteRows(k, actor.workspaceId, jobId);
    await repo.updateJob(k, actor.workspaceId, jobId, { status: 'failed', total_rows: 0, report: JSON.stringify({ format, encoding, detectedEncoding: detected, failure: message } satisfies Report) });
    return invalid('file', issue, message, code);
  };
  try {
    let rowNo = 0;
    for await (const cells of readRows(bytes, format, encoding ?? 'utf-8')) {
      rowNo++;
      if (cells.every((c) => c === '')) continue;
      if (headers === null) {
        if (cells.length > MAX_COLUMNS) throw await fail(`has ${cells.length} columns; at most ${MAX_COLUMNS} are supported`, 'too_many_columns', { code: 'too_many_columns', params: { max: MAX_COLUMNS } });
        headers = cells;
        continue;
      }
      if (++total > MAX_ROWS) throw await fail(`has more than ${MAX_ROWS.toLocaleString('en')} rows; split it into several files`, 'too_many_rows', { code: 'too_many_rows', params: { max: MAX_ROWS } });
      buffer.push({ rowNo, cells });
      if (buffer.length >= INSERT_CHUNK) {
        await repo.insertRows(k, actor.workspaceId, jobId, buffer);
        buffer = [];
      }
    }
    await repo.insertRows(k, actor.workspaceId, jobId, buffer);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw await fail(`could not be read as ${format === 'xlsx' ? 'an .xlsx workbook' : 'CSV'}: ${(e as Error).message}`, 'unreadable_file', { code: 'unreadable_file' });
  }
  if (headers === null || total === 0) throw await fail(headers === null ? 'is empty' : 'has a header row but no data rows', 'no_rows', { code: 'no_rows' });
  await repo.updateJob(k, actor.workspaceId, jobId, {
    status: 'mapping',
    headers: JSON.stringify(headers),
    total_rows: total,
    report: JSON.stringify({ format, encoding, detectedEncoding: detected, replacementChars } satisfies Report),
  });
  return getImport(db, actor, jobId);
}

// ── Mapping and dry run ───────────────────────────────────────────────────────

export async function startValidation(db: Db, actor: Actor, id: number, input: { mapping: Record<string, number | null>; duplicateMode: DuplicateMode }) {
  const job = await requireJob(db.kysely, actor, id);
  if (!['mapping', 'validated', 'failed'].includes(job.status) || job.total_rows === 0) {
    throw conflict('import_busy', `the import is ${job.status}; it cannot be validated now`, 'status');
  }
  const kind = job.kind as ImportKind;
  const headers = JSON.parse(job.headers) as string[];
  const fields = importFields(kind) as readonly string[];
  const mapping: ColumnMapping = {};
  const errors: FieldError[] = [];
  const usedBy = new Map<number, string>();
  for (const [field, idx] of Object.entries(input.mapping)) {
    if (!fields.includes(field)) errors.push(fieldError(`mapping.${field}`, { code: 'not_a_field' }, `is not a field of ${kind}`));
    else if (idx !== null && (idx < 0 || idx >= headers.length)) errors.push(fieldError(`mapping.${field}`, { code: 'column_range', params: { max: headers.length - 1 } }, `must be a column between 0 and ${headers.length - 1}`));
    else if (idx !== null && usedBy.has(idx)) errors.push(fieldError(`mapping.${field}`, { code: 'column_taken', params: { column: headers[idx] ?? String(idx), field: usedBy.get(idx)! } }, `column "${headers[idx]}" is already mapped to ${usedBy.get(idx)}`));
    else {
      mapping[field as ImportField] = idx;
      if (idx !== null) usedBy.set(idx, field);
    }
  }
  for (const m of missingRequired(kind, mapping)) errors.push(m.includes('|')
    ? fieldError(`mapping.${m.split('|')[0]}`, { code: 'name_or_credit_code' }, 'map the account name or the credit code column')
    : fieldError(`mapping.${m}`, { code: 'required' }, 'is required'));
  if (errors.length) throw new AppError('mapping_incomplete', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  await repo.saveMapping(db.kysely, actor.workspaceId, job.user_id, kind, mappingByHeader(mapping, headers));
  const report: Report = { ...parseReport(job.report), counts: undefined, failure: null, result: undefined };
  const ok = await repo.updateJob(db.kysely, actor.workspaceId, id, {
    status: 'validating', mapping: JSON.stringify(mapping), duplicate_mode: input.duplicateMode, processed_rows: 0, error_count: 0, report: JSON.stringify(report),
  }, ['mapping', 'validated', 'failed']);
  if (!ok) throw conflict('import_busy', 'the import changed meanwhile; reload it', 'status');
  launch(db, actor, id, 'validate', false);
  return getImport(db, actor, id);
}

export async function commitImport(db: Db, actor: Actor, id: number, input: { skipErrors: boolean }) {
  const job = await requireJob(db.kysely, actor, id);
  if (job.status !== 'validated') throw conflict('not_validated', job.status === 'committed' ? 'the import was already committed' : 'run the dry run first', 'status');
  if (job.error_count > 0 && !input.skipErrors) {
    throw invalid('skipErrors', { code: 'rows_have_errors', params: { count: job.error_count } }, `${job.error_count} rows have errors: correct the file, or choose to import the valid rows and skip those`, 'rows_have_errors');
  }
  const report: Report = { ...parseReport(job.report), skipErrors: input.skipErrors };
  const ok = await repo.updateJob(db.kysely, actor.workspaceId, id, { status: 'committing', processed_rows: 0, report: JSON.stringify(report) }, ['validated']);
  if (!ok) throw conflict('import_busy', 'the import is already being committed', 'status');
  launch(db, actor, id, 'commit', input.skipErrors);
  return getImport(db, actor, id);
}

/** Rows of the report with their problems, paginated: the errors, or the warnings on rows to be created. */
export async function listReportRows(db: Db, actor: Actor, id: number, kind: repo.ReportKind, q: { limit: number; offset: number }) {
  await requireJob(db.kysely, actor, id);
  const { items, total } = await repo.reportRows(db.kysely, actor.workspaceId, id, kind, q.limit, q.offset);
  return { items: items.map((r) => ({ rowNo: r.row_no, problems: JSON.parse(r.problems ?? '[]') as RowProblem[] })), total };
}

/** The error report as CSV (row, field, problem, then the row's own cells), page by page. */
export async function errorReportCsv(db: Db, actor: Actor, id: number) {
  const job = await requireJob(db.kysely, actor, id);
  const headers = JSON.parse(job.headers) as string[];
  async function* lines() {
    yield UTF8_BOM + csvLine(['行号 row', '字段 field', '问题 problem', ...headers]);
    for (let after = 0; ;) {
      const rows = await repo.errorRowsAfter(db.kysely, actor.workspaceId, id, after, 1000);
      if (rows.length === 0) return;
      let chunk = '';
      for (const r of rows) {
        const cells = JSON.parse(r.data) as string[];
        for (const p of JSON.parse(r.problems ?? '[]') as RowProblem[]) chunk += csvLine([r.row_no, p.field, p.message, ...cells]);
      }
      yield chunk;
      after = rows[rows.length - 1]!.row_no;
    }
  }
  return { fileName: `${job.file_name.replace(/\.[^.]+$/, '')}-errors.csv`, lines: lines() };
}

// ── Running a phase ───────────────────────────────────────────────────────────

export type Phase = 'validate' | 'commit';

/**
 * Runs a phase in the background: on a SQLite file in a worker thread with its own
 * connection (the shared one is serialised by Kysely, and better-sqlite3 blocks the thread
 * it runs on); otherwise in this process.
 */
function launch(db: Db, actor: Actor, jobId: number, phase: Phase, skipErrors: boolean) {
  if (db.engine === 'sqlite' && db.sqliteFile) {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { workerData: { file: db.sqliteFile, actor, jobId, phase, skipErrors } });
    worker.on('message', (m: { jobId: number; processed: number }) => live.set(m.jobId, m.processed));
    const done = () => live.delete(jobId);
    worker.on('exit', done);
    worker.on('error', (e) => {
      done();
      void markFailed(db.kysely, actor, jobId, `the import stopped: ${e.message}`);
    });
    return;
  }
  void runPhase(db.kysely, actor, jobId, phase, skipErrors, (processed) => live.set(jobId, processed)).finally(() => live.delete(jobId));
}

async function markFailed(db: Kysely<Database>, actor: Actor, jobId: number, message: string) {
  const job = await repo.getJob(db, actor.workspaceId, jobId);
  if (!job) return;
  await repo.updateJob(db, actor.workspaceId, jobId, { status: 'failed', report: JSON.stringify({ ...parseReport(job.report), failure: message } satisfies Report) });
}

/** The phase itself; never throws (a failure is recorded on the job). Used by the worker too. */
export async function runPhase(
  db: Kysely<Database>, actor: Actor, jobId: number, phase: Phase, skipErrors: boolean, onProgress: (processed: number) => void,
  opts: { sqliteWorker?: boolean } = {},
): Promise<void> {
  try {
    const job = await repo.getJob(db, actor.workspaceId, jobId);
    if (!job) return;
    const { counts, links } = await validatePass(db, actor, job);
    const report: Report = { ...parseReport(job.report), counts, failure: null };
    if (phase === 'validate' || (counts.error > 0 && !skipErrors)) {
      if (phase === 'commit') report.failure = 'rows_have_errors';
      await repo.updateJob(db, actor.workspaceId, jobId, { status: 'validated', error_count: counts.error, processed_rows: job.total_rows, report: JSON.stringify(report) });
      return;
    }
    // In the SQLite worker the commit takes the write lock first and waits for it: other users'
    // writes on the server's connection then get 503 busy for a moment instead of breaking this.
    const write = <T>(fn: (trx: Kysely<Database>) => Promise<T>) => (opts.sqliteWorker ? immediateTransaction(db, fn) : db.transaction().execute(fn));
    const result = await write(async (trx) => {
      const r = await writePass(trx, actor, job, links, onProgress);
      await recordAudit(trx, {
        workspaceId: actor.workspaceId, actorUserId: actor.userId, action: `import.${job.kind}`, targetType: 'import', targetId: jobId,
        detail: { fileName: job.file_name, rows: job.total_rows, ...r, errorsSkipped: counts.error },
      }, actor.now);
      await repo.updateJob(trx, actor.workspaceId, jobId, {
        status: 'committed', error_count: counts.error, processed_rows: job.total_rows, report: JSON.stringify({ ...report, result: r } satisfies Report),
      });
      return r;
    });
    void result;
  } catch (e) {
    await markFailed(db, actor, jobId, `${phase === 'commit' ? 'nothing was saved: ' : ''}${(e as Error).message}`).catch(() => undefined);
  }
}

interface Checked {
  rowNo: number; data: string; outcome: Outcome; problems: RowProblem[]; targetId: number | null; duplicate: boolean; similar?: boolean;
  /** A contact row that creates or updates a contact: what its reports-to check needs. */
  contact?: FileContact;
}

async function validatePass(db: Kysely<Database>, actor: Actor, job: repo.JobRow): Promise<{ counts: Counts; links: ReportsToLink[] }> {
  const mapping = JSON.parse(job.mapping ?? '{}') as ColumnMapping;
  const mode = (job.duplicate_mode ?? 'skip') as DuplicateMode;
  const counts: Counts = { create: 0, update: 0, skip: 0, error: 0, duplicate: 0, similar: 0 };
  // Look-alikes of the archive as it stands (src/domain/similar-names.ts), built once per pass.
  const similar = job.kind === 'accounts' ? new SimilarNameIndex((await repo.accountNameKeys(db, actor.workspaceId)).map((a) => ({ ref: a.id, name: a.name, key: a.name_key }))) : null;
  const users = await repo.activeUsers(db, actor.workspaceId);
  const assignable = new Set(users.filter((u) => reachesUnit(actor, u.path)).map((u) => u.email.toLowerCase()));
  const inFile = new InFileDuplicates();
  const contactKeys = new Map<string, number>();
  // Reports-to cells name contacts anywhere in the file: kept (compactly) until every row is read.
  const fileContacts: FileContact[] = [];
  let processed = 0;
  for (let after = 0; ;) {
    const rows = await repo.rowsAfter(db, actor.workspaceId, job.id, after, VALIDATE_CHUNK);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.row_no;
    const checked = job.kind === 'accounts'
      ? await checkAccounts(db, actor, rows, mapping, mode, { assignableEmails: assignable, canChooseOwner: can(actor, 'accounts.manage') }, inFile, similar!)
      : await checkContacts(db, actor, rows, mapping, mode, contactKeys);
    for (const c of checked) {
      counts[c.outcome]++;
      if (c.duplicate) counts.duplicate++;
      if (c.similar) counts.similar++;
      if (c.contact && typeof mapping.reportsTo === 'number') fileContacts.push(c.contact);
    }
    await repo.saveOutcomes(db, actor.workspaceId, job.id, checked.map((c) => ({ rowNo: c.rowNo, data: c.data, outcome: c.outcome, problems: c.problems.length ? JSON.stringify(c.problems) : null, targetId: c.targetId })));
    processed += rows.length;
    await repo.updateJob(db, actor.workspaceId, job.id, { processed_rows: processed, error_count: counts.error });
    await yieldToLoop();
  }
  const links = await checkReportsTo(db, actor.workspaceId, job.id, fileContacts, counts);
  if (counts.error > 0) await repo.updateJob(db, actor.workspaceId, job.id, { error_count: counts.error });
  return { counts, links };
}

type Raw = { row_no: number; data: string };

async function checkAccounts(
  db: Kysely<Database>, actor: Actor, rows: Raw[], mapping: ColumnMapping, mode: DuplicateMode,
  ctx: { assignableEmails: Set<string>; canChooseOwner: boolean }, inFile: InFileDuplicates, similar: SimilarNameIndex<number>,
): Promise<Checked[]> {
  const parsed = rows.map((r) => ({ r, ...validateAccountRow(JSON.parse(r.data) as string[], mapping, ctx) }));
  const codes = [...new Set(parsed.flatMap((p) => (p.values?.creditCode ? [p.values.creditCode] : [])))];
  const keys = [...new Set(parsed.flatMap((p) => (p.values?.nameKey ? [p.values.nameKey] : [])))];
  const { byCode, byKey } = await repo.accountsMatching(db, actor.workspaceId, codes, keys);
  const facts = new Map((await repo.visibleFacts(db, actor, [...new Set([...byCode, ...byKey].map((a) => a.id))])).map((f) => [f.id, f]));
  const codeMap = new Map(byCode.map((a) => [a.credit_code!, a]));
  const editable = (id: number) => {
    const f = facts.get(id);
    return !!f && canEditAccount(actor, { ownerId: f.owner_id, unitPath: f.unit_path, inPool: f.in_pool === 1, onTeam: Boolean(f.on_team) });
  };
  return parsed.map(({ r, values: v, problems }): Checked => {
    const base = { rowNo: r.row_no, data: r.data, targetId: null, duplicate: false };
    if (!v) return { ...base, outcome: 'error', problems };
    const err = (field: string, code: string, message: string, params?: RowProblem['params']): Checked => ({ ...base, duplicate: true, outcome: 'error', problems: [{ field, code, message, ...(params && { params }) }] });
    const again = inFile.check(r.row_no, v.creditCode, v.nameKey);
    if (again?.by === 'creditCode') return err('creditCode', 'duplicate_in_file', `same credit code as row ${again.row}`, { row: again.row });
    if (again && mode === 'skip') return { ...base, duplicate: true, outcome: 'skip', problems: [{ field: 'name', code: 'duplicate_in_file', message: `same company as row ${again.row}`, params: { row: again.row } }] };
    if (again && mode === 'update') return err('name', 'duplicate_in_file', `same company as row ${again.row}`, { row: again.row });
    const byCodeMatch = v.creditCode ? codeMap.get(v.creditCode) : undefined;
    // A same-name account with a different credit code is another company.
    const byName = byKey.filter((a) => a.name_key === v.nameKey && (!v.creditCode || !a.credit_code || a.credit_code === v.creditCode));
    const match = byCodeMatch ?? byName[0];
    if (!match) {
      // Created, with a warning when the name resembles an account that exists: the reader decides.
      const like = similar.mostSimilar(v.nameKey);
      if (!like) return { ...base, outcome: 'create', problems: [] };
      const percent = Math.round(like.similarity * 100);
      return { ...base, outcome: 'create', similar: true, problems: [{ field: 'name', code: 'similar_existing', message: `resembles the existing account ${like.name} (${percent}% alike)`, params: { name: like.name, percent } }] };
    }
    const field = byCodeMatch ? 'creditCode' : 'name';
    const how = byCodeMatch ? 'credit code' : 'name';
    if (mode === 'skip') {
      // The name only of an account the importer may see (SPEC §2).
      const visible = facts.has(match.id);
      return { ...base, duplicate: true, targetId: visible ? match.id : null, outcome: 'skip', problems: [{ field, code: 'duplicate_existing', message: `an account with this ${how} exists: ${visible ? match.name : 'not visible to you'}`, ...(visible && { params: { name: match.name } }) }] };
    }
    if (mode === 'create') {
      if (byCodeMatch) return err('creditCode', 'duplicate_existing', 'an account with this credit code already exists; credit codes are unique', facts.has(match.id) ? { name: match.name } : undefined);
      return { ...base, duplicate: true, outcome: 'create', problems: [] };
    }
    if (!byCodeMatch && byName.length > 1) return err('name', 'ambiguous', `${byName.length} accounts have this name; add the credit code column to choose`, { count: byName.length });
    if (match.archived_at !== null) return err(field, 'archived', 'matches an archived account; restore it first');
    if (!editable(match.id)) return err(field, 'not_editable', `matches an account (by ${how}) that you cannot edit`);
    return { ...base, duplicate: true, outcome: 'update', targetId: match.id, problems: [] };
  });
}

async function checkContacts(db: Kysely<Database>, actor: Actor, rows: Raw[], mapping: ColumnMapping, mode: DuplicateMode, seen: Map<string, number>): Promise<Checked[]> {
  const parsed = rows.map((r) => ({ r, ...validateContactRow(JSON.parse(r.data) as string[], mapping) }));
  const codes = [...new Set(parsed.flatMap((p) => (p.values?.accountCreditCode ? [p.values.accountCreditCode] : [])))];
  const keys = [...new Set(parsed.flatMap((p) => (p.values?.accountNameKey ? [p.values.accountNameKey] : [])))];
  const { byCode, byKey } = await repo.accountsMatching(db, actor.workspaceId, codes, keys);
  const facts = new Map((await repo.visibleFacts(db, actor, [...new Set([...byCode, ...byKey].map((a) => a.id))])).map((f) => [f.id, f]));
  const codeMap = new Map(byCode.filter((a) => facts.has(a.id) && a.archived_at === null).map((a) => [a.credit_code!, a.id]));
  const resolved = parsed.map(({ r, values: v, problems }) => {
    if (!v) return { r, v, problems, accountId: null as number | null };
    const field = v.accountCreditCode ? 'accountCreditCode' : 'accountName';
    let accountId: number | null = null;
    if (v.accountCreditCode) accountId = codeMap.get(v.accountCreditCode) ?? null;
    else {
      const candidates = byKey.filter((a) => a.name_key === v.accountNameKey && facts.has(a.id));
      // An exact name beats a same-key one ("华为" vs "华为技术有限公司").
      const exact = candidates.filter((a) => a.name === v.accountName);
      const pick = exact.length === 1 ? exact : candidates;
      if (pick.length > 1) return { r, v: null, problems: [{ field, code: 'ambiguous', message: `${pick.length} accounts have this name; use the credit code column`, params: { count: pick.length } }], accountId: null };
      accountId = pick[0]?.id ?? null;
    }
    if (accountId === null) return { r, v: null, problems: [{ field, code: 'account_not_found', message: 'no account you can see has this ' + (field === 'accountName' ? 'name' : 'credit code'), params: { value: (field === 'accountName' ? v.accountName : v.accountCreditCode) ?? '' } }], accountId: null };
    const f = facts.get(accountId)!;
    if (!canEditAccount(actor, { ownerId: f.owner_id, unitPath: f.unit_path, inPool: f.in_pool === 1, onTeam: Boolean(f.on_team) })) {
      return { r, v: null, problems: [{ field, code: 'not_editable', message: 'you cannot add contacts to this account' }], accountId: null };
    }
    return { r, v, problems, accountId };
  });
  const existing = await repo.contactsOfAccounts(db, actor.workspaceId, [...new Set(resolved.flatMap((x) => (x.accountId ? [x.accountId] : [])))]);
  const same = (v: ContactValues, c: { name: string; mobile: string | null }) => c.name.trim().toLowerCase() === v.name.toLowerCase() && (!v.mobile || !c.mobile || c.mobile === v.mobile);
  return resolved.map(({ r, v, problems, accountId }): Checked => {
    const base = { rowNo: r.row_no, data: r.data, targetId: null, duplicate: false };
    if (!v || accountId === null) return { ...base, outcome: 'error', problems };
    const key = `${accountId}|${v.name.toLowerCase()}|${v.mobile ?? ''}`;
    const prev = seen.get(key);
    if (prev !== undefined && mode !== 'create') {
      return mode === 'skip'
        ? { ...base, duplicate: true, outcome: 'skip', problems: [{ field: 'name', code: 'duplicate_in_file', message: `same contact as row ${prev}`, params: { row: prev } }] }
        : { ...base, duplicate: true, outcome: 'error', problems: [{ field: 'name', code: 'duplicate_in_file', message: `same contact as row ${prev}`, params: { row: prev } }] };
    }
    if (prev === undefined) seen.set(key, r.row_no);
    const matches = existing.filter((c) => c.account_id === accountId && same(v, c));
    const contact = (contactId: number | null): FileContact => ({ rowNo: r.row_no, accountId, contactId, name: v.name, mobile: v.mobile, email: v.email, reportsTo: v.reportsTo });
    if (matches.length === 0 || mode === 'create') return { ...base, duplicate: matches.length > 0, outcome: 'create', targetId: accountId, problems: [], contact: contact(null) };
    if (mode === 'skip') return { ...base, duplicate: true, outcome: 'skip', targetId: matches[0]!.id, problems: [{ field: 'name', code: 'duplicate_existing', message: 'this contact already exists on the account' }] };
    if (matches.length > 1) return { ...base, duplicate: true, outcome: 'error', problems: [{ field: 'name', code: 'ambiguous', message: `${matches.length} contacts of the account have this name; add the mobile column`, params: { count: matches.length } }] };
    return { ...base, duplicate: true, outcome: 'update', targetId: matches[0]!.id, problems: [], contact: contact(matches[0]!.id) };
  });
}

// ── Commit ────────────────────────────────────────────────────────────────────

/** Writes every create and update row; runs inside the caller's transaction (all or nothing). */
async function writePass(trx: Kysely<Database>, actor: Actor, job: repo.JobRow, links: ReportsToLink[], onProgress: (n: number) => void) {
  const mapping = JSON.parse(job.mapping ?? '{}') as ColumnMapping;
  const now = Date.now();
  const result = { created: 0, updated: 0, skipped: 0 };
  const users = job.kind === 'accounts' ? await repo.activeUsers(trx, actor.workspaceId) : [];
  const byEmail = new Map(users.filter((u) => reachesUnit(actor, u.path)).map((u) => [u.email.toLowerCase(), u]));
  const canChooseOwner = can(actor, 'accounts.manage');
  const createdContacts = new Map<number, number>();
  let processed = 0;
  for (let after = 0; ;) {
    const rows = await repo.rowsAfter(trx, actor.workspaceId, job.id, after, INSERT_CHUNK, ['create', 'update']);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.row_no;
    if (job.kind === 'accounts') {
      const ctx = { assignableEmails: new Set(byEmail.keys()), canChooseOwner };
      const items = rows.map((r) => ({ r, v: validateAccountRow(JSON.parse(r.data) as string[], mapping, ctx).values! }));
      const creates = items.filter((x) => x.r.outcome === 'create');
      const values: NewAccount[] = creates.map(({ v }) => {
        const owner = v.ownerEmail ? byEmail.get(v.ownerEmail) : undefined;
        return {
          workspace_id: actor.workspaceId, name: v.name, name_key: v.nameKey, credit_code: v.creditCode, industry: v.industry, province: v.province,
          city: v.city, district: v.district, address: v.address, size: v.size, website: v.website, phone: v.phone, lead_source: v.leadSource,
          owner_id: owner?.id ?? actor.userId, org_unit_id: owner?.org_unit_id ?? actor.orgUnitId, status: v.status ?? 'prospect', notes: v.notes,
          created_by: actor.userId, created_at: now, updated_at: now, version: 1,
        };
      });
      const ids = await repo.insertAccounts(trx, values);
      const changes: Change[] = ids.map((id, i) => ({ workspaceId: actor.workspaceId, entityType: 'account', entityId: id, field: 'owner', oldValue: null, newValue: values[i]!.owner_id ?? null, reason: 'import', actorUserId: actor.userId }));
      const updates = items.filter((x) => x.r.outcome === 'update' && x.r.target_id !== null);
      const owners = await repo.accountOwners(trx, actor.workspaceId, updates.map((u) => u.r.target_id!));
      for (const { r, v } of updates) {
        const set = accountUpdate(v, mapping, now);
        const owner = v.ownerEmail ? byEmail.get(v.ownerEmail) : undefined;
        const oldOwner = owners.get(r.target_id!) ?? null;
        if (owner && owner.id !== oldOwner) {
          Object.assign(set, { owner_id: owner.id, org_unit_id: owner.org_unit_id, in_pool: 0, pool_since: null });
          changes.push({ workspaceId: actor.workspaceId, entityType: 'account', entityId: r.target_id!, field: 'owner', oldValue: oldOwner, newValue: owner.id, reason: 'import', actorUserId: actor.userId });
        }
        await repo.updateAccount(trx, actor.workspaceId, r.target_id!, set);
      }
      await recordChanges(trx, changes, now);
      result.created += ids.length;
      result.updated += updates.length;
    } else {
      const items = rows.map((r) => ({ r, v: validateContactRow(JSON.parse(r.data) as string[], mapping).values! }));
      const creates = items.filter((x) => x.r.outcome === 'create');
      const ids = await repo.insertContacts(trx, creates.map(({ r, v }) => ({
        workspace_id: actor.workspaceId, account_id: r.target_id!, name: v.name, title: v.title, department: v.department, mobile: v.mobile, phone: v.phone,
        email: v.email, wechat: v.wechat, birthday: v.birthday, notes: v.notes, created_by: actor.userId, created_at: now, updated_at: now, version: 1,
      })));
      ids.forEach((id, i) => createdContacts.set(creates[i]!.r.row_no, id));
      const updates = items.filter((x) => x.r.outcome === 'update');
      for (const { r, v } of updates) await repo.updateContact(trx, actor.workspaceId, r.target_id!, contactUpdate(v, mapping, now));
      result.created += items.length - updates.length;
      result.updated += updates.length;
    }
    processed += rows.length;
    onProgress(processed);
  }
  if (links.length) await writeReportsTo(trx, actor.workspaceId, links, createdContacts);
  result.skipped = job.total_rows - result.created - result.updated;
  return result;
}

/** Only mapped, non-empty cells change an existing record: a blank cell never erases data. */
function accountUpdate(v: AccountValues, mapping: ColumnMapping, now: number) {
  const set: Record<string, unknown> = { updated_at: now };
  const pairs: [ImportField, keyof AccountValues, string][] = [
    ['name', 'name', 'name'], ['creditCode', 'creditCode', 'credit_code'], ['industry', 'industry', 'industry'], ['province', 'province', 'province'],
    ['city', 'city', 'city'], ['district', 'district', 'district'], ['address', 'address', 'address'], ['size', 'size', 'size'], ['website', 'website', 'website'],
    ['phone', 'phone', 'phone'], ['leadSource', 'leadSource', 'lead_source'], ['status', 'status', 'status'], ['notes', 'notes', 'notes'],
  ];
  for (const [field, key, column] of pairs) if (typeof mapping[field] === 'number' && v[key] !== null) set[column] = v[key];
  if (set.name !== undefined) set.name_key = v.nameKey;
  return set;
}

function contactUpdate(v: ContactValues, mapping: ColumnMapping, now: number) {
  const set: Record<string, unknown> = { updated_at: now };
  for (const f of ['title', 'department', 'mobile', 'phone', 'email', 'wechat', 'birthday', 'notes'] as const) {
    if (typeof mapping[f] === 'number' && v[f] !== null) set[f] = v[f];
  }
  return set;
}
