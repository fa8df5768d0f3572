import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type {
  AnswerCallbackInput,
  CallbackDto,
  CallbackPage,
  CallbackRatesResponse,
  CallbackState,
  DrawCallbacksResponse,
} from '../../../../src/contracts/callbacks.ts';
import { activityKeys } from '../activities/api.ts';
import { notificationKeys, taskKeys } from '../rhythm/api.ts';

export type { CallbackDto, CallbackRateRow, CallbackState } from '../../../../src/contracts/callbacks.ts';

/** Server state of the callback audit (docs/rhythm.md § Callback audit). */
export const callbackKeys = {
  all: ['callbacks'] as const,
  list: (p: CallbackListParams) => [...callbackKeys.all, 'list', p] as const,
  rates: (p: { period: string; orgUnitId?: number | undefined }) => [...callbackKeys.all, 'rates', p] as const,
};

export interface CallbackListParams {
  period?: string | undefined;
  repId?: number | undefined;
  state?: CallbackState | undefined;
  sort?: string | undefined;
  limit: number;
  offset: number;
}

export const callbackQueries = {
  list: (param: CallbackListParams) =>
    queryOptions({
      queryKey: callbackKeys.list(param),
      queryFn: ({ signal }) => api.get<CallbackPage>('/callbacks', { ...param }, { signal }),
      placeholderData: keepPreviousData,
    }),
  rates: (param: { period: string; orgUnitId?: number | undefined }) =>
    queryOptions({
      queryKey: callbackKeys.rates(param),
      queryFn: ({ signal }) => api.get<CallbackRatesResponse>('/callbacks/rates', param, { signal }),
    }),
};
export const useCallbacks = (param: CallbackListParams, enabled = true) =>
  useQuery({ ...callbackQueries.list(param), enabled });
export const useCallbackRates = (param: { period: string; orgUnitId?: number | undefined }) =>
  useQuery(callbackQueries.rates(param));

/** An answer closes the auditor's task and may flag the visit: refresh tasks, activities and the bell too. */
export function useAnswerCallback() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: AnswerCallbackInput & { id: number }) =>
      api.post<CallbackDto>(`/callbacks/${id}/answer`, body),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: callbackKeys.all }),
        qc.invalidateQueries({ queryKey: taskKeys.all }),
        qc.invalidateQueries({ queryKey: activityKeys.all }),
        qc.invalidateQueries({ queryKey: notificationKeys.all }),
      ]),
  });
}

export function useDrawCallbacks() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { period: string }) => api.post<DrawCallbacksResponse>('/callbacks/draws', body),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: callbackKeys.all }),
        qc.invalidateQueries({ queryKey: taskKeys.all }),
      ]),
  });
}
