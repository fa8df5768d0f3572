import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { useListParams } from '../../components/useListParams.ts';
import type { ContactFilterParams } from '../../../../src/contracts/contacts.ts';
import { accountKeys } from '../accounts/api.ts';
import type { Contact, Tier } from '../accounts/types.ts';

/** A row of GET /contacts: the contact with its account's tier and owner. */
export type ContactRow = Contact & {
  accountTier: Tier;
  accountOwnerId: number | null;
  accountOwnerName: string | null;
};

export const CONTACT_FILTER_KEYS = [
  'q',
  'accountId',
  'ownerId',
  'orgUnitId',
  'tier',
  'role',
  'hasPhone',
  'archived',
  'sort',
] as const satisfies readonly (keyof ContactFilterParams)[];
export const CONTACT_PAGE_SIZE = 20;

// Under the archive's key family: a contact edited on an account page refreshes this list too.
const contactListKey = (params: ContactFilterParams & { limit: number; offset: number }) =>
  [...accountKeys.all, 'contact-list', params] as const;

export const contactQueries = {
  list: (filters: ContactFilterParams, page: number) => {
    const params = { ...filters, limit: CONTACT_PAGE_SIZE, offset: (page - 1) * CONTACT_PAGE_SIZE };
    return queryOptions({
      queryKey: contactListKey(params),
      queryFn: ({ signal }) => api.get<Page<ContactRow>>('/contacts', params, { signal }),
      placeholderData: keepPreviousData,
    });
  },
};

export const useContactList = (filters: ContactFilterParams, page: number) =>
  useQuery(contactQueries.list(filters, page));

/** The contact list's state, in the URL like every list (useListParams). */
export function useContactFilters() {
  const list = useListParams({ pageSize: CONTACT_PAGE_SIZE, defaultSort: 'name' });
  const filters = useMemo(() => {
    const out: ContactFilterParams = {};
    for (const filterKey of CONTACT_FILTER_KEYS) {
      const value = list.str(filterKey);
      if (value !== undefined) out[filterKey] = value;
    }
    return out;
  }, [list]);
  const replaceAll = (query: Record<string, string>) => list.replace(CONTACT_FILTER_KEYS, query);
  return { list, filters, page: list.page, update: list.update, replaceAll };
}
