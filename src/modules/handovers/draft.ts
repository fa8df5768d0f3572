import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import { canHandOver, canTakeOver, type HandoverCategory, type HandoverNote } from '../../domain/handover.ts';
import { reachesUnit, type Actor } from '../../domain/policy.ts';
import type { Role } from '../../domain/roles.ts';
import { AppError, conflict, invalid, notFound, fieldError } from '../../server/problem.ts';
import { recordAudit } from '../audit/repository.ts';
import { userWithUnit, usersWithUnits } from '../users/shared.ts';
import type { AssignSuccessorsRequest, HandoverContacts, HandoverDetail } from '../../contracts/handovers.ts';
import * as inventoryRepo from './repository/inventory.ts';
import * as itemRepo from './repository/items.ts';
import * as recordRepo from './repository/record.ts';
import { getHandover, requireDraft, requireHandover, requireStarter } from './read.ts';

/**
 * A draft started for a departing user and edited: successors assigned, key-account notes
 * written (with the accounts' contacts to choose from). Each edit bumps the draft's version.
 */

export async function startHandover(
  db: Db,
  actor: Actor,
  fromUserId: number,
  ip: string | null,
): Promise<HandoverDetail> {
  requireStarter(actor);
  const user = await userWithUnit(db.kysely, actor.workspaceId, fromUserId);
  if (!user || !reachesUnit(actor, user.path))
    throw invalid(
      'fromUserId',
      { code: 'not_in_reach', params: { id: fromUserId } },
      `no user with id ${fromUserId} in your organisation`,
    );
  if (!canHandOver(actor, { id: user.id, unitPath: user.path }))
    throw invalid('fromUserId', { code: 'self' }, 'you cannot hand over yourself');
  if (!user.active) throw invalid('fromUserId', { code: 'inactive' }, 'the user is already deactivated');
  const { now } = actor;
  const id = await db.kysely.transaction().execute(async (trx) => {
    const open = await recordRepo.openDraftFor(trx, actor.workspaceId, fromUserId);
    if (open)
      throw new AppError('handover_exists', 'A handover of this user is already in progress', {
        errors: [fieldError('fromUserId', { code: 'conflict' }, 'a handover of this user is already in progress')],
        params: { handoverId: open.id },
      });
    const hid = await recordRepo.insertHandover(trx, {
      workspaceId: actor.workspaceId,
      fromUserId,
      createdBy: actor.userId,
      now,
    });
    await itemRepo.insertItems(
      trx,
      actor.workspaceId,
      hid,
      await inventoryRepo.currentInventory(trx, actor.workspaceId, fromUserId),
      now,
    );
    await recordAudit(
      trx,
      {
        workspaceId: actor.workspaceId,
        actorUserId: actor.userId,
        action: 'handover.start',
        targetType: 'user',
        targetId: fromUserId,
        ip,
        detail: { handoverId: hid },
      },
      now,
    );
    return hid;
  });
  return getHandover(db, actor, id);
}

async function bump(db: Kysely<Database>, workspaceId: number, id: number) {
  if (!(await recordRepo.touchHandover(db, workspaceId, id, null)))
    throw conflict('handover_closed', 'The handover can no longer change');
}

/** Successors for many items at once (bulk or one by one); null clears one. */
export async function assignSuccessors(
  db: Db,
  actor: Actor,
  id: number,
  assignments: AssignSuccessorsRequest['items'],
): Promise<HandoverDetail> {
  const handover = await requireHandover(db.kysely, actor, id);
  requireDraft(handover);
  const items = await itemRepo.itemsOf(db.kysely, actor.workspaceId, id);
  const byId = new Map(items.map((i) => [i.id, i]));
  const userIds = [...new Set(assignments.map((a) => a.toUserId).filter((u): u is number => u !== null))];
  const users = new Map((await usersWithUnits(db.kysely, actor.workspaceId, userIds)).map((u) => [u.id, u]));
  assignments.forEach((assignment, index) => {
    const item = byId.get(assignment.itemId);
    if (!item)
      throw invalid(
        `items.${index}.itemId`,
        { code: 'not_found', params: { id: assignment.itemId } },
        `no item ${assignment.itemId} in this handover`,
      );
    if (assignment.toUserId === null) return;
    const user = users.get(assignment.toUserId);
    if (!user || !user.active || !reachesUnit(actor, user.path))
      throw invalid(
        `items.${index}.toUserId`,
        { code: 'not_in_reach', params: { id: assignment.toUserId } },
        `no active user with id ${assignment.toUserId} in your organisation`,
      );
    if (user.id === handover.from_user_id)
      throw invalid(`items.${index}.toUserId`, { code: 'self' }, 'the successor cannot be the departing user');
    if (!canTakeOver(item.entity_type as HandoverCategory, user.role as Role))
      throw invalid(
        `items.${index}.toUserId`,
        { code: 'cannot_take_over', params: { role: user.role, category: item.entity_type } },
        `a ${user.role} cannot take over a ${item.entity_type}`,
      );
  });
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    const groups = new Map<number | null, number[]>();
    for (const assignment of assignments)
      groups.set(assignment.toUserId, [...(groups.get(assignment.toUserId) ?? []), assignment.itemId]);
    for (const [to, ids] of groups) await itemRepo.setSuccessor(trx, actor.workspaceId, id, ids, to, now);
    await bump(trx, actor.workspaceId, id);
  });
  return getHandover(db, actor, id);
}

export async function saveNote(
  db: Db,
  actor: Actor,
  id: number,
  itemId: number,
  note: HandoverNote,
): Promise<HandoverDetail> {
  const handover = await requireHandover(db.kysely, actor, id);
  requireDraft(handover);
  const item = (await itemRepo.itemsOf(db.kysely, actor.workspaceId, id)).find((i) => i.id === itemId);
  if (!item) throw notFound('Handover item');
  if (item.entity_type !== 'account')
    throw invalid('itemId', { code: 'accounts_only' }, 'handover notes are written for accounts');
  if (note.contactIds.length) {
    const contacts = await itemRepo.contactsOfAccounts(db.kysely, actor.workspaceId, [item.entity_id]);
    const known = new Set(contacts.map((c) => c.id));
    const bad = note.contactIds.findIndex((c) => !known.has(c));
    if (bad >= 0)
      throw invalid(
        `contactIds.${bad}`,
        { code: 'not_of_account' },
        `contact ${note.contactIds[bad]} is not a contact of this account`,
      );
  }
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    await itemRepo.setNote(trx, actor.workspaceId, id, itemId, JSON.stringify(note), now);
    await bump(trx, actor.workspaceId, id);
  });
  return getHandover(db, actor, id);
}

/** The contacts of the accounts in a handover, for choosing key contacts in notes. */
export async function handoverContacts(db: Db, actor: Actor, id: number): Promise<HandoverContacts['items']> {
  await requireHandover(db.kysely, actor, id);
  const items = await itemRepo.itemsOf(db.kysely, actor.workspaceId, id);
  const rows = await itemRepo.contactsOfAccounts(
    db.kysely,
    actor.workspaceId,
    items.filter((i) => i.entity_type === 'account').map((i) => i.entity_id),
  );
  return rows.map((c) => ({ id: c.id, accountId: c.account_id, name: c.name, title: c.title }));
}
