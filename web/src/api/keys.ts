/**
 * Query-key factories of the areas whose data several areas read or invalidate (the session,
 * the org tree, users, the workspace); an area only its own screens read keeps its factory in
 * its api.ts. Nothing outside a factory spells a key: a mutation invalidates another area's
 * data through that area's factory (e.g. userKeys.all after moving an org unit).
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
  distribution: (by: 'role' | 'region', unitIds: number[] = []) =>
    [...userKeys.all, 'distribution', by, unitIds] as const,
  /** Pickers of users: every active user the caller sees, or the subset that may hold territory. */
  pickers: (kind: 'active' | 'territory-owners') => [...userKeys.all, 'pickers', kind] as const,
  teamSize: (orgUnitId: number) => [...userKeys.all, 'team-size', orgUnitId] as const,
};

/**
 * The desk (GET /desk: the home page's cards of accounts and deals in one request). Every change
 * that refreshes the account or opportunity lists refreshes it too: those mutations invalidate
 * deskKeys.all beside accountKeys.all or oppKeys.all.
 */
export const deskKeys = {
  all: ['desk'] as const,
  desk: (limit: number) => [...deskKeys.all, { limit }] as const,
};

export const workspaceKeys = {
  /** Also the family: the workspace rules sit under it, so invalidating the workspace refreshes them. */
  current: () => ['workspace'] as const,
  rules: () => ['workspace', 'rules'] as const,
};
