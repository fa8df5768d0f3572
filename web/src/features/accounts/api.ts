import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import { deskKeys, userKeys } from '../../api/keys.ts';
import type { Page, User } from '../../api/types.ts';
import type {
  Account,
  AccountDetail,
  AccountFilters,
  Attitude,
  BuyingRole,
  BuyingRoleKind,
  Contact,
  DuplicateMatch,
  HistoryEntry,
  Influence,
  Profile,
  RelationshipMapData,
} from './types.ts';
import type { CreateAccountInput, SaveProfileInput, UpdateAccountInput } from '../../../../src/contracts/accounts.ts';
import type { CappedPage } from '../../../../src/contracts/common.ts';
import type { Opportunity } from '../../../../src/contracts/opportunities.ts';
import type { NamedInput, TierOverrideInput } from '../../../../src/contracts/tiers.ts';

/** Query keys of the customer archive; a mutation invalidates the family it changed. */
export const accountKeys = {
  all: ['accounts'] as const,
  list: (params: AccountFilters & { limit: number; offset: number }) => [...accountKeys.all, 'list', params] as const,
  detail: (id: number) => [...accountKeys.all, 'detail', id] as const,
  history: (id: number) => [...accountKeys.all, 'detail', id, 'history'] as const,
  profile: (id: number) => [...accountKeys.all, 'detail', id, 'profile'] as const,
  contacts: (id: number, archived: boolean) => [...accountKeys.all, 'detail', id, 'contacts', { archived }] as const,
  roles: (id: number) => [...accountKeys.all, 'detail', id, 'roles'] as const,
  map: (id: number) => [...accountKeys.all, 'detail', id, 'map'] as const,
  duplicates: (name: string, creditCode: string) => [...accountKeys.all, 'duplicates', { name, creditCode }] as const,
  opportunities: (id: number) => [...accountKeys.all, 'detail', id, 'opportunities'] as const,
  timeline: (id: number, groups: readonly string[]) => [...accountKeys.all, 'detail', id, 'timeline', groups] as const,
  picker: (q: string) => [...accountKeys.all, 'picker', q] as const,
};

export const PAGE_SIZE = 20;

/** An opportunity as GET /opportunities lists it (the fields this tab shows). */
export type OpportunityRow = Pick<
  Opportunity,
  | 'id'
  | 'name'
  | 'processName'
  | 'stageName'
  | 'probability'
  | 'amount'
  | 'expectedAmount'
  | 'status'
  | 'expectedCloseDate'
  | 'ownerName'
  | 'daysInStage'
  | 'problems'
>;

export const accountQueries = {
  list: (filters: AccountFilters, page: number) =>
    accountQueries.page({ ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
  /** A page under any parameters (the desk's cards ask for a few rows), cached under the list key. */
  page: (params: AccountFilters & { limit: number; offset: number }) =>
    queryOptions({
      queryKey: accountKeys.list(params),
      queryFn: ({ signal }) => api.get<CappedPage<Account>>('/accounts', params, { signal }),
      placeholderData: keepPreviousData,
    }),
  /** The account picker of a new opportunity: the first accounts whose name matches. */
  picker: (query: string) =>
    queryOptions({
      queryKey: accountKeys.picker(query),
      queryFn: ({ signal }) =>
        api.get<Page<{ id: number; name: string; city: string | null }>>(
          '/accounts',
          { q: query || undefined, limit: 20, sort: 'name' },
          { signal },
        ),
      staleTime: 30_000,
    }),
  detail: (id: number, enabled = true) =>
    queryOptions({
      queryKey: accountKeys.detail(id),
      queryFn: ({ signal }) => api.get<AccountDetail>(`/accounts/${id}`, {}, { signal }),
      enabled,
    }),
  history: (id: number) =>
    queryOptions({
      queryKey: accountKeys.history(id),
      queryFn: ({ signal }) => api.get<{ items: HistoryEntry[] }>(`/accounts/${id}/history`, {}, { signal }),
      select: (r) => r.items,
    }),
  profile: (id: number, enabled = true) =>
    queryOptions({
      queryKey: accountKeys.profile(id),
      queryFn: ({ signal }) => api.get<Profile>(`/accounts/${id}/profile`, {}, { signal }),
      enabled,
    }),
  contacts: (accountId: number, archived = false) =>
    queryOptions({
      queryKey: accountKeys.contacts(accountId, archived),
      queryFn: ({ signal }) =>
        api.get<Page<Contact>>(
          '/contacts',
          { accountId, limit: 500, sort: 'name', archived: archived || undefined },
          { signal },
        ),
    }),
  roles: (accountId: number) =>
    queryOptions({
      queryKey: accountKeys.roles(accountId),
      queryFn: ({ signal }) => api.get<{ items: BuyingRole[] }>(`/accounts/${accountId}/buying-roles`, {}, { signal }),
      select: (r) => r.items,
    }),
  /** The account's opportunities tab: all of them, most recently changed first. */
  opportunities: (accountId: number) =>
    queryOptions({
      queryKey: accountKeys.opportunities(accountId),
      queryFn: ({ signal }) =>
        api.get<Page<OpportunityRow>>('/opportunities', { accountId, limit: 200, sort: '-updatedAt' }, { signal }),
    }),
  map: (accountId: number) =>
    queryOptions({
      queryKey: accountKeys.map(accountId),
      queryFn: ({ signal }) => api.get<RelationshipMapData>(`/accounts/${accountId}/relationship-map`, {}, { signal }),
    }),
  /** Possible duplicates of a new account (docs/archive.md), while the name is being typed. */
  duplicates: (name: string, creditCode: string) =>
    queryOptions({
      queryKey: accountKeys.duplicates(name, creditCode),
      queryFn: ({ signal }) =>
        api.get<{ matches: DuplicateMatch[] }>(
          '/accounts/duplicates',
          { name, creditCode: creditCode || undefined },
          { signal },
        ),
      enabled: name.trim().length >= 2,
      select: (r) => r.matches,
      staleTime: 30_000,
    }),
  /** Active users the caller can see: owner and relationship-holder pickers. */
  people: () =>
    queryOptions({
      queryKey: userKeys.pickers('active'),
      queryFn: ({ signal }) => api.get<Page<User>>('/users', { limit: 500, active: true, sort: 'name' }, { signal }),
      select: (r) => r.items,
      staleTime: 5 * 60_000,
    }),
};

export const useAccounts = (filters: AccountFilters, page: number) => useQuery(accountQueries.list(filters, page));
export const useAccount = (id: number, enabled = true) => useQuery(accountQueries.detail(id, enabled));
export const useAccountHistory = (id: number) => useQuery(accountQueries.history(id));
export const useProfile = (id: number, enabled: boolean) => useQuery(accountQueries.profile(id, enabled));
export const useContacts = (accountId: number, archived = false) =>
  useQuery(accountQueries.contacts(accountId, archived));
export const useRoles = (accountId: number) => useQuery(accountQueries.roles(accountId));
export const useRelationshipMap = (accountId: number) => useQuery(accountQueries.map(accountId));
export const useDuplicates = (name: string, creditCode: string) =>
  useQuery(accountQueries.duplicates(name, creditCode));
export const usePeople = () => useQuery(accountQueries.people());

/** Every account change may move lists, the detail, the map and the history: refresh the area. */
function useAccountMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: accountKeys.all }),
        qc.invalidateQueries({ queryKey: deskKeys.all }),
      ]),
  });
}

/** The writable fields of an account, as the forms send them (the contract's update body without its version). */
export type AccountBody = Omit<UpdateAccountInput, 'version' | 'ownerReason'>;

export const useCreateAccount = () =>
  useAccountMutation((body: CreateAccountInput) => api.post<AccountDetail>('/accounts', body));
export const useUpdateAccount = () =>
  useAccountMutation(({ id, ...body }: UpdateAccountInput & { id: number }) =>
    api.patch<AccountDetail>(`/accounts/${id}`, body),
  );
export const useSetArchived = () =>
  useAccountMutation(({ account, archived }: { account: AccountDetail; archived: boolean }) =>
    api.post<AccountDetail>(`/accounts/${account.id}/${archived ? 'archive' : 'restore'}`, {
      version: account.version,
    }),
  );
export const useTierOverride = () =>
  useAccountMutation(({ id, ...body }: TierOverrideInput & { id: number }) =>
    api.post<AccountDetail>(`/accounts/${id}/tier-override`, body),
  );
export const useSetNamed = () =>
  useAccountMutation(({ id, ...body }: NamedInput & { id: number }) =>
    request<AccountDetail>('PUT', `/accounts/${id}/named`, body),
  );
export const useSaveProfile = () =>
  useAccountMutation(({ id, ...body }: SaveProfileInput & { id: number }) =>
    request<Profile>('PUT', `/accounts/${id}/profile`, body),
  );

export interface ContactBody {
  name?: string;
  title?: string | null;
  department?: string | null;
  reportsToId?: number | null;
  phone?: string | null;
  mobile?: string | null;
  email?: string | null;
  wechat?: string | null;
  birthday?: string | null;
  notes?: string | null;
}
export const useCreateContact = () =>
  useAccountMutation((body: ContactBody & { accountId: number; name: string }) => api.post<Contact>('/contacts', body));
export const useUpdateContact = () =>
  useAccountMutation(({ id, ...body }: ContactBody & { id: number; version: number }) =>
    api.patch<Contact>(`/contacts/${id}`, body),
  );
export const useArchiveContact = () =>
  useAccountMutation(({ contact, archived }: { contact: Contact; archived: boolean }) =>
    api.post<Contact>(`/contacts/${contact.id}/${archived ? 'archive' : 'restore'}`, { version: contact.version }),
  );

export interface RoleBody {
  role?: BuyingRoleKind;
  attitude?: Attitude;
  influence?: Influence;
  relationship?: number;
  holderUserId?: number | null;
  notes?: string | null;
}
export const useCreateRole = () =>
  useAccountMutation((body: RoleBody & { contactId: number; role: BuyingRoleKind }) =>
    api.post<BuyingRole>('/buying-roles', body),
  );
export const useUpdateRole = () =>
  useAccountMutation(({ id, ...body }: RoleBody & { id: number; version: number }) =>
    api.patch<BuyingRole>(`/buying-roles/${id}`, body),
  );
export const useDeleteRole = () => useAccountMutation((id: number) => request<void>('DELETE', `/buying-roles/${id}`));
