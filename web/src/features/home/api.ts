import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { deskKeys, userKeys } from '../../api/keys.ts';
import type { Desk } from '../../../../src/contracts/desk.ts';
import { ROLES, type OrgUnit, type Page, type User } from '../../api/types.ts';

/** How many active users match a filter; the list endpoint's total, fetching one row. */
const countUsers = (filter: { role?: string; orgUnitId?: number }, signal: AbortSignal) =>
  api.get<Page<User>>('/users', { ...filter, active: true, limit: 1 }, { signal }).then((p) => p.total);

export interface Slice {
  key: string;
  name: string;
  value: number;
}

/** The home page's head counts, under the users' keys: a user change refreshes them. */
export const homeQueries = {
  usersByRole: () =>
    queryOptions({
      queryKey: userKeys.distribution('role'),
      queryFn: async ({ signal }): Promise<Slice[]> =>
        Promise.all(ROLES.map(async (role) => ({ key: role, name: role, value: await countUsers({ role }, signal) }))),
    }),
  usersByUnit: (cut: OrgUnit[]) =>
    queryOptions({
      queryKey: userKeys.distribution(
        'region',
        cut.map((u) => u.id),
      ),
      queryFn: async ({ signal }): Promise<Slice[]> =>
        Promise.all(
          cut.map(async (cutItem) => ({
            key: String(cutItem.id),
            name: cutItem.name,
            value: await countUsers({ orgUnitId: cutItem.id }, signal),
          })),
        ),
    }),
  teamSize: (orgUnitId: number) =>
    queryOptions({
      queryKey: userKeys.teamSize(orgUnitId),
      queryFn: ({ signal }) => countUsers({ orgUnitId }, signal),
    }),
};

export const useUsersByRole = (enabled: boolean) => useQuery({ ...homeQueries.usersByRole(), enabled });

export function useUsersByRegion(units: OrgUnit[] | undefined, enabled: boolean) {
  // Regions are the natural cut; a company without them is shown by its top-level units.
  const regions = units?.filter((u) => u.type === 'region') ?? [];
  const cut = regions.length > 0 ? regions : (units?.filter((u) => u.depth === 1) ?? []);
  return useQuery({ ...homeQueries.usersByUnit(cut), enabled: enabled && units !== undefined });
}

export const useTeamSize = (orgUnitId: number, enabled = true) =>
  useQuery({ ...homeQueries.teamSize(orgUnitId), enabled });

/**
 * The desk's cards in one request (GET /desk): each card's first `limit` rows and total as its list
 * answers them, and whether there is anything at all. Refreshed with the lists (web/src/api/keys.ts deskKeys).
 */
export const deskQueries = {
  desk: (limit: number) =>
    queryOptions({
      queryKey: deskKeys.desk(limit),
      queryFn: ({ signal }) => api.get<Desk>('/desk', { limit }, { signal }),
    }),
};
