import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import type {
  CreateTaskRequest,
  TaskDto,
  TaskListResponse,
  UpdateTaskRequest,
} from '../../../../src/contracts/tasks.ts';
import type { NotificationListResponse } from '../../../../src/contracts/notifications.ts';
import type {
  CheckpointReviewRequest,
  SavePlanRequest,
  SaveSummaryRequest,
  TeamReportsResponse,
  WeeklyReport,
  WeeklyReviewResponse,
} from '../../../../src/contracts/rhythm.ts';

/** Server state of the follow-up rhythm (docs/rhythm.md): tasks and notifications. */
export const taskKeys = {
  all: ['tasks'] as const,
  list: (p: TaskListParams) => [...taskKeys.all, 'list', p] as const,
};
export const notificationKeys = {
  all: ['notifications'] as const,
  list: (p: { unread: boolean; limit: number; offset: number }) => [...notificationKeys.all, 'list', p] as const,
  unread: () => [...notificationKeys.all, 'unread'] as const,
};

export interface TaskListParams {
  scope: 'mine' | 'team';
  status?: string | undefined;
  due?: string | undefined;
  assigneeId?: number | undefined;
  accountId?: number | undefined;
  opportunityId?: number | undefined;
  sort?: string | undefined;
  limit: number;
  offset: number;
}

export const taskQueries = {
  list: (param: TaskListParams) =>
    queryOptions({
      queryKey: taskKeys.list(param),
      queryFn: ({ signal }) => api.get<TaskListResponse>('/tasks', { ...param }, { signal }),
      placeholderData: keepPreviousData,
    }),
};
export const useTasks = (p: TaskListParams) => useQuery(taskQueries.list(p));

function useTaskMutation<V>(fn: (variables: V) => Promise<TaskDto>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: taskKeys.all }),
        qc.invalidateQueries({ queryKey: notificationKeys.all }),
      ]),
  });
}
export const useCreateTask = () => useTaskMutation((body: CreateTaskRequest) => api.post<TaskDto>('/tasks', body));
export const useUpdateTask = () =>
  useTaskMutation(({ id, ...body }: UpdateTaskRequest & { id: number }) => api.patch<TaskDto>(`/tasks/${id}`, body));
export const useTaskStatus = () =>
  useTaskMutation(({ task, to }: { task: TaskDto; to: 'complete' | 'reopen' | 'cancel' }) =>
    api.post<TaskDto>(`/tasks/${task.id}/${to}`, { version: task.version }),
  );
export const useReassignTask = () =>
  useTaskMutation(({ task, assigneeId }: { task: TaskDto; assigneeId: number }) =>
    api.post<TaskDto>(`/tasks/${task.id}/reassign`, { version: task.version, assigneeId }),
  );

export const notificationQueries = {
  list: (params: { unread: boolean; limit: number; offset: number }) =>
    queryOptions({
      queryKey: notificationKeys.list(params),
      queryFn: ({ signal }) =>
        api.get<NotificationListResponse>(
          '/notifications',
          { ...params, unread: params.unread || undefined },
          { signal },
        ),
    }),
  // The badge polls gently: the job adds reminders at most hourly.
  unread: () =>
    queryOptions({
      queryKey: notificationKeys.unread(),
      queryFn: ({ signal }) => api.get<{ unread: number }>('/notifications/unread-count', {}, { signal }),
      refetchInterval: 5 * 60_000,
      staleTime: 60_000,
    }),
};
export const useNotifications = (part: { unread: boolean; limit: number; offset: number }, enabled: boolean) =>
  useQuery({ ...notificationQueries.list(part), enabled });
export const useUnreadCount = () => useQuery(notificationQueries.unread());
function useNotificationMutation<V>(fn: (variables: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: notificationKeys.all }) });
}
export const useMarkRead = () => useNotificationMutation((id: number) => api.post(`/notifications/${id}/read`, {}));
export const useMarkAllRead = () => useNotificationMutation((_: void) => api.post('/notifications/read-all', {}));

export const reviewKeys = {
  all: ['weekly-review'] as const,
  list: (p: ReviewParams) => [...reviewKeys.all, p] as const,
};
export interface ReviewParams {
  week?: string | undefined;
  due: string;
  limit: number;
  offset: number;
}
export const reviewQueries = {
  list: (param: ReviewParams) =>
    queryOptions({
      queryKey: reviewKeys.list(param),
      queryFn: ({ signal }) => api.get<WeeklyReviewResponse>('/weekly-review', { ...param }, { signal }),
      placeholderData: keepPreviousData,
    }),
};
export const useWeeklyReview = (p: ReviewParams) => useQuery(reviewQueries.list(p));
export function useRecordCheckpoint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: CheckpointReviewRequest & { id: number }) =>
      api.post(`/opportunities/${id}/checkpoints`, body),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: reviewKeys.all }),
        qc.invalidateQueries({ queryKey: taskKeys.all }),
      ]),
  });
}

/** Weekly plans and summaries (docs/rhythm.md § Weekly plan and summary); weeks are named by their Monday. */
export const weeklyReportKeys = {
  all: ['weekly-reports'] as const,
  report: (week: string, userId: number | undefined) =>
    [...weeklyReportKeys.all, 'report', week, userId ?? 'me'] as const,
  team: (week: string) => [...weeklyReportKeys.all, 'team', week] as const,
};
export const weeklyReportQueries = {
  report: (week: string, userId?: number) =>
    queryOptions({
      queryKey: weeklyReportKeys.report(week, userId),
      queryFn: ({ signal }) => api.get<WeeklyReport>('/weekly-reports', { week, userId }, { signal }),
    }),
  team: (week: string) =>
    queryOptions({
      queryKey: weeklyReportKeys.team(week),
      queryFn: ({ signal }) => api.get<TeamReportsResponse>('/weekly-reports/team', { week }, { signal }),
    }),
};
export const useWeeklyReport = (week: string, userId?: number) => useQuery(weeklyReportQueries.report(week, userId));
export const useTeamReports = (week: string, enabled: boolean) =>
  useQuery({ ...weeklyReportQueries.team(week), enabled });

function useWeeklyMutation<V>(fn: (variables: V) => Promise<WeeklyReport>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: weeklyReportKeys.all }) });
}
export const useSaveWeeklyPlan = () =>
  useWeeklyMutation((body: SavePlanRequest) => request<WeeklyReport>('PUT', '/weekly-reports/plan', body));
export const useSaveWeeklySummary = () =>
  useWeeklyMutation((body: SaveSummaryRequest) => request<WeeklyReport>('PUT', '/weekly-reports/summary', body));
export const useCommentReport = () =>
  useWeeklyMutation(({ id, body }: { id: number; body: string }) =>
    api.post<WeeklyReport>(`/weekly-reports/${id}/comments`, { body }),
  );
