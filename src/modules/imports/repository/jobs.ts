import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';

/** The import jobs of a workspace: the job, its lease, its staged rows and their verdicts, the saved mappings. */

const jobColumns = [
  'import_jobs.id',
  'import_jobs.workspace_id',
  'import_jobs.user_id',
  'import_jobs.kind',
  'import_jobs.file_name',
  'import_jobs.status',
  'import_jobs.headers',
  'import_jobs.mapping',
  'import_jobs.duplicate_mode',
  'import_jobs.total_rows',
  'import_jobs.processed_rows',
  'import_jobs.error_count',
  'import_jobs.report',
  'import_jobs.lease_expires_at',
  'import_jobs.created_at',
  'import_jobs.updated_at',
  'import_jobs.version',
  'users.name as user_name',
] as const;

export async function insertJob(
  db: Kysely<Database>,
  job: {
    workspaceId: number;
    userId: number;
    kind: string;
    fileName: string;
    status: string;
    leaseExpiresAt: number;
    now: number;
  },
) {
  const row = await db
    .insertInto('import_jobs')
    .values({
      workspace_id: job.workspaceId,
      user_id: job.userId,
      kind: job.kind,
      file_name: job.fileName,
      status: job.status,
      headers: '[]',
      total_rows: 0,
      processed_rows: 0,
      error_count: 0,
      lease_expires_at: job.leaseExpiresAt,
      created_at: job.now,
      updated_at: job.now,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const jobs = (db: Kysely<Database>, workspaceId: number) =>
  db
    .selectFrom('import_jobs')
    .innerJoin('users', 'users.id', 'import_jobs.user_id')
    .where('import_jobs.workspace_id', '=', workspaceId);

export async function getJob(db: Kysely<Database>, workspaceId: number, id: number) {
  return jobs(db, workspaceId).select(jobColumns).where('import_jobs.id', '=', id).executeTakeFirst();
}
export type JobRow = NonNullable<Awaited<ReturnType<typeof getJob>>>;

/** The caller's imports (userId), or the workspace's (null, admins), newest first. */
export async function listJobs(
  db: Kysely<Database>,
  workspaceId: number,
  userId: number | null,
  limit: number,
  offset: number,
) {
  let query = jobs(db, workspaceId);
  if (userId !== null) query = query.where('import_jobs.user_id', '=', userId);
  const [items, total] = await Promise.all([
    query
      .select(jobColumns)
      .orderBy('import_jobs.created_at', 'desc')
      .orderBy('import_jobs.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function updateJob(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  set: Partial<{
    status: string;
    headers: string;
    mapping: string;
    duplicate_mode: string;
    total_rows: number;
    processed_rows: number;
    error_count: number;
    report: string;
    lease_expires_at: number | null;
  }>,
  expectStatus?: string[],
): Promise<boolean> {
  let query = db
    .updateTable('import_jobs')
    .set((eb) => ({ ...set, updated_at: Date.now(), version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id);
  if (expectStatus) query = query.where('status', 'in', expectStatus);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ── Leases and clean-up (lease.ts) ────────────────────────────────────────────

/** Extends the lease of a job still in one of these states; not a change anyone sees (no version). */
export async function renewLease(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  statuses: readonly string[],
  until: number,
) {
  await db
    .updateTable('import_jobs')
    .set({ lease_expires_at: until })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', 'in', statuses)
    .execute();
}

/** Jobs of every workspace in a running state whose lease ran out (or that never had one). */
export async function jobsWithExpiredLease(db: Kysely<Database>, statuses: readonly string[], now: number) {
  return db
    .selectFrom('import_jobs')
    .select(['id', 'workspace_id', 'status', 'report', 'version'])
    .where('status', 'in', statuses)
    .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', now)]))
    .execute();
}

/** Ends a job as its lease ran out: only if nobody touched it since it was read (same version). */
export async function endExpiredJob(
  db: Kysely<Database>,
  job: { id: number; workspace_id: number; version: number },
  set: { status: string; report: string; total_rows?: number },
  now: number,
) {
  const result = await db
    .updateTable('import_jobs')
    .set({ ...set, lease_expires_at: null, updated_at: now, version: job.version + 1 })
    .where('workspace_id', '=', job.workspace_id)
    .where('id', '=', job.id)
    .where('version', '=', job.version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Jobs of every workspace in these states, untouched since `before`, that still hold rows. */
export async function staleJobsWithRows(db: Kysely<Database>, statuses: readonly string[], before: number) {
  return db
    .selectFrom('import_jobs')
    .select(['id', 'workspace_id', 'status', 'report', 'version'])
    .where('status', 'in', statuses)
    .where('updated_at', '<', before)
    .where((eb) =>
      eb.exists(
        eb.selectFrom('import_rows').select('import_rows.row_no').whereRef('import_rows.job_id', '=', 'import_jobs.id'),
      ),
    )
    .execute();
}

// ── Rows ──────────────────────────────────────────────────────────────────────

export async function insertRows(
  db: Kysely<Database>,
  workspaceId: number,
  jobId: number,
  rows: { rowNo: number; data: string }[],
) {
  if (rows.length === 0) return;
  await db
    .insertInto('import_rows')
    .values(rows.map((r) => ({ job_id: jobId, row_no: r.rowNo, workspace_id: workspaceId, data: r.data })))
    .execute();
}

export async function deleteRows(db: Kysely<Database>, workspaceId: number, jobId: number) {
  await db.deleteFrom('import_rows').where('workspace_id', '=', workspaceId).where('job_id', '=', jobId).execute();
}

/** Deletes the first `limit` stored rows of a job (by row number); how many. */
export async function deleteFirstRows(db: Kysely<Database>, workspaceId: number, jobId: number, limit: number) {
  const result = await db
    .deleteFrom('import_rows')
    .where('workspace_id', '=', workspaceId)
    .where('job_id', '=', jobId)
    .where('row_no', 'in', (eb) =>
      eb
        .selectFrom('import_rows')
        .select('row_no')
        .where('workspace_id', '=', workspaceId)
        .where('job_id', '=', jobId)
        .orderBy('row_no')
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A page of rows after a row number (keyset), optionally only those with given outcomes. */
export async function rowsAfter(
  db: Kysely<Database>,
  workspaceId: number,
  jobId: number,
  afterRowNo: number,
  limit: number,
  outcomes?: string[],
) {
  let query = db
    .selectFrom('import_rows')
    .select(['row_no', 'data', 'outcome', 'problems', 'target_id'])
    .where('workspace_id', '=', workspaceId)
    .where('job_id', '=', jobId)
    .where('row_no', '>', afterRowNo);
  if (outcomes) query = query.where('outcome', 'in', outcomes);
  return query.orderBy('row_no').limit(limit).execute();
}

/** These rows (by row number), for rewriting their verdict. */
export async function rowsByNo(db: Kysely<Database>, workspaceId: number, jobId: number, rowNos: number[]) {
  const out = [];
  for (let i = 0; i < rowNos.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('import_rows')
        .select(['row_no', 'data', 'outcome', 'target_id'])
        .where('workspace_id', '=', workspaceId)
        .where('job_id', '=', jobId)
        .where('row_no', 'in', rowNos.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}

/** The first rows, for the preview beside the mapping. */
export async function firstRows(db: Kysely<Database>, workspaceId: number, jobId: number, limit: number) {
  return rowsAfter(db, workspaceId, jobId, 0, limit);
}

/**
 * Writes the dry-run verdict of a chunk of rows, set-based. Most rows of a file get a bare verdict
 * (created, no problem, no target): those are set with one update per outcome naming the rows,
 * without sending their cells again (an upsert of 1,000 rows with their cells cost about twice as
 * much CPU); the others with one upsert.
 */
export async function saveOutcomes(
  db: Kysely<Database>,
  workspaceId: number,
  jobId: number,
  rows: { rowNo: number; data: string; outcome: string; problems: string | null; targetId: number | null }[],
) {
  const bare = new Map<string, number[]>();
  const others: typeof rows = [];
  for (const row of rows) {
    if (row.problems === null && row.targetId === null) {
      const rowNos = bare.get(row.outcome);
      if (rowNos) rowNos.push(row.rowNo);
      else bare.set(row.outcome, [row.rowNo]);
    } else others.push(row);
  }
  for (const [outcome, rowNos] of bare)
    await db
      .updateTable('import_rows')
      .set({ outcome, problems: null, target_id: null })
      .where('workspace_id', '=', workspaceId)
      .where('job_id', '=', jobId)
      .where('row_no', 'in', rowNos)
      .execute();
  if (others.length === 0) return;
  await db
    .insertInto('import_rows')
    .values(
      others.map((row) => ({
        job_id: jobId,
        row_no: row.rowNo,
        workspace_id: workspaceId,
        data: row.data,
        outcome: row.outcome,
        problems: row.problems,
        target_id: row.targetId,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['job_id', 'row_no']).doUpdateSet((eb) => ({
        outcome: eb.ref('excluded.outcome'),
        problems: eb.ref('excluded.problems'),
        target_id: eb.ref('excluded.target_id'),
      })),
    )
    .execute();
}

export type { ReportKind } from '../../../contracts/imports.ts';
import type { ReportKind } from '../../../contracts/imports.ts';

export async function reportRows(
  db: Kysely<Database>,
  workspaceId: number,
  jobId: number,
  kind: ReportKind,
  limit: number,
  offset: number,
) {
  let base = db.selectFrom('import_rows').where('workspace_id', '=', workspaceId).where('job_id', '=', jobId);
  // Problems are stored as JSON text; the codes are matched as quoted strings inside it.
  if (kind === 'errors') base = base.where('outcome', '=', 'error');
  else if (kind === 'warnings')
    base = base.where('outcome', '=', 'create').where('problems', 'like', '%"similar_existing"%');
  else
    base = base.where((eb) =>
      eb.or([eb('problems', 'like', '%"duplicate_existing"%'), eb('problems', 'like', '%"duplicate_in_file"%')]),
    );
  const [items, total] = await Promise.all([
    base.select(['row_no', 'outcome', 'problems']).orderBy('row_no').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** Error rows after a row number (keyset), for the CSV report. */
export async function errorRowsAfter(
  db: Kysely<Database>,
  workspaceId: number,
  jobId: number,
  afterRowNo: number,
  limit: number,
) {
  return rowsAfter(db, workspaceId, jobId, afterRowNo, limit, ['error']);
}

// ── Mappings ──────────────────────────────────────────────────────────────────

export async function getMapping(db: Kysely<Database>, workspaceId: number, userId: number, kind: string) {
  const row = await db
    .selectFrom('import_mappings')
    .select('mapping')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row ? (JSON.parse(row.mapping) as Record<string, string>) : null;
}

export async function saveMapping(
  db: Kysely<Database>,
  workspaceId: number,
  userId: number,
  kind: string,
  mapping: Record<string, string>,
) {
  const now = Date.now();
  await db
    .insertInto('import_mappings')
    .values({ workspace_id: workspaceId, user_id: userId, kind, mapping: JSON.stringify(mapping), updated_at: now })
    .onConflict((oc) =>
      oc
        .columns(['workspace_id', 'user_id', 'kind'])
        .doUpdateSet({ mapping: JSON.stringify(mapping), updated_at: now }),
    )
    .execute();
}

// ── Look-ups for validation ───────────────────────────────────────────────────
