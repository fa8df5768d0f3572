import type { Db } from '../../db/database.ts';
import { countByCategory, missingForCompletion, type HandoverCategory, type Missing } from '../../domain/handover.ts';
import type { Actor } from '../../domain/policy.ts';
import { AppError, conflict, invalid, staleVersion, fieldError } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { usersWithUnits } from '../users/shared.ts';
import { deleteUserSessions } from '../auth/shared.ts';
import { recordChanges, type Change } from '../history/repository.ts';
import type { HandoverDetail, HandoverSummary } from '../../contracts/handovers.ts';
import * as inventoryRepo from './repository/inventory.ts';
import * as recordRepo from './repository/record.ts';
import * as transferRepo from './repository/transfer.ts';
import { keepingFunnel } from '../funnel/upkeep.ts';
import { getHandover, loadItems, requireDraft, requireHandover, syncInventory } from './read.ts';

/** A draft closed: completed (everything moves, the user is switched off) or cancelled (the user stays). */

function incomplete(missing: Missing[]) {
  return new AppError(
    'handover_incomplete',
    `The handover is not complete: ${missing.filter((m) => m.problem === 'no_successor').length} item(s) without a successor, ${missing.filter((m) => m.problem === 'no_note').length} key account(s) without a handover note`,
    {
      errors: missing.map((missingItem) =>
        fieldError(
          `items.${missingItem.itemId}`,
          { code: missingItem.problem },
          missingItem.problem === 'no_successor' ? 'choose a successor' : 'write the handover note',
        ),
      ),
      params: { missing },
    },
  );
}

/**
 * Completes the handover in ONE transaction: every account (history reason 'handover'),
 * opportunity, team seat, relationship and territory rule moves to its successor; the user
 * is deactivated and signed out everywhere; the record keeps a summary; an audit entry.
 */
export async function completeHandover(
  db: Db,
  actor: Actor,
  id: number,
  version: number,
  ip: string | null,
): Promise<HandoverDetail> {
  let handover = await requireHandover(db.kysely, actor, id);
  requireDraft(handover);
  await syncInventory(db.kysely, actor.workspaceId, handover, actor.now);
  handover = await requireHandover(db.kysely, actor, id);
  if (handover.version !== version) throw staleVersion('Handover', handover.version);
  const items = await loadItems(db.kysely, actor.workspaceId, id);
  const missing = missingForCompletion(
    items.map((item) => ({
      itemId: item.id,
      category: item.category,
      toUserId: item.toUserId,
      keyAccount: item.keyAccount,
      note: item.note,
    })),
  );
  if (missing.length) throw incomplete(missing);
  const successors = new Map(
    (await usersWithUnits(db.kysely, actor.workspaceId, [...new Set(items.map((i) => i.toUserId!))])).map((user) => [
      user.id,
      user,
    ]),
  );
  for (const item of items) {
    const successor = successors.get(item.toUserId!);
    if (!successor || !successor.active)
      throw invalid(
        `items.${item.id}.toUserId`,
        { code: 'inactive' },
        'the successor is no longer active; choose another',
      );
  }
  const from = handover.from_user_id;
  const ws = actor.workspaceId;
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    // Only the version this reviewer saw may complete; a concurrent completion finds it closed.
    if (!(await recordRepo.touchHandover(trx, ws, id, version))) {
      const cur = await recordRepo.handoverVersion(trx, ws, id);
      if (cur?.status !== 'draft')
        throw conflict('handover_closed', 'The handover was completed or cancelled meanwhile');
      throw staleVersion('Handover', cur.version);
    }
    const changes: Change[] = [];
    const moved = { tasks: 0, visits: 0 };
    for (const [toId, successor] of successors) {
      const mine = (category: HandoverCategory) =>
        items.filter((i) => i.category === category && i.toUserId === toId).map((i) => i.entityId);
      const to = { id: toId, unitId: successor.org_unit_id };
      for (const accId of await transferRepo.reassignAccounts(trx, ws, from, mine('account'), to, now)) {
        changes.push({
          workspaceId: ws,
          entityType: 'account',
          entityId: accId,
          field: 'owner',
          oldValue: from,
          newValue: toId,
          reason: 'handover',
          actorUserId: actor.userId,
        });
      }
      for (const oppId of await keepingFunnel(trx, ws, mine('opportunity'), () =>
        transferRepo.reassignOpportunities(trx, ws, from, mine('opportunity'), to, now),
      )) {
        changes.push({
          workspaceId: ws,
          entityType: 'opportunity',
          entityId: oppId,
          field: 'owner',
          oldValue: from,
          newValue: toId,
          reason: 'handover',
          actorUserId: actor.userId,
        });
      }
      // Open tasks and planned activities on the accounts follow them (docs/archive.md § Handover).
      const followed = await transferRepo.moveFollowers(trx, ws, from, mine('account'), toId, now);
      moved.tasks += followed.tasks;
      moved.visits += followed.visits;
      await transferRepo.reassignTeamSeats(trx, ws, from, mine('team'), toId);
      await transferRepo.reassignRelationships(trx, ws, from, mine('relationship'), toId, now);
      await transferRepo.reassignTerritories(trx, ws, from, mine('territory'), toId, now);
    }
    await recordChanges(trx, changes, now);
    // Nothing may be left behind (docs/archive.md): something acquired since the inventory was read stops it.
    const left = await inventoryRepo.currentInventory(trx, ws, from);
    if (left.length)
      throw conflict(
        'inventory_changed',
        `The user acquired ${left.length} new item(s) meanwhile; reload the handover and assign them`,
      );
    await transferRepo.deactivateUser(trx, ws, from, now);
    await deleteUserSessions(trx, ws, from);
    const summary: HandoverSummary = {
      counts: countByCategory(items),
      successors: [...successors.values()].map((user) => ({
        userId: user.id,
        name: user.name,
        count: items.filter((i) => i.toUserId === user.id).length,
      })),
      completedBy: actor.userId,
    };
    await recordRepo.completeHandover(trx, ws, id, now, JSON.stringify(summary));
    await recordAudit(
      trx,
      {
        workspaceId: ws,
        actorUserId: actor.userId,
        action: 'handover.complete',
        targetType: 'user',
        targetId: from,
        ip,
        detail: { handoverId: id, ...summary, tasks: moved.tasks, visits: moved.visits },
      },
      now,
    );
    await recordAudit(
      trx,
      {
        workspaceId: ws,
        actorUserId: actor.userId,
        action: 'user.deactivate',
        targetType: 'user',
        targetId: from,
        ip,
        detail: { via: 'handover', handoverId: id },
      },
      now,
    );
  });
  return getHandover(db, actor, id);
}

/** Abandons a draft (the user stays); the record is kept as cancelled. */
export async function cancelHandover(
  db: Db,
  actor: Actor,
  id: number,
  version: number,
  ip: string | null,
): Promise<HandoverDetail> {
  const handover = await requireHandover(db.kysely, actor, id);
  requireDraft(handover);
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    if (!(await recordRepo.touchHandover(trx, actor.workspaceId, id, version, { status: 'cancelled' })))
      throw staleVersion(
        'Handover',
        (await recordRepo.handoverVersion(trx, actor.workspaceId, id))?.version ?? version,
      );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'handover.cancel',
        targetType: 'user',
        targetId: handover.from_user_id,
        ip,
        detail: { handoverId: id },
      },
      now,
    );
  });
  return getHandover(db, actor, id);
}
