import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { sessionKeys, workspaceKeys } from '../../api/keys.ts';
import type { Workspace } from '../../api/types.ts';
import type { UpdateWorkspaceInput } from '../../../../src/contracts/workspace.ts';

export const workspaceQueries = {
  current: () =>
    queryOptions({
      queryKey: workspaceKeys.current(),
      queryFn: ({ signal }) => api.get<Workspace>('/workspace', {}, { signal }),
    }),
};

export const useWorkspace = () => useQuery(workspaceQueries.current());

export type UpdateWorkspaceBody = UpdateWorkspaceInput;

export function useUpdateWorkspace() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateWorkspaceBody) => api.patch<Workspace>('/workspace', body),
    // The header shows the workspace name from the session, so refresh that too.
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: workspaceKeys.current() }),
        qc.invalidateQueries({ queryKey: sessionKeys.me() }),
      ]),
  });
}
