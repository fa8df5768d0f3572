import { useMemo } from 'react';
import { useSearchParams } from 'react-router';

export type ParamChanges = Record<string, string | number | boolean | undefined | null>;

export interface ListParamsOptions {
  pageSize: number;
  /** The sort the server applies when none is asked for; the table shows it as the active sort. */
  defaultSort?: string;
  /** The search parameter holding the page; a second list on one page names its own. */
  pageKey?: string;
  /**
   * Page sizes a reader may choose (pageSize among them, the default): the chosen one is kept in
   * the URL under `sizeKey`. Without them the size is fixed, as on most lists.
   */
  pageSizes?: readonly number[];
  sizeKey?: string;
}

export interface ListParams {
  page: number;
  pageSize: number;
  limit: number;
  offset: number;
  /** The sort in the URL, or the default: `field` ascending, `-field` descending. */
  sort: string | undefined;
  search: URLSearchParams;
  /** A filter's value: undefined when absent or empty. */
  str: (key: string) => string | undefined;
  /** A positive integer filter, or undefined. */
  num: (key: string) => number | undefined;
  /** Sets (or, given undefined/null/'', removes) parameters; any change but the page's goes back to page 1. */
  update: (changes: ParamChanges, keepPage?: boolean) => void;
  setPage: (page: number) => void;
  /** Chooses one of `pageSizes` and goes back to page 1. */
  setPageSize: (size: number) => void;
  /** Replaces the given keys all at once (choosing a saved view): keys absent from `query` are removed. */
  replace: (keys: readonly string[], query: Record<string, string | undefined>) => void;
}

/**
 * The address bar's parameters as they are now. react-router hands setSearchParams' function
 * the parameters of the render that made it; the URL changes at once but the page re-renders
 * later (a navigation is a transition, and a busy board takes a while), so a second filter
 * chosen in between would be written over the first's parameters and drop it.
 */
export const latestSearch = () => new URLSearchParams(window.location.search);

/**
 * The state of a list page — page, sort and filters — kept in the URL's search parameters, so a
 * filtered list can be linked to, saved as a view, and survives a reload or the back button.
 * Every list page reads it through here and hands it to ListTable.
 */
export function useListParams({
  pageSize: defaultSize,
  defaultSort,
  pageKey = 'page',
  pageSizes,
  sizeKey = 'size',
}: ListParamsOptions): ListParams {
  const [search, setSearch] = useSearchParams();
  return useMemo(() => {
    const str = (k: string) => search.get(k) || undefined;
    const num = (key: string) => {
      const value = Number(search.get(key));
      return Number.isInteger(value) && value > 0 ? value : undefined;
    };
    const page = num(pageKey) ?? 1;
    const asked = num(sizeKey);
    const pageSize = asked !== undefined && pageSizes?.includes(asked) ? asked : defaultSize;
    const update = (changes: ParamChanges, keepPage = false) =>
      setSearch(
        () => {
          const next = latestSearch();
          for (const [key, value] of Object.entries(changes)) {
            if (value === undefined || value === null || value === '') next.delete(key);
            else next.set(key, String(value));
          }
          if (!keepPage && !(pageKey in changes)) next.delete(pageKey);
          if (next.get(pageKey) === '1') next.delete(pageKey);
          return next;
        },
        { replace: true },
      );
    const replace = (keys: readonly string[], query: Record<string, string | undefined>) =>
      update(Object.fromEntries(keys.map((k) => [k, query[k] ?? null])));
    const setPage = (p: number) => update({ [pageKey]: p }, true);
    const setPageSize = (size: number) => update({ [sizeKey]: size === defaultSize ? null : size });
    return {
      page,
      pageSize,
      limit: pageSize,
      offset: (page - 1) * pageSize,
      sort: str('sort') ?? defaultSort,
      search,
      str,
      num,
      update,
      setPage,
      setPageSize,
      replace,
    };
  }, [search, setSearch, defaultSize, defaultSort, pageKey, pageSizes, sizeKey]);
}
