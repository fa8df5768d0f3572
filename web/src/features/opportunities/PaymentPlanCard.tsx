import { useState } from 'react';
import { App, Button, Card, DatePicker, Flex, Input, InputNumber, Table, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useMoney, yuanToFen } from '../../i18n/money.ts';
import { useDates } from '../../i18n/useDates.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { PaymentPlan } from '../../../../src/contracts/collections.ts';
import type { OpportunityDetail } from './types.ts';

type Row = { dueDate: string | null; yuan: number | null; note: string };

/**
 * The deal's payment plan (docs/targets.md § Expected collections): the installments its
 * contract is paid in, which the funnel's expected collections count in the period they fall
 * due. Whoever may edit the deal edits the plan; it is saved whole, with the version read.
 */
export function PaymentPlanCard({ o: opportunity }: { o: OpportunityDetail }) {
  const t = useT();
  const money = useMoney();
  const dates = useDates();
  const { message } = App.useApp();
  const report = useProblem();
  const qc = useQueryClient();
  const key = ['opportunities', 'detail', opportunity.id, 'payment-plan'] as const;
  const plan = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<PaymentPlan>(`/opportunities/${opportunity.id}/payment-plan`, {}, { signal }),
  });
  const [rows, setRows] = useState<Row[] | null>(null);
  const save = useMutation({
    mutationFn: (body: {
      version?: number;
      installments: { dueDate: string; amount: number; note: string | null }[];
    }) => request<PaymentPlan>('PUT', `/opportunities/${opportunity.id}/payment-plan`, body),
    onSuccess: (data) => {
      qc.setQueryData(key, data);
      void qc.invalidateQueries({ queryKey: ['funnel'] });
      setRows(null);
      void message.success(t('common.saved'));
    },
    onError: (error) => {
      void plan.refetch();
      report(error);
    },
  });
  const current = plan.data;
  const amount = opportunity.amount ?? 0;
  const total = (rows ?? []).reduce((s, r) => s + yuanToFen(r.yuan), 0);
  const edit = () =>
    setRows(
      current?.installments.length
        ? current.installments.map((i) => ({ dueDate: i.dueDate, yuan: i.amount / 100, note: i.note ?? '' }))
        : [{ dueDate: null, yuan: amount / 100 || null, note: '' }],
    );
  const submit = () =>
    save.mutate({
      ...(current?.version ? { version: current.version } : {}),
      installments: (rows ?? []).map((row) => ({
        dueDate: row.dueDate!,
        amount: yuanToFen(row.yuan),
        note: row.note.trim() || null,
      })),
    });
  const change = (index: number, patch: Partial<Row>) =>
    setRows((rows ?? []).map((x, j) => (j === index ? { ...x, ...patch } : x)));
  return (
    <Card
      size="small"
      title={t('opps.plan.title')}
      style={{ marginTop: 16 }}
      data-testid="payment-plan"
      extra={
        current?.canEdit && rows === null ? (
          <Button size="small" onClick={edit}>
            {t('common.edit')}
          </Button>
        ) : undefined
      }
    >
      {rows === null ? (
        !current?.installments.length ? (
          <Typography.Text type="secondary">{t('opps.plan.none')}</Typography.Text>
        ) : (
          <Table
            size="small"
            rowKey={(r) => `${r.dueDate}-${r.amount}-${r.note ?? ''}`}
            pagination={false}
            dataSource={current.installments}
            columns={[
              { title: t('opps.plan.due'), dataIndex: 'dueDate' },
              {
                title: t('opps.plan.amount'),
                dataIndex: 'amount',
                align: 'right',
                render: (n: number) => money(n),
              },
              { title: t('opps.plan.note'), dataIndex: 'note', render: (n: string | null) => n ?? '' },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>{t('funnel.total')}</Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  {money(current.total)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} />
              </Table.Summary.Row>
            )}
          />
        )
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('opps.plan.hint')}
          </Typography.Text>
          {rows.map((row, index) => (
            <Flex key={index} gap={8} wrap>
              <DatePicker
                value={dates.pickerDay(row.dueDate)}
                aria-label={t('opps.plan.due')}
                onChange={(day) => change(index, { dueDate: dates.pickedDay(day) })}
              />
              <InputNumber
                min={0.01}
                precision={2}
                value={row.yuan}
                prefix="¥"
                style={{ width: 160 }}
                aria-label={t('opps.plan.amount')}
                onChange={(v) => change(index, { yuan: v })}
              />
              <Input
                value={row.note}
                maxLength={200}
                placeholder={t('opps.plan.note')}
                style={{ width: 180 }}
                onChange={(e) => change(index, { note: e.target.value })}
              />
              <Button
                type="text"
                icon={<DeleteOutlined />}
                aria-label={t('opps.plan.remove')}
                onClick={() => setRows(rows.filter((_, j) => j !== index))}
              />
            </Flex>
          ))}
          <Flex gap={8} align="center" wrap>
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => setRows([...rows, { dueDate: null, yuan: null, note: '' }])}
              disabled={rows.length >= 60}
            >
              {t('opps.plan.add')}
            </Button>
            <Typography.Text type={total > amount ? 'danger' : 'secondary'} data-testid="plan-total">
              {t('opps.plan.total', { total: money(total), amount: money(amount) })}
            </Typography.Text>
          </Flex>
          <Flex gap={8}>
            <Button
              type="primary"
              size="small"
              loading={save.isPending}
              disabled={rows.some((r) => r.dueDate === null || !r.yuan) || total > amount}
              onClick={submit}
            >
              {t('common.save')}
            </Button>
            <Button size="small" onClick={() => setRows(null)}>
              {t('common.cancel')}
            </Button>
          </Flex>
        </Flex>
      )}
    </Card>
  );
}
