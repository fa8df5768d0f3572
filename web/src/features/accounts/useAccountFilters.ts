import { useMemo } from 'react';
import { useListParams } from '../../components/useListParams.ts';
import { PAGE_SIZE } from './api.ts';
import { ACCOUNT_FILTER_KEYS, type AccountFilters } from './types.ts';

/** The account list's state, in the URL (useListParams); the filters are what the server, exports and saved views take. */
export function useAccountFilters() {
  const list = useListParams({ pageSize: PAGE_SIZE, defaultSort: '-updatedAt' });
  const filters = useMemo(() => {
    const out: AccountFilters = {};
    for (const filterKey of ACCOUNT_FILTER_KEYS) {
      const value = list.str(filterKey);
      if (value !== undefined) out[filterKey] = value;
    }
    return out;
  }, [list]);

  /** Replaces every filter at once (choosing a saved view). */
  const replaceAll = (query: Record<string, string>) => list.replace(ACCOUNT_FILTER_KEYS, query);

  return { list, filters, page: list.page, update: list.update, replaceAll };
}
