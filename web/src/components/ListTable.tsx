import { Table, type TableProps } from 'antd';
import { useI18n } from '../i18n/useI18n.ts';
import type { ListParams } from './useListParams.ts';

export interface ListTableProps<T> extends Omit<
  TableProps<T>,
  'columns' | 'dataSource' | 'loading' | 'pagination' | 'onChange'
> {
  list: ListParams;
  /**
   * The page query's state: its items, total, and whether it is fetching. `totalCapped`: the
   * server stopped counting at `total` (a workspace's or subtree's list past 10,000 rows).
   */
  query: { data?: { items: T[]; total: number; totalCapped?: boolean }; isFetching: boolean };
  columns: TableProps<T>['columns'];
  /** Column keys the server can sort by; a column with `sorter: true` shows the URL's sort. */
  sortable?: readonly string[];
  /** Whether the pager says how many rows there are (a short log beneath a list does not). */
  showTotal?: boolean;
}

/**
 * A table's sticky heading and sideways scrollbar, under the app shell's sticky header (56 px,
 * web/src/app/theme.ts Layout.headerHeight): a table wider than its box shows its scrollbar at the
 * bottom of the window while in view, drawn by antd (not the system's overlay that hides).
 */
const STICKY_UNDER_HEADER = { offsetHeader: 56 } as const;

const sortOrderOf = (sort: string | undefined, key: string) =>
  sort === key ? ('ascend' as const) : sort === `-${key}` ? ('descend' as const) : null;

/**
 * The server-paginated table every list page shows: page and sort come from and go to the URL
 * (useListParams), so the pages only declare their columns and filters.
 */
export function ListTable<T extends object>({
  list,
  query,
  columns,
  sortable = [],
  showTotal = true,
  ...rest
}: ListTableProps<T>) {
  const { t, locale } = useI18n();
  const capped = query.data?.totalCapped === true;
  const cols = columns?.map((column) =>
    column.sorter && column.key !== undefined
      ? { ...column, sortOrder: sortOrderOf(list.sort, String(column.key)) }
      : column,
  );
  return (
    <Table<T>
      rowKey="id"
      size="middle"
      scroll={{ x: 'max-content' }}
      // A list wider than the screen scrolls inside its box; the sticky scrollbar stays at the bottom
      // of the window while the table is in view, so the columns to the right are seen to be there
      // (issue 11: tables cut off at 1440 px). The heading stays under the app's header (56 px).
      sticky={STICKY_UNDER_HEADER}
      {...rest}
      columns={cols}
      dataSource={query.data?.items}
      loading={query.isFetching}
      pagination={{
        current: list.page,
        pageSize: list.pageSize,
        total: query.data?.total ?? 0,
        showSizeChanger: false,
        showTotal: showTotal
          ? (total) =>
              capped
                ? t('common.totalItemsCapped', { count: total.toLocaleString(locale) })
                : t('common.totalItems', { count: total })
          : undefined,
      }}
      onChange={(pagination, _filters, sorter, extra) => {
        if (extra.action === 'paginate') return list.setPage(pagination.current ?? 1);
        if (extra.action === 'sort') {
          const activeSorter = Array.isArray(sorter) ? sorter[0] : sorter;
          const key = String(activeSorter?.columnKey ?? '');
          list.update({
            sort:
              activeSorter?.order && sortable.includes(key)
                ? `${activeSorter.order === 'descend' ? '-' : ''}${key}`
                : undefined,
          });
        }
      }}
    />
  );
}
