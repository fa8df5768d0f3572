import { Button, InputNumber, Select, Space, Tag, Typography, type TableProps } from 'antd';
import { HistoryOutlined } from '@ant-design/icons';
import type { QuotaRow } from '../../../../src/contracts/quotas.ts';
import { useMoney } from '../../i18n/money.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { BusinessLineValue } from './BusinessLineFields.tsx';
import { LineSplitCell, type Share } from './LineSplit.tsx';

/** A row's pending change; `categories` undefined leaves the split as it is. */
export type Edit = {
  amount: number | null;
  quarterRatios: number[];
  basis: 'tax_inclusive' | 'net';
  categories?: Share[];
};
export const keyOf = (r: Pick<QuotaRow, 'subjectType' | 'subjectId'>) => `${r.subjectType}:${r.subjectId}`;
const ratioSum = (e: Edit) => e.quarterRatios.reduce((a, b) => a + b, 0);

/**
 * The quota table's columns: who, the annual amount, quarter ratios, basis and split by line,
 * each typed in place on a row the user may edit; the quarters, the year, the difference from
 * the members' sum, and the row's history.
 */
export function useQuotaColumns({
  edits,
  editOf,
  change,
  lines,
  setSplitting,
  setHistory,
}: {
  edits: Record<string, Edit>;
  editOf: (row: QuotaRow) => Edit;
  change: (row: QuotaRow, patch: Partial<Edit>) => void;
  lines: readonly Pick<BusinessLineValue, 'key' | 'nameZh' | 'nameEn'>[];
  setSplitting: (row: QuotaRow) => void;
  setHistory: (subject: { type: 'user' | 'unit'; id: number; name: string }) => void;
}): TableProps<QuotaRow>['columns'] {
  const t = useT();
  const money = useMoney();
  return [
    {
      title: t('quotas.who'),
      key: 'who',
      fixed: 'left',
      render: (_, quotaRow) => (
        <span
          style={{
            paddingInlineStart: quotaRow.depth * 14,
            fontWeight: quotaRow.subjectType === 'unit' ? 600 : undefined,
          }}
        >
          {quotaRow.name} {quotaRow.subjectType === 'unit' && !quotaRow.quota && <Tag>{t('quotas.membersSum')}</Tag>}
        </span>
      ),
    },
    {
      title: t('quotas.annual'),
      key: 'amount',
      align: 'right',
      render: (_, quotaRow) =>
        quotaRow.canEdit ? (
          <InputNumber<number>
            size="small"
            min={0}
            style={{ width: 130 }}
            value={editOf(quotaRow).amount === null ? null : editOf(quotaRow).amount! / 100}
            placeholder={money(quotaRow.members?.year ?? 0)}
            onChange={(v) => change(quotaRow, { amount: v === null ? null : Math.round(v * 100) })}
            aria-label={`${quotaRow.name} ${t('quotas.annual')}`}
          />
        ) : (
          money(quotaRow.quota?.amount ?? quotaRow.effective.year)
        ),
    },
    {
      title: t('quotas.ratios'),
      key: 'ratios',
      render: (_, quotaRow) => {
        const edit = editOf(quotaRow);
        if (!quotaRow.canEdit) return quotaRow.quota ? quotaRow.quota.quarterRatios.join('/') : '—';
        return (
          <Space size={2}>
            {edit.quarterRatios.map((ratio, index) => (
              <InputNumber
                key={index}
                size="small"
                min={0}
                max={100}
                style={{ width: 52 }}
                value={ratio}
                aria-label={`Q${index + 1}`}
                onChange={(value) =>
                  change(quotaRow, {
                    quarterRatios: edit.quarterRatios.map((x, j) => (j === index ? (value ?? 0) : x)),
                  })
                }
              />
            ))}
            {ratioSum(edit) !== 100 && (
              <Typography.Text type="danger">{t('quotas.ratioSum', { n: ratioSum(edit) })}</Typography.Text>
            )}
          </Space>
        );
      },
    },
    {
      title: t('quotas.basis'),
      key: 'basis',
      render: (_, quotaRow) =>
        quotaRow.canEdit ? (
          <Select
            size="small"
            style={{ width: 100 }}
            value={editOf(quotaRow).basis}
            onChange={(b) => change(quotaRow, { basis: b })}
            options={[
              { value: 'tax_inclusive', label: t('quotas.basis.tax_inclusive') },
              { value: 'net', label: t('quotas.basis.net') },
            ]}
          />
        ) : quotaRow.quota ? (
          t(`quotas.basis.${quotaRow.quota.basis}`)
        ) : (
          '—'
        ),
    },
    {
      title: t('quotas.lines.column'),
      key: 'lines',
      render: (_, quotaRow) => (
        <LineSplitCell
          row={quotaRow}
          edited={edits[keyOf(quotaRow)]?.categories}
          lines={lines}
          onEdit={() => setSplitting(quotaRow)}
        />
      ),
    },
    ...[0, 1, 2, 3].map((query) => ({
      title: `Q${query + 1}`,
      key: `q${query}`,
      align: 'right' as const,
      render: (_: unknown, r: QuotaRow) => money(r.effective.quarters[query], true),
    })),
    {
      title: t('quotas.year'),
      key: 'year',
      align: 'right',
      render: (_, r) => <b>{money(r.effective.year, true)}</b>,
    },
    {
      title: t('quotas.difference'),
      key: 'diff',
      align: 'right',
      render: (_, record) =>
        record.difference === null || record.difference === 0 ? (
          '—'
        ) : (
          <Typography.Text type={record.difference < 0 ? 'danger' : 'warning'}>
            {record.difference > 0 ? '+' : ''}
            {money(record.difference, true)}
          </Typography.Text>
        ),
    },
    {
      title: '',
      key: 'h',
      render: (_, quotaRow) => (
        <Button
          size="small"
          type="text"
          icon={<HistoryOutlined />}
          aria-label={t('quotas.history')}
          onClick={() => setHistory({ type: quotaRow.subjectType, id: quotaRow.subjectId, name: quotaRow.name })}
        />
      ),
    },
  ];
}
