import { useSearchParams } from 'react-router';
import type { ListFilters, Status } from './types.ts';

const NUM = ['processId', 'ownerId', 'orgUnitId', 'stageId'] as const;
const STR = ['closeFrom', 'closeTo', 'q', 'sort'] as const;

/** Board and list filters live in the URL, so a view can be shared and survives a reload. */
export function useOppFilters() {
  const [search, setSearch] = useSearchParams();
  const filters: ListFilters = {};
  for (const k of NUM) { const v = Number(search.get(k)); if (Number.isInteger(v) && v > 0) filters[k] = v; }
  for (const k of STR) { const v = search.get(k); if (v) filters[k] = v; }
  const status = search.get('status');
  if (status) filters.status = status as Status;
  const page = Math.max(1, Number(search.get('page')) || 1);
  const update = (patch: Partial<Record<keyof ListFilters | 'page' | 'tab' | 'problem', string | number | null | undefined>>) =>
    setSearch((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined || v === null || v === '') next.delete(k); else next.set(k, String(v));
      }
      if (!('page' in patch)) next.delete('page');
      return next;
    }, { replace: true });
  return { filters, page, update, search };
}
