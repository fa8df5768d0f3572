import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, Workspace } from '../../db/schema.ts';
import { lockTable } from '../../db/dialect.ts';
import { workspaceSettings, type WorkspaceSettings } from '../../domain/settings.ts';
import { inTransaction } from '../../db/transaction.ts';
import { can, type Actor } from '../../domain/policy.ts';
import type { Locale } from '../../domain/roles.ts';
import { conflict, forbidden, notFound, staleVersion } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { hashPassword } from '../auth/password.ts';
import { insertUnit } from '../org/repository.ts';
import { emailTaken, insertUser } from '../users/repository.ts';
import { installDefaultProcesses } from '../sales-processes/service.ts';

export interface WorkspaceDto {
  id: number;
  name: string;
  currency: string;
  timeZone: string;
  fiscalYearStartMonth: number;
  version: number;
}

export const toWorkspaceDto = (w: Workspace): WorkspaceDto => ({
  id: w.id,
  name: w.name,
  currency: w.currency,
  timeZone: w.time_zone,
  fiscalYearStartMonth: w.fiscal_year_start_month,
  version: w.version,
});

export interface NewWorkspace {
  name: string;
  admin: { email: string; name: string; password?: string; passwordHash?: string; locale?: Locale };
  currency?: string;
  timeZone?: string;
  fiscalYearStartMonth?: number;
}

/**
 * A workspace with its top org unit (the company itself, type "group") and its first
 * administrator. Used by the setup page, the CLI, the demo loader and the tests.
 */
export async function createWorkspace(db: Kysely<Database>, input: NewWorkspace, now = Date.now()) {
  const passwordHash = input.admin.passwordHash ?? (await hashPassword(input.admin.password ?? ''));
  return inTransaction(db, async (trx) => {
    if (await emailTaken(trx, input.admin.email)) throw conflict('duplicate_email', `${input.admin.email} is already in use`, 'admin.email');
    const ws = await trx
      .insertInto('workspaces')
      .values({
        name: input.name,
        currency: input.currency ?? 'CNY',
        time_zone: input.timeZone ?? 'Asia/Shanghai',
        fiscal_year_start_month: input.fiscalYearStartMonth ?? 1,
        created_at: now,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rootUnitId = await insertUnit(trx, { workspaceId: ws.id, parentId: null, parentPath: null, name: input.name, type: 'group', sortOrder: 0, now });
    const adminId = await insertUser(trx, {
      workspaceId: ws.id,
      orgUnitId: rootUnitId,
      email: input.admin.email,
      name: input.admin.name,
      role: 'admin',
      title: null,
      phone: null,
      passwordHash,
      locale: input.admin.locale ?? 'zh-CN',
      canExport: true,
      now,
    });
    // The four sales processes of SPEC §5.1 ship with every workspace, in its admin's language.
    await installDefaultProcesses(trx, ws.id, input.admin.locale === 'en-US' ? 'en' : 'zh', now);
    await recordAudit(trx, { workspaceId: ws.id, actorUserId: adminId, action: 'workspace.create', targetType: 'workspace', targetId: ws.id }, now);
    return { workspaceId: ws.id, rootUnitId, adminId };
  });
}

export async function countWorkspaces(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('workspaces').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** First-run setup: only while the database holds no workspace at all. */
export async function setupFirstWorkspace(db: Db, input: NewWorkspace) {
  const passwordHash = await hashPassword(input.admin.password ?? '');
  return db.kysely.transaction().execute(async (trx) => {
    await lockTable(db.engine, trx, 'workspaces');
    if ((await countWorkspaces(trx)) > 0) throw conflict('already_set_up', 'Keyline is already set up; sign in instead');
    return createWorkspace(trx, { ...input, admin: { ...input.admin, passwordHash } });
  });
}

export async function getWorkspace(db: Db, actor: Actor): Promise<WorkspaceDto> {
  const w = await db.kysely.selectFrom('workspaces').selectAll().where('id', '=', actor.workspaceId).executeTakeFirst();
  if (!w) throw notFound('Workspace');
  return toWorkspaceDto(w);
}

export async function updateWorkspace(
  db: Db,
  actor: Actor,
  patch: { version: number; name?: string | undefined; currency?: string | undefined; timeZone?: string | undefined; fiscalYearStartMonth?: number | undefined },
  ip: string | null,
): Promise<WorkspaceDto> {
  if (!can(actor, 'workspace.administer')) throw forbidden('Only an administrator can change workspace settings');
  await db.kysely.transaction().execute(async (trx) => {
    // The workspace row is keyed by its own id (no workspace_id), so not updateVersioned.
    const r = await trx
      .updateTable('workspaces')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.currency !== undefined ? { currency: patch.currency } : {}),
        ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
        ...(patch.fiscalYearStartMonth !== undefined ? { fiscal_year_start_month: patch.fiscalYearStartMonth } : {}),
        version: patch.version + 1,
      })
      .where('id', '=', actor.workspaceId)
      .where('version', '=', patch.version)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      const cur = await trx.selectFrom('workspaces').select('version').where('id', '=', actor.workspaceId).executeTakeFirstOrThrow();
      throw staleVersion('Workspace', cur.version);
    }
    await recordAudit(trx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'workspace.update', targetType: 'workspace', targetId: actor.workspaceId, ip, detail: { ...patch } });
  });
  return getWorkspace(db, actor);
}

/** The workspace's rules (tiers, cadence, pool…) with SPEC defaults filled in. */
export async function loadSettings(db: Kysely<Database>, workspaceId: number): Promise<WorkspaceSettings> {
  const row = await db.selectFrom('workspaces').select('settings').where('id', '=', workspaceId).executeTakeFirst();
  return workspaceSettings(row?.settings);
}
