import { createContext, useContext } from 'react';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client.ts';
import { sessionKeys } from '../../api/keys.ts';
import type { Me } from '../../api/types.ts';
import type { Capability } from '../../../../src/contracts/capabilities.ts';
import { takeChoiceBeforeSignIn, type Locale } from '../../i18n/locale.ts';
import { useI18n } from '../../i18n/useI18n.ts';

export const sessionQueries = {
  /** The signed-in user, or null when signed out (401 is an answer here, not an error). */
  me: () =>
    queryOptions({
      queryKey: sessionKeys.me(),
      queryFn: async ({ signal }) => {
        try {
          return await api.get<Me>('/auth/me', {}, { expect401: true, signal });
        } catch (error) {
          if (isApiError(error) && error.status === 401) return null;
          throw error;
        }
      },
      staleTime: 5 * 60_000,
    }),
  setup: () =>
    queryOptions({
      queryKey: sessionKeys.setup(),
      queryFn: ({ signal }) => api.get<{ needed: boolean }>('/setup', {}, { signal }),
      staleTime: Infinity,
    }),
};

export function useMe() {
  return useQuery(sessionQueries.me());
}

/**
 * The signed-in user as the session gate last rendered it. A context rather than the query
 * itself: on sign-out the query empties before the gate unmounts the signed-in area, and a
 * component reading the query directly would render once with no user.
 */
export const SessionContext = createContext<Me | null>(null);

/** The signed-in user; only for components rendered inside the session gate. */
export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession used outside the signed-in area');
  return me;
}

/** Whether the signed-in user holds a capability — the server's answer, never a role check here. */
export function useCan(): (capability: Capability) => boolean {
  const { capabilities } = useSession();
  return (capability) => capabilities.includes(capability);
}

export function useSignIn() {
  const qc = useQueryClient();
  const { setLocale } = useI18n();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => api.post<Me>('/auth/login', body, { expect401: true }),
    onSuccess: (me) => {
      // Whatever was cached belonged to the previous session.
      qc.clear();
      const chosen = takeChoiceBeforeSignIn();
      if (chosen && chosen !== me.user.locale) {
        // The language picked on the sign-in page a moment ago wins, and follows the user from now on.
        qc.setQueryData(sessionKeys.me(), { ...me, user: { ...me.user, locale: chosen } });
        // Until an administrator-set password is changed the server refuses profile changes.
        if (!me.user.mustChangePassword) void api.patch<Me>('/auth/me', { locale: chosen }).catch(() => undefined);
      } else qc.setQueryData(sessionKeys.me(), me);
      setLocale(chosen ?? me.user.locale);
    },
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/logout', {}, { expect401: true }).catch(() => undefined),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(sessionKeys.me(), null);
    },
  });
}

export interface SetupBody {
  workspaceName: string;
  adminName: string;
  adminEmail: string;
  adminPassword: string;
  locale: Locale;
}

export function useSetup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SetupBody) => api.post<{ workspaceId: number }>('/setup', body),
    onSuccess: async () => {
      qc.setQueryData(sessionKeys.setup(), { needed: false });
      await qc.invalidateQueries({ queryKey: sessionKeys.me() });
    },
  });
}

export function useUpdateMe() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name?: string; phone?: string | null; locale?: Locale }) => api.patch<Me>('/auth/me', body),
    onSuccess: (me) => qc.setQueryData(sessionKeys.me(), me),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api.post<void>('/auth/password', body),
  });
}
