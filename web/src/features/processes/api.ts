import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import type {
  AddStageInput,
  CopyTemplateInput,
  Process,
  ProcessSummary,
  Stage,
  StageOrderInput,
  Template,
  UpdateProcessInput,
  UpdateStageInput,
} from '../../../../src/contracts/sales-processes.ts';

/** Server shapes: the sales-processes contract (docs/sales-process.md § Sales processes and stages). The opportunity screens read processes through processKeys. */
export type { Template, TemplateKey } from '../../../../src/contracts/sales-processes.ts';
export type ProcessRow = ProcessSummary;
export type ProcessFull = Process;
export type StagePatch = UpdateStageInput;

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
    queryOptions({
      queryKey: processKeys.admin(),
      queryFn: ({ signal }) =>
        api.get<{ items: ProcessRow[] }>('/sales-processes', { includeInactive: true }, { signal }),
      select: (r) => r.items,
    }),
  templates: () =>
    queryOptions({
      queryKey: processKeys.templates(),
      queryFn: ({ signal }) => api.get<{ items: Template[] }>('/sales-processes/templates', {}, { signal }),
      select: (r) => r.items,
      staleTime: Infinity,
    }),
  detail: (id: number) =>
    queryOptions({
      queryKey: processKeys.detail(id),
      queryFn: ({ signal }) => api.get<ProcessFull>(`/sales-processes/${id}`, {}, { signal }),
    }),
};

export const useAllProcesses = () => useQuery(processQueries.admin());
export const useTemplates = () => useQuery(processQueries.templates());
export const useProcessFull = (id: number) => useQuery(processQueries.detail(id));

function useProcessMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: processKeys.all }) });
}

export const useCopyTemplate = () =>
  useProcessMutation((body: CopyTemplateInput) => api.post<ProcessFull>('/sales-processes', body));
export const useUpdateProcess = () =>
  useProcessMutation(({ id, ...body }: UpdateProcessInput & { id: number }) =>
    api.patch<ProcessFull>(`/sales-processes/${id}`, body),
  );
export const useUpdateStage = () =>
  useProcessMutation(({ id, ...body }: StagePatch & { id: number }) => api.patch<Stage>(`/process-stages/${id}`, body));

/** Adding, removing and reordering stages change the process: each sends the process's version. */
export type NewStage = Omit<AddStageInput, 'version' | 'position'>;
export const useAddStage = () =>
  useProcessMutation(({ id, ...body }: AddStageInput & { id: number }) =>
    api.post<ProcessFull>(`/sales-processes/${id}/stages`, body),
  );
export const useRemoveStage = () =>
  useProcessMutation(({ stageId, version }: { stageId: number; version: number }) =>
    request<ProcessFull>('DELETE', `/process-stages/${stageId}?version=${version}`),
  );
export const useReorderStages = () =>
  useProcessMutation(({ id, ...body }: StageOrderInput & { id: number }) =>
    request<ProcessFull>('PUT', `/sales-processes/${id}/stage-order`, body),
  );

/** The 409 of a stage still in use (src/modules/sales-processes/stages.ts). */
export type { StageInUse } from '../../../../src/contracts/sales-processes.ts';
