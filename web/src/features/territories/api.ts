import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import { userKeys, workspaceKeys } from '../../api/keys.ts';
import type { Page } from '../../api/types.ts';
import { canOwnAccounts } from '../../../../src/domain/pool.ts';
import type { Role } from '../../../../src/domain/roles.ts';
import { accountKeys } from '../accounts/api.ts';

/** Server shapes: src/modules/territories, src/modules/rules, src/modules/tiers (see /api/openapi.json). */
export const INDUSTRIES = [
  'manufacturing', 'automotive', 'electronics', 'energy', 'chemicals', 'pharma', 'food', 'metals',
  'machinery', 'logistics', 'construction', 'government', 'education', 'healthcare', 'finance', 'retail', 'telecom', 'other',
] as const;
export type Industry = (typeof INDUSTRIES)[number];
export type Tier = 'A' | 'B' | 'C';
export type ValueType = 'value' | 'growth' | 'shrinking';

export interface Territory {
  id: number;
  name: string | null;
  province: string | null;
  city: string | null;
  district: string | null;
  industry: Industry | null;
  userId: number;
  userName: string;
  userActive: boolean;
  orgUnitId: number;
  orgUnitName: string;
  active: boolean;
  specificity: number;
  editable: boolean;
  createdAt: number;
  updatedAt: number;
  version: number;
}

export interface TerritoryConflict {
  place: { province: string | null; city: string | null; district: string | null; industry: Industry | null };
  specificity: number;
  rules: Territory[];
}

export interface Preview {
  result: 'assigned' | 'conflict' | 'none' | 'inactive';
  user: { id: number; name: string; orgUnitName: string } | null;
  rules: Territory[];
}

export interface Rules {
  tierAShareBp: number;
  tierBShareBp: number;
  tierWindowMonths: number;
  followUpDays: Record<Tier, number>;
  poolReleaseDays: Record<Tier, number | null>;
  claimLimit: number;
  largeDealThreshold: number;
  version: number;
}

export interface TierSummary {
  tiers: { tier: Tier; count: number; trailingAmount: number; priorAmount: number; overridden: number }[];
  valueTypes: { valueType: ValueType | null; count: number; trailingAmount: number; priorAmount: number; strategy: string | null }[];
  total: { count: number; trailingAmount: number };
  thresholds: { aShareBp: number; bShareBp: number; windowMonths: number; growthBp: number; shrinkBp: number };
  computedAt: number | null;
}

export interface RecomputeResult {
  accounts: number;
  updated: number;
  tierChanged: number;
  byTier: Record<Tier, number>;
  window: { from: number; to: number; priorFrom: number; months: number };
  computedAt: number;
}

export const territoryKeys = {
  all: ['territories'] as const,
  list: (params: { province?: string; industry?: string; userId?: number }) => [...territoryKeys.all, 'list', params] as const,
  conflicts: () => [...territoryKeys.all, 'conflicts'] as const,
  mismatches: () => [...territoryKeys.all, 'mismatches'] as const,
  preview: (place: Record<string, string | undefined>) => [...territoryKeys.all, 'preview', place] as const,
};
export const tierKeys = { summary: () => ['tiers', 'summary'] as const };

export const territoryQueries = {
  conflicts: () =>
    queryOptions({ queryKey: territoryKeys.conflicts(), queryFn: ({ signal }) => api.get<{ items: TerritoryConflict[]; total: number }>('/territories/conflicts', {}, { signal }) }),
  mismatches: () =>
    queryOptions({ queryKey: territoryKeys.mismatches(), queryFn: ({ signal }) => api.get<{ items: TerritoryMismatch[]; total: number }>('/territories/mismatches', { limit: 100 }, { signal }) }),
  preview: (place: Record<string, string | undefined> | null) =>
    queryOptions({
      queryKey: territoryKeys.preview(place ?? {}),
      queryFn: ({ signal }) => api.get<Preview>('/territories/preview', place ?? {}, { signal }),
      enabled: place !== null && !!place.province,
    }),
  rules: () => queryOptions({ queryKey: workspaceKeys.rules(), queryFn: ({ signal }) => api.get<Rules>('/workspace/rules', {}, { signal }) }),
  tierSummary: () => queryOptions({ queryKey: tierKeys.summary(), queryFn: ({ signal }) => api.get<TierSummary>('/tiers/summary', {}, { signal }) }),
  /** Users who may own territory (reps and managers), active only. */
  owners: () =>
    queryOptions({
      queryKey: userKeys.pickers('territory-owners'),
      queryFn: async ({ signal }) => {
        const page = await api.get<Page<{ id: number; name: string; role: Role; orgUnitLabel: string }>>('/users', { active: true, limit: 500, sort: 'name' }, { signal });
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

export const useTerritories = (params: { province?: string; industry?: string; userId?: number }) => useQuery(territoryQueries.list(params));
export const useConflicts = () => useQuery(territoryQueries.conflicts());
/** An account owned by someone other than the rep its territory names. */
export interface TerritoryMismatch {
  accountId: number; accountName: string; province: string | null; city: string | null; industry: string | null;
  ownerId: number; ownerName: string | null; territoryUserId: number; territoryUserName: string; ruleId: number;
}
export const useMismatches = () => useQuery(territoryQueries.mismatches());
export const usePreview = (place: Record<string, string | undefined> | null) => useQuery(territoryQueries.preview(place));

function useTerritoryMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: territoryKeys.all }) });
}

export interface TerritoryBody {
  name?: string | null;
  province: string;
  city?: string | null;
  district?: string | null;
  industry?: Industry | null;
  userId: number;
  active?: boolean;
}

export const useCreateTerritory = () => useTerritoryMutation((body: TerritoryBody) => api.post<Territory>('/territories', body));
export const useUpdateTerritory = () =>
  useTerritoryMutation(({ id, ...body }: Partial<TerritoryBody> & { id: number; version: number }) => api.patch<Territory>(`/territories/${id}`, body));
export const useDeleteTerritory = () => useTerritoryMutation((id: number) => request<void>('DELETE', `/territories/${id}`));
export const useApplyTerritories = () =>
  useTerritoryMutation((dryRun: boolean) => api.post<{ dryRun: boolean; poolAccounts: number; assigned: number; conflicted: number; unmatched: number }>('/territories/apply', { dryRun }));

export const useRules = () => useQuery(territoryQueries.rules());
export function useUpdateRules() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<Omit<Rules, 'version'>> & { version: number }) => api.patch<Rules>('/workspace/rules', body),
    onSuccess: (data) => qc.setQueryData(workspaceKeys.rules(), data),
    // The workspace version moved too, and the tier summary shows the thresholds.
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: workspaceKeys.current() }), qc.invalidateQueries({ queryKey: tierKeys.summary() })]),
  });
}

export const useTierSummary = () => useQuery(territoryQueries.tierSummary());
export function useRecomputeTiers() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<RecomputeResult>('/tiers/recompute', {}),
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: tierKeys.summary() }), qc.invalidateQueries({ queryKey: accountKeys.all })]),
  });
}

export const useTerritoryOwners = () => useQuery(territoryQueries.owners());
