import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import { deskKeys, userKeys } from '../../api/keys.ts';
import { accountKeys } from '../accounts/api.ts';
import type {
  AssignRequest,
  ClaimRequest,
  PoolEvent,
  PoolEventPage,
  PoolEventsQuery,
  PoolItem,
  PoolPage,
  PoolQuery,
  ReleaseRun,
} from '../../../../src/contracts/pool.ts';
import type {
  AssignSuccessorsRequest,
  HandoverContacts,
  HandoverDetail,
  HandoverFollower,
  HandoverItem,
  HandoverListItem,
  HandoverNote,
  HandoverPage,
} from '../../../../src/contracts/handovers.ts';

/** Server state of the pool and handover screens; keys live here since no other area reads them. */
export const poolKeys = {
  all: ['pool'] as const,
  list: (p: PoolParams) => [...poolKeys.all, 'list', p] as const,
  events: (p: PoolEventsParams) => [...poolKeys.all, 'events', p] as const,
};
export const handoverKeys = {
  all: ['handovers'] as const,
  list: (status?: string) => [...handoverKeys.all, 'list', status ?? 'all'] as const,
  detail: (id: number) => [...handoverKeys.all, 'detail', id] as const,
  contacts: (id: number) => [...handoverKeys.all, 'contacts', id] as const,
};

export type { PoolEvent, PoolItem };
export type Tier = PoolItem['tier'];
/** The pool list's query as the screen sends it: the sort as its text form (`-poolSince`). */
export type PoolParams = Pick<PoolQuery, 'orgUnitId' | 'q' | 'tier'> & { limit: number; offset: number; sort?: string };
type PoolEventsParams = Pick<PoolEventsQuery, 'orgUnitId' | 'limit' | 'offset'>;

export const poolQueries = {
  list: (poolParams: PoolParams) =>
    queryOptions({
      queryKey: poolKeys.list(poolParams),
      queryFn: ({ signal }) => api.get<PoolPage>('/pool', { ...poolParams }, { signal }),
      placeholderData: keepPreviousData,
    }),
  events: (params: PoolEventsParams) =>
    queryOptions({
      queryKey: poolKeys.events(params),
      queryFn: ({ signal }) => api.get<PoolEventPage>('/pool/events', { ...params }, { signal }),
      placeholderData: keepPreviousData,
    }),
};
export const usePool = (p: PoolParams) => useQuery(poolQueries.list(p));
export const usePoolEvents = (part: PoolEventsParams) => useQuery(poolQueries.events(part));
function usePoolMutation<V, R = unknown>(fn: (variables: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: poolKeys.all }),
        qc.invalidateQueries({ queryKey: accountKeys.all }),
        qc.invalidateQueries({ queryKey: deskKeys.all }),
      ]),
  });
}
export const useClaim = () =>
  usePoolMutation((a: PoolItem) => api.post(`/accounts/${a.id}/claim`, { version: a.version } satisfies ClaimRequest));
export const useAssign = () =>
  usePoolMutation(({ account, toUserId, reason }: { account: PoolItem; toUserId: number; reason: string }) =>
    api.post(`/accounts/${account.id}/assign`, {
      version: account.version,
      toUserId,
      reason,
    } satisfies AssignRequest),
  );
export const useReleaseRun = () => usePoolMutation((_: void) => api.post<ReleaseRun>('/pool/release-run', {}));

export type Category = HandoverItem['category'];
export const CATEGORIES: Category[] = ['account', 'opportunity', 'team', 'relationship', 'territory'];
export type { HandoverDetail, HandoverFollower, HandoverItem, HandoverListItem, HandoverNote };

export const handoverQueries = {
  list: (status?: string) =>
    queryOptions({
      queryKey: handoverKeys.list(status),
      queryFn: ({ signal }) => api.get<HandoverPage>('/handovers', { status, limit: 200 }, { signal }),
    }),
  detail: (id: number) =>
    queryOptions({
      queryKey: handoverKeys.detail(id),
      queryFn: ({ signal }) => api.get<HandoverDetail>(`/handovers/${id}`, {}, { signal }),
    }),
  contacts: (id: number) =>
    queryOptions({
      queryKey: handoverKeys.contacts(id),
      queryFn: ({ signal }) => api.get<HandoverContacts>(`/handovers/${id}/contacts`, {}, { signal }),
    }),
};
export const useHandovers = (status?: string) => useQuery(handoverQueries.list(status));
export const useHandover = (id: number) => useQuery(handoverQueries.detail(id));
export const useHandoverContacts = (id: number) => useQuery(handoverQueries.contacts(id));

/** Every handover change answers with the whole handover: put it straight into the cache. */
function useHandoverMutation<V>(id: number, fn: (variables: V) => Promise<HandoverDetail>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (d) => qc.setQueryData(handoverKeys.detail(id), d),
    onSettled: () => qc.invalidateQueries({ queryKey: handoverKeys.list() }),
  });
}
export const useStartHandover = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (fromUserId: number) => api.post<HandoverDetail>('/handovers', { fromUserId }),
    onSettled: () => qc.invalidateQueries({ queryKey: handoverKeys.all }),
  });
};
export const useAssignSuccessors = (id: number) =>
  useHandoverMutation(id, (items: AssignSuccessorsRequest['items']) =>
    api.patch<HandoverDetail>(`/handovers/${id}/items`, { items }),
  );
export const useSaveNote = (id: number) =>
  useHandoverMutation(id, ({ itemId, note }: { itemId: number; note: HandoverNote }) =>
    request<HandoverDetail>('PUT', `/handovers/${id}/items/${itemId}/note`, note),
  );
export const useCompleteHandover = (id: number) => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (version: number) => api.post<HandoverDetail>(`/handovers/${id}/complete`, { version }),
    onSuccess: (d) => qc.setQueryData(handoverKeys.detail(id), d),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: handoverKeys.list() }),
        qc.invalidateQueries({ queryKey: userKeys.all }),
      ]),
  });
};
export const useCancelHandover = (id: number) =>
  useHandoverMutation(id, (version: number) => api.post<HandoverDetail>(`/handovers/${id}/cancel`, { version }));
