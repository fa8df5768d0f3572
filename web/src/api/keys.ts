/**
 * Query-key factories: every cached server read is named here, so a mutation can
 * invalidate exactly the family it changed (e.g. userKeys.all after creating a user).
 */
export interface UserListParams {
  limit: number;
  offset: number;
  sort?: string;
  q?: string;
  role?: string;
  orgUnitId?: number;
  active?: boolean;
}

export const sessionKeys = {
  me: () => ['session', 'me'] as const,
  setup: () => ['session', 'setup'] as const,
};

export const orgKeys = {
  all: ['org-units'] as const,
  list: (includeArchived: boolean) => [...orgKeys.all, 'list', { includeArchived }] as const,
};

export const userKeys = {
  all: ['users'] as const,
  list: (params: UserListParams) => [...userKeys.all, 'list', params] as const,
  distribution: (by: 'role' | 'region') => [...userKeys.all, 'distribution', by] as const,
  teamSize: (orgUnitId: number) => [...userKeys.all, 'team-size', orgUnitId] as const,
};

export const workspaceKeys = {
  current: () => ['workspace'] as const,
};

export const auditKeys = {
  all: ['audit-log'] as const,
  list: (params: { limit: number; offset: number; action?: string }) => [...auditKeys.all, 'list', params] as const,
};
