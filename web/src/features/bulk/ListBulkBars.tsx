import { useState } from 'react';
import { Button, Popconfirm, Typography } from 'antd';
import { CheckOutlined, SwapOutlined, TagOutlined } from '@ant-design/icons';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { ExportButton } from '../imports/ExportButton.tsx';
import { BULK_LIMIT, BULK_MATCH_LIMIT } from '../../../../src/contracts/bulk.ts';
import { refusalsOf, useBulkClaim, type BulkArea, type BulkResult, type BulkSelection, type Refusal } from './api.ts';
import { BulkBar, type BulkOutcome, type RowSelection } from './BulkBar.tsx';
import { BulkReassignModal, BulkTierModal } from './BulkModals.tsx';

type Named = { id: number; name: string };
type Dialog = 'reassign' | 'tier' | null;

/** The outcome state a list's bar shows, and the selection's names for the refused rows. */
function useOutcome<T extends Named>(selection: RowSelection<T>) {
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

/** The list's current page, for "select all N matching": its rows and the filter's total. */
export interface ListPageInfo {
  ids: readonly number[];
  total: number;
  /** The total is a lower bound (the account list stops counting past its cap). */
  capped?: boolean | undefined;
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
  // "All matching" holds for the filter it was chosen under, until a row is deselected.
  const filterKey = JSON.stringify(filters);
  const [allMatching, setAllMatching] = useState<{ key: string; picked: number } | null>(null);
  const { ids } = selection;
  const picked = new Set(ids);
  const pageAllPicked = page !== undefined && page.ids.length > 0 && page.ids.every((id) => picked.has(id));
  const matching =
    page !== undefined && allMatching?.key === filterKey && ids.length >= allMatching.picked && ids.length > 0;
  const offerAll = !matching && pageAllPicked && (page.total > ids.length || page.capped === true);
  const count = matching ? page.total : ids.length;
  const tooMany = matching ? page.total > BULK_MATCH_LIMIT || page.capped === true : ids.length > BULK_LIMIT;
  const match = Object.fromEntries(
    Object.entries(filters).filter((entry): entry is [string, string] => entry[0] !== 'sort' && !!entry[1]),
  );
  const target: BulkSelection = matching ? { match } : { ids };
  const canReassign = can(area === 'accounts' ? 'accounts.manage' : 'opportunities.write');
  const canTier = area === 'accounts' && can('accounts.manage');
  const close = () => setDialog(null);
  const done = (text: string) => {
    setAllMatching(null);
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
  const countText = matching
    ? page.capped
      ? t('bulk.allMatchingCapped', { n: page.total })
      : t('bulk.allMatching', { n: page.total })
    : undefined;
  return (
    <>
      <BulkBar
        {...bar.barProps}
        count={count}
        countText={countText}
        onClear={() => {
          setAllMatching(null);
          bar.barProps.onClear();
        }}
      >
        {offerAll && (
          <Button
            type="link"
            style={{ paddingInline: 0 }}
            onClick={() => setAllMatching({ key: filterKey, picked: ids.length })}
            data-testid="bulk-select-all-matching"
          >
            {page.capped
              ? t('bulk.selectAllMatchingCapped', { n: page.total })
              : t('bulk.selectAllMatching', { n: page.total })}
          </Button>
        )}
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

/**
 * The pool list's bar: claim the selection with a confirmation that says what the claim limit
 * leaves afterwards; a selection beyond it is refused here as on the server.
 */
export function PoolBulkBar<T extends Named>({
  selection,
  allowance,
}: {
  selection: RowSelection<T>;
  allowance: { remaining: number; limit: number; held: number } | null;
}) {
  const t = useT();
  const can = useCan();
  const report = useProblem();
  const bar = useOutcome(selection);
  const claim = useBulkClaim();
  const { ids } = selection;
  const overLimit = allowance !== null && ids.length > allowance.remaining;
  const doClaim = () =>
    claim.mutateAsync({ ids }).then(
      (result) => bar.done(t('bulk.done.claim', { updated: result.updated })),
      (err: unknown) => {
        if (isApiError(err) && err.code === 'claim_limit_reached') {
          const { limit, held } = err.problem as { limit: number; held: number };
          return bar.setOutcome({ kind: 'limit', limit, held, selected: ids.length });
        }
        const refusals = refusalsOf(err, ids);
        if (refusals) return bar.refused(refusals);
        report(err);
      },
    );
  return (
    <BulkBar {...bar.barProps}>
      {can('pool.claim') && (
        <Popconfirm
          title={t('bulk.claim.title', { n: ids.length })}
          description={
            overLimit
              ? t('bulk.claim.overLimit', { remaining: allowance.remaining, n: ids.length })
              : allowance
                ? t('bulk.claim.hint', { left: allowance.remaining - ids.length })
                : undefined
          }
          okText={t('bulk.claim.ok')}
          cancelText={t('common.cancel')}
          okButtonProps={
            { disabled: overLimit, 'data-testid': 'bulk-claim-ok' } as Record<`data-${string}`, string> & {
              disabled: boolean;
            }
          }
          onConfirm={doClaim}
        >
          <Button
            type="primary"
            icon={<CheckOutlined />}
            loading={claim.isPending}
            disabled={ids.length > BULK_LIMIT}
            data-testid="bulk-claim"
          >
            {t('bulk.claim')}
          </Button>
        </Popconfirm>
      )}
      {can('export') && ids.length <= BULK_LIMIT && <ExportButton area="accounts" filters={{}} selection={ids} />}
    </BulkBar>
  );
}
