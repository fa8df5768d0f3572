import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, request, type FieldError } from '../../api/client.ts';
import type {
  QuotaHistory,
  QuotaImportResponse,
  QuotaTable,
  SaveQuotasRequest,
} from '../../../../src/contracts/quotas.ts';
import { funnelKeys } from '../funnel/api.ts';

/** Quotas (docs/targets.md § Quotas): the table of a fiscal year, its save, a row's history, the import. */
export const quotaKeys = {
  all: ['quotas'] as const,
  table: (part: { fiscalYear?: number | undefined; basis?: string | undefined }) =>
    [...quotaKeys.all, 'table', part] as const,
  history: (type: string, id: number) => [...quotaKeys.all, 'history', type, id] as const,
};

export const useQuotaTable = (params: { fiscalYear?: number | undefined; basis?: string | undefined }) =>
  useQuery(
    queryOptions({
      queryKey: quotaKeys.table(params),
      queryFn: ({ signal }) => api.get<QuotaTable>('/quotas', { ...params }, { signal }),
      placeholderData: keepPreviousData,
    }),
  );

export const useQuotaHistory = (subject: { type: 'user' | 'unit'; id: number } | null) =>
  useQuery({
    queryKey: quotaKeys.history(subject?.type ?? '', subject?.id ?? 0),
    queryFn: ({ signal }) =>
      api.get<QuotaHistory>('/quotas/history', { subjectType: subject!.type, subjectId: subject!.id }, { signal }),
    enabled: subject !== null,
  });

/** A saved quota changes the table, the history and every health figure read against it. */
function useRefresh() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: quotaKeys.all }),
      qc.invalidateQueries({ queryKey: funnelKeys.all }),
    ]);
}

export function useSaveQuotas() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: SaveQuotasRequest) => request<{ changed: number }>('PUT', '/quotas', body),
    onSuccess: refresh,
  });
}

export function useImportQuotas() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async ({ file, fiscalYear, dryRun }: { file: File; fiscalYear: number; dryRun: boolean }) => {
      // The file goes as the raw body, as every upload does (docs/DESIGN.md § Imports).
      const res = await fetch(`/api/v1/quotas/import?fiscalYear=${fiscalYear}&dryRun=${dryRun}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': 'application/octet-stream' },
        body: file,
      });
      if (res.ok) return (await res.json()) as QuotaImportResponse;
      const problem = (await res.json().catch(() => null)) as {
        code?: string;
        detail?: string;
        errors?: FieldError[];
      } | null;
      throw new ApiError(
        res.status,
        problem?.code ?? `http_${res.status}`,
        problem?.detail ?? res.statusText,
        problem?.errors ?? [],
      );
    },
    onSuccess: (r) => (r.changed > 0 ? refresh() : undefined),
  });
}
