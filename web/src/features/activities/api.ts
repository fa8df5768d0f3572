import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import type {
  ActivityDetail, ActivityPage, CadenceAccount, ComplianceResponse, CreateActivityInput, PlanSummaryRow, UpdateActivityInput, VisitPlanInput, VisitReviewInput,
} from '../../../../src/contracts/activities.ts';
import type { Page } from '../../api/types.ts';
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
};

export type ActivityListParams = Record<string, string | number | undefined>;

export const activityQueries = {
  list: (p: ActivityListParams) => queryOptions({ queryKey: activityKeys.list(p), queryFn: ({ signal }) => api.get<ActivityPage>('/activities', p, { signal }), placeholderData: keepPreviousData }),
  detail: (id: number) => queryOptions({ queryKey: activityKeys.detail(id), queryFn: ({ signal }) => api.get<ActivityDetail>(`/activities/${id}`, {}, { signal }) }),
  compliance: (p: { orgUnitId?: number | undefined }) => queryOptions({ queryKey: activityKeys.compliance(p), queryFn: ({ signal }) => api.get<ComplianceResponse>('/cadence/compliance', p, { signal }) }),
  cadence: (p: Record<string, string | number | undefined>) => queryOptions({ queryKey: activityKeys.cadence(p), queryFn: ({ signal }) => api.get<Page<CadenceAccount>>('/cadence/accounts', p, { signal }), placeholderData: keepPreviousData }),
  plans: (p: { orgUnitId?: number | undefined }) => queryOptions({ queryKey: activityKeys.plans(p), queryFn: ({ signal }) => api.get<{ items: PlanSummaryRow[] }>('/visit-plans/summary', p, { signal }) }),
};
export const useActivities = (p: ActivityListParams) => useQuery(activityQueries.list(p));
export const useActivity = (id: number | null) => useQuery({ ...activityQueries.detail(id ?? 0), enabled: id !== null });

/** A logged activity moves its account's follow-up and shows in both timelines: refresh all three areas. */
function useActivityMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => Promise.all([
      qc.invalidateQueries({ queryKey: activityKeys.all }), qc.invalidateQueries({ queryKey: accountKeys.all }),
      qc.invalidateQueries({ queryKey: oppKeys.all }), qc.invalidateQueries({ queryKey: taskKeys.all }),
    ]),
  });
}
export const useLogActivity = () => useActivityMutation(({ accountId, ...body }: CreateActivityInput & { accountId: number }) => api.post<ActivityDetail>(`/accounts/${accountId}/activities`, body));
export const useUpdateActivity = () => useActivityMutation(({ id, ...body }: UpdateActivityInput & { id: number }) => api.patch<ActivityDetail>(`/activities/${id}`, body));
export const useArchiveActivity = () => useActivityMutation((a: { id: number; version: number }) => api.post<void>(`/activities/${a.id}/archive`, { version: a.version }));
export const useSavePlan = () => useActivityMutation((v: { id: number; version: number; plan: VisitPlanInput }) => request<ActivityDetail>('PUT', `/activities/${v.id}/plan`, { version: v.version, plan: v.plan }));
export const useSaveReview = () => useActivityMutation((v: { id: number; version: number; review: VisitReviewInput }) => request<ActivityDetail>('PUT', `/activities/${v.id}/review`, { version: v.version, review: v.review }));
export const useAttach = () => useActivityMutation((v: { id: number; version: number; attachmentId: number }) => api.post<ActivityDetail>(`/activities/${v.id}/attachments`, { version: v.version, attachmentId: v.attachmentId }));
