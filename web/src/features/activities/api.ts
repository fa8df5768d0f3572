import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import type {
  ActivityDetail,
  ActivityPage,
  CadenceAccount,
  ComplianceResponse,
  CreateActivityInput,
  PlanSummaryRow,
  UpdateActivityInput,
  VisitPlanInput,
  VisitReviewInput,
} from '../../../../src/contracts/activities.ts';
import type { Page } from '../../api/types.ts';
import { deskKeys } from '../../api/keys.ts';
import { accountKeys } from '../accounts/api.ts';
import { oppKeys } from '../opportunities/api.ts';
import { taskKeys } from '../rhythm/api.ts';

/** Server state of activities, visit plans and cadence (docs/rhythm.md). */
export const activityKeys = {
  all: ['activities'] as const,
  list: (p: Record<string, unknown>) => [...activityKeys.all, 'list', p] as const,
  detail: (id: number) => [...activityKeys.all, 'detail', id] as const,
  compliance: (p: Record<string, unknown>) => [...activityKeys.all, 'compliance', p] as const,
  cadence: (p: Record<string, unknown>) => [...activityKeys.all, 'cadence', p] as const,
  plans: (p: Record<string, unknown>) => [...activityKeys.all, 'plans', p] as const,
  lastReview: (accountId: number) => [...activityKeys.all, 'last-review', accountId] as const,
};

export type ActivityListParams = Record<string, string | number | undefined>;

export const activityQueries = {
  list: (param: ActivityListParams) =>
    queryOptions({
      queryKey: activityKeys.list(param),
      queryFn: ({ signal }) => api.get<ActivityPage>('/activities', param, { signal }),
      placeholderData: keepPreviousData,
    }),
  detail: (id: number) =>
    queryOptions({
      queryKey: activityKeys.detail(id),
      queryFn: ({ signal }) => api.get<ActivityDetail>(`/activities/${id}`, {}, { signal }),
    }),
  compliance: (part: { orgUnitId?: number | undefined }) =>
    queryOptions({
      queryKey: activityKeys.compliance(part),
      queryFn: ({ signal }) => api.get<ComplianceResponse>('/cadence/compliance', part, { signal }),
    }),
  cadence: (part: Record<string, string | number | undefined>) =>
    queryOptions({
      queryKey: activityKeys.cadence(part),
      queryFn: ({ signal }) => api.get<Page<CadenceAccount>>('/cadence/accounts', part, { signal }),
      placeholderData: keepPreviousData,
    }),
  plans: (part: { orgUnitId?: number | undefined }) =>
    queryOptions({
      queryKey: activityKeys.plans(part),
      queryFn: ({ signal }) => api.get<{ items: PlanSummaryRow[] }>('/visit-plans/summary', part, { signal }),
    }),
};
/**
 * The account's most recent reviewed visit, whose loose ends a new plan starts from: the newest
 * planned visits are listed and the first reviewed one is read in full (null if none).
 */
async function lastReviewed(accountId: number, signal: AbortSignal): Promise<ActivityDetail | null> {
  const recent = await api.get<ActivityPage>(
    '/activities',
    { accountId, planned: 'true', sort: '-startAt', limit: 10 },
    { signal },
  );
  const reviewed = recent.items.find((a) => a.reviewed);
  return reviewed ? api.get<ActivityDetail>(`/activities/${reviewed.id}`, {}, { signal }) : null;
}
export const useLastReview = (accountId: number | null) =>
  useQuery({
    queryKey: activityKeys.lastReview(accountId ?? 0),
    queryFn: ({ signal }) => lastReviewed(accountId!, signal),
    enabled: accountId !== null,
  });

export const useActivities = (p: ActivityListParams) => useQuery(activityQueries.list(p));
export const useActivity = (id: number | null) =>
  useQuery({ ...activityQueries.detail(id ?? 0), enabled: id !== null });

/** A logged activity moves its account's follow-up and shows in both timelines: refresh all three areas. */
function useActivityMutation<V, R>(fn: (variables: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: activityKeys.all }),
        qc.invalidateQueries({ queryKey: accountKeys.all }),
        qc.invalidateQueries({ queryKey: oppKeys.all }),
        qc.invalidateQueries({ queryKey: deskKeys.all }),
        qc.invalidateQueries({ queryKey: taskKeys.all }),
      ]),
  });
}
export const useLogActivity = () =>
  useActivityMutation(({ accountId, ...body }: CreateActivityInput & { accountId: number }) =>
    api.post<ActivityDetail>(`/accounts/${accountId}/activities`, body),
  );
export const useUpdateActivity = () =>
  useActivityMutation(({ id, ...body }: UpdateActivityInput & { id: number }) =>
    api.patch<ActivityDetail>(`/activities/${id}`, body),
  );
export const useArchiveActivity = () =>
  useActivityMutation((first: { id: number; version: number }) =>
    api.post<void>(`/activities/${first.id}/archive`, { version: first.version }),
  );
export const useSavePlan = () =>
  useActivityMutation((version: { id: number; version: number; plan: VisitPlanInput }) =>
    request<ActivityDetail>('PUT', `/activities/${version.id}/plan`, { version: version.version, plan: version.plan }),
  );
export const useSaveReview = () =>
  useActivityMutation((version: { id: number; version: number; review: VisitReviewInput }) =>
    request<ActivityDetail>('PUT', `/activities/${version.id}/review`, {
      version: version.version,
      review: version.review,
    }),
  );
export const useAttach = () =>
  useActivityMutation((version: { id: number; version: number; attachmentId: number }) =>
    api.post<ActivityDetail>(`/activities/${version.id}/attachments`, {
      version: version.version,
      attachmentId: version.attachmentId,
    }),
  );
