import { useState } from 'react';
import { Button } from 'antd';
import { useT } from '../../i18n/useI18n.ts';
import { BULK_LIMIT, BULK_MATCH_LIMIT } from '../../../../src/contracts/bulk.ts';
import type { BulkSelection } from './api.ts';
import type { RowSelection } from './BulkBar.tsx';

/** The list's current page, for "select all N matching": its rows and the filter's total. */
export interface ListPageInfo {
  ids: readonly number[];
  total: number;
  /** The total is a lower bound (the account list stops counting past its cap). */
  capped?: boolean | undefined;
}

/**
 * "Select all N matching" of a list's bulk bar (docs/archive.md § Bulk actions): with every row of
 * the page picked and more rows matching, the bar offers the whole filter; the actions then send
 * the filter (`match`) instead of ids and the server resolves it within the caller's sight. The
 * choice holds for the filter it was made under, until a row is deselected.
 */
export function useAllMatching<T extends { id: number }>(
  selection: RowSelection<T>,
  filters: Record<string, string | undefined>,
  page: ListPageInfo | undefined,
) {
  const t = useT();
  const filterKey = JSON.stringify(filters);
  const [chosen, setChosen] = useState<{ key: string; picked: number } | null>(null);
  const { ids } = selection;
  const picked = new Set(ids);
  const pageAllPicked = page !== undefined && page.ids.length > 0 && page.ids.every((id) => picked.has(id));
  const matching = page !== undefined && chosen?.key === filterKey && ids.length >= chosen.picked && ids.length > 0;
  const offer = !matching && pageAllPicked && (page.total > ids.length || page.capped === true);
  const count = matching ? page.total : ids.length;
  const tooMany = matching ? page.total > BULK_MATCH_LIMIT || page.capped === true : ids.length > BULK_LIMIT;
  const match = Object.fromEntries(
    Object.entries(filters).filter((entry): entry is [string, string] => entry[0] !== 'sort' && !!entry[1]),
  );
  const target: BulkSelection = matching ? { match } : { ids };
  const countText = matching
    ? page.capped
      ? t('bulk.allMatchingCapped', { n: page.total })
      : t('bulk.allMatching', { n: page.total })
    : undefined;
  const offerButton =
    offer && page ? (
      <Button
        type="link"
        style={{ paddingInline: 0 }}
        onClick={() => setChosen({ key: filterKey, picked: ids.length })}
        data-testid="bulk-select-all-matching"
      >
        {page.capped
          ? t('bulk.selectAllMatchingCapped', { n: page.total })
          : t('bulk.selectAllMatching', { n: page.total })}
      </Button>
    ) : null;
  return { matching, count, tooMany, target, countText, offerButton, reset: () => setChosen(null) };
}
