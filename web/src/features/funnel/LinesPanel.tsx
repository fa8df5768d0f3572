import { Card, Table, Tag, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { QuotaLines } from '../../../../src/contracts/quotas.ts';
import { api } from '../../api/client.ts';
import { useMoney } from '../../i18n/money.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import { funnelKeys } from './api.ts';

type Row = QuotaLines['lines'][number] | (QuotaLines['noLine'] & { key: ''; quota: null; attainment: null });

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

/**
 * Quota attainment by business line (docs/targets.md § Business lines): for the funnel's scope
 * and period, each line's part of the quota against what it won, beside its open deals and their
 * expected amount; the deals of no line on a row of their own, so the rows add up to the whole.
 * Shown only when the workspace has lines. `line`: the line the funnel is narrowed to, marked.
 */
export function LinesPanel({ scope, period, line }: { scope: string | undefined; period: string; line?: string }) {
  const { t, locale } = useI18n();
  const money = useMoney();
  const query = useQuery({
    queryKey: funnelKeys.view('lines', { scope, period }),
    queryFn: ({ signal }) => api.get<QuotaLines>('/quotas/lines', { scope, period }, { signal }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const data = query.data;
  if (!data || data.lines.length === 0) return null;
  const rows: Row[] = [...data.lines, { ...data.noLine, key: '', quota: null, attainment: null }];
  const nameOf = (row: Row) =>
    row.key === ''
      ? t('quotas.lines.none')
      : locale === 'en-US'
        ? (row as QuotaLines['lines'][number]).nameEn
        : (row as QuotaLines['lines'][number]).nameZh;
  return (
    <Card size="small" title={t('quotas.lines.attainment')} data-testid="funnel-lines">
      <Table<Row>
        size="small"
        rowKey="key"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={rows}
        columns={[
          {
            title: t('quotas.lines.name'),
            key: 'name',
            render: (_, row) => (
              <span data-testid={`line-row-${row.key || 'none'}`}>
                {nameOf(row)}{' '}
                {(line === row.key || (line === 'none' && row.key === '')) && (
                  <Tag color="blue">{t('quotas.lines.shown')}</Tag>
                )}
              </span>
            ),
          },
          {
            title: t('quotas.lines.quota'),
            key: 'quota',
            align: 'right',
            render: (_, row) => (row.quota === null ? '—' : money(row.quota, true)),
          },
          {
            title: t('quotas.lines.realised'),
            dataIndex: 'realised',
            align: 'right',
            render: (n: number) => money(n, true),
          },
          {
            title: t('quotas.lines.attainmentShort'),
            key: 'attainment',
            align: 'right',
            render: (_, row) =>
              row.attainment === null ? (
                '—'
              ) : (
                <Typography.Text
                  type={row.attainment >= 1 ? 'success' : undefined}
                  data-testid={`line-attainment-${row.key}`}
                >
                  {percent(row.attainment)}
                </Typography.Text>
              ),
          },
          { title: t('quotas.lines.open'), dataIndex: 'open', align: 'right' },
          {
            title: t('funnel.expectedAmount'),
            dataIndex: 'expectedAmount',
            align: 'right',
            render: (n: number) => money(n, true),
          },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <b>{t('funnel.total')}</b>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              {money(data.total.quota, true)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">
              {money(data.total.realised, true)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              {percent(data.total.attainment)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={4} />
            <Table.Summary.Cell index={5} />
          </Table.Summary.Row>
        )}
      />
      {data.total.unassignedQuota !== 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('quotas.lines.unassigned', { amount: money(data.total.unassignedQuota, true) })}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
