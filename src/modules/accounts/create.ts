import type { Db } from '../../db/database.ts';
import type { AccountStatus } from '../../domain/accounts.ts';
import { companyNameKey } from '../../domain/company-name.ts';
import { creditCodeFault, creditCodeProblem } from '../../domain/credit-code.ts';
import { can, reachesUnit, type Actor } from '../../domain/policy.ts';
import { storedProvince } from '../../domain/regions.ts';
import { matchTerritory } from '../../domain/territory.ts';
import { AppError, conflict, forbidden, invalid, fieldError } from '../../server/problem.ts';
import { recordChanges } from '../history/repository.ts';
import { assignableUser } from '../users/service.ts';
import { userWithUnit } from '../users/shared.ts';
import { activeTerritoryRules } from '../territories/service.ts';
import { keyAccountTeamWithinReach } from '../org/service.ts';
import * as repo from './repository/accounts.ts';
import { findDuplicates } from './duplicates.ts';
import { getAccount } from './service.ts';

export interface AccountInput {
  name: string;
  creditCode?: string | null | undefined;
  industry?: string | null | undefined;
  province?: string | null | undefined;
  city?: string | null | undefined;
  district?: string | null | undefined;
  address?: string | null | undefined;
  size?: string | null | undefined;
  website?: string | null | undefined;
  phone?: string | null | undefined;
  leadSource?: string | null | undefined;
  referrerAccountId?: number | null | undefined;
  status?: AccountStatus | undefined;
  notes?: string | null | undefined;
  ownerId?: number | null | undefined;
  allowSimilarName?: boolean | undefined;
  /** A named (key) account from the start (SPEC §2): it goes to the key-account team. Managers only. */
  named?: boolean | undefined;
}

export function checkCreditCode(code: string | null | undefined) {
  if (code) {
    const reason = creditCodeFault(code);
    if (reason)
      throw invalid(
        'creditCode',
        { code: 'invalid_credit_code', params: { reason } },
        creditCodeProblem(code)!,
        'invalid_credit_code',
      );
  }
}
/** The owner of a new account: given (a manager or admin within reach), the territory's rep, or the creator. */
async function resolveOwner(
  db: Db,
  actor: Actor,
  input: AccountInput,
): Promise<{ ownerId: number; unitId: number; unitPath: string; via: string }> {
  if (input.ownerId !== undefined && input.ownerId !== null && input.ownerId !== actor.userId) {
    if (!can(actor, 'accounts.manage')) throw forbidden('Only a manager can create an account for someone else');
    const user = await assignableUser(db, actor, input.ownerId, 'ownerId');
    return { ownerId: user.id, unitId: user.org_unit_id, unitPath: user.path, via: 'chosen' };
  }
  if (input.ownerId === undefined && can(actor, 'accounts.manage')) {
    const rules = await activeTerritoryRules(db, actor.workspaceId);
    const match = matchTerritory(
      rules.map((r) => ({ ...r, userId: r.user_id })),
      {
        province: input.province ?? null,
        city: input.city ?? null,
        district: input.district ?? null,
        industry: input.industry ?? null,
      },
    );
    if (match.kind === 'conflict') {
      throw new AppError(
        'territory_conflict',
        `Territory rules ${match.ruleIds.join(', ')} assign this account to different reps; choose an owner`,
        {
          errors: [fieldError('ownerId', { code: 'territory_conflict' }, 'territory rules conflict; choose an owner')],
          params: { ruleIds: match.ruleIds, userIds: match.userIds },
        },
      );
    }
    if (match.kind === 'assigned') {
      // Within the creator's reach only: a Shanghai manager's new account in a Guangzhou rep's
      // territory stays theirs (it would otherwise vanish from their view the moment it is made);
      // the territory's own managers bring it over with "apply rules".
      const user = await userWithUnit(db.kysely, actor.workspaceId, match.userId);
      if (user?.active && reachesUnit(actor, user.path))
        return { ownerId: user.id, unitId: user.org_unit_id, unitPath: user.path, via: 'territory' };
    }
  }
  return { ownerId: actor.userId, unitId: actor.orgUnitId, unitPath: actor.unitPath, via: 'creator' };
}

/** A referrer is an account of this workspace the caller can see; another's id reads as unknown. */
export async function checkReferrer(db: Db, actor: Actor, referrerAccountId: number | null | undefined) {
  if (referrerAccountId === null || referrerAccountId === undefined) return;
  if (!(await repo.getAccount(db.kysely, actor, referrerAccountId)))
    throw invalid(
      'referrerAccountId',
      { code: 'not_found', params: { id: referrerAccountId } },
      `no account with id ${referrerAccountId}`,
    );
}

export async function createAccount(db: Db, actor: Actor, input: AccountInput, ip: string | null) {
  if (!can(actor, 'accounts.create')) throw forbidden('Your role cannot create accounts');
  if (input.named && !can(actor, 'accounts.manage'))
    throw forbidden('Only a manager can make an account a named account');
  checkCreditCode(input.creditCode);
  await checkReferrer(db, actor, input.referrerAccountId);
  // Bad input first (400), then the duplicate warning (409).
  const owner = await resolveOwner(db, actor, input);
  if (!input.allowSimilarName) {
    const matches = await findDuplicates(db, actor, input.name, input.creditCode);
    const blocking = matches.filter((m) => !m.sameCreditCode);
    if (blocking.length) {
      throw new AppError(
        'possible_duplicate',
        `Similar accounts exist: ${blocking.map((m) => m.name).join(', ')}. Confirm to create anyway.`,
        {
          errors: [fieldError('name', { code: 'similar_exists' }, 'similar accounts exist')],
          params: { matches: blocking },
        },
      );
    }
  }
  const { now } = actor;
  const id = await db.kysely.transaction().execute(async (trx) => {
    if (input.creditCode && (await repo.creditCodeOwner(trx, actor.workspaceId, input.creditCode))) {
      throw conflict(
        'duplicate_credit_code',
        `credit code ${input.creditCode} belongs to another account`,
        'creditCode',
      );
    }
    // A named account goes to the key-account team (SPEC §2, docs/organisation.md § Sales modes): the
    // nearest one within reach of the unit it would have joined, into that team's pool; a non-named one
    // stays with the owner found above (chosen, by territory, or its creator).
    const team = input.named ? await keyAccountTeamWithinReach(trx, actor, owner.unitPath) : null;
    const newId = await repo.insertAccount(trx, {
      workspace_id: actor.workspaceId,
      name: input.name,
      name_key: companyNameKey(input.name),
      credit_code: input.creditCode ?? null,
      industry: input.industry ?? null,
      province: storedProvince(input.province),
      city: input.city ?? null,
      district: input.district ?? null,
      address: input.address ?? null,
      size: input.size ?? null,
      website: input.website ?? null,
      phone: input.phone ?? null,
      lead_source: input.leadSource ?? null,
      referrer_account_id: input.referrerAccountId ?? null,
      owner_id: team ? null : owner.ownerId,
      org_unit_id: team ? team.id : owner.unitId,
      ...(input.named ? { named_account: 1 } : {}),
      ...(team ? { in_pool: 1, pool_since: now } : {}),
      status: input.status ?? 'prospect',
      notes: input.notes ?? null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      version: 1,
    });
    await recordChanges(
      trx,
      [
        {
          workspaceId: actor.workspaceId,
          entityType: 'account',
          entityId: newId,
          field: 'owner',
          oldValue: null,
          newValue: team ? null : owner.ownerId,
          reason: team ? 'key_account_team' : owner.via,
          actorUserId: actor.userId,
        },
      ],
      now,
    );
    return newId;
  });
  void ip;
  return getAccount(db, actor, id);
}
