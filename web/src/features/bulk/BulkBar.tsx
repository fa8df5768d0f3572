import { useState, type ReactNode } from 'react';
import { Alert, Button, Flex, Typography, type TableProps } from 'antd';
import { CloseOutlined } from '@ant-design/icons';
import { BULK_LIMIT } from '../../../../src/contracts/bulk.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import type { Refusal } from './api.ts';

/** What the last bulk action did: shown under the bar until the next one, or until closed. */
export type BulkOutcome =
  | { kind: 'done'; text: string }
  | { kind: 'refused'; refusals: Refusal[] }
  | { kind: 'limit'; limit: number; held: number; selected: number };

export interface RowSelection<T extends { id: number }> {
  /** The selected rows, across pages, in the order picked. */
  rows: T[];
  ids: number[];
  rowSelection: NonNullable<TableProps<T>['rowSelection']>;
  clear: () => void;
  deselect: (ids: readonly number[]) => void;
}

/**
 * The rows picked on a list, kept across its pages (antd keeps only keys; the rows are kept here for
 * their names). A new `scope` (the list's filters) starts an empty selection: rows picked under
 * other filters are out of sight.
 */
export function useRowSelection<T extends { id: number }>(scope: string): RowSelection<T> {
  const [state, setState] = useState<{ scope: string; rows: Map<number, T> }>({ scope, rows: new Map() });
  const rows = state.scope === scope ? state.rows : new Map<number, T>();
  const set = (next: Map<number, T>) => setState({ scope, rows: next });
  return {
    rows: [...rows.values()],
    ids: [...rows.keys()],
    rowSelection: {
      selectedRowKeys: [...rows.keys()],
      preserveSelectedRowKeys: true,
      onChange: (keys, picked) => {
        const next = new Map<number, T>();
        for (const key of keys) {
          const row = rows.get(Number(key)) ?? picked.find((candidate) => candidate?.id === Number(key));
          if (row) next.set(Number(key), row);
        }
        set(next);
      },
    },
    clear: () => set(new Map()),
    deselect: (ids) => set(new Map([...rows].filter(([id]) => !ids.includes(id)))),
  };
}

/**
 * The bar over a list with rows selected: "N selected", the actions the caller may take (each page
 * passes only those its capabilities allow), and the outcome of the last action — how many changed,
 * or which rows could not and why (docs/archive.md § Bulk actions: all or nothing).
 */
export function BulkBar({
  count,
  countText,
  onClear,
  outcome,
  onCloseOutcome,
  nameOf,
  onDeselect,
  children,
}: {
  count: number;
  /** Said instead of "N selected" (all rows of the filter are). */
  countText?: string | undefined;
  onClear: () => void;
  outcome: BulkOutcome | null;
  onCloseOutcome: () => void;
  nameOf: (id: number) => string | undefined;
  onDeselect: (ids: number[]) => void;
  children: ReactNode;
}) {
  const t = useT();
  if (count === 0 && !outcome) return null;
  return (
    <Flex vertical gap={8} style={{ marginBottom: 12 }} data-testid="bulk-bar">
      {count > 0 && (
        <Flex
          gap={8}
          wrap
          align="center"
          style={{ background: '#e6f4ff', border: '1px solid #91caff', borderRadius: 8, padding: '8px 12px' }}
        >
          <Typography.Text strong data-testid="bulk-count">
            {countText ??
              (count > BULK_LIMIT
                ? t('bulk.selectedCapped', { n: count, max: BULK_LIMIT })
                : t('bulk.selected', { n: count }))}
          </Typography.Text>
          {children}
          <Button type="text" icon={<CloseOutlined />} onClick={onClear} data-testid="bulk-clear">
            {t('bulk.clear')}
          </Button>
        </Flex>
      )}
      {outcome?.kind === 'done' && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={onCloseOutcome}
          message={outcome.text}
          data-testid="bulk-outcome"
        />
      )}
      {outcome?.kind === 'limit' && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={onCloseOutcome}
          message={t('bulk.failed.limit', { limit: outcome.limit, held: outcome.held, n: outcome.selected })}
          data-testid="bulk-outcome"
        />
      )}
      {outcome?.kind === 'refused' && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={onCloseOutcome}
          message={t('bulk.failed.title', { n: outcome.refusals.length })}
          description={
            <Flex vertical gap={4}>
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {outcome.refusals.map((refusal) => (
                  <li key={refusal.id}>
                    {nameOf(refusal.id) ?? `#${refusal.id}`} — {t(`bulk.why.${refusal.reason}` as MessageKey)}
                  </li>
                ))}
              </ul>
              <div>
                <Button size="small" onClick={() => onDeselect(outcome.refusals.map((refusal) => refusal.id))}>
                  {t('bulk.failed.deselect')}
                </Button>
              </div>
            </Flex>
          }
          data-testid="bulk-outcome"
        />
      )}
    </Flex>
  );
}
