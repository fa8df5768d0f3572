import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import type { AnalysesResponse } from '../../../../src/contracts/analyses.ts';
import type {
  AccuracyResponse,
  Adjustment,
  BehindResponse,
  DraftResponse,
  ForecastView,
  GapView,
  SubmissionDetail,
  SubmitRequest,
} from '../../../../src/contracts/forecasts.ts';
import type { ExportFormat, ExportReport, ReportExportInput } from '../../../../src/contracts/exports.ts';

/** What every report of docs/targets.md is for: a scope (workspace, unit:<id>, user:<id>) and a period; absent = the caller's own, this quarter. */
export interface ScopeParams {
  scope?: string | undefined;
  period?: string | undefined;
  /** The funnel, forecast and gap: a business line's key, or none (docs/targets.md § Business lines). */
  line?: string | undefined;
}

/** Query keys of the forecast and the analyses; a submission or an adjustment refreshes them all. */
export const forecastKeys = {
  all: ['forecasts'] as const,
  view: (p: ScopeParams) => [...forecastKeys.all, 'view', p] as const,
  draft: (period: string | undefined) => [...forecastKeys.all, 'draft', period ?? null] as const,
  accuracy: (p: ScopeParams) => [...forecastKeys.all, 'accuracy', p] as const,
  gap: (p: ScopeParams) => [...forecastKeys.all, 'gap', p] as const,
  behind: (p: ScopeParams) => [...forecastKeys.all, 'behind', p] as const,
  analyses: (p: ScopeParams) => [...forecastKeys.all, 'analyses', p] as const,
};

const query = (p: ScopeParams) => ({ scope: p.scope, period: p.period });
/** The reports a business line narrows (the others are of every line). */
const lineQuery = (p: ScopeParams) => ({ ...query(p), line: p.line });

export const forecastQueries = {
  view: (param: ScopeParams) =>
    queryOptions({
      queryKey: forecastKeys.view(param),
      queryFn: ({ signal }) => api.get<ForecastView>('/forecasts', lineQuery(param), { signal }),
      placeholderData: keepPreviousData,
      retry: false,
    }),
  draft: (period: string | undefined) =>
    queryOptions({
      queryKey: forecastKeys.draft(period),
      queryFn: ({ signal }) => api.get<DraftResponse>('/forecasts/draft', { period }, { signal }),
      retry: false,
    }),
  accuracy: (param: ScopeParams) =>
    queryOptions({
      queryKey: forecastKeys.accuracy(param),
      queryFn: ({ signal }) => api.get<AccuracyResponse>('/forecasts/accuracy', query(param), { signal }),
      placeholderData: keepPreviousData,
      retry: false,
    }),
  gap: (param: ScopeParams) =>
    queryOptions({
      queryKey: forecastKeys.gap(param),
      queryFn: ({ signal }) => api.get<GapView>('/forecasts/gap', lineQuery(param), { signal }),
      placeholderData: keepPreviousData,
      retry: false,
    }),
  behind: (param: ScopeParams) =>
    queryOptions({
      queryKey: forecastKeys.behind(param),
      queryFn: ({ signal }) => api.get<BehindResponse>('/forecasts/behind', query(param), { signal }),
      retry: false,
    }),
  analyses: (param: ScopeParams) =>
    queryOptions({
      queryKey: forecastKeys.analyses(param),
      queryFn: ({ signal }) => api.get<AnalysesResponse>('/analyses', query(param), { signal }),
      placeholderData: keepPreviousData,
      retry: false,
    }),
};

export const useForecast = (p: ScopeParams, enabled = true) => useQuery({ ...forecastQueries.view(p), enabled });
export const useDraft = (period: string | undefined, enabled: boolean) =>
  useQuery({ ...forecastQueries.draft(period), enabled });
export const useAccuracy = (p: ScopeParams) => useQuery(forecastQueries.accuracy(p));
export const useGap = (p: ScopeParams, enabled = true) => useQuery({ ...forecastQueries.gap(p), enabled });
export const useBehind = (p: ScopeParams, enabled = true) => useQuery({ ...forecastQueries.behind(p), enabled });
export const useAnalyses = (p: ScopeParams) => useQuery(forecastQueries.analyses(p));

function useForecastMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: forecastKeys.all }) });
}

export const useSubmitForecast = () =>
  useForecastMutation((body: SubmitRequest) => api.post<SubmissionDetail>('/forecasts/submissions', body));
export const useAdjustForecast = () =>
  useForecastMutation(
    (body: { unitId: number; period?: string; amount: number; note?: string | null; version?: number }) =>
      request<Adjustment>('PUT', '/forecasts/adjustments', body),
  );

/** The URL of a report's download with the filters it is shown with (GET, so the browser saves it). */
export const exportUrl = (
  report: ExportReport,
  param: ScopeParams & { processId?: number | undefined },
  lang: NonNullable<ReportExportInput['lang']>,
) => {
  const params = new URLSearchParams({ report, format: 'xlsx' satisfies ExportFormat, lang });
  if (param.scope) params.set('scope', param.scope);
  if (param.period) params.set('period', param.period);
  if (param.processId !== undefined) params.set('processId', String(param.processId));
  // The export carries the line the report was shown with (accuracy and analyses are of every line).
  if (param.line && (report === 'funnel' || report === 'forecast' || report === 'gap')) params.set('line', param.line);
  return `/api/v1/forecasts/export?${params.toString()}`;
};
