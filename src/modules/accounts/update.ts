import type { Db } from '../../db/database.ts';
import { updateVersioned } from '../versioned.ts';
import type { VersionedValues } from '../../db/versioned.ts';
import type { AccountTable } from '../../db/schema.ts';
import { companyNameKey } from '../../domain/company-name.ts';
import { canEditAccount, canManageAccount, type Actor } from '../../domain/policy.ts';
import { storedProvince } from '../../domain/regions.ts';
import { conflict, forbidden, invalid } from '../../server/problem.ts';
import { recordChanges } from '../history/repository.ts';
import { assignableUser } from '../users/service.ts';
import * as repo from './repository/accounts.ts';
import { checkCreditCode, checkReferrer, type AccountInput } from './create.ts';
import { factsOf, getAccount, requireAccount } from './service.ts';

export type AccountPatch = Omit<AccountInput, 'name' | 'allowSimilarName'> & {
  name?: string | undefined;
  version: number;
  ownerReason?: string | undefined;
};

export async function updateAccount(db: Db, actor: Actor, id: number, patch: AccountPatch) {
  const row = await requireAccount(db, actor, id);
  const facts = factsOf(row);
  if (!canEditAccount(actor, facts)) throw forbidden('You cannot edit this account');
  checkCreditCode(patch.creditCode);
  if (patch.referrerAccountId === id)
    throw invalid('referrerAccountId', { code: 'self' }, 'an account cannot refer itself');
  if (patch.referrerAccountId !== row.referrer_account_id) await checkReferrer(db, actor, patch.referrerAccountId);
  const ownerChange = patch.ownerId !== undefined && patch.ownerId !== row.owner_id;
  let newUnitId: number | undefined;
  if (ownerChange) {
    if (!canManageAccount(actor, facts)) throw forbidden('Only a manager can reassign an account');
    if (patch.ownerId === null)
      throw invalid('ownerId', { code: 'owner_required' }, 'an account needs an owner; release it to the pool instead');
    if (!patch.ownerReason) throw invalid('ownerReason', { code: 'required' }, 'say why the owner changes');
    const user = await assignableUser(db, actor, patch.ownerId!, 'ownerId');
    newUnitId = user.org_unit_id;
  }
  const { now } = actor;
  await db.kysely.transaction().execute(async (trx) => {
    if (
      patch.creditCode &&
      patch.creditCode !== row.credit_code &&
      (await repo.creditCodeOwner(trx, actor.workspaceId, patch.creditCode, id))
    ) {
      throw conflict(
        'duplicate_credit_code',
        `credit code ${patch.creditCode} belongs to another account`,
        'creditCode',
      );
    }
    const set: VersionedValues<'accounts'> = { updated_at: now };
    const map: [keyof AccountPatch, keyof AccountTable][] = [
      ['name', 'name'],
      ['creditCode', 'credit_code'],
      ['industry', 'industry'],
      ['province', 'province'],
      ['city', 'city'],
      ['district', 'district'],
      ['address', 'address'],
      ['size', 'size'],
      ['website', 'website'],
      ['phone', 'phone'],
      ['leadSource', 'lead_source'],
      ['referrerAccountId', 'referrer_account_id'],
      ['status', 'status'],
      ['notes', 'notes'],
    ];
    for (const [key, col] of map) if (patch[key] !== undefined) (set as Record<string, unknown>)[col] = patch[key];
    if (patch.province !== undefined) set.province = storedProvince(patch.province);
    if (patch.name !== undefined) set.name_key = companyNameKey(patch.name);
    if (ownerChange) {
      set.owner_id = patch.ownerId;
      set.org_unit_id = newUnitId;
      set.in_pool = 0;
      set.pool_since = null;
    }
    await updateVersioned(
      trx,
      'accounts',
      'Account',
      { workspaceId: actor.workspaceId, id, version: patch.version },
      set,
    );
    if (ownerChange) {
      await recordChanges(
        trx,
        [
          {
            workspaceId: actor.workspaceId,
            entityType: 'account',
            entityId: id,
            field: 'owner',
            oldValue: row.owner_id,
            newValue: patch.ownerId!,
            reason: patch.ownerReason!,
            actorUserId: actor.userId,
          },
        ],
        now,
      );
    }
  });
  return getAccount(db, actor, id);
}
