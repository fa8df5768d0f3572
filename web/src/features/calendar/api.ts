import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import type { CalendarFeed, CalendarResponse, CreatedFeed } from '../../../../src/contracts/calendar.ts';

export type { CalendarEntry, CalendarResponse, CalendarFeed, CreatedFeed } from '../../../../src/contracts/calendar.ts';

/** Server state of the calendar and the user's iCalendar feed (docs/rhythm.md § Calendar). */
export interface CalendarParams {
  from: string;
  days: number;
  userId?: number | undefined;
  team?: boolean | undefined;
}

export const calendarKeys = {
  all: ['calendar'] as const,
  range: (p: CalendarParams) => [...calendarKeys.all, 'range', p] as const,
  feed: () => [...calendarKeys.all, 'feed'] as const,
};

export const calendarQueries = {
  range: (params: CalendarParams) =>
    queryOptions({
      queryKey: calendarKeys.range(params),
      queryFn: ({ signal }) =>
        api.get<CalendarResponse>('/calendar', { ...params, team: params.team || undefined }, { signal }),
      placeholderData: keepPreviousData,
    }),
  feed: () =>
    queryOptions({
      queryKey: calendarKeys.feed(),
      queryFn: ({ signal }) => api.get<CalendarFeed>('/calendar/feed', {}, { signal }),
    }),
};

export const useCalendar = (params: CalendarParams) => useQuery(calendarQueries.range(params));
export const useCalendarFeed = () => useQuery(calendarQueries.feed());

export function useCreateFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<CreatedFeed>('/calendar/feed', {}),
    onSettled: () => qc.invalidateQueries({ queryKey: calendarKeys.feed() }),
  });
}

export function useRevokeFeed() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => request<void>('DELETE', '/calendar/feed'),
    onSettled: () => qc.invalidateQueries({ queryKey: calendarKeys.feed() }),
  });
}
