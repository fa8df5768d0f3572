import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import { deskKeys, userKeys } from '../../api/keys.ts';
import type { Page, User } from '../../api/types.ts';
import { useCallback } from 'react';
import { processKeys } from '../processes/api.ts';
import { localizeDeal, localizeProcess, localizeStage, useShippedText } from '../processes/shippedText.ts';
import type { BuyingRole } from '../accounts/types.ts';
import type {
  AttentionPage,
  Board,
  BoardFilters,
  HistoryItem,
  Insight,
  ListFilters,
  OpportunityDetail,
  OpportunityListPage,
  Process,
  ProcessSummary,
  Review,
  StageHistoryEntry,
  StrategyStepResult,
} from './types.ts';
import type {
  AddTeamMemberRequest,
  CloseOpportunityInput,
  CreateOpportunityInput,
  MoveStageInput,
  ReopenRequest,
  SaveEvidenceInput,
  UpdateOpportunityInput,
} from '../../../../src/contracts/opportunities.ts';
import type {
  AddReviewInput,
  AnalysisInput,
  QualificationInput,
  StrategyRequest,
} from '../../../../src/contracts/opportunity-insight.ts';
import type { Attachment } from '../../../../src/contracts/attachments.ts';

/** Query keys of the opportunity area; every change refreshes the whole family (board, lists, detail). */
export const oppKeys = {
  all: ['opportunities'] as const,
  board: (f: BoardFilters) => [...oppKeys.all, 'board', f] as const,
  list: (p: Record<string, unknown>) => [...oppKeys.all, 'list', p] as const,
  attention: (p: Record<string, unknown>) => [...oppKeys.all, 'attention', p] as const,
  detail: (id: number) => [...oppKeys.all, 'detail', id] as const,
  sub: (id: number, what: string) => [...oppKeys.all, 'detail', id, what] as const,
  timeline: (id: number, groups: readonly string[]) => [...oppKeys.all, 'detail', id, 'timeline', groups] as const,
};

export const PAGE_SIZE = 20;

/** The opportunity area's reads; other areas' screens (the desk) reuse them. */
export const oppQueries = {
  processes: () =>
    queryOptions({
      queryKey: processKeys.active(),
      queryFn: ({ signal }) => api.get<{ items: ProcessSummary[] }>('/sales-processes', {}, { signal }),
      select: (r) => r.items,
      staleTime: 5 * 60_000,
    }),
  process: (id: number | null | undefined) =>
    queryOptions({
      queryKey: processKeys.detail(id ?? 0),
      queryFn: ({ signal }) => api.get<Process>(`/sales-processes/${id}`, {}, { signal }),
      enabled: !!id,
      staleTime: 60_000,
    }),
  /** The kanban board: GET /opportunities/board aggregates per stage in SQL. */
  board: (filters: BoardFilters) =>
    queryOptions({
      queryKey: oppKeys.board(filters),
      placeholderData: keepPreviousData,
      queryFn: ({ signal }) => api.get<Board>('/opportunities/board', { ...filters }, { signal }),
    }),
  list: (params: Record<string, string | number | undefined>) =>
    queryOptions({
      queryKey: oppKeys.list(params),
      queryFn: ({ signal }) => api.get<OpportunityListPage>('/opportunities', params, { signal }),
      placeholderData: keepPreviousData,
    }),
  attention: (params: Record<string, string | number | undefined>) =>
    queryOptions({
      queryKey: oppKeys.attention(params),
      queryFn: ({ signal }) => api.get<AttentionPage>('/opportunities/attention', params, { signal }),
      placeholderData: keepPreviousData,
    }),
  detail: (id: number) =>
    queryOptions({
      queryKey: oppKeys.detail(id),
      queryFn: ({ signal }) => api.get<OpportunityDetail>(`/opportunities/${id}`, {}, { signal }),
    }),
  stageHistory: (id: number) =>
    queryOptions({
      queryKey: oppKeys.sub(id, 'stage-history'),
      queryFn: ({ signal }) =>
        api.get<{ items: StageHistoryEntry[] }>(`/opportunities/${id}/stage-history`, {}, { signal }),
      select: (r) => r.items,
    }),
  auditTrail: (id: number) =>
    queryOptions({
      queryKey: oppKeys.sub(id, 'history'),
      queryFn: ({ signal }) => api.get<{ items: HistoryItem[] }>(`/opportunities/${id}/history`, {}, { signal }),
      select: (r) => r.items,
      retry: false,
    }),
  insight: (id: number) =>
    queryOptions({
      queryKey: oppKeys.sub(id, 'insight'),
      queryFn: ({ signal }) => api.get<Insight>(`/opportunities/${id}/insight`, {}, { signal }),
      retry: false,
    }),
  reviews: (id: number) =>
    queryOptions({
      queryKey: oppKeys.sub(id, 'reviews'),
      queryFn: ({ signal }) => api.get<{ items: Review[] }>(`/opportunities/${id}/reviews`, {}, { signal }),
      select: (r) => r.items,
      retry: false,
    }),
  buyingRoles: (accountId: number, opportunityId: number) =>
    queryOptions({
      queryKey: oppKeys.sub(opportunityId, 'buying-roles'),
      queryFn: ({ signal }) =>
        api.get<{ items: BuyingRole[] }>(`/accounts/${accountId}/buying-roles`, { opportunityId }, { signal }),
      select: (r) => r.items,
    }),
  people: () =>
    queryOptions({
      queryKey: userKeys.pickers('active'),
      queryFn: ({ signal }) => api.get<Page<User>>('/users', { limit: 500, active: true, sort: 'name' }, { signal }),
      select: (r) => r.items,
      staleTime: 5 * 60_000,
      retry: false,
    }),
};

/** Processes and their stages with the shipped template texts in the reader's language (processes/shippedText.ts). */
export function useProcesses() {
  const shipped = useShippedText();
  const select = useCallback(
    (answer: { items: ProcessSummary[] }) =>
      answer.items.map((p) => ({ ...p, name: shipped(p.name), description: shipped(p.description) })),
    [shipped],
  );
  return useQuery({ ...oppQueries.processes(), select });
}
export function useProcess(id: number | null | undefined) {
  const shipped = useShippedText();
  const select = useCallback((process: Process) => localizeProcess(process, shipped), [shipped]);
  return useQuery({ ...oppQueries.process(id), select });
}
/** The board, the lists and the deal, with shipped stage and process names in the reader's language. */
export function useBoard(filters: BoardFilters, enabled: boolean) {
  const shipped = useShippedText();
  const select = useCallback(
    (board: Board): Board => ({
      ...board,
      process: board.process && { ...board.process, name: shipped(board.process.name) },
      processes: board.processes.map((lane) => ({ ...lane, name: shipped(lane.name) })),
      columns: board.columns.map((column) => ({
        ...column,
        stage: localizeStage(column.stage, shipped),
        cards: column.cards.map((card) => localizeDeal(card, shipped)),
      })),
    }),
    [shipped],
  );
  return useQuery({ ...oppQueries.board(filters), enabled, select });
}
function useLocalizedPage<P extends { items: OpportunityDetail[] | OpportunityListPage['items'] }>() {
  const shipped = useShippedText();
  return useCallback((page: P): P => ({ ...page, items: page.items.map((o) => localizeDeal(o, shipped)) }), [shipped]);
}
export function useOpportunities(filters: ListFilters, page: number) {
  const select = useLocalizedPage<OpportunityListPage>();
  return useQuery({ ...oppQueries.list({ ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }), select });
}
export function useAttention(
  filters: { orgUnitId?: number; ownerId?: number; problem?: string },
  page: number,
  enabled: boolean,
) {
  const select = useLocalizedPage<AttentionPage>();
  return useQuery({
    ...oppQueries.attention({ ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    enabled,
    retry: false,
    select,
  });
}
export function useOpportunity(id: number, enabled = true) {
  const shipped = useShippedText();
  const select = useCallback((o: OpportunityDetail) => localizeDeal(o, shipped), [shipped]);
  return useQuery({ ...oppQueries.detail(id), enabled, select });
}
export function useStageHistory(id: number) {
  const shipped = useShippedText();
  const select = useCallback(
    (answer: { items: StageHistoryEntry[] }) => answer.items.map((entry) => localizeDeal(entry, shipped)),
    [shipped],
  );
  return useQuery({ ...oppQueries.stageHistory(id), select });
}
export const useAuditTrail = (id: number) => useQuery(oppQueries.auditTrail(id));
export const useInsight = (id: number) => useQuery(oppQueries.insight(id));
export const useReviews = (id: number) => useQuery(oppQueries.reviews(id));
export const useBuyingRoles = (accountId: number, opportunityId: number) =>
  useQuery(oppQueries.buyingRoles(accountId, opportunityId));
export const usePeople = () => useQuery(oppQueries.people());

function useOppMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () =>
      Promise.all([qc.invalidateQueries({ queryKey: oppKeys.all }), qc.invalidateQueries({ queryKey: deskKeys.all })]),
  });
}

export type MoveBody = MoveStageInput;

export const useMoveStage = () =>
  useOppMutation(({ id, ...body }: MoveBody & { id: number }) =>
    api.post<OpportunityDetail>(`/opportunities/${id}/stage`, body),
  );
/** Replaces the evidence gathered for the current stage (the stage panel saves it as the team collects it). */
export const useSaveEvidence = () =>
  useOppMutation(({ id, ...body }: SaveEvidenceInput & { id: number }) =>
    request<OpportunityDetail>('PUT', `/opportunities/${id}/evidence`, body),
  );

export type PatchBody = UpdateOpportunityInput;
export const useUpdateOpportunity = () =>
  useOppMutation(({ id, ...body }: PatchBody & { id: number }) =>
    api.patch<OpportunityDetail>(`/opportunities/${id}`, body),
  );

export const useCreateOpportunity = () =>
  useOppMutation((body: CreateOpportunityInput) => api.post<OpportunityDetail>('/opportunities', body));

export const useAddTeamMember = () =>
  useOppMutation(({ id, ...body }: AddTeamMemberRequest & { id: number }) =>
    api.post<OpportunityDetail>(`/opportunities/${id}/team`, body),
  );
/** Answers the opportunity, or nothing (204) when the user left its team and no longer sees it. */
export const useRemoveTeamMember = () =>
  useOppMutation(({ id, memberId }: { id: number; memberId: number }) =>
    request<OpportunityDetail | undefined>('DELETE', `/opportunities/${id}/team/${memberId}`),
  );

export const useCloseOpportunity = () =>
  useOppMutation(({ id, ...body }: CloseOpportunityInput & { id: number }) =>
    api.post<OpportunityDetail>(`/opportunities/${id}/close`, body),
  );
export const useReopenOpportunity = () =>
  useOppMutation(({ id, ...body }: ReopenRequest & { id: number }) =>
    api.post<OpportunityDetail>(`/opportunities/${id}/reopen`, body),
  );

export const useSaveQualification = () =>
  useOppMutation(({ id, ...body }: QualificationInput & { id: number }) =>
    request<Insight>('PUT', `/opportunities/${id}/qualification`, body),
  );
export const useSaveAnalysis = () =>
  useOppMutation(({ id, ...body }: AnalysisInput & { id: number }) =>
    request<Insight>('PUT', `/opportunities/${id}/analysis`, body),
  );
export const strategyNext = (id: number, answers: Record<string, boolean>) =>
  api.post<StrategyStepResult>(`/opportunities/${id}/strategy/next`, { answers });
export const useSaveStrategy = () =>
  useOppMutation(({ id, ...body }: StrategyRequest & { id: number }) =>
    request<Insight>('PUT', `/opportunities/${id}/strategy`, body),
  );
export const useAddReview = () =>
  useOppMutation(({ id, ...body }: AddReviewInput & { id: number }) =>
    api.post<Review>(`/opportunities/${id}/reviews`, body),
  );

/** Uploads a file for an evidence item (raw body); answers the attachment id. */
export async function uploadAttachment(file: File): Promise<Pick<Attachment, 'id' | 'fileName' | 'size'>> {
  const res = await fetch(`/api/v1/attachments?fileName=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': file.type || 'application/octet-stream', accept: 'application/json' },
    body: file,
  });
  const body = (await res.json().catch(() => ({}))) as {
    id?: number;
    fileName?: string;
    size?: number;
    detail?: string;
    code?: string;
  };
  if (!res.ok || typeof body.id !== 'number') throw new Error(body.detail ?? `HTTP ${res.status}`);
  return { id: body.id, fileName: body.fileName ?? file.name, size: body.size ?? file.size };
}
