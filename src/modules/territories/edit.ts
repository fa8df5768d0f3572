import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import type { Actor } from '../../domain/policy.ts';
import { canOwnAccounts } from '../../domain/pool.ts';
import { canonicalProvince, tidyText } from '../../domain/regions.ts';
import type { Role } from '../../domain/roles.ts';
import { samePlace } from '../../domain/territory.ts';
import { conflict, forbidden, invalid } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import * as repo from './repository.ts';
import type * as contract from '../../contracts/territories.ts';
import { canChange, domainRule, getTerritory, requireRule } from './read.ts';

export const norm = (text: string | null | undefined) =>
  text === undefined || text === null || text.trim() === '' ? null : tidyText(text);

/**
 * A rule's place as stored: the province's full name (上海 → 上海市), so rules list, filter
 * and compare alike; an unknown province is refused rather than left to match nothing.
 */
function placeOf(
  input: { province: string | null; city: string | null; district: string | null; industry: string | null },
  stored?: string | null,
): repo.RulePlace {
  const given = norm(input.province);
  if (!given) throw invalid('province', { code: 'required' }, 'is required');
  // A rule saved before provinces were checked keeps its text until someone changes it (it can still be switched off).
  const province = canonicalProvince(given) ?? (given === stored ? given : null);
  if (!province)
    throw invalid(
      'province',
      { code: 'unknown_province', params: { value: given } },
      `"${given}" is not a province-level division of China; write it as 上海市 or 上海, 广西壮族自治区 or 广西`,
    );
  const place = { province, city: norm(input.city), district: norm(input.district), industry: norm(input.industry) };
  if (place.district && !place.city) throw invalid('city', { code: 'needs_city' }, 'a district needs its city');
  return place;
}

async function isDuplicate(
  db: Db['kysely'],
  workspaceId: number,
  place: repo.RulePlace,
  userId: number,
  exceptId?: number,
) {
  return (await repo.rulesOfRep(db, workspaceId, userId)).some((r) => r.id !== exceptId && samePlace(r, place));
}

async function checkRep(db: Db, actor: Actor, userId: number) {
  const user = await repo.userForRule(db.kysely, actor.workspaceId, userId);
  if (!user || !user.active || !canOwnAccounts(user.role as Role))
    throw invalid('userId', { code: 'owner_role' }, `no active rep or manager with id ${userId}`);
  if (!canChange(actor, user.path))
    throw invalid('userId', { code: 'not_in_reach', params: { id: userId } }, 'the rep must be in your organisation');
  return user;
}

export async function createTerritory(db: Db, actor: Actor, input: contract.CreateTerritoryRequest, ip: string | null) {
  const place = placeOf({
    province: input.province,
    city: input.city ?? null,
    district: input.district ?? null,
    industry: input.industry ?? null,
  });
  await checkRep(db, actor, input.userId);
  const { now } = actor;
  const id = await db.kysely.transaction().execute(async (trx) => {
    if (await isDuplicate(trx, actor.workspaceId, place, input.userId))
      throw conflict('duplicate_territory', 'this rep already has a rule for exactly this place', 'province');
    const newId = await repo.insertRule(trx, {
      workspaceId: actor.workspaceId,
      name: norm(input.name),
      place,
      userId: input.userId,
      active: input.active ?? true,
      now,
    });
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'territory.create',
        targetType: 'territory',
        targetId: newId,
        ip,
        detail: { ...place, userId: input.userId },
      },
      now,
    );
    return newId;
  });
  return getTerritory(db, actor, id);
}

export async function updateTerritory(
  db: Db,
  actor: Actor,
  id: number,
  patch: contract.UpdateTerritoryRequest,
  ip: string | null,
) {
  const row = await requireRule(db, actor, id);
  if (!canChange(actor, row.unit_path)) throw forbidden('You can change only the rules of reps in your organisation');
  const place = placeOf(
    {
      province: patch.province !== undefined ? patch.province : row.province,
      city: patch.city !== undefined ? patch.city : row.city,
      district: patch.district !== undefined ? patch.district : row.district,
      industry: patch.industry !== undefined ? patch.industry : row.industry,
    },
    row.province,
  );
  const userId = patch.userId ?? row.user_id;
  if (patch.userId !== undefined && patch.userId !== row.user_id) await checkRep(db, actor, patch.userId);
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    if (await isDuplicate(trx, actor.workspaceId, place, userId, id))
      throw conflict('duplicate_territory', 'this rep already has a rule for exactly this place', 'province');
    await updateVersioned(
      trx,
      'territory_rules',
      'Territory rule',
      { workspaceId: actor.workspaceId, id, version: patch.version },
      {
        ...place,
        user_id: userId,
        ...(patch.name !== undefined ? { name: norm(patch.name) } : {}),
        ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
        updated_at: now,
      },
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'territory.update',
        targetType: 'territory',
        targetId: id,
        ip,
        detail: { ...patch },
      },
      now,
    );
  });
  return getTerritory(db, actor, id);
}

export async function deleteTerritory(db: Db, actor: Actor, id: number, ip: string | null) {
  const row = await requireRule(db, actor, id);
  if (!canChange(actor, row.unit_path)) throw forbidden('You can delete only the rules of reps in your organisation');
  await db.kysely.transaction().execute(async (trx) => {
    await repo.deleteRule(trx, actor.workspaceId, id);
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'territory.delete',
        targetType: 'territory',
        targetId: id,
        ip,
        detail: { ...domainRule(row) },
      },
      actor.now,
    );
  });
}
