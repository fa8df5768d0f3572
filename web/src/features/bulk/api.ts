import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client.ts';
import { deskKeys } from '../../api/keys.ts';
import { accountKeys } from '../accounts/api.ts';
import { oppKeys } from '../opportunities/api.ts';
import { poolKeys } from '../handover/api.ts';
import type { BulkRefusal, BulkResult, BulkSelection, BulkTierRequest } from '../../../../src/contracts/bulk.ts';

export type BulkArea = 'accounts' | 'opportunities';
/** Who gets the selection: the lists' reassignment, or a manager's assignment out of the pool. */
export type ReassignArea = BulkArea | 'pool';
export type { BulkResult, BulkSelection };

/**
 * The bulk actions of the lists (docs/archive.md § Bulk actions). All or nothing on the server;
 * each mutation refreshes the lists and details the rows appear in.
 */
function useBulkMutation<V>(fn: (vars: V) => Promise<BulkResult>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: accountKeys.all }),
        qc.invalidateQueries({ queryKey: oppKeys.all }),
        qc.invalidateQueries({ queryKey: poolKeys.all }),
        qc.invalidateQueries({ queryKey: deskKeys.all }),
      ]),
  });
}

export const useBulkReassign = (area: ReassignArea) =>
  useBulkMutation((body: BulkSelection & { toUserId: number; reason: string }) =>
    api.post<BulkResult>(area === 'pool' ? '/accounts/bulk/assign' : `/${area}/bulk/reassign`, body),
  );
export const useBulkTier = () =>
  useBulkMutation((body: BulkSelection & Omit<BulkTierRequest, 'ids' | 'match'>) =>
    api.post<BulkResult>('/accounts/bulk/tier', body),
  );
export const useBulkClaim = () =>
  useBulkMutation((body: BulkSelection) => api.post<BulkResult>('/accounts/bulk/claim', body));

/** A row the server would not change, and why: refused (403 bulk_refused) or out of sight (400 on `ids.N`). */
export type Refusal = { id: number; reason: BulkRefusal['reason'] | 'not_found' };

/** The rows a failed bulk call names, or null when the problem is about something else. */
export function refusalsOf(err: unknown, ids: readonly number[]): Refusal[] | null {
  if (!isApiError(err)) return null;
  if (err.code === 'bulk_refused') return (err.problem.refused as BulkRefusal[] | undefined) ?? [];
  const unseen = err.errors
    .map((fieldError) => /^ids\.(\d+)$/.exec(fieldError.field)?.[1])
    .filter((index): index is string => index !== undefined)
    .map((index) => ids[Number(index)])
    .filter((id): id is number => id !== undefined);
  return unseen.length ? unseen.map((id) => ({ id, reason: 'not_found' })) : null;
}
