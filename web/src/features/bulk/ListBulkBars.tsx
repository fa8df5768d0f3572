import { useState } from 'react';
import { Button, Typography } from 'antd';
import { SwapOutlined, TagOutlined } from '@ant-design/icons';
import { useT } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { ExportButton } from '../imports/ExportButton.tsx';
import { BULK_MATCH_LIMIT } from '../../../../src/contracts/bulk.ts';
import { useAllMatching, type ListPageInfo } from './allMatching.tsx';

export type { ListPageInfo };
import type { BulkArea, BulkResult, Refusal } from './api.ts';
import { BulkBar, type BulkOutcome, type RowSelection } from './BulkBar.tsx';
import { BulkReassignModal, BulkTierModal } from './BulkModals.tsx';

type Named = { id: number; name: string };
type Dialog = 'reassign' | 'tier' | null;

/** The outcome state a list's bar shows, and the selection's names for the refused rows. */
export function useOutcome<T extends Named>(selection: RowSelection<T>) {
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const names = new Map(selection.rows.map((row) => [row.id, row.name]));
  return {
    outcome,
    setOutcome,
    barProps: {
      count: selection.ids.length,
      onClear: () => {
        selection.clear();
        setOutcome(null);
      },
      outcome,
      onCloseOutcome: () => setOutcome(null),
      nameOf: (id: number) => names.get(id),
      onDeselect: (ids: number[]) => {
        selection.deselect(ids);
        setOutcome(null);
      },
    },
    /** After a success the selection is done with: cleared, the count shown. */
    done: (text: string) => {
      selection.clear();
      setOutcome({ kind: 'done', text });
    },
    refused: (refusals: Refusal[]) => setOutcome({ kind: 'refused', refusals }),
  };
}

/**
 * The bar of the account and opportunity lists: reassign (and, for accounts, change tier) when the
 * caller's capabilities allow it, export the selection with the export permission. With every row
 * of the page picked and more rows matching, it offers "select all N matching": the actions then
 * send the list's filter, the server applies them to every row it gives the caller (within
 * BULK_MATCH_LIMIT) and the export takes the whole filter.
 */
export function ListBulkBar<T extends Named>({
  area,
  selection,
  filters,
  page,
}: {
  area: BulkArea;
  selection: RowSelection<T>;
  filters: Record<string, string | undefined>;
  page?: ListPageInfo | undefined;
}) {
  const t = useT();
  const can = useCan();
  const bar = useOutcome(selection);
  const [dialog, setDialog] = useState<Dialog>(null);
  const { matching, count, tooMany, target, countText, offerButton, reset } = useAllMatching(selection, filters, page);
  const { ids } = selection;
  const canReassign = can(area === 'accounts' ? 'accounts.manage' : 'opportunities.write');
  const canTier = area === 'accounts' && can('accounts.manage');
  const close = () => setDialog(null);
  const done = (text: string) => {
    reset();
    bar.done(text);
  };
  const dialogProps = {
    target,
    count,
    onClose: close,
    onDone: (result: BulkResult) => {
      close();
      const key =
        dialog === 'tier'
          ? 'bulk.done.tier'
          : area === 'accounts'
            ? 'bulk.done.reassignAccounts'
            : 'bulk.done.reassignOpps';
      done(t(key, { updated: result.updated, n: count }));
    },
    onRefused: (refusals: Refusal[]) => {
      close();
      bar.refused(refusals);
    },
  };
  return (
    <>
      <BulkBar
        {...bar.barProps}
        count={count}
        countText={countText}
        onClear={() => {
          reset();
          bar.barProps.onClear();
        }}
      >
        {offerButton}
        {canReassign && (
          <Button
            icon={<SwapOutlined />}
            disabled={tooMany}
            onClick={() => setDialog('reassign')}
            data-testid="bulk-reassign"
          >
            {t('bulk.reassign')}
          </Button>
        )}
        {canTier && (
          <Button icon={<TagOutlined />} disabled={tooMany} onClick={() => setDialog('tier')} data-testid="bulk-tier">
            {t('bulk.tier')}
          </Button>
        )}
        {can('export') && matching && <ExportButton area={area} filters={filters} everyMatching />}
        {can('export') && !matching && !tooMany && <ExportButton area={area} filters={filters} selection={ids} />}
        {matching && tooMany && (canReassign || canTier) && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="bulk-match-too-many">
            {t('bulk.matchTooMany', { max: BULK_MATCH_LIMIT })}
          </Typography.Text>
        )}
      </BulkBar>
      {dialog === 'reassign' && <BulkReassignModal area={area} {...dialogProps} />}
      {dialog === 'tier' && <BulkTierModal {...dialogProps} />}
    </>
  );
}
