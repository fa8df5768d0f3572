import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type {
  ForecastRequest,
  ForecastResponse,
  FunnelGapRequest,
  FunnelGapResponse,
  GapRequest,
  GapResponse,
  StandardFunnelRequest,
  StandardFunnelResponse,
} from '../../../../src/contracts/planning.ts';

/**
 * The planning calculators (docs/targets.md § Planning calculators): pure arithmetic on the
 * server, so a what-if is a query keyed by the numbers typed — the same numbers twice are
 * answered from the cache.
 */
export const planningKeys = {
  all: ['planning'] as const,
  calc: (kind: string, body: unknown) => [...planningKeys.all, kind, body] as const,
};

const calc =
  <Req, Res>(kind: string) =>
  (body: Req | null) =>
    queryOptions({
      queryKey: planningKeys.calc(kind, body),
      queryFn: ({ signal }) => api.post<Res>(`/planning/${kind}`, body, { signal }),
      enabled: body !== null,
      placeholderData: keepPreviousData,
      staleTime: Infinity,
      retry: false,
    });

export const planningQueries = {
  standardFunnel: calc<StandardFunnelRequest, StandardFunnelResponse>('standard-funnel'),
  funnelGap: calc<FunnelGapRequest, FunnelGapResponse>('funnel-gap'),
  forecast: calc<ForecastRequest, ForecastResponse>('forecast'),
  gap: calc<GapRequest, GapResponse>('gap'),
};

export const useStandardFunnel = (body: StandardFunnelRequest | null) => useQuery(planningQueries.standardFunnel(body));
export const useFunnelGap = (body: FunnelGapRequest | null) => useQuery(planningQueries.funnelGap(body));
export const useForecastCalc = (body: ForecastRequest | null) => useQuery(planningQueries.forecast(body));
export const useGapCalc = (body: GapRequest | null) => useQuery(planningQueries.gap(body));
