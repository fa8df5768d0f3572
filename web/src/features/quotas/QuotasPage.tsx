import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Input, Modal, Select, Skeleton, Table, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import type { QuotaRow, QuotaItem } from '../../../../src/contracts/quotas.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { isApiError } from '../../api/client.ts';
import { fieldMessage, problemMessage } from '../../api/problems.ts';
import { useI18n, useT } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { useRules } from '../territories/api.ts';
import { useImportQuotas, useQuotaTable, useSaveQuotas } from './api.ts';
import { LineSplitDetail, LineSplitModal } from './LineSplit.tsx';
import { HistoryDrawer } from './QuotaHistoryDrawer.tsx';
import { keyOf, useQuotaColumns, type Edit } from './quotaColumns.tsx';

/**
 * Quotas (docs/targets.md § Quotas): the year's table of people and units within reach, typed
 * in place (annual amount in yuan, quarter ratios, basis, split by business line) and saved
 * together with a reason; a unit without its own quota shows its members' sum, one set
 * otherwise shows the difference. A row expands to its amounts per line.
 */
export default function QuotasPage() {
  const t = useT();
  const say = useI18n();
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
  const [splitting, setSplitting] = useState<QuotaRow | null>(null);
  const lines = useRules().data?.businessLines ?? [];
  const canNameLines = useCan()('workspace.administer');
  const data = table.data;
  const year = fiscalYear ?? data?.fiscalYear;
  const basis = chosenBasis ?? data?.basis;

  const editOf = (row: QuotaRow): Edit =>
    edits[keyOf(row)] ?? {
      amount: row.quota?.amount ?? null,
      quarterRatios: row.quota?.quarterRatios ?? [25, 25, 25, 25],
      basis: row.quota?.basis ?? data?.defaultBasis ?? 'tax_inclusive',
    };
  const splitOf = (row: QuotaRow) => edits[keyOf(row)]?.categories ?? row.quota?.categories ?? [];
  const change = (row: QuotaRow, patch: Partial<Edit>) =>
    setEdits((e) => ({ ...e, [keyOf(row)]: { ...editOf(row), ...patch } }));
  const dirty = Object.keys(edits).length;
  const columns = useQuotaColumns({ edits, editOf, change, lines, setSplitting, setHistory });

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
        ...(edit.categories ? { categories: edit.categories } : {}),
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

  // Each field error of a refused save, said with the row it names (items.<i> is the i-th pending change).
  const saveErrors = (error: unknown) => {
    if (!isApiError(error)) return [];
    const pending = Object.keys(edits);
    return error.errors.map((fieldError) => {
      const index = /^items\.(\d+)/.exec(fieldError.field)?.[1];
      const row = index === undefined ? undefined : data?.rows.find((r) => keyOf(r) === pending[Number(index)]);
      return `${row ? `${row.name}: ` : ''}${fieldMessage(error, fieldError, say)}`;
    });
  };

  if (table.isError) return <LoadError error={table.error} onRetry={() => void table.refetch()} />;
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
            expandable={
              lines.length
                ? {
                    expandedRowRender: (quotaRow) => <LineSplitDetail row={quotaRow} lines={lines} />,
                    rowExpandable: (quotaRow) => lines.some((line) => quotaRow.effective.categories[line.key]),
                  }
                : undefined
            }
            columns={columns}
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
          <Alert
            style={{ marginTop: 8 }}
            type="error"
            showIcon
            message={problemMessage(save.error, say)}
            description={saveErrors(save.error).map((text) => (
              <div key={text}>{text}</div>
            ))}
            data-testid="quota-save-error"
          />
        )}
      </Modal>
      <HistoryDrawer subject={history} onClose={() => setHistory(null)} />
      {splitting && (
        <LineSplitModal
          row={splitting}
          setting={{ ...editOf(splitting), categories: splitOf(splitting) }}
          lines={lines}
          canName={canNameLines}
          onClose={() => setSplitting(null)}
          onApply={(shares) => {
            change(splitting, { categories: shares });
            setSplitting(null);
          }}
        />
      )}
    </>
  );
}
