import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { orgKeys, userKeys } from '../../api/keys.ts';
import type { OrgUnit, Page } from '../../api/types.ts';
import type { CreateUnitInput, UpdateUnitInput } from '../../../../src/contracts/org.ts';

export const orgQueries = {
  list: (includeArchived = false) =>
    queryOptions({
      queryKey: orgKeys.list(includeArchived),
      queryFn: ({ signal }) =>
        api.get<Page<OrgUnit>>('/org-units', { includeArchived: includeArchived || undefined }, { signal }),
      select: (page) => page.items,
    }),
};

export function useOrgUnits(includeArchived = false) {
  return useQuery(orgQueries.list(includeArchived));
}

/**
 * Every org change invalidates the tree, and users too: their unit names and the
 * member counts shown beside units change with it. Invalidation also runs after a
 * failure, so a version conflict reloads what someone else saved.
 */
function useOrgMutation<V>(fn: (vars: V) => Promise<OrgUnit>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () =>
      Promise.all([qc.invalidateQueries({ queryKey: orgKeys.all }), qc.invalidateQueries({ queryKey: userKeys.all })]),
  });
}

export type CreateUnitBody = CreateUnitInput;

export const useCreateUnit = () => useOrgMutation((body: CreateUnitBody) => api.post<OrgUnit>('/org-units', body));

export type UpdateUnitVars = UpdateUnitInput & { id: number };

export const useUpdateUnit = () =>
  useOrgMutation(({ id, ...body }: UpdateUnitVars) => api.patch<OrgUnit>(`/org-units/${id}`, body));

export const useArchiveUnit = () =>
  useOrgMutation(({ unit, archived }: { unit: OrgUnit; archived: boolean }) =>
    api.post<OrgUnit>(`/org-units/${unit.id}/${archived ? 'archive' : 'restore'}`, { version: unit.version }),
  );
