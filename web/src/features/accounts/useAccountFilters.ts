import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { ACCOUNT_FILTER_KEYS, type AccountFilters } from './types.ts';

/** The list state lives in the URL, so a filtered list can be linked to, saved as a view and survives reload. */
export function useAccountFilters() {
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => {
    const out: AccountFilters = {};
    for (const k of ACCOUNT_FILTER_KEYS) {
      const v = search.get(k);
      if (v !== null && v !== '') out[k] = v;
    }
    return out;
  }, [search]);
  const page = Number(search.get('page') ?? '1') || 1;

  function update(changes: Record<string, string | number | boolean | undefined | null>, keepPage = false) {
    setSearch((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined || v === null || v === '') next.delete(k);
        else next.set(k, String(v));
      }
      if (!keepPage) next.delete('page');
      return next;
    }, { replace: true });
  }

  /** Replaces every filter at once (choosing a saved view). */
  function replaceAll(query: Record<string, string>) {
    const next = new URLSearchParams();
    for (const k of ACCOUNT_FILTER_KEYS) if (query[k]) next.set(k, query[k]);
    setSearch(next, { replace: true });
  }

  return { filters, page, update, replaceAll };
}
