import type { Kysely } from 'kysely';
import type { Insertable } from 'kysely';
import type { Database, WorkspaceTable } from '../../db/schema.ts';
import { lockTable, type Engine } from '../../db/dialect.ts';
import { fixedQuery } from '../../db/fixed-query.ts';

/** The workspace row itself (keyed by its own id: there is no workspace_id to scope by). */
export async function insertWorkspace(db: Kysely<Database>, values: Insertable<WorkspaceTable>): Promise<number> {
  return (await db.insertInto('workspaces').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function countWorkspaces(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('workspaces')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Serialises first-run setup across processes (inside the setup transaction). */
export const lockWorkspaces = (db: Kysely<Database>, engine: Engine) => lockTable(engine, db, 'workspaces');

export async function getWorkspace(db: Kysely<Database>, id: number) {
  return db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
}

/** UPDATE … WHERE version = ?: the new version, or undefined when the row has another version now (answered with it). */
export async function updateWorkspace(
  db: Kysely<Database>,
  id: number,
  version: number,
  values: { name?: string; currency?: string; time_zone?: string; fiscal_year_start_month?: number },
): Promise<{ updated: true } | { updated: false; current: number | undefined }> {
  const result = await db
    .updateTable('workspaces')
    .set({ ...values, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return { updated: true };
  const cur = await db.selectFrom('workspaces').select('version').where('id', '=', id).executeTakeFirst();
  return { updated: false, current: cur?.version };
}

// Read by most requests (their rules and calendar): its statement is compiled once (src/db/fixed-query.ts).
const settingsQuery = fixedQuery(
  (db: Kysely<Database>, id: number) =>
    db.selectFrom('workspaces').select(['settings', 'time_zone', 'fiscal_year_start_month']).where('id', '=', id),
  1,
);

export async function settingsAndCalendar(db: Kysely<Database>, id: number) {
  return (await settingsQuery(db, id))[0];
}

/** Every workspace, for the nightly jobs (the one read across workspaces). */
export async function workspaceIds(db: Kysely<Database>) {
  return db.selectFrom('workspaces').select('id').orderBy('id').execute();
}
