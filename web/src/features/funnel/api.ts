import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { FunnelMembersResponse, FunnelResponse, HealthResponse } from '../../../../src/contracts/funnel.ts';

/** The live funnel (docs/targets.md § Funnel): one query per view, keyed by scope, process and period. */
export interface FunnelParams {
  scope?: string | undefined;
  processId?: number | undefined;
  period?: string | undefined;
}

export const funnelKeys = {
  all: ['funnel'] as const,
  view: (kind: string, p: FunnelParams) => [...funnelKeys.all, kind, p] as const,
};

const view =
  <T>(kind: 'funnel' | 'members' | 'health', path: string) =>
  (params: FunnelParams, enabled = true) =>
    queryOptions({
      queryKey: funnelKeys.view(kind, params),
      queryFn: ({ signal }) => api.get<T>(path, { ...params }, { signal }),
      placeholderData: keepPreviousData,
      retry: false,
      enabled,
    });

export const funnelQueries = {
  funnel: view<FunnelResponse>('funnel', '/funnel'),
  members: view<FunnelMembersResponse>('members', '/funnel/members'),
  health: view<HealthResponse>('health', '/funnel/health'),
};

export const useFunnel = (p: FunnelParams) => useQuery(funnelQueries.funnel(p));
export const useFunnelMembers = (p: FunnelParams, enabled: boolean) => useQuery(funnelQueries.members(p, enabled));
export const useFunnelHealth = (p: FunnelParams, enabled: boolean) => useQuery(funnelQueries.health(p, enabled));
