import type { Db } from '../../db/database.ts';
import { can, reachesUnit, type Actor } from '../../domain/policy.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { depthOf, isSameOrDescendant } from '../../domain/org-tree.ts';
import type { OrgUnitType } from '../../domain/roles.ts';
import { effectiveMode, keyAccountTeamFor, type SalesMode, type UnitMode } from '../../domain/sales-mode.ts';
import { AppError, conflict, forbidden, invalid, notFound } from '../../server/problem.ts';
import { updateVersioned } from '../versioned.ts';
import { recordAudit } from '../audit/repository.ts';
import * as repo from './repository.ts';
import type * as contract from '../../contracts/org.ts';
import { rebuildFunnelUnits } from '../funnel/upkeep.ts';

type UnitRow = NonNullable<Awaited<ReturnType<typeof repo.getUnit>>> & { member_count?: number | string };

export function toUnitDto(unit: UnitRow, modes: ReadonlyMap<number, UnitMode>): contract.OrgUnit {
  return {
    id: unit.id,
    parentId: unit.parent_id,
    name: unit.name,
    type: unit.type as OrgUnitType,
    path: unit.path,
    depth: depthOf(unit.path),
    sortOrder: unit.sort_order,
    archived: unit.archived_at !== null,
    // Written only from SALES_MODES (createUnit, updateUnit).
    salesMode: unit.sales_mode as SalesMode | null,
    effectiveSalesMode: effectiveMode(unit.path, modes),
    ...(unit.member_count !== undefined ? { memberCount: Number(unit.member_count) } : {}),
    createdAt: unit.created_at,
    updatedAt: unit.updated_at,
    version: unit.version,
  };
}

function requireAdmin(actor: Actor) {
  if (!can(actor, 'org.administer')) throw forbidden('Only an administrator can change the org tree');
}

const modeMap = async (db: Db, workspaceId: number) =>
  new Map((await repo.unitModes(db.kysely, workspaceId)).map((unit) => [unit.id, unit]));

export async function listUnits(db: Db, actor: Actor, opts: { includeArchived: boolean }) {
  const [rows, modes] = await Promise.all([repo.listUnits(db.kysely, actor, opts), modeMap(db, actor.workspaceId)]);
  return rows.map((row) => toUnitDto(row, modes));
}

export async function getUnit(db: Db, actor: Actor, id: number): Promise<contract.OrgUnit> {
  const row = await repo.getUnit(db.kysely, actor, id);
  if (!row) throw notFound('Org unit');
  return toUnitDto(row, await modeMap(db, actor.workspaceId));
}

async function activeParent(db: Db, actor: Actor, parentId: number) {
  const parent = await repo.getUnit(db.kysely, actor, parentId);
  if (!parent)
    throw invalid('parentId', { code: 'not_found', params: { id: parentId } }, `no org unit with id ${parentId}`);
  if (parent.archived_at !== null) throw invalid('parentId', { code: 'archived' }, 'the parent unit is archived');
  return parent;
}

export async function createUnit(
  db: Db,
  actor: Actor,
  input: contract.CreateUnitRequest,
  ip: string | null,
): Promise<contract.OrgUnit> {
  requireAdmin(actor);
  const parent = await activeParent(db, actor, input.parentId);
  const { now } = actor;
  const id = await db.kysely.transaction().execute(async (trx) => {
    if (await repo.siblingNamed(trx, actor.workspaceId, parent.id, input.name)) {
      throw conflict('duplicate_name', `"${input.name}" already exists under ${parent.name}`, 'name');
    }
    const newId = await repo.insertUnit(trx, {
      workspaceId: actor.workspaceId,
      parentId: parent.id,
      parentPath: parent.path,
      name: input.name,
      type: input.type,
      sortOrder: input.sortOrder ?? (await repo.nextSortOrder(trx, actor.workspaceId, parent.id)),
      salesMode: input.salesMode ?? null,
      now,
    });
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'org.create',
        targetType: 'org_unit',
        targetId: newId,
        ip,
        detail: { name: input.name, parentId: parent.id, salesMode: input.salesMode ?? null },
      },
      now,
    );
    return newId;
  });
  return getUnit(db, actor, id);
}

export async function updateUnit(
  db: Db,
  actor: Actor,
  id: number,
  input: contract.UpdateUnitRequest,
  ip: string | null,
): Promise<contract.OrgUnit> {
  requireAdmin(actor);
  const unit = await repo.getUnit(db.kysely, actor, id);
  if (!unit) throw notFound('Org unit');
  const moving = input.parentId !== undefined && input.parentId !== unit.parent_id;
  let newParent: Awaited<ReturnType<typeof activeParent>> | undefined;
  if (moving) {
    if (unit.parent_id === null)
      throw invalid('parentId', { code: 'top_unit' }, 'the top unit of the organisation cannot be moved');
    newParent = await activeParent(db, actor, input.parentId!);
    if (isSameOrDescendant(newParent.path, unit.path)) {
      throw invalid(
        'parentId',
        { code: 'cycle' },
        'a unit cannot be moved under itself or one of its own descendants',
        'org_cycle',
      );
    }
  }
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    const name = input.name ?? unit.name;
    const parentId = newParent ? newParent.id : unit.parent_id;
    if ((input.name !== undefined || moving) && (await repo.siblingNamed(trx, actor.workspaceId, parentId, name, id))) {
      throw conflict('duplicate_name', `"${name}" already exists at that place in the tree`, 'name');
    }
    await updateVersioned(
      trx,
      'org_units',
      'Org unit',
      { workspaceId: actor.workspaceId, id, version: input.version },
      {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.type !== undefined ? { type: input.type } : {}),
        ...(input.sortOrder !== undefined ? { sort_order: input.sortOrder } : {}),
        ...(input.salesMode !== undefined ? { sales_mode: input.salesMode } : {}),
        ...(newParent ? { parent_id: newParent.id } : {}),
        updated_at: now,
      },
    );
    if (newParent) {
      await repo.rewriteSubtreePaths(trx, actor.workspaceId, unit.path, `${newParent.path}${id}/`);
      // The funnel's subtree totals hold each deal at every unit above it: a moved branch changes those.
      await rebuildFunnelUnits(trx, actor.workspaceId);
    }
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: newParent ? 'org.move' : 'org.update',
        targetType: 'org_unit',
        targetId: id,
        ip,
        detail: {
          from: { name: unit.name, parentId: unit.parent_id, salesMode: unit.sales_mode },
          to: { name, parentId, salesMode: input.salesMode !== undefined ? input.salesMode : unit.sales_mode },
        },
      },
      now,
    );
  });
  return getUnit(db, actor, id);
}

export async function setArchived(
  db: Db,
  actor: Actor,
  id: number,
  archived: boolean,
  version: number,
  ip: string | null,
) {
  requireAdmin(actor);
  const unit = await repo.getUnit(db.kysely, actor, id);
  if (!unit) throw notFound('Org unit');
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    if (archived) {
      if (unit.parent_id === null)
        throw new AppError('root_unit', 'The top unit of the organisation cannot be archived');
      const [children, members] = await Promise.all([
        repo.countActiveChildren(trx, actor.workspaceId, id),
        repo.countActiveMembers(trx, actor.workspaceId, id),
      ]);
      if (children > 0) throw new AppError('unit_has_children', `Archive or move its ${children} sub-units first`);
      if (members > 0) throw new AppError('unit_has_members', `Move or deactivate its ${members} active users first`);
    } else if (unit.parent_id !== null) {
      const parent = await repo.getUnit(trx, actor, unit.parent_id);
      if (parent?.archived_at != null) throw new AppError('parent_archived', 'Restore the parent unit first');
      if (await repo.siblingNamed(trx, actor.workspaceId, unit.parent_id, unit.name, id)) {
        throw conflict('duplicate_name', `"${unit.name}" already exists at that place in the tree`, 'name');
      }
    }
    await updateVersioned(
      trx,
      'org_units',
      'Org unit',
      { workspaceId: actor.workspaceId, id, version },
      {
        archived_at: archived ? now : null,
        updated_at: now,
      },
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: archived ? 'org.archive' : 'org.restore',
        targetType: 'org_unit',
        targetId: id,
        ip,
      },
      now,
    );
  });
  return getUnit(db, actor, id);
}

/**
 * The key-account team a named account kept in the unit at `unitPath` goes to (SPEC §2, docs/organisation.md
 * § Sales modes): the nearest unit working by key account that the actor reaches, or null when the account is
 * already with one or there is none within reach (a branch manager cannot send an account out of their branch).
 */
export async function keyAccountTeamWithinReach(
  db: Kysely<Database>,
  actor: Actor,
  unitPath: string,
): Promise<UnitMode | null> {
  return (await keyAccountTeamsWithinReach(db, actor))(unitPath);
}

/**
 * keyAccountTeamWithinReach for many accounts (an import's named rows): the units read once, the
 * answer per unit path.
 */
export async function keyAccountTeamsWithinReach(
  db: Kysely<Database>,
  actor: Actor,
): Promise<(unitPath: string) => UnitMode | null> {
  const units = await repo.unitModes(db, actor.workspaceId);
  return (unitPath) => keyAccountTeamFor(unitPath, units, (unit) => reachesUnit(actor, unit.path));
}
