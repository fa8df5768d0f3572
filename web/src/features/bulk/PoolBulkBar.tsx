import { useState } from 'react';
import { Button, Popconfirm, Typography } from 'antd';
import { CheckOutlined, SwapOutlined } from '@ant-design/icons';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { ExportButton } from '../imports/ExportButton.tsx';
import { BULK_MATCH_LIMIT } from '../../../../src/contracts/bulk.ts';
import { useAllMatching, type ListPageInfo } from './allMatching.tsx';
import { refusalsOf, useBulkClaim, type Refusal } from './api.ts';
import { BulkBar, type RowSelection } from './BulkBar.tsx';
import { BulkReassignModal } from './BulkModals.tsx';
import { useOutcome } from './ListBulkBars.tsx';

/**
 * The pool list's bar: claim the selection with a confirmation that says what the claim limit
 * leaves afterwards (a selection beyond it is refused here as on the server), a manager's assignment
 * with a reason, export of the selection; and "select all N matching", which sends the pool's filter.
 */
export function PoolBulkBar<T extends { id: number; name: string }>({
  selection,
  allowance,
  filters,
  page,
}: {
  selection: RowSelection<T>;
  allowance: { remaining: number; limit: number; held: number } | null;
  /** The pool list's filters (orgUnitId, tier, q): what "all matching" sends. */
  filters: Record<string, string | undefined>;
  page?: ListPageInfo | undefined;
}) {
  const t = useT();
  const can = useCan();
  const report = useProblem();
  const bar = useOutcome(selection);
  const claim = useBulkClaim();
  const [assigning, setAssigning] = useState(false);
  const { matching, count, tooMany, target, countText, offerButton, reset } = useAllMatching(selection, filters, page);
  const overLimit = allowance !== null && count > allowance.remaining;
  const done = (text: string) => {
    reset();
    bar.done(text);
  };
  const refused = (refusals: Refusal[]) => bar.refused(refusals);
  const doClaim = () =>
    claim.mutateAsync(target).then(
      (result) => done(t('bulk.done.claim', { updated: result.updated })),
      (err: unknown) => {
        if (isApiError(err) && err.code === 'claim_limit_reached') {
          const { limit, held } = err.problem as { limit: number; held: number };
          return bar.setOutcome({ kind: 'limit', limit, held, selected: count });
        }
        const refusals = refusalsOf(err, target.ids ?? []);
        if (refusals) return refused(refusals);
        report(err);
      },
    );
  // The whole filter's export is the account export of pool accounts with the same narrowing.
  const poolExport = { ...filters, inPool: 'true' };
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
        {can('pool.claim') && (
          <Popconfirm
            title={t('bulk.claim.title', { n: count })}
            description={
              overLimit
                ? t('bulk.claim.overLimit', { remaining: allowance.remaining, n: count })
                : allowance
                  ? t('bulk.claim.hint', { left: allowance.remaining - count })
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
              disabled={tooMany}
              data-testid="bulk-claim"
            >
              {t('bulk.claim')}
            </Button>
          </Popconfirm>
        )}
        {can('pool.assign') && (
          <Button
            icon={<SwapOutlined />}
            disabled={tooMany}
            onClick={() => setAssigning(true)}
            data-testid="bulk-assign"
          >
            {t('bulk.assign')}
          </Button>
        )}
        {can('export') && matching && <ExportButton area="accounts" filters={poolExport} everyMatching />}
        {can('export') && !matching && !tooMany && (
          <ExportButton area="accounts" filters={{}} selection={selection.ids} />
        )}
        {matching && tooMany && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="bulk-match-too-many">
            {t('bulk.matchTooManyPool', { max: BULK_MATCH_LIMIT })}
          </Typography.Text>
        )}
      </BulkBar>
      {assigning && (
        <BulkReassignModal
          area="pool"
          target={target}
          count={count}
          onClose={() => setAssigning(false)}
          onDone={(result) => {
            setAssigning(false);
            done(t('bulk.done.assign', { updated: result.updated }));
          }}
          onRefused={(refusals) => {
            setAssigning(false);
            refused(refusals);
          }}
        />
      )}
    </>
  );
}
