import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { SearchResponse } from '../../../../src/contracts/search.ts';

export const searchKeys = {
  all: ['search'] as const,
  query: (q: string) => [...searchKeys.all, q] as const,
};

export const searchQueries = {
  // Results may be a few seconds old: a search is typed, not watched.
  query: (query: string) =>
    queryOptions({
      queryKey: searchKeys.query(query),
      queryFn: ({ signal }) => api.get<SearchResponse>('/search', { q: query, limit: 5 }, { signal }),
      staleTime: 10_000,
      placeholderData: keepPreviousData,
    }),
};

export const useSearch = (q: string) => useQuery({ ...searchQueries.query(q), enabled: q.trim().length > 0 });
