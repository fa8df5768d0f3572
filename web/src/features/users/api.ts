import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { orgKeys, userKeys, type UserListParams } from '../../api/keys.ts';
import type { Page, User } from '../../api/types.ts';
import type { CreateUserInput, UpdateUserInput } from '../../../../src/contracts/users.ts';

export const userQueries = {
  list: (params: UserListParams) =>
    queryOptions({
      queryKey: userKeys.list(params),
      queryFn: ({ signal }) => api.get<Page<User>>('/users', { ...params }, { signal }),
      placeholderData: keepPreviousData,
    }),
};

export function useUsers(params: UserListParams) {
  return useQuery(userQueries.list(params));
}

/** User changes move member counts in the org tree as well as the lists. */
function useUserMutation<V>(fn: (vars: V) => Promise<User>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () =>
      Promise.all([qc.invalidateQueries({ queryKey: userKeys.all }), qc.invalidateQueries({ queryKey: orgKeys.all })]),
  });
}

export type CreateUserBody = CreateUserInput;

export const useCreateUser = () => useUserMutation((body: CreateUserBody) => api.post<User>('/users', body));

export type UpdateUserVars = UpdateUserInput & { id: number };

export const useUpdateUser = () =>
  useUserMutation(({ id, ...body }: UpdateUserVars) => api.patch<User>(`/users/${id}`, body));

export const useResetPassword = () =>
  useUserMutation(({ user, password }: { user: User; password: string }) =>
    api.post<User>(`/users/${user.id}/password`, { version: user.version, password }),
  );

export const useSetActive = () =>
  useUserMutation(({ user, active }: { user: User; active: boolean }) =>
    api.post<User>(`/users/${user.id}/${active ? 'activate' : 'deactivate'}`, { version: user.version }),
  );
