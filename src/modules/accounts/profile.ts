import type { Db } from '../../db/database.ts';
import type { AccountProfileTable } from '../../db/schema.ts';
import { canEditAccount, type Actor } from '../../domain/policy.ts';
import { AppError, conflict, forbidden, staleVersion } from '../../server/problem.ts';
import * as repo from './repository/profile.ts';
import { factsOf, requireAccount } from './service.ts';
import type * as contract from '../../contracts/accounts.ts';

/** The key-account profile and account plan of A-tier and named accounts (docs/archive.md § Key-account profile). */
export type ProfileInput = Partial<contract.SaveProfileRequest>;

const profileColumns: [Exclude<keyof ProfileInput, 'version'>, keyof AccountProfileTable][] = [
  ['businessOverview', 'business_overview'],
  ['organisation', 'organisation'],
  ['decisionProcess', 'decision_process'],
  ['budgetCycle', 'budget_cycle'],
  ['installedBaseOurs', 'installed_base_ours'],
  ['installedBaseCompetitors', 'installed_base_competitors'],
  ['relationshipHistory', 'relationship_history'],
  ['planObjectives', 'plan_objectives'],
  ['planRelationships', 'plan_relationships'],
  ['planResources', 'plan_resources'],
  ['planReviewDate', 'plan_review_date'],
];

type ProfileRow = NonNullable<Awaited<ReturnType<typeof repo.getProfile>>>;
export function toProfileDto(profile: ProfileRow | undefined): contract.Profile {
  const out: Record<string, unknown> = { version: profile?.version ?? 0, updatedAt: profile?.updated_at ?? null };
  for (const [key, col] of profileColumns)
    out[key] = profile ? ((profile as unknown as Record<string, unknown>)[col] ?? null) : null;
  return out as contract.Profile;
}

export async function getProfile(db: Db, actor: Actor, id: number): Promise<contract.Profile> {
  await requireAccount(db, actor, id);
  return toProfileDto(await repo.getProfile(db.kysely, actor.workspaceId, id));
}

/** The key-account profile and account plan (docs/archive.md) exist for A-tier and named accounts. */
export async function saveProfile(db: Db, actor: Actor, id: number, input: ProfileInput) {
  const row = await requireAccount(db, actor, id);
  if (!canEditAccount(actor, factsOf(row))) throw forbidden('You cannot edit this account');
  if (row.tier !== 'A' && row.named_account !== 1) {
    throw new AppError('not_key_account', 'Only A-tier and named accounts keep a key-account profile');
  }
  const { now } = actor;
  const values: Record<string, unknown> = {};
  for (const [key, col] of profileColumns) if (input[key] !== undefined) values[col] = input[key];
  await db.kysely.transaction().execute(async (trx) => {
    const existing = await repo.getProfile(trx, actor.workspaceId, id);
    if (!existing) {
      if (input.version !== undefined && input.version !== 0)
        throw conflict('version_conflict', 'The profile was removed or never existed; reload', 'version');
      await repo.insertProfile(trx, {
        account_id: id,
        workspace_id: actor.workspaceId,
        ...values,
        updated_by: actor.userId,
        updated_at: now,
        version: 1,
      });
      return;
    }
    if (input.version !== existing.version) {
      throw staleVersion('The profile', existing.version);
    }
    await repo.updateProfile(trx, actor.workspaceId, id, existing.version, {
      ...values,
      updated_by: actor.userId,
      updated_at: now,
    });
  });
  return getProfile(db, actor, id);
}
