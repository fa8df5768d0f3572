import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** Quotas (docs/targets.md § Quotas): every query on the `quotas` table. */
export async function quotasOfYear(db: Kysely<Database>, workspaceId: number, fiscalYear: number) {
  return db
    .selectFrom('quotas')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'quotas.updated_by').on('u.workspace_id', '=', workspaceId))
    .selectAll('quotas')
    .select('u.name as updated_by_name')
    .where('quotas.workspace_id', '=', workspaceId)
    .where('quotas.fiscal_year', '=', fiscalYear)
    .execute();
}

/** The personal quotas of a fiscal year (the per-member funnel reads every person's at once). */
export async function personalQuotasOfYear(db: Kysely<Database>, workspaceId: number, fiscalYear: number) {
  return db
    .selectFrom('quotas')
    .select(['subject_id', 'amount', 'quarter_ratios', 'categories', 'basis'])
    .where('workspace_id', '=', workspaceId)
    .where('fiscal_year', '=', fiscalYear)
    .where('subject_type', '=', 'user')
    .execute();
}

export async function quotaOf(
  db: Kysely<Database>,
  workspaceId: number,
  fiscalYear: number,
  subjectType: string,
  subjectId: number,
) {
  return db
    .selectFrom('quotas')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('fiscal_year', '=', fiscalYear)
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
}

export interface QuotaValues {
  amount: number;
  quarter_ratios: string;
  categories: string;
  basis: string;
}

export async function insertQuota(
  db: Kysely<Database>,
  quota: QuotaValues & {
    workspace_id: number;
    fiscal_year: number;
    subject_type: string;
    subject_id: number;
    now: number;
    by: number;
  },
) {
  const { now, by, ...values } = quota;
  await db
    .insertInto('quotas')
    .values({ ...values, created_at: now, updated_at: now, updated_by: by, version: 1 })
    .execute();
}

/** Changes a quota if it is still at `version`; false when someone changed it first. */
export async function updateQuota(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  version: number,
  values: QuotaValues & { now: number; by: number },
): Promise<boolean> {
  const { now, by, ...rest } = values;
  const result = await db
    .updateTable('quotas')
    .set({ ...rest, updated_at: now, updated_by: by, version: version + 1 })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteQuota(
  db: Kysely<Database>,
  workspaceId: number,
  id: number,
  version: number,
): Promise<boolean> {
  const result = await db
    .deleteFrom('quotas')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
