import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import type { BuyingPhase, EvidenceItem, Process, ProcessSummary, Stage, TeamRole } from '../opportunities/types.ts';

/** Server shapes: src/modules/sales-processes (docs/sales-process.md § Sales processes and stages). The opportunity screens read processes through processKeys. */
export type TemplateKey = 'small' | 'large' | 'seven_steps' | 'p0_p7';
export interface Template {
  key: TemplateKey;
  name: { zh: string; en: string };
  description: { zh: string; en: string };
  stages: { name: { zh: string; en: string }; probability: number }[];
}
export interface ProcessRow extends ProcessSummary { updatedAt: number; version: number }
export interface ProcessFull extends Process { updatedAt: number; version: number }

export interface StagePatch {
  version: number;
  name?: string;
  probability?: number;
  purpose?: string | null;
  milestone?: string | null;
  evidence?: EvidenceItem[];
  actions?: string[];
  roles?: TeamRole[];
  expectedDays?: number;
  buyingPhase?: BuyingPhase | null;
}

export const processKeys = {
  all: ['sales-processes'] as const,
  /** The active processes (the opportunity screens' pickers). */
  active: () => processKeys.all,
  admin: () => [...processKeys.all, 'with-inactive'] as const,
  templates: () => [...processKeys.all, 'templates'] as const,
  detail: (id: number) => [...processKeys.all, id] as const,
};

export const processQueries = {
  admin: () =>
    queryOptions({ queryKey: processKeys.admin(), queryFn: ({ signal }) => api.get<{ items: ProcessRow[] }>('/sales-processes', { includeInactive: true }, { signal }), select: (r) => r.items }),
  templates: () =>
    queryOptions({ queryKey: processKeys.templates(), queryFn: ({ signal }) => api.get<{ items: Template[] }>('/sales-processes/templates', {}, { signal }), select: (r) => r.items, staleTime: Infinity }),
  detail: (id: number) => queryOptions({ queryKey: processKeys.detail(id), queryFn: ({ signal }) => api.get<ProcessFull>(`/sales-processes/${id}`, {}, { signal }) }),
};

export const useAllProcesses = () => useQuery(processQueries.admin());
export const useTemplates = () => useQuery(processQueries.templates());
export const useProcessFull = (id: number) => useQuery(processQueries.detail(id));

function useProcessMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: processKeys.all }) });
}

export const useCopyTemplate = () => useProcessMutation((body: { templateKey: TemplateKey; name?: string; lang: 'zh' | 'en' }) => api.post<ProcessFull>('/sales-processes', body));
export const useUpdateProcess = () =>
  useProcessMutation(({ id, ...body }: { id: number; version: number; name?: string; description?: string | null; active?: boolean }) => api.patch<ProcessFull>(`/sales-processes/${id}`, body));
export const useUpdateStage = () => useProcessMutation(({ id, ...body }: StagePatch & { id: number }) => api.patch<Stage>(`/process-stages/${id}`, body));

/** Adding, removing and reordering stages change the process: each sends the process's version. */
export interface NewStage { name: string; probability: number; expectedDays?: number }
export const useAddStage = () =>
  useProcessMutation(({ id, ...body }: NewStage & { id: number; version: number; position: number }) => api.post<ProcessFull>(`/sales-processes/${id}/stages`, body));
export const useRemoveStage = () =>
  useProcessMutation(({ stageId, version }: { stageId: number; version: number }) => request<ProcessFull>('DELETE', `/process-stages/${stageId}?version=${version}`));
export const useReorderStages = () =>
  useProcessMutation(({ id, ...body }: { id: number; version: number; stages: { id: number; probability?: number }[] }) => request<ProcessFull>('PUT', `/sales-processes/${id}/stage-order`, body));

/** The 409 of a stage still in use (src/modules/sales-processes/stages.ts). */
export interface StageInUse { total: number; byStatus: Record<string, number>; items: { id: number; name: string; status: string }[] }
