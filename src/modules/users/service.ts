import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { can, defaultExportPermission, reachesUnit, type Actor } from '../../domain/policy.ts';
import type { Locale, Role } from '../../domain/roles.ts';
import { AppError, conflict, fieldError, forbidden, invalid, notFound } from '../../server/problem.ts';
import { updateVersioned } from '../versioned.ts';
import { recordAudit } from '../audit/repository.ts';
import { hashPassword } from '../auth/password.ts';
import { deleteUserSessions } from '../auth/shared.ts';
import { getUnit, unitNames } from '../org/shared.ts';
import { unhandedWork } from '../handovers/shared.ts';
import { nameUnits, type UnitNaming } from '../../domain/org-tree.ts';
import * as repo from './repository.ts';
import type * as contract from '../../contracts/users.ts';
import type { UpdateMeRequest } from '../../contracts/auth.ts';

type Row = Awaited<ReturnType<typeof repo.listUsers>>['items'][number];

export function toUserDto(row: Row, unit: UnitNaming | undefined): contract.User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    orgUnitId: row.org_unit_id,
    orgUnitName: row.org_unit_name,
    orgUnitPath: unit?.path ?? [row.org_unit_name],
    orgUnitLabel: unit?.label ?? row.org_unit_name,
    title: row.title,
    phone: row.phone,
    active: row.active === 1,
    locale: row.locale as Locale,
    canExport: can({ role: row.role as Role, exportGranted: row.can_export === 1 }, 'export'),
    mustChangePassword: row.must_change_password === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deactivatedAt: row.deactivated_at,
    version: row.version,
  };
}

function requireAdmin(actor: Actor) {
  if (!can(actor, 'users.administer')) throw forbidden('Only an administrator can manage users');
}

export async function listUsers(db: Db, actor: Actor, query: Parameters<typeof repo.listUsers>[3]) {
  const [{ items, total }, units] = await Promise.all([
    repo.listUsers(db.kysely, db.engine, actor, query),
    unitNames(db.kysely, actor.workspaceId),
  ]);
  const named = nameUnits(
    units,
    items.map((r) => r.org_unit_id),
  );
  return { items: items.map((r) => toUserDto(r, named.get(r.org_unit_id))), total };
}

export async function getUser(db: Db, actor: Actor, id: number): Promise<contract.User> {
  const [row, units] = await Promise.all([
    repo.getUser(db.kysely, actor, id),
    repo.unitsNamingUserUnit(db.kysely, actor.workspaceId, id),
  ]);
  if (!row) throw notFound('User');
  return toUserDto(row, nameUnits(units, [row.org_unit_id]).get(row.org_unit_id));
}

async function activeUnit(db: Db, actor: Actor, unitId: number) {
  const unit = await getUnit(db.kysely, actor, unitId);
  if (!unit) throw invalid('orgUnitId', { code: 'not_found', params: { id: unitId } }, `no org unit with id ${unitId}`);
  if (unit.archived_at !== null) throw invalid('orgUnitId', { code: 'archived' }, 'the org unit is archived');
  return unit;
}

export async function createUser(
  db: Db,
  actor: Actor,
  input: contract.CreateUserRequest,
  ip: string | null,
): Promise<contract.User> {
  requireAdmin(actor);
  await activeUnit(db, actor, input.orgUnitId);
  const passwordHash = await hashPassword(input.password);
  const { now } = actor;
  const id = await db.kysely.transaction().execute(async (trx) => {
    if (await repo.emailTaken(trx, input.email))
      throw conflict('duplicate_email', `${input.email} is already in use`, 'email');
    const canExport = input.canExport ?? defaultExportPermission(input.role);
    const newId = await repo.insertUser(trx, {
      workspaceId: actor.workspaceId,
      orgUnitId: input.orgUnitId,
      email: input.email,
      name: input.name,
      role: input.role,
      title: input.title ?? null,
      phone: input.phone ?? null,
      passwordHash,
      locale: input.locale ?? 'zh-CN',
      canExport,
      mustChangePassword: true,
      now,
    });
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'user.create',
        targetType: 'user',
        targetId: newId,
        ip,
        detail: { email: input.email, role: input.role, orgUnitId: input.orgUnitId, canExport },
      },
      now,
    );
    return newId;
  });
  return getUser(db, actor, id);
}

export async function updateUser(
  db: Db,
  actor: Actor,
  id: number,
  patch: contract.UpdateUserRequest,
  ip: string | null,
): Promise<contract.User> {
  requireAdmin(actor);
  const user = await repo.getUser(db.kysely, actor, id);
  if (!user) throw notFound('User');
  if (patch.orgUnitId !== undefined && patch.orgUnitId !== user.org_unit_id)
    await activeUnit(db, actor, patch.orgUnitId);
  // A new role brings its own export default (docs/archive.md § Import and export): a manager demoted to rep does not keep
  // a grant that came with the old role. An explicit canExport in the same change wins.
  const roleChanges = patch.role !== undefined && patch.role !== user.role;
  const canExport = patch.canExport ?? (roleChanges ? defaultExportPermission(patch.role!) : undefined);
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    if (patch.email !== undefined && patch.email !== user.email && (await repo.emailTaken(trx, patch.email, id))) {
      throw conflict('duplicate_email', `${patch.email} is already in use`, 'email');
    }
    if (patch.role !== undefined && patch.role !== 'admin' && user.role === 'admin' && user.active === 1) {
      if ((await repo.countActiveAdmins(trx, actor.workspaceId, id)) === 0) {
        throw new AppError('last_admin', 'role: the workspace must keep at least one active administrator', {
          errors: [
            fieldError('role', { code: 'conflict' }, 'the workspace must keep at least one active administrator'),
          ],
        });
      }
    }
    await updateVersioned(
      trx,
      'users',
      'User',
      { workspaceId: actor.workspaceId, id, version: patch.version },
      {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.email !== undefined ? { email: patch.email } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.orgUnitId !== undefined ? { org_unit_id: patch.orgUnitId } : {}),
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
        ...(canExport !== undefined ? { can_export: canExport ? 1 : 0 } : {}),
        updated_at: now,
      },
    );
    // Role, unit and export changes alter what the user can see and do: a permission change (docs/method.md).
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (patch.role !== undefined && patch.role !== user.role) changes.role = { from: user.role, to: patch.role };
    if (patch.orgUnitId !== undefined && patch.orgUnitId !== user.org_unit_id)
      changes.orgUnitId = { from: user.org_unit_id, to: patch.orgUnitId };
    if (canExport !== undefined && canExport !== (user.can_export === 1))
      changes.canExport = { from: user.can_export === 1, to: canExport };
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: Object.keys(changes).length ? 'user.permission_change' : 'user.update',
        targetType: 'user',
        targetId: id,
        ip,
        ...(Object.keys(changes).length ? { detail: changes } : {}),
      },
      now,
    );
  });
  return getUser(db, actor, id);
}

export async function resetPassword(
  db: Db,
  actor: Actor,
  id: number,
  input: { password: string; version: number },
  ip: string | null,
) {
  requireAdmin(actor);
  const user = await repo.getUser(db.kysely, actor, id);
  if (!user) throw notFound('User');
  const passwordHash = await hashPassword(input.password);
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    // An administrator resetting their own password chose it for themselves: nothing to replace.
    await updateVersioned(
      trx,
      'users',
      'User',
      { workspaceId: actor.workspaceId, id, version: input.version },
      {
        password_hash: passwordHash,
        must_change_password: id === actor.userId ? 0 : 1,
        updated_at: now,
      },
    );
    await deleteUserSessions(trx, actor.workspaceId, id);
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'user.password_reset',
        targetType: 'user',
        targetId: id,
        ip,
      },
      now,
    );
  });
  return getUser(db, actor, id);
}

/**
 * Nothing may be left with a switched-off owner (docs/archive.md): a user who still owns work is
 * deactivated by completing a handover, which moves it all first (handovers/close.ts).
 */
async function requireNothingOwned(db: Kysely<Database>, workspaceId: number, id: number) {
  const work = await unhandedWork(db, workspaceId, id);
  const owned = (
    [
      ['accounts', work.accounts],
      ['open opportunities', work.opportunities],
      ['active territory rules', work.territories],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what}`);
  if (owned.length === 0 && work.handoverId === null) return;
  const detail = [
    ...(owned.length ? [`The user still owns ${owned.join(', ')}`] : []),
    ...(work.handoverId !== null ? [`handover #${work.handoverId} of the user is in progress`] : []),
  ].join('; ');
  throw new AppError('handover_required', `${detail}: complete a handover to deactivate the user`, {
    params: { ...work },
  });
}

/** Deactivation ends the user's sessions in the same transaction: they are signed out at once. */
export async function setActive(db: Db, actor: Actor, id: number, active: boolean, version: number, ip: string | null) {
  requireAdmin(actor);
  const user = await repo.getUser(db.kysely, actor, id);
  if (!user) throw notFound('User');
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    if (!active && user.role === 'admin' && (await repo.countActiveAdmins(trx, actor.workspaceId, id)) === 0) {
      throw new AppError('last_admin', 'The workspace must keep at least one active administrator');
    }
    if (!active) await requireNothingOwned(trx, actor.workspaceId, id);
    if (active) {
      const unit = await getUnit(trx, actor, user.org_unit_id);
      if (unit?.archived_at != null)
        throw invalid('orgUnitId', { code: 'archived' }, "the user's org unit is archived; move the user first");
    }
    await updateVersioned(
      trx,
      'users',
      'User',
      { workspaceId: actor.workspaceId, id, version },
      {
        active: active ? 1 : 0,
        deactivated_at: active ? null : now,
        updated_at: now,
      },
    );
    if (!active) await deleteUserSessions(trx, actor.workspaceId, id);
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: active ? 'user.activate' : 'user.deactivate',
        targetType: 'user',
        targetId: id,
        ip,
      },
      now,
    );
  });
  return getUser(db, actor, id);
}

/** What any user may change about themselves. */
export async function updateMe(db: Db, actor: Actor, patch: UpdateMeRequest) {
  const user = await repo.getUser(db.kysely, actor, actor.userId);
  if (!user) throw notFound('User');
  await repo.updateOwnProfile(db.kysely, actor, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
    ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
    updated_at: actor.now,
    version: user.version + 1,
  });
  return getUser(db, actor, actor.userId);
}

/**
 * A user the actor may hand work to (a new owner, a successor, a pool assignee): active and
 * inside the actor's reach (docs/organisation.md). Otherwise a 400 naming the field.
 */
export async function assignableUser(db: Db, actor: Actor, userId: number, field: string) {
  const user = await repo.userWithUnit(db.kysely, actor.workspaceId, userId);
  if (!user || user.active !== 1 || !reachesUnit(actor, user.path))
    throw invalid(
      field,
      { code: 'not_in_reach', params: { id: userId } },
      `no active user with id ${userId} in your organisation`,
    );
  return user;
}
