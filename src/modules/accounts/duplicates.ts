import type { Db } from '../../db/database.ts';
import { companyNameKey, nameSimilarity, SIMILAR_NAME_THRESHOLD } from '../../domain/company-name.ts';
import type { Actor } from '../../domain/policy.ts';
import * as repo from './repository/accounts.ts';
import type * as contract from '../../contracts/accounts.ts';

export type DuplicateMatch = contract.DuplicateMatch;

/**
 * Accounts that look like the one about to be created (docs/archive.md). The whole workspace is
 * checked, since a duplicate hidden from this user is still a duplicate; for those the
 * user sees the name but not the id or owner.
 */
export async function findDuplicates(
  db: Db,
  actor: Actor,
  name: string,
  creditCode?: string | null,
  exceptId?: number,
): Promise<DuplicateMatch[]> {
  const key = companyNameKey(name);
  const candidates = await repo.similarNameCandidates(db.kysely, actor.workspaceId, key, exceptId);
  if (creditCode) {
    const same = await repo.creditCodeOwner(db.kysely, actor.workspaceId, creditCode, exceptId);
    if (same && !candidates.some((c) => c.id === same.id))
      candidates.push({
        id: same.id,
        name: same.name,
        name_key: companyNameKey(same.name),
        owner_id: null,
        credit_code: creditCode,
      });
  }
  const scored = candidates
    .map((candidate) => ({
      c: candidate,
      similarity: nameSimilarity(key, candidate.name_key),
      sameCreditCode: !!creditCode && candidate.credit_code === creditCode,
    }))
    .filter((x) => x.sameCreditCode || x.similarity >= SIMILAR_NAME_THRESHOLD)
    .sort((a, b) => Number(b.sameCreditCode) - Number(a.sameCreditCode) || b.similarity - a.similarity)
    .slice(0, 10);
  if (scored.length === 0) return [];
  const visible = await repo
    .visibleAccounts(db.kysely, actor)
    .select(['accounts.id', 'owner.name as owner_name'])
    .where(
      'accounts.id',
      'in',
      scored.map((x) => x.c.id),
    )
    .execute();
  const seen = new Map(visible.map((v) => [v.id, v.owner_name]));
  return scored.map(({ c: candidate, similarity, sameCreditCode }) => ({
    id: seen.has(candidate.id) ? candidate.id : null,
    name: candidate.name,
    ownerName: seen.get(candidate.id) ?? null,
    similarity: Math.round(similarity * 100) / 100,
    visible: seen.has(candidate.id),
    sameCreditCode,
  }));
}
