import { Table, type TableProps } from 'antd';
import { useT } from '../i18n/useI18n.ts';
import type { ListParams } from './useListParams.ts';

export interface ListTableProps<T> extends Omit<
  TableProps<T>,
  'columns' | 'dataSource' | 'loading' | 'pagination' | 'onChange'
> {
  list: ListParams;
  /** The page query's state: its items, total, and whether it is fetching. */
  query: { data?: { items: T[]; total: number }; isFetching: boolean };
  columns: TableProps<T>['columns'];
  /** Column keys the server can sort by; a column with `sorter: true` shows the URL's sort. */
  sortable?: readonly string[];
  /** Whether the pager says how many rows there are (a short log beneath a list does not). */
  showTotal?: boolean;
}

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
  const t = useT();
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
      {...rest}
      columns={cols}
      dataSource={query.data?.items}
      loading={query.isFetching}
      pagination={{
        current: list.page,
        pageSize: list.pageSize,
        total: query.data?.total ?? 0,
        showSizeChanger: false,
        showTotal: showTotal ? (total) => t('common.totalItems', { count: total }) : undefined,
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
