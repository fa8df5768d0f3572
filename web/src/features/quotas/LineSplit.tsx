import { useState } from 'react';
import { Alert, Button, Empty, Flex, InputNumber, Modal, Table, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { QuotaRow } from '../../../../src/contracts/quotas.ts';
import { figureOf, type QuotaBasis } from '../../../../src/domain/quota.ts';
import { useMoney } from '../../i18n/money.ts';
import { useI18n, useT } from '../../i18n/useI18n.ts';
import type { BusinessLineValue } from './BusinessLineFields.tsx';

/**
 * A quota's split by business line (docs/targets.md § Business lines) in the quota table: the
 * shares as a compact cell, the per-line amounts of a row when it is expanded, and the editor
 * of a row's shares. The split is a quota category per line key; the server checks it again.
 */
export type Share = { key: string; share: number };
type Line = Pick<BusinessLineValue, 'key' | 'nameZh' | 'nameEn'>;

export function useLineName() {
  const { locale } = useI18n();
  return (line: Line) => (locale === 'zh-CN' ? line.nameZh : line.nameEn);
}

const yearOf = (quarters: readonly number[]) => quarters.reduce((a, b) => a + b, 0);

/** The shares a row shows: the edited or set split by line, else (a unit of members' sums) the lines' part of its year. */
function sharesShown(row: QuotaRow, edited: readonly Share[] | undefined, lines: readonly Line[]) {
  const isLine = (key: string) => lines.some((line) => line.key === key);
  const own = edited ?? row.quota?.categories;
  if (own) return { derived: false, shares: own.filter((c) => isLine(c.key)) };
  const year = yearOf(row.effective.quarters);
  const shares = Object.entries(row.effective.categories)
    .filter(([key]) => isLine(key))
    .map(([key, quarters]) => ({ key, share: year ? Math.round((yearOf(quarters) * 100) / year) : 0 }));
  return { derived: true, shares };
}

export function LineSplitCell({
  row,
  edited,
  lines,
  onEdit,
}: {
  row: QuotaRow;
  edited: readonly Share[] | undefined;
  lines: readonly Line[];
  onEdit: () => void;
}) {
  const t = useT();
  const name = useLineName();
  const { derived, shares } = sharesShown(row, edited, lines);
  return (
    <Flex gap={2} wrap align="center" data-testid={`quota-split-${row.subjectType}-${row.subjectId}`}>
      {shares.length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
      {shares.map((share) => {
        const line = lines.find((l) => l.key === share.key)!;
        return (
          <Tag key={share.key} bordered={!derived} style={{ marginInlineEnd: 2 }}>
            {derived ? '≈' : ''}
            {name(line)} {share.share}%
          </Tag>
        );
      })}
      {row.canEdit && (
        <Button
          size="small"
          type="text"
          icon={<EditOutlined />}
          onClick={onEdit}
          aria-label={t('quotas.lines.edit', { name: row.name })}
        />
      )}
    </Flex>
  );
}

/** The per-line amounts of a row, per quarter and for the year, in the table's basis (the server's split). */
export function LineSplitDetail({ row, lines }: { row: QuotaRow; lines: readonly Line[] }) {
  const t = useT();
  const money = useMoney();
  const name = useLineName();
  const rows = lines
    .filter((line) => row.effective.categories[line.key])
    .map((line) => ({ key: line.key, name: name(line), quarters: row.effective.categories[line.key]! }));
  const split = rows.reduce((sum, r) => sum.map((x, i) => x + r.quarters[i]!), [0, 0, 0, 0]);
  const rest = row.effective.quarters.map((x, i) => x - split[i]!);
  if (rest.some((x) => x !== 0)) rows.push({ key: '', name: t('quotas.lines.notSplit'), quarters: rest });
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="key"
      dataSource={rows}
      scroll={{ x: 'max-content' }}
      data-testid={`quota-lines-${row.subjectType}-${row.subjectId}`}
      columns={[
        { title: t('quotas.lines.name'), dataIndex: 'name', key: 'name' },
        ...[0, 1, 2, 3].map((quarter) => ({
          title: `Q${quarter + 1}`,
          key: `q${quarter}`,
          align: 'right' as const,
          render: (_: unknown, r: (typeof rows)[number]) => money(r.quarters[quarter]!, true),
        })),
        {
          title: t('quotas.year'),
          key: 'year',
          align: 'right',
          render: (_, r) => <b>{money(yearOf(r.quarters), true)}</b>,
        },
      ]}
    />
  );
}

/**
 * Edits one row's shares per line, with the amounts they give live. Applying puts the split
 * into the table's pending changes; it is saved with the others, with their reason.
 */
export function LineSplitModal({
  row,
  setting,
  lines,
  canName,
  onApply,
  onClose,
}: {
  row: QuotaRow | null;
  setting: { amount: number | null; quarterRatios: number[]; basis: QuotaBasis; categories: readonly Share[] };
  lines: readonly Line[];
  /** Administrators name the lines in Settings → Rules; others are told to ask one. */
  canName: boolean;
  onApply: (shares: Share[]) => void;
  onClose: () => void;
}) {
  const t = useT();
  const money = useMoney();
  const name = useLineName();
  const [shares, setShares] = useState<Record<string, number | null>>(() =>
    Object.fromEntries(
      lines.map((line) => [line.key, setting.categories.find((c) => c.key === line.key)?.share ?? null]),
    ),
  );
  const chosen = lines
    .map((line) => ({ key: line.key, share: shares[line.key] ?? 0 }))
    .filter((share) => share.share !== 0);
  const total = chosen.reduce((sum, share) => sum + share.share, 0);
  const bySize = setting.categories.some((c) => !lines.some((line) => line.key === c.key));
  // The amounts as the server splits them: the quota's own basis, quarters by ratios, lines by shares.
  const figure =
    setting.amount === null || total !== 100
      ? null
      : figureOf({ ...setting, amount: setting.amount, categories: chosen }, setting.basis, 0);
  return (
    <Modal
      open={row !== null}
      title={`${t('quotas.lines.split')} · ${row?.name ?? ''}`}
      onCancel={onClose}
      okText={t('quotas.lines.apply')}
      okButtonProps={{ disabled: lines.length === 0 }}
      onOk={() => onApply(chosen)}
      width={720}
      destroyOnHidden
    >
      {lines.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          data-testid="quota-lines-empty"
          description={
            <>
              {t('quotas.lines.noLines')}{' '}
              {canName ? <Link to="/settings/rules">{t('quotas.lines.nameThem')}</Link> : t('quotas.lines.askAdmin')}
            </>
          }
        />
      ) : (
        <Flex vertical gap={8} data-testid="quota-lines-editor">
          <Typography.Text type="secondary">{t('quotas.lines.splitHint')}</Typography.Text>
          {bySize && <Alert type="warning" showIcon message={t('quotas.lines.replacesSize')} />}
          {setting.amount === null && <Alert type="info" showIcon message={t('quotas.lines.amountFirst')} />}
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={lines.map((line) => ({ key: line.key, name: name(line) }))}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('quotas.lines.name'), dataIndex: 'name', key: 'name' },
              {
                title: '%',
                key: 'share',
                render: (_, line) => (
                  <InputNumber<number>
                    size="small"
                    min={0}
                    max={100}
                    precision={0}
                    style={{ width: 70 }}
                    value={shares[line.key]}
                    aria-label={`${line.name} %`}
                    onChange={(value) => setShares((s) => ({ ...s, [line.key]: value }))}
                  />
                ),
              },
              {
                title: t('quotas.year'),
                key: 'year',
                align: 'right',
                render: (_, line) => (figure?.categories[line.key] ? money(yearOf(figure.categories[line.key]!)) : '—'),
              },
              ...[0, 1, 2, 3].map((quarter) => ({
                title: `Q${quarter + 1}`,
                key: `q${quarter}`,
                align: 'right' as const,
                render: (_: unknown, line: { key: string }) =>
                  figure?.categories[line.key] ? money(figure.categories[line.key]![quarter]!, true) : '—',
              })),
            ]}
          />
          <Flex gap={8} align="center" wrap>
            <Typography.Text
              type={total === 100 || chosen.length === 0 ? 'success' : 'danger'}
              data-testid="quota-lines-total"
            >
              {chosen.length === 0 ? t('quotas.lines.noSplit') : t('quotas.ratioSum', { n: total })}
            </Typography.Text>
            <Button size="small" onClick={() => setShares({})}>
              {t('quotas.lines.clear')}
            </Button>
          </Flex>
        </Flex>
      )}
    </Modal>
  );
}
