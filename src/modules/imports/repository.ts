import type { Insertable, Kysely } from 'kysely';
import { batches } from '../../db/batches.ts';
import type { Database, NewAccount } from '../../db/schema.ts';
import type { PurchaseTable } from '../../db/schema-purchases.ts';
import type { OpportunityStageHistoryTable, OpportunityTable, OpportunityTeamTable } from '../../db/schema-sales.ts';
import { DEFAULT_TIME_ZONE } from '../../domain/calendar.ts';
import type { Actor } from '../../domain/policy.ts';
import { visibleAccounts } from '../accounts/repository.ts';
import { onAccountTeam } from '../scope.ts';

/** Every query of the import area; each takes the workspace (and the job) it is scoped to. */

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
  rows: { rowNo: number; cells: string[] }[],
) {
  if (rows.length === 0) return;
  await db
    .insertInto('import_rows')
    .values(
      rows.map((r) => ({ job_id: jobId, row_no: r.rowNo, workspace_id: workspaceId, data: JSON.stringify(r.cells) })),
    )
    .execute();
}

export async function deleteRows(db: Kysely<Database>, workspaceId: number, jobId: number) {
  await db.deleteFrom('import_rows').where('workspace_id', '=', workspaceId).where('job_id', '=', jobId).execute();
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

/** Writes the dry-run verdict of a chunk of rows, set-based (one statement per row chunk). */
export async function saveOutcomes(
  db: Kysely<Database>,
  workspaceId: number,
  jobId: number,
  rows: { rowNo: number; data: string; outcome: string; problems: string | null; targetId: number | null }[],
) {
  if (rows.length === 0) return;
  await db
    .insertInto('import_rows')
    .values(
      rows.map((row) => ({
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

export type { ReportKind } from '../../contracts/imports.ts';
import type { ReportKind } from '../../contracts/imports.ts';

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

export async function activeUsers(db: Kysely<Database>, workspaceId: number) {
  return db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'users.email', 'users.name', 'users.org_unit_id', 'org_units.path'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.active', '=', 1)
    .execute();
}

/**
 * Accounts of the whole workspace with one of these credit codes or name keys: a duplicate
 * hidden from the importer is still a duplicate (docs/archive.md).
 */
export async function accountsMatching(db: Kysely<Database>, workspaceId: number, codes: string[], keys: string[]) {
  const byCode = codes.length
    ? await db
        .selectFrom('accounts')
        .select(['id', 'name', 'name_key', 'credit_code', 'archived_at'])
        .where('workspace_id', '=', workspaceId)
        .where('credit_code', 'in', codes)
        .execute()
    : [];
  const byKey = keys.length
    ? await db
        .selectFrom('accounts')
        .select(['id', 'name', 'name_key', 'credit_code', 'archived_at'])
        .where('workspace_id', '=', workspaceId)
        .where('name_key', 'in', keys)
        .where('archived_at', 'is', null)
        .execute()
    : [];
  return { byCode, byKey };
}

/** Every live account's name and name key: what imported names are compared with for look-alikes. */
export async function accountNameKeys(db: Kysely<Database>, workspaceId: number) {
  return db
    .selectFrom('accounts')
    .select(['id', 'name', 'name_key'])
    .where('workspace_id', '=', workspaceId)
    .where('archived_at', 'is', null)
    .execute();
}

/** Of these accounts, the ones the actor sees, with the facts that decide editing. */
export async function visibleFacts(db: Kysely<Database>, actor: Actor, ids: number[]) {
  if (ids.length === 0) return [];
  return visibleAccounts(db, actor)
    .select([
      'accounts.id',
      'accounts.owner_id',
      'accounts.in_pool',
      'accounts.archived_at',
      'org_units.path as unit_path',
    ])
    .select((eb) => onAccountTeam(eb as never, actor).as('on_team'))
    .where('accounts.id', 'in', ids)
    .execute();
}

/** Existing contacts of these accounts, to find duplicates (same account, same name). */
export async function contactsOfAccounts(db: Kysely<Database>, workspaceId: number, accountIds: number[]) {
  if (accountIds.length === 0) return [];
  return db
    .selectFrom('contacts')
    .select(['id', 'account_id', 'name', 'mobile', 'email'])
    .where('workspace_id', '=', workspaceId)
    .where('account_id', 'in', accountIds)
    .where('archived_at', 'is', null)
    .execute();
}

// ── Writes (inside the commit transaction) ────────────────────────────────────

/** A multi-row insert; the ids come back in the order of the values. */
export async function insertAccounts(db: Kysely<Database>, values: NewAccount[]): Promise<number[]> {
  if (values.length === 0) return [];
  const rows = await db.insertInto('accounts').values(values).returning('id').execute();
  return rows.map((r) => r.id);
}

export async function updateAccount(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  set: Record<string, unknown>,
) {
  await db
    .updateTable('accounts')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function accountOwners(db: Kysely<Database>, workspaceId: number, ids: number[]) {
  if (ids.length === 0) return new Map<number, number | null>();
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'owner_id'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.owner_id]));
}

export interface NewContactRow {
  workspace_id: number;
  account_id: number;
  name: string;
  title: string | null;
  department: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  birthday: string | null;
  notes: string | null;
  created_by: number;
  created_at: number;
  updated_at: number;
  version: number;
}

/** A multi-row insert; the ids come back in the order of the values. */
export async function insertContacts(db: Kysely<Database>, values: NewContactRow[]): Promise<number[]> {
  if (values.length === 0) return [];
  const rows = await db.insertInto('contacts').values(values).returning('id').execute();
  return rows.map((r) => r.id);
}

/** Every contact of these accounts, archived ones too (they keep their reporting lines). */
export async function contactLines(db: Kysely<Database>, workspaceId: number, accountIds: number[]) {
  const out = [];
  for (let i = 0; i < accountIds.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('contacts')
        .select(['id', 'account_id', 'name', 'mobile', 'email', 'reports_to_id', 'archived_at'])
        .where('workspace_id', '=', workspaceId)
        .where('account_id', 'in', accountIds.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}

/**
 * Makes these contacts report to one manager. Only contacts the same commit just created or
 * updated (their version and updated_at already moved once) come here, so neither moves again.
 */
export async function setReportsTo(db: Kysely<Database>, workspaceId: number, managerId: number, contactIds: number[]) {
  for (let i = 0; i < contactIds.length; i += 500) {
    await db
      .updateTable('contacts')
      .set({ reports_to_id: managerId })
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', contactIds.slice(i, i + 500))
      .execute();
  }
}

export async function updateContact(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  set: Record<string, unknown>,
) {
  await db
    .updateTable('contacts')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
}

/** The workspace's time zone: "today" of a purchase date is the workspace's today. */
export async function workspaceTimeZone(db: Kysely<Database>, workspaceId: number): Promise<string> {
  const row = await db.selectFrom('workspaces').select('time_zone').where('id', '=', workspaceId).executeTakeFirst();
  return row?.time_zone ?? DEFAULT_TIME_ZONE;
}

/** Purchases already recorded on these accounts, to find the file's rows that repeat one. */
export async function purchasesOfAccounts(db: Kysely<Database>, workspaceId: number, accountIds: number[]) {
  if (accountIds.length === 0) return [];
  const rows: { account_id: number; purchased_on: string; amount: number; product: string | null }[] = [];
  for (const ids of batches(accountIds))
    rows.push(
      ...(await db
        .selectFrom('purchases')
        .select(['account_id', 'purchased_on', 'amount', 'product'])
        .where('workspace_id', '=', workspaceId)
        .where('account_id', 'in', ids)
        .execute()),
    );
  return rows.map((row) => ({ ...row, amount: Number(row.amount) }));
}

export async function insertPurchases(db: Kysely<Database>, rows: Insertable<PurchaseTable>[]): Promise<void> {
  // Ten values a row: 500 rows bind 5,000, far below SQLite's limit.
  for (const chunk of batches(rows)) await db.insertInto('purchases').values(chunk).execute();
}

// ── Opportunities ─────────────────────────────────────────────────────────────

export interface ProcessWithStages {
  id: number;
  name: string;
  active: boolean;
  stages: { id: number; name: string; position: number; probability: number; is_won: boolean }[];
}

/** Every sales process of the workspace with its stages in order: what an imported deal's process and stage name. */
export async function processesWithStages(db: Kysely<Database>, workspaceId: number): Promise<ProcessWithStages[]> {
  const processes = await db
    .selectFrom('sales_processes')
    .select(['id', 'name', 'active'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute();
  const stages = await db
    .selectFrom('process_stages')
    .select(['id', 'process_id', 'name', 'position', 'probability', 'is_won'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('process_id')
    .orderBy('position')
    .execute();
  return processes.map((process) => ({
    id: process.id,
    name: process.name,
    active: Number(process.active) === 1,
    stages: stages
      .filter((stage) => stage.process_id === process.id)
      .map((stage) => ({
        id: stage.id,
        name: stage.name,
        position: stage.position,
        probability: stage.probability,
        is_won: Number(stage.is_won) === 1,
      })),
  }));
}

/** The deals already on these accounts (their names), to find the file's rows that repeat one. */
export async function opportunitiesOfAccounts(db: Kysely<Database>, workspaceId: number, accountIds: number[]) {
  const rows: { account_id: number; name: string }[] = [];
  for (const ids of batches(accountIds))
    rows.push(
      ...(await db
        .selectFrom('opportunities')
        .select(['account_id', 'name'])
        .where('workspace_id', '=', workspaceId)
        .where('account_id', 'in', ids)
        .execute()),
    );
  return rows;
}

/** Inserts the deals in order; answers their ids in the same order. */
export async function insertOpportunities(
  db: Kysely<Database>,
  rows: Insertable<OpportunityTable>[],
): Promise<number[]> {
  const ids: number[] = [];
  // About 25 values a row: 100 rows bind 2,500, below SQLite's limit.
  for (const chunk of batches(rows, 100))
    ids.push(...(await db.insertInto('opportunities').values(chunk).returning('id').execute()).map((row) => row.id));
  return ids;
}

export async function insertTeamMembers(db: Kysely<Database>, rows: Insertable<OpportunityTeamTable>[]) {
  for (const chunk of batches(rows)) await db.insertInto('opportunity_team').values(chunk).execute();
}

export async function insertStageEntries(db: Kysely<Database>, rows: Insertable<OpportunityStageHistoryTable>[]) {
  for (const chunk of batches(rows, 200)) await db.insertInto('opportunity_stage_history').values(chunk).execute();
}
