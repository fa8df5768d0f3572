import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { AuditEntry, Page } from '../../api/types.ts';
import type { AuditListQuery } from '../../../../src/contracts/audit.ts';

/** The list parameters the log page sends. */
export type AuditListParams = Pick<AuditListQuery, 'limit' | 'offset' | 'action'>;

/** Query keys of the audit log; nothing writes it from the web, so it needs no invalidation helper. */
export const auditKeys = {
  all: ['audit-log'] as const,
  list: (params: AuditListParams) => [...auditKeys.all, 'list', params] as const,
};

export const auditQueries = {
  list: (params: AuditListParams) =>
    queryOptions({
      queryKey: auditKeys.list(params),
      queryFn: ({ signal }) => api.get<Page<AuditEntry>>('/audit-log', { ...params }, { signal }),
      placeholderData: keepPreviousData,
    }),
};
