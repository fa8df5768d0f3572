import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, withQuery, type FieldError } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import type { DuplicateMode } from '../../../../src/domain/import-validate.ts';
import type { ImportKind } from '../../../../src/domain/import-fields.ts';
import type { TextEncoding as Encoding } from '../../../../src/domain/spreadsheet-format.ts';
import type {
  ImportJob,
  JobStatus,
  ReportKind,
  ReportRow,
  ValidateRequest,
} from '../../../../src/contracts/imports.ts';

/** Server shapes: the imports contract, types only. */
export type { DuplicateMode } from '../../../../src/domain/import-validate.ts';
export type { ImportKind } from '../../../../src/domain/import-fields.ts';
export type { TextEncoding as Encoding } from '../../../../src/domain/spreadsheet-format.ts';
export type { ImportJob, JobStatus, ReportKind, RowProblem, UnknownValue } from '../../../../src/contracts/imports.ts';
export type Mapping = ValidateRequest['mapping'];
export type ValueMapping = NonNullable<ValidateRequest['valueMapping']>;
export type ErrorRow = ReportRow;

/** The fields of each kind, in the order the mapping table shows them; required ones first. */
export const FIELDS: Record<ImportKind, string[]> = {
  accounts: [
    'name',
    'creditCode',
    'industry',
    'province',
    'city',
    'district',
    'address',
    'size',
    'website',
    'phone',
    'leadSource',
    'status',
    'ownerEmail',
    'notes',
  ],
  contacts: [
    'accountName',
    'accountCreditCode',
    'name',
    'title',
    'department',
    'reportsTo',
    'mobile',
    'phone',
    'email',
    'wechat',
    'birthday',
    'notes',
  ],
  purchases: ['accountName', 'accountCreditCode', 'purchasedOn', 'amount', 'product', 'notes'],
  opportunities: [
    'accountName',
    'accountCreditCode',
    'name',
    'process',
    'stage',
    'amount',
    'expectedCloseDate',
    'owner',
    'dealStatus',
    'lossReason',
    'competitor',
    'leadSource',
    'products',
    'description',
  ],
};
export const REQUIRED: Record<ImportKind, string[]> = {
  accounts: ['name'],
  contacts: ['name', 'accountName'],
  purchases: ['accountName', 'purchasedOn', 'amount'],
  opportunities: ['accountName', 'name', 'amount', 'expectedCloseDate'],
};

export const importKeys = {
  all: ['imports'] as const,
  job: (id: number) => [...importKeys.all, 'job', id] as const,
  rows: (id: number, kind: ReportKind, page: number) => [...importKeys.all, 'job', id, kind, page] as const,
};

const running = (s: JobStatus | undefined) => s === 'validating' || s === 'committing' || s === 'reading';

export const importQueries = {
  /**
   * The job, polled twice a second while it validates or commits (the progress bar), and every
   * second after the commit while its records are being indexed for search (docs/search.md).
   */
  job: (id: number | null) =>
    queryOptions({
      queryKey: importKeys.job(id ?? 0),
      queryFn: ({ signal }) => api.get<ImportJob>(`/imports/${id}`, {}, { signal }),
      enabled: id !== null,
      refetchInterval: (q) => (running(q.state.data?.status) ? 500 : q.state.data?.searchPending ? 1000 : false),
    }),
  /** A page of the dry-run report: the rows in error, or the rows created with a warning. */
  rows: (id: number, kind: ReportKind, page: number) =>
    queryOptions({
      queryKey: importKeys.rows(id, kind, page),
      queryFn: ({ signal }) =>
        api.get<Page<ErrorRow>>(
          `/imports/${id}/${kind}`,
          { limit: ERROR_PAGE, offset: (page - 1) * ERROR_PAGE },
          { signal },
        ),
      placeholderData: keepPreviousData,
    }),
};

export const useImportJob = (id: number | null) => useQuery(importQueries.job(id));

export const ERROR_PAGE = 10;

export const useReportRows = (id: number, kind: ReportKind, page: number, enabled: boolean) =>
  useQuery({ ...importQueries.rows(id, kind, page), enabled });

/** Uploads the file as the raw request body (CSV or xlsx; the server recognises it by content). */
export async function uploadImport(file: File, kind: ImportKind, encoding: Encoding | undefined): Promise<ImportJob> {
  const res = await fetch(`/api/v1${withQuery('/imports', { kind, fileName: file.name, encoding })}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'content-type': 'application/octet-stream' },
    body: file,
  });
  if (res.ok) return (await res.json()) as ImportJob;
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
}

export function useUploadImport() {
  return useMutation({
    mutationFn: (v: { file: File; kind: ImportKind; encoding?: Encoding }) => uploadImport(v.file, v.kind, v.encoding),
  });
}

function useJobMutation<V>(fn: (variables: V) => Promise<ImportJob>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (job) => qc.setQueryData(importKeys.job(job.id), job),
    onSettled: () => qc.invalidateQueries({ queryKey: importKeys.all }),
  });
}

export const useValidateImport = () =>
  useJobMutation((value: { id: number; mapping: Mapping; duplicateMode: DuplicateMode; valueMapping?: ValueMapping }) =>
    api.post<ImportJob>(`/imports/${value.id}/validate`, {
      mapping: value.mapping,
      duplicateMode: value.duplicateMode,
      ...(value.valueMapping && { valueMapping: value.valueMapping }),
    }),
  );
export const useCommitImport = () =>
  useJobMutation((value: { id: number; skipErrors: boolean }) =>
    api.post<ImportJob>(`/imports/${value.id}/commit`, { skipErrors: value.skipErrors }),
  );
