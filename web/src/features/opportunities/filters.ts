import { useListParams } from '../../components/useListParams.ts';
import { PAGE_SIZE } from './api.ts';
import type { ListFilters, Status } from './types.ts';

const NUM = ['processId', 'ownerId', 'orgUnitId', 'stageId', 'minProbability'] as const;
const STR = ['closeFrom', 'closeTo', 'q', 'sort', 'line'] as const;

/** Board and list filters live in the URL (useListParams), so a view can be shared and survives a reload. */
export function useOppFilters() {
  const list = useListParams({ pageSize: PAGE_SIZE });
  const filters: ListFilters = {};
  for (const key of NUM) {
    const value = list.num(key);
    if (value !== undefined) filters[key] = value;
  }
  for (const key of STR) {
    const value = list.str(key);
    if (value) filters[key] = value;
  }
  const status = list.str('status');
  if (status) filters.status = status as Status;
  const size = list.str('sizeClass');
  if (size === 'small' || size === 'large') filters.sizeClass = size;
  const update = (
    patch: Partial<Record<keyof ListFilters | 'page' | 'tab' | 'problem', string | number | null | undefined>>,
  ) => list.update(patch);
  return { list, filters, page: list.page, update, search: list.search };
}
