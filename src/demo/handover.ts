import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { HANDOVER_CATEGORIES, isKeyAccount } from '../domain/handover.ts';
import { recordAudit } from '../modules/audit/repository.ts';
import { deleteUserSessions } from '../modules/auth/repository.ts';
import * as inventoryRepo from '../modules/handovers/repository/inventory.ts';
import * as itemRepo from '../modules/handovers/repository/items.ts';
import * as recordRepo from '../modules/handovers/repository/record.ts';
import * as transferRepo from '../modules/handovers/repository/transfer.ts';
import { recordChanges, type Change } from '../modules/history/repository.ts';
import { releaseStaleAccounts } from '../modules/pool/release.ts';

const DAY = 86_400_000;

/**
 * Demo pools and one finished handover (docs/archive.md), for a workspace that already holds the
 * demo accounts. Deterministic: the same demo data gives the same result.
 *  - stale accounts return to their units' pools through the same release as the nightly job;
 *  - the Shanghai rep (other than the demo sign-in rep) holding the most accounts has left:
 *    a completed handover gives everything to a colleague of the same unit, with notes for
 *    key accounts, and the rep is deactivated.
 */
export async function seedDemoPoolAndHandover(db: Db, workspaceId: number): Promise<void> {
  const now = Date.now();
  await seedHandover(db, workspaceId, now);
  await releaseIdleProspects(db, workspaceId, now - 2 * DAY);
}

/**
 * The Shanghai manager gave the three quietest prospects of the branch that never had a deal (the
 * sign-in rep's kept) to the branch's pool: the automatic release spares accounts with deals in progress or
 * recent stage moves, which in the demo are nearly all of the stale ones, and the pool page
 * should not be empty.
 */
async function releaseIdleProspects(db: Db, workspaceId: number, at: number) {
  await inTransaction(db.kysely, async (trx) => {
    const manager = await trx
      .selectFrom('users')
      .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
      .select(['users.id', 'users.org_unit_id', 'org_units.path'])
      .where('users.workspace_id', '=', workspaceId)
      .where('users.email', 'like', 'manager@%')
      .executeTakeFirst();
    if (!manager) return;
    const idle = await trx
      .selectFrom('accounts')
      .innerJoin('org_units', 'org_units.id', 'accounts.org_unit_id')
      .innerJoin('users', 'users.id', 'accounts.owner_id')
      .select(['accounts.id', 'accounts.owner_id', 'accounts.version'])
      .where('accounts.workspace_id', '=', workspaceId)
      .where('org_units.path', 'like', `${manager.path}%`)
      .where('accounts.in_pool', '=', 0)
      .where('accounts.archived_at', 'is', null)
      .where('accounts.tier', '=', 'C')
      .where('users.email', 'not like', 'rep@%')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('opportunities')
              .select(eb.lit(1).as('one'))
              .whereRef('opportunities.account_id', '=', 'accounts.id')
              .where('opportunities.workspace_id', '=', workspaceId),
          ),
        ),
      )
      .orderBy((eb) => eb.fn.coalesce('accounts.last_follow_up_at', 'accounts.created_at'))
      .orderBy('accounts.id')
      .limit(3)
      .execute();
    const reason = '长期无商机，释放给团队';
    for (const account of idle) {
      await trx
        .updateTable('accounts')
        // Into the branch's pool, which every rep of the branch may claim from.
        .set({
          owner_id: null,
          org_unit_id: manager.org_unit_id,
          in_pool: 1,
          pool_since: at,
          updated_at: at,
          version: account.version + 1,
        })
        .where('id', '=', account.id)
        .execute();
      await recordChanges(
        trx,
        [
          {
            workspaceId,
            entityType: 'account',
            entityId: account.id,
            field: 'owner',
            oldValue: account.owner_id,
            newValue: null,
            reason: 'pool_release_manual',
            actorUserId: manager.id,
          },
        ],
        at,
      );
      await recordAudit(
        trx,
        {
          workspaceId,
          actorUserId: manager.id,
          action: 'pool.release_manual',
          targetType: 'account',
          targetId: account.id,
          detail: { reason, previousOwnerId: account.owner_id },
        },
        at,
      );
    }
  });
}

async function seedHandover(db: Db, workspaceId: number, now: number) {
  await inTransaction(db.kysely, async (trx) => {
    await releaseStaleAccounts(trx, db.engine, workspaceId, now);

    const manager = await trx
      .selectFrom('users')
      .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
      .select(['users.id', 'org_units.path'])
      .where('users.workspace_id', '=', workspaceId)
      .where('users.email', 'like', 'manager@%')
      .executeTakeFirst();
    if (!manager) return;
    // Reps of the manager's branch with what they own, most first; the sign-in rep stays (and may inherit).
    const reps = await trx
      .selectFrom('users')
      .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
      .leftJoin('accounts', (joinBuilder) =>
        joinBuilder.onRef('accounts.owner_id', '=', 'users.id').on('accounts.workspace_id', '=', workspaceId),
      )
      .select([
        'users.id',
        'users.name',
        'users.email',
        'users.org_unit_id',
        (eb) => eb.fn.count<number>('accounts.id').as('n'),
      ])
      .where('users.workspace_id', '=', workspaceId)
      .where('users.role', '=', 'rep')
      .where('users.active', '=', 1)
      .where('org_units.path', 'like', `${manager.path}%`)
      .groupBy(['users.id', 'users.name', 'users.email', 'users.org_unit_id'])
      .orderBy((eb) => eb.fn.count('accounts.id'), 'desc')
      .orderBy('users.id')
      .execute();
    const leaver = reps.find(
      (rep) =>
        !rep.email.startsWith('rep@') &&
        Number(rep.n) > 0 &&
        reps.some((c) => c.id !== rep.id && c.org_unit_id === rep.org_unit_id),
    );
    if (!leaver) return;
    const successor = reps
      .filter((c) => c.id !== leaver.id && c.org_unit_id === leaver.org_unit_id)
      .sort((x, y) => Number(x.n) - Number(y.n) || x.id - y.id)[0]!;
    const startedAt = now - 3 * DAY;
    const id = await recordRepo.insertHandover(trx, {
      workspaceId,
      fromUserId: leaver.id,
      createdBy: manager.id,
      now: startedAt,
    });
    const inventory = await inventoryRepo.currentInventory(trx, workspaceId, leaver.id);
    await itemRepo.insertItems(trx, workspaceId, id, inventory, startedAt);
    const items = await itemRepo.itemsOf(trx, workspaceId, id);
    await itemRepo.setSuccessor(
      trx,
      workspaceId,
      id,
      items.map((i) => i.id),
      successor.id,
      startedAt,
    );
    const accountIds = items.filter((i) => i.entity_type === 'account').map((i) => i.entity_id);
    const accounts = accountIds.length
      ? await trx
          .selectFrom('accounts')
          .select(['id', 'name', 'tier', 'named_account'])
          .where('id', 'in', accountIds)
          .execute()
      : [];
    const contacts = await itemRepo.contactsOfAccounts(trx, workspaceId, accountIds);
    for (const account of accounts.filter((x) => isKeyAccount(x.tier, x.named_account === 1))) {
      const item = items.find((i) => i.entity_type === 'account' && i.entity_id === account.id)!;
      const key = contacts.filter((c) => c.account_id === account.id).slice(0, 2);
      await itemRepo.setNote(
        trx,
        workspaceId,
        id,
        item.id,
        JSON.stringify({
          state: `${account.name}：合作稳定，年度框架协议执行中，本季度有续约与扩容机会。`,
          openIssues: '上一期项目验收资料待客户签字；一笔尾款待回收，需在月底前跟进。',
          keyContacts: key.length
            ? key.map((c) => `${c.name}${c.title ? `（${c.title}）` : ''}`).join('、') + '：建议交接后两周内一同拜访。'
            : '关键联系人待补充。',
          contactIds: key.map((c) => c.id),
        }),
        startedAt,
      );
    }
    const to = { id: successor.id, unitId: successor.org_unit_id };
    const changes: Change[] = [];
    for (const accId of await transferRepo.reassignAccounts(trx, workspaceId, leaver.id, accountIds, to, now)) {
      changes.push({
        workspaceId,
        entityType: 'account',
        entityId: accId,
        field: 'owner',
        oldValue: leaver.id,
        newValue: successor.id,
        reason: 'handover',
        actorUserId: manager.id,
      });
    }
    const of = (c: string) => items.filter((i) => i.entity_type === c).map((i) => i.entity_id);
    for (const oppId of await transferRepo.reassignOpportunities(
      trx,
      workspaceId,
      leaver.id,
      of('opportunity'),
      to,
      now,
    )) {
      changes.push({
        workspaceId,
        entityType: 'opportunity',
        entityId: oppId,
        field: 'owner',
        oldValue: leaver.id,
        newValue: successor.id,
        reason: 'handover',
        actorUserId: manager.id,
      });
    }
    await transferRepo.reassignTeamSeats(trx, workspaceId, leaver.id, of('team'), successor.id);
    await transferRepo.reassignRelationships(trx, workspaceId, leaver.id, of('relationship'), successor.id, now);
    await transferRepo.reassignTerritories(trx, workspaceId, leaver.id, of('territory'), successor.id, now);
    await recordChanges(trx, changes, now);
    await transferRepo.deactivateUser(trx, workspaceId, leaver.id, now);
    await deleteUserSessions(trx, workspaceId, leaver.id);
    const counts = Object.fromEntries(
      HANDOVER_CATEGORIES.map((c) => [c, items.filter((i) => i.entity_type === c).length]),
    );
    const summary = {
      counts,
      successors: [{ userId: successor.id, name: successor.name, count: items.length }],
      completedBy: manager.id,
    };
    await trx
      .updateTable('handovers')
      .set({ status: 'completed', completed_at: now, summary: JSON.stringify(summary), version: 3 })
      .where('id', '=', id)
      .execute();
    await recordAudit(
      trx,
      {
        workspaceId,
        actorUserId: manager.id,
        action: 'handover.complete',
        targetType: 'user',
        targetId: leaver.id,
        detail: { handoverId: id, ...summary },
      },
      now,
    );
  });
}
