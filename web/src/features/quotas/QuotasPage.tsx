import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Drawer,
  Flex,
  Input,
  InputNumber,
  Modal,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { HistoryOutlined, UploadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { QuotaRow, QuotaItem } from '../../../../src/contracts/quotas.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { problemMessage } from '../../api/problems.ts';
import { useMoney } from '../../i18n/money.ts';
import { useDates } from '../../i18n/useDates.ts';
import { useI18n, useT } from '../../i18n/useI18n.ts';
import { useImportQuotas, useQuotaHistory, useQuotaTable, useSaveQuotas } from './api.ts';

type Edit = { amount: number | null; quarterRatios: number[]; basis: 'tax_inclusive' | 'net' };
const keyOf = (r: Pick<QuotaRow, 'subjectType' | 'subjectId'>) => `${r.subjectType}:${r.subjectId}`;

/**
 * Quotas (docs/targets.md § Quotas): the year's table of people and units within reach, typed
 * in place (annual amount in yuan, quarter ratios, basis) and saved together with a reason; a
 * unit without its own quota shows its members' sum, one set otherwise shows the difference.
 */
export default function QuotasPage() {
  const t = useT();
  const say = useI18n();
  const money = useMoney();
  const { message } = App.useApp();
  const [fiscalYear, setFiscalYear] = useState<number | undefined>();
  // Unchosen, the table opens in the workspace's default basis (Settings → Rules).
  const [chosenBasis, setBasis] = useState<'tax_inclusive' | 'net' | undefined>();
  const table = useQuotaTable({ fiscalYear, basis: chosenBasis });
  const save = useSaveQuotas();
  const importer = useImportQuotas();
  const [edits, setEdits] = useState<Record<string, Edit>>({});
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [history, setHistory] = useState<{ type: 'user' | 'unit'; id: number; name: string } | null>(null);
  const data = table.data;
  const year = fiscalYear ?? data?.fiscalYear;
  const basis = chosenBasis ?? data?.basis;

  const editOf = (row: QuotaRow): Edit =>
    edits[keyOf(row)] ?? {
      amount: row.quota?.amount ?? null,
      quarterRatios: row.quota?.quarterRatios ?? [25, 25, 25, 25],
      basis: row.quota?.basis ?? data?.defaultBasis ?? 'tax_inclusive',
    };
  const change = (row: QuotaRow, patch: Partial<Edit>) =>
    setEdits((e) => ({ ...e, [keyOf(row)]: { ...editOf(row), ...patch } }));
  const dirty = Object.keys(edits).length;

  const submit = async () => {
    if (!data || year === undefined) return;
    const items: QuotaItem[] = Object.entries(edits).map(([key, edit]) => {
      const [subjectType, id] = key.split(':') as ['user' | 'unit', string];
      const row = data.rows.find((r) => keyOf(r) === key);
      return {
        subjectType,
        subjectId: Number(id),
        amount: edit.amount,
        quarterRatios: edit.quarterRatios,
        basis: edit.basis,
        ...(row?.quota ? { version: row.quota.version } : {}),
      };
    });
    try {
      const saved = await save.mutateAsync({ fiscalYear: year, reason, items });
      message.success(t('quotas.saved', { n: saved.changed }));
      setEdits({});
      setAsking(false);
      setReason('');
    } catch (error) {
      message.error(problemMessage(error, say));
    }
  };

  const upload = async (file: File) => {
    if (year === undefined) return;
    try {
      const dry = await importer.mutateAsync({ file, fiscalYear: year, dryRun: true });
      if (dry.errors.length) {
        Modal.error({
          title: t('quotas.import.errors'),
          content: (
            <ul>
              {dry.errors.slice(0, 20).map((error) => (
                <li key={`${error.row}-${error.column}`}>
                  {t('quotas.import.row', { row: error.row })} {error.column}: {error.message}
                </li>
              ))}
            </ul>
          ),
        });
        return;
      }
      Modal.confirm({
        title: t('quotas.import.confirm', { n: dry.items.length }),
        onOk: async () => {
          const imported = await importer.mutateAsync({ file, fiscalYear: year, dryRun: false });
          message.success(t('quotas.saved', { n: imported.changed }));
        },
      });
    } catch (error) {
      message.error(problemMessage(error, say));
    }
  };

  if (table.isError) return <LoadError error={table.error} onRetry={() => void table.refetch()} />;
  const ratioSum = (e: Edit) => e.quarterRatios.reduce((a, b) => a + b, 0);
  const editable = data?.rows.some((r) => r.canEdit) ?? false;
  return (
    <>
      <PageHeader
        title={t('quotas.title')}
        subtitle={t('quotas.subtitle')}
        extra={
          <Flex gap={8} wrap>
            <Select
              data-testid="quota-year"
              value={year}
              style={{ width: 110 }}
              onChange={setFiscalYear}
              options={year === undefined ? [] : [year - 1, year, year + 1].map((y) => ({ value: y, label: `FY${y}` }))}
            />
            <Select
              value={basis}
              style={{ width: 120 }}
              onChange={setBasis}
              options={[
                { value: 'tax_inclusive', label: t('quotas.basis.tax_inclusive') },
                { value: 'net', label: t('quotas.basis.net') },
              ]}
            />
            {editable && (
              <Upload
                accept=".xlsx,.csv"
                showUploadList={false}
                beforeUpload={(file) => {
                  void upload(file);
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} loading={importer.isPending}>
                  {t('quotas.import')}
                </Button>
              </Upload>
            )}
            {editable && (
              <Button type="primary" disabled={dirty === 0} onClick={() => setAsking(true)} data-testid="quota-save">
                {t('quotas.save', { n: dirty })}
              </Button>
            )}
            <Link to="/funnel">
              <Button>{t('funnel.title')}</Button>
            </Link>
          </Flex>
        }
      />
      {editable && <Typography.Paragraph type="secondary">{t('quotas.importHint')}</Typography.Paragraph>}
      {!data ? (
        <Skeleton active />
      ) : (
        <Card size="small">
          <Table<QuotaRow>
            size="small"
            rowKey={keyOf}
            dataSource={data.rows}
            pagination={false}
            scroll={{ x: 'max-content' }}
            data-testid="quota-table"
            locale={{ emptyText: t('quotas.empty') }}
            columns={[
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
                    {quotaRow.name}{' '}
                    {quotaRow.subjectType === 'unit' && !quotaRow.quota && <Tag>{t('quotas.membersSum')}</Tag>}
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
                    onClick={() =>
                      setHistory({ type: quotaRow.subjectType, id: quotaRow.subjectId, name: quotaRow.name })
                    }
                  />
                ),
              },
            ]}
          />
        </Card>
      )}
      <Modal
        open={asking}
        title={t('quotas.reasonTitle', { n: dirty })}
        okText={t('quotas.saveOk')}
        onOk={() => void submit()}
        onCancel={() => setAsking(false)}
        okButtonProps={{ disabled: !reason.trim(), loading: save.isPending }}
      >
        <Input.TextArea
          data-testid="quota-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('quotas.reasonPlaceholder')}
          maxLength={500}
          autoFocus
        />
        {save.isError && (
          <Alert style={{ marginTop: 8 }} type="error" showIcon message={problemMessage(save.error, say)} />
        )}
      </Modal>
      <HistoryDrawer subject={history} onClose={() => setHistory(null)} />
    </>
  );
}

function HistoryDrawer({
  subject,
  onClose,
}: {
  subject: { type: 'user' | 'unit'; id: number; name: string } | null;
  onClose: () => void;
}) {
  const t = useT();
  const money = useMoney();
  const dates = useDates();
  const historyQuery = useQuotaHistory(subject);
  const describe = (json: string | null) => {
    if (!json) return t('quotas.history.none');
    const quota = JSON.parse(json) as { amount: number; quarterRatios: number[]; basis: string };
    return `${money(quota.amount)} · ${quota.quarterRatios.join('/')} · ${t(`quotas.basis.${quota.basis as 'net' | 'tax_inclusive'}`)}`;
  };
  return (
    <Drawer
      open={subject !== null}
      onClose={onClose}
      title={`${t('quotas.history')} · ${subject?.name ?? ''}`}
      size="default"
    >
      {historyQuery.isLoading ? (
        <Skeleton active />
      ) : (historyQuery.data?.items.length ?? 0) === 0 ? (
        <Typography.Text type="secondary">{t('quotas.history.empty')}</Typography.Text>
      ) : (
        <Timeline
          items={historyQuery.data!.items.map((entry) => ({
            key: entry.id,
            children: (
              <div>
                <div>
                  <b>FY{entry.fiscalYear}</b> · {dates.format(entry.at, 'dateTime')} · {entry.actorName ?? '—'}
                </div>
                <div>
                  {describe(entry.before)} → {describe(entry.after)}
                </div>
                <Typography.Text type="secondary">{entry.reason}</Typography.Text>
              </div>
            ),
          }))}
        />
      )}
    </Drawer>
  );
}
