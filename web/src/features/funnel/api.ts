import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../../api/client.ts';
import { useShippedText } from '../processes/shippedText.ts';
import type { FunnelMembersResponse, FunnelResponse, HealthResponse } from '../../../../src/contracts/funnel.ts';
import type { CollectionsResponse } from '../../../../src/contracts/collections.ts';

/** The live funnel (docs/targets.md § Funnel): one query per view, keyed by scope, process and period. */
export interface FunnelParams {
  scope?: string | undefined;
  processId?: number | undefined;
  period?: string | undefined;
  /** A business line's key, or none (docs/targets.md § Business lines); every line when absent. */
  line?: string | undefined;
}

/** The per-member table's page, sort and search (GET /funnel/members; the server pages and sorts). */
export interface MemberPageParams {
  limit: number;
  offset: number;
  sort?: string | undefined;
  q?: string | undefined;
}

export const funnelKeys = {
  all: ['funnel'] as const,
  view: (kind: string, p: FunnelParams) => [...funnelKeys.all, kind, p] as const,
};

const view =
  <T>(kind: 'funnel' | 'members' | 'health' | 'collections' | 'lines', path: string) =>
  (params: FunnelParams & Partial<MemberPageParams>, enabled = true) =>
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
  collections: view<CollectionsResponse>('collections', '/funnel/collections'),
};

/** Every funnel answer names its process and stages as stored: shown in the reader's language (processes/shippedText.ts). */
function useLocalized<R extends { process: { name: string } | null; stages: { name: string }[] }>() {
  const shipped = useShippedText();
  return useCallback(
    (answer: R): R => ({
      ...answer,
      process: answer.process && { ...answer.process, name: shipped(answer.process.name) },
      stages: answer.stages.map((stage) => ({ ...stage, name: shipped(stage.name) })),
    }),
    [shipped],
  );
}

export const useFunnel = (params: FunnelParams) =>
  useQuery({ ...funnelQueries.funnel(params), select: useLocalized<FunnelResponse>() });
export const useFunnelMembers = (params: FunnelParams & MemberPageParams, enabled: boolean) =>
  useQuery({ ...funnelQueries.members(params, enabled), select: useLocalized<FunnelMembersResponse>() });
export const useFunnelHealth = (params: FunnelParams, enabled: boolean) =>
  useQuery({ ...funnelQueries.health(params, enabled), select: useLocalized<HealthResponse>() });
export const useFunnelCollections = (params: FunnelParams, enabled: boolean) =>
  useQuery({ ...funnelQueries.collections(params, enabled), select: useLocalized<CollectionsResponse>() });
