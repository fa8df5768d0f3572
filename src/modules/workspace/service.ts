import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, Workspace } from '../../db/schema.ts';
import { DEFAULT_TIME_ZONE, type Calendar } from '../../domain/calendar.ts';
import { workspaceSettings, type WorkspaceSettings } from '../../domain/settings.ts';
import { inTransaction } from '../../db/transaction.ts';
import { can, type Actor } from '../../domain/policy.ts';
import type { Locale } from '../../domain/roles.ts';
import { conflict, forbidden, notFound, staleVersion } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { hashPassword } from '../auth/password.ts';
import { insertUnit } from '../org/shared.ts';
import { emailTaken, insertUser } from '../users/shared.ts';
import { installDefaultProcesses } from '../sales-processes/service.ts';
import * as repo from './repository.ts';
import { sessionReadsOf } from './session-reads.ts';
import type * as contract from '../../contracts/workspace.ts';

export const toWorkspaceDto = (workspace: Workspace): contract.Workspace => ({
  id: workspace.id,
  name: workspace.name,
  currency: workspace.currency,
  timeZone: workspace.time_zone,
  fiscalYearStartMonth: workspace.fiscal_year_start_month,
  version: workspace.version,
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
    if (await emailTaken(trx, input.admin.email))
      throw conflict('duplicate_email', `${input.admin.email} is already in use`, 'admin.email');
    const ws = {
      id: await repo.insertWorkspace(trx, {
        name: input.name,
        currency: input.currency ?? 'CNY',
        time_zone: input.timeZone ?? DEFAULT_TIME_ZONE,
        fiscal_year_start_month: input.fiscalYearStartMonth ?? 1,
        created_at: now,
        version: 1,
      }),
    };
    const rootUnitId = await insertUnit(trx, {
      workspaceId: ws.id,
      parentId: null,
      parentPath: null,
      name: input.name,
      type: 'group',
      sortOrder: 0,
      now,
    });
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
    // The four sales processes of docs/sales-process.md § Sales processes and stages ship with every workspace, in its admin's language.
    await installDefaultProcesses(trx, ws.id, input.admin.locale === 'en-US' ? 'en' : 'zh', now);
    await recordAudit(
      trx,
      {
        workspaceId: ws.id,
        actorUserId: adminId,
        action: 'workspace.create',
        targetType: 'workspace',
        targetId: ws.id,
      },
      now,
    );
    return { workspaceId: ws.id, rootUnitId, adminId };
  });
}

export const workspaceIds = (db: Kysely<Database>) => repo.workspaceIds(db);

export const countWorkspaces = (db: Kysely<Database>): Promise<number> => repo.countWorkspaces(db);

/** First-run setup: only while the database holds no workspace at all. */
export async function setupFirstWorkspace(db: Db, input: NewWorkspace) {
  const passwordHash = await hashPassword(input.admin.password ?? '');
  return db.kysely.transaction().execute(async (trx) => {
    await repo.lockWorkspaces(trx, db.engine);
    if ((await repo.countWorkspaces(trx)) > 0)
      throw conflict('already_set_up', 'Keyline is already set up; sign in instead');
    return createWorkspace(trx, { ...input, admin: { ...input.admin, passwordHash } });
  });
}

export async function getWorkspace(db: Db, actor: Actor): Promise<contract.Workspace> {
  const workspace = await repo.getWorkspace(db.kysely, actor.workspaceId);
  if (!workspace) throw notFound('Workspace');
  return toWorkspaceDto(workspace);
}

export async function updateWorkspace(
  db: Db,
  actor: Actor,
  patch: contract.UpdateWorkspaceRequest,
  ip: string | null,
): Promise<contract.Workspace> {
  if (!can(actor, 'workspace.administer')) throw forbidden('Only an administrator can change workspace settings');
  await db.kysely.transaction().execute(async (trx) => {
    // The workspace row is keyed by its own id (no workspace_id), so not updateVersioned.
    const result = await repo.updateWorkspace(trx, actor.workspaceId, patch.version, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.currency !== undefined ? { currency: patch.currency } : {}),
      ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
      ...(patch.fiscalYearStartMonth !== undefined ? { fiscal_year_start_month: patch.fiscalYearStartMonth } : {}),
    });
    if (!result.updated) {
      if (result.current === undefined) throw notFound('Workspace');
      throw staleVersion('Workspace', result.current);
    }
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'workspace.update',
        targetType: 'workspace',
        targetId: actor.workspaceId,
        ip,
        detail: { ...patch },
      },
      actor.now,
    );
  });
  return getWorkspace(db, actor);
}

/** The workspace's rules (tiers, cadence, pool…) with the method's defaults filled in. */
export async function loadSettings(db: Kysely<Database>, workspace: number | Actor): Promise<WorkspaceSettings> {
  return (await loadRules(db, workspace)).settings;
}

/**
 * The workspace's rules and its calendar (time zone, fiscal-year start: docs/organisation.md), in
 * one read — none for a request's actor, whose session read them (./session-reads.ts).
 */
export async function loadRules(
  db: Kysely<Database>,
  workspace: number | Actor,
): Promise<{ settings: WorkspaceSettings; calendar: Calendar }> {
  const kept = typeof workspace === 'number' ? undefined : sessionReadsOf(workspace);
  if (kept)
    return {
      settings: workspaceSettings(kept.settings),
      calendar: { timeZone: kept.timeZone, fiscalYearStartMonth: kept.fiscalYearStartMonth },
    };
  const row = await repo.settingsAndCalendar(db, typeof workspace === 'number' ? workspace : workspace.workspaceId);
  return {
    settings: workspaceSettings(row?.settings),
    calendar: {
      timeZone: row?.time_zone ?? DEFAULT_TIME_ZONE,
      fiscalYearStartMonth: row?.fiscal_year_start_month ?? 1,
    },
  };
}
