import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import { deskKeys, userKeys, workspaceKeys } from '../../api/keys.ts';
import type { Page, User } from '../../api/types.ts';
import { canOwnAccounts } from '../../../../src/domain/pool.ts';
import { accountKeys } from '../accounts/api.ts';
import type {
  ApplyResult,
  ConflictList,
  CreateTerritoryInput,
  MismatchList,
  Preview,
  Territory,
  UpdateTerritoryInput,
} from '../../../../src/contracts/territories.ts';
import type { Rules, UpdateRulesInput } from '../../../../src/contracts/rules.ts';
import type { RecomputeResult, TierSummary } from '../../../../src/contracts/tiers.ts';

/** Server shapes: the territories, rules and tiers contracts (src/contracts), types only. */
export type {
  Territory,
  TerritoryConflict,
  TerritoryMismatch,
  Preview,
} from '../../../../src/contracts/territories.ts';
export type { Rules } from '../../../../src/contracts/rules.ts';
export type { TierSummary, RecomputeResult } from '../../../../src/contracts/tiers.ts';
export { INDUSTRIES } from '../../../../src/domain/accounts.ts';
export type { Industry, Tier, ValueType } from '../../../../src/domain/accounts.ts';

export const territoryKeys = {
  all: ['territories'] as const,
  list: (params: { province?: string; industry?: string; userId?: number }) =>
    [...territoryKeys.all, 'list', params] as const,
  conflicts: () => [...territoryKeys.all, 'conflicts'] as const,
  mismatches: () => [...territoryKeys.all, 'mismatches'] as const,
  preview: (place: Record<string, string | undefined>) => [...territoryKeys.all, 'preview', place] as const,
};
export const tierKeys = { summary: () => ['tiers', 'summary'] as const };

export const territoryQueries = {
  conflicts: () =>
    queryOptions({
      queryKey: territoryKeys.conflicts(),
      queryFn: ({ signal }) => api.get<ConflictList>('/territories/conflicts', {}, { signal }),
    }),
  mismatches: () =>
    queryOptions({
      queryKey: territoryKeys.mismatches(),
      queryFn: ({ signal }) => api.get<MismatchList>('/territories/mismatches', { limit: 100 }, { signal }),
    }),
  preview: (place: Record<string, string | undefined> | null) =>
    queryOptions({
      queryKey: territoryKeys.preview(place ?? {}),
      queryFn: ({ signal }) => api.get<Preview>('/territories/preview', place ?? {}, { signal }),
      enabled: place !== null && !!place.province,
    }),
  rules: () =>
    queryOptions({
      queryKey: workspaceKeys.rules(),
      queryFn: ({ signal }) => api.get<Rules>('/workspace/rules', {}, { signal }),
    }),
  tierSummary: () =>
    queryOptions({
      queryKey: tierKeys.summary(),
      queryFn: ({ signal }) => api.get<TierSummary>('/tiers/summary', {}, { signal }),
    }),
  /** Users who may own territory (reps and managers), active only. */
  owners: () =>
    queryOptions({
      queryKey: userKeys.pickers('territory-owners'),
      queryFn: async ({ signal }) => {
        const page = await api.get<Page<Pick<User, 'id' | 'name' | 'role' | 'orgUnitLabel'>>>(
          '/users',
          { active: true, limit: 500, sort: 'name' },
          { signal },
        );
        return page.items.filter((u) => canOwnAccounts(u.role));
      },
    }),
  list: (params: { province?: string; industry?: string; userId?: number }) =>
    queryOptions({
      queryKey: territoryKeys.list(params),
      queryFn: ({ signal }) => api.get<Page<Territory>>('/territories', { ...params, limit: 500 }, { signal }),
      placeholderData: keepPreviousData,
    }),
};

export const useTerritories = (params: { province?: string; industry?: string; userId?: number }) =>
  useQuery(territoryQueries.list(params));
export const useConflicts = () => useQuery(territoryQueries.conflicts());
export const useMismatches = () => useQuery(territoryQueries.mismatches());
export const usePreview = (place: Record<string, string | undefined> | null) =>
  useQuery(territoryQueries.preview(place));

function useTerritoryMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: territoryKeys.all }) });
}

/** A new rule as the form sends it. */
export type TerritoryBody = CreateTerritoryInput;

export const useCreateTerritory = () =>
  useTerritoryMutation((body: TerritoryBody) => api.post<Territory>('/territories', body));
export const useUpdateTerritory = () =>
  useTerritoryMutation(({ id, ...body }: UpdateTerritoryInput & { id: number }) =>
    api.patch<Territory>(`/territories/${id}`, body),
  );
export const useDeleteTerritory = () =>
  useTerritoryMutation((id: number) => request<void>('DELETE', `/territories/${id}`));
export const useApplyTerritories = () =>
  useTerritoryMutation((dryRun: boolean) => api.post<ApplyResult>('/territories/apply', { dryRun }));

export const useRules = () => useQuery(territoryQueries.rules());
export function useUpdateRules() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateRulesInput) => api.patch<Rules>('/workspace/rules', body),
    onSuccess: (data) => qc.setQueryData(workspaceKeys.rules(), data),
    // The workspace version moved too, and the tier summary shows the thresholds.
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: workspaceKeys.current() }),
        qc.invalidateQueries({ queryKey: tierKeys.summary() }),
      ]),
  });
}

export const useTierSummary = () => useQuery(territoryQueries.tierSummary());
export function useRecomputeTiers() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<RecomputeResult>('/tiers/recompute', {}),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: tierKeys.summary() }),
        qc.invalidateQueries({ queryKey: accountKeys.all }),
        qc.invalidateQueries({ queryKey: deskKeys.all }),
      ]),
  });
}

export const useTerritoryOwners = () => useQuery(territoryQueries.owners());
