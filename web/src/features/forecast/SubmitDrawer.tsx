import { useEffect, useState } from 'react';
import {
  App,
  Alert,
  Button,
  Drawer,
  Flex,
  Input,
  InputNumber,
  Select,
  Skeleton,
  Statistic,
  Table,
  Typography,
} from 'antd';
import type { DraftDeal } from '../../../../src/contracts/forecasts.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useMoney } from '../../i18n/money.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useDraft, useSubmitForecast } from './api.ts';
import { useShippedText } from '../processes/shippedText.ts';

type Row = DraftDeal & { chosen: 'commit' | 'possible' | 'none'; yuan: number | null };

/**
 * A rep's weekly forecast (docs/targets.md § Weekly submissions): their open deals, pre-filled
 * from this week's submission or the deals' own categories; they change the category and the
 * amount they expect to collect, and submit. A second submission this week replaces the first.
 */
export function SubmitDrawer({
  open,
  period,
  onClose,
}: {
  open: boolean;
  period: string | undefined;
  onClose: () => void;
}) {
  const t = useT();
  const shipped = useShippedText();
  const money = useMoney();
  const { message } = App.useApp();
  const report = useProblem();
  const draft = useDraft(period, open);
  const submit = useSubmitForecast();
  const [rows, setRows] = useState<Row[]>([]);
  const [note, setNote] = useState('');

  useEffect(() => {
    if (!draft.data) return;
    setRows(draft.data.deals.map((d) => ({ ...d, chosen: d.category, yuan: d.amount / 100 })));
    setNote(draft.data.current?.note ?? '');
  }, [draft.data]);

  const total = (count: 'commit' | 'possible') =>
    rows.filter((r) => r.chosen === count).reduce((a, r) => a + Math.round((r.yuan ?? 0) * 100), 0);
  const change = (id: number, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.opportunityId === id ? { ...r, ...patch } : r)));

  const send = () =>
    submit.mutate(
      {
        period,
        note: note.trim() || null,
        deals: rows
          .filter((r) => r.chosen !== 'none')
          .map((row) => ({
            opportunityId: row.opportunityId,
            category: row.chosen as 'commit' | 'possible',
            amount: Math.round((row.yuan ?? 0) * 100),
          })),
      },
      {
        onSuccess: () => {
          void message.success(t('forecast.submit.done'));
          onClose();
        },
        onError: (e) => report(e),
      },
    );

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size="large"
      title={t('forecast.submit.title')}
      destroyOnHidden
      data-testid="submit-drawer"
      extra={
        <Button
          type="primary"
          loading={submit.isPending}
          onClick={send}
          disabled={!draft.data}
          data-testid="submit-forecast"
        >
          {t('forecast.submit.send')}
        </Button>
      }
    >
      {!draft.data ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={12}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('forecast.submit.hint', { week: draft.data.weekStart, period: draft.data.period.name })}
          </Typography.Paragraph>
          {draft.data.current && <Alert type="info" showIcon message={t('forecast.submit.replaces')} />}
          <Flex gap={24} wrap>
            <Statistic title={t('forecast.commit')} value={money(total('commit'))} />
            <Statistic title={t('forecast.possible')} value={money(total('possible'))} />
            <Statistic title={t('forecast.realised')} value={money(draft.data.realised)} />
          </Flex>
          {rows.length === 0 ? (
            <Alert type="warning" showIcon message={t('forecast.submit.noDeals')} />
          ) : (
            <Table<Row>
              size="small"
              rowKey="opportunityId"
              pagination={false}
              dataSource={rows}
              scroll={{ x: 640 }}
              columns={[
                {
                  title: t('forecast.deal'),
                  dataIndex: 'name',
                  render: (count: string, record) => (
                    <div>
                      <div>{count}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {record.accountName} · {shipped(record.stageName) ?? '—'} · {record.expectedCloseDate ?? '—'}
                      </Typography.Text>
                    </div>
                  ),
                },
                {
                  title: t('forecast.category'),
                  width: 130,
                  render: (_, record) => (
                    <Select
                      size="small"
                      style={{ width: 120 }}
                      value={record.chosen}
                      onChange={(v: Row['chosen']) => change(record.opportunityId, { chosen: v })}
                      aria-label={t('forecast.category')}
                      options={[
                        { value: 'commit', label: t('forecast.commit') },
                        { value: 'possible', label: t('forecast.possible') },
                        { value: 'none', label: t('forecast.none') },
                      ]}
                    />
                  ),
                },
                {
                  title: t('forecast.expected'),
                  width: 150,
                  render: (_, record) => (
                    <InputNumber
                      size="small"
                      min={0}
                      precision={0}
                      prefix="¥"
                      style={{ width: 140 }}
                      value={record.yuan}
                      disabled={record.chosen === 'none'}
                      onChange={(v) => change(record.opportunityId, { yuan: v })}
                      aria-label={t('forecast.expected')}
                    />
                  ),
                },
              ]}
            />
          )}
          <Input.TextArea
            rows={2}
            maxLength={1000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('forecast.submit.note')}
          />
        </Flex>
      )}
    </Drawer>
  );
}
