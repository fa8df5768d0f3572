import { useState } from 'react';
import {
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  Modal,
  Radio,
  Segmented,
  Space,
  Statistic,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { CalendarOutlined } from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { Link } from 'react-router';
import { useProblem } from '../../api/useProblem.ts';
import { ListTable } from '../../components/ListTable.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useListParams } from '../../components/useListParams.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import type { WeeklyReviewItem } from '../../../../src/contracts/rhythm.ts';
import { useRecordCheckpoint, useWeeklyReview } from './api.ts';
import { useShippedText } from '../processes/shippedText.ts';

type Kind = 'weekly' | 'day15' | 'day30';

/** The 1-15-30 weekly review (docs/rhythm.md § 1-15-30): the team's open deals, their checkpoints due, and the record of each look. */
export default function WeeklyReviewPage() {
  const t = useT();
  const shipped = useShippedText();
  const screens = Grid.useBreakpoint();
  const list = useListParams({ pageSize: 20 });
  const dates = useDates();
  const week = list.str('week');
  const due = list.str('due') ?? 'any';
  const review = useWeeklyReview({ week, due, limit: list.limit, offset: list.offset });
  const [recording, setRecording] = useState<{ item: WeeklyReviewItem; kind: Kind } | null>(null);
  const data = review.data;

  const look = (item: WeeklyReviewItem, kind: Kind) => {
    const state = kind === 'weekly' ? { due: true, overdue: false, done: item.weekly.done, date: '' } : item[kind];
    const label = t(`review.kind.${kind}` as MessageKey);
    if (state.done)
      return (
        <Tag
          color={state.done.outcome === 'disqualified' ? 'red' : 'green'}
          key={kind}
          data-testid={`done-${kind}-${item.id}`}
        >
          {label} · {t(`review.outcome.${state.done.outcome}` as MessageKey)}
        </Tag>
      );
    if (!state.due)
      return kind === 'weekly' ? null : (
        <Tag key={kind}>
          {label} {state.date}
        </Tag>
      );
    return (
      <Button
        key={kind}
        size="small"
        danger={state.overdue}
        type={kind === 'weekly' ? 'default' : 'primary'}
        disabled={!item.canReview}
        onClick={() => setRecording({ item, kind })}
        data-testid={`record-${kind}-${item.id}`}
      >
        {label}
        {kind !== 'weekly' ? ` ${state.date}` : ''}
        {state.overdue ? ` · ${t('review.overdue')}` : ''}
      </Button>
    );
  };

  const columns: TableProps<WeeklyReviewItem>['columns'] = [
    {
      title: t('review.col.deal'),
      key: 'deal',
      render: (_, opportunity) => (
        // On a phone the cell keeps to the screen's width, so the checkpoints wrap instead of widening the table.
        <Flex vertical gap={2} style={{ minWidth: 180, maxWidth: screens.md ? undefined : 'calc(100vw - 72px)' }}>
          <Link to={`/opportunities/${opportunity.id}`}>
            <Typography.Text strong>{opportunity.name}</Typography.Text>
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {opportunity.account.name} · {opportunity.owner.name}
            {opportunity.stageName ? ` · ${shipped(opportunity.stageName)}` : ''}
          </Typography.Text>
          {/* On a phone the looks stand under the deal: a second column would be scrolled out of sight. */}
          {!screens.md && (
            <Space size={[4, 4]} wrap style={{ marginTop: 4 }}>
              {(['weekly', 'day15', 'day30'] as const).map((k) => look(opportunity, k))}
            </Space>
          )}
        </Flex>
      ),
    },
    { title: t('review.col.entered'), dataIndex: 'enteredOn', key: 'entered', width: 110, responsive: ['md'] },
    {
      title: t('review.col.looks'),
      key: 'looks',
      responsive: ['md'],
      render: (_, opportunity) => (
        <Space size={[4, 4]} wrap>
          {(['weekly', 'day15', 'day30'] as const).map((k) => look(opportunity, k))}
        </Space>
      ),
    },
  ];

  if (review.isError && !data) return <LoadError error={review.error} onRetry={() => void review.refetch()} />;

  return (
    <>
      <PageHeader
        title={t('review.title')}
        subtitle={t('review.subtitle')}
        extra={
          <DatePicker
            picker="week"
            allowClear
            value={dates.pickerDay(week)}
            onChange={(d) => list.update({ week: dates.pickedDay(d) ?? undefined })}
            aria-label={t('review.week')}
            suffixIcon={<CalendarOutlined />}
          />
        }
      />
      {data && (
        <Card size="small" style={{ marginBottom: 16 }}>
          <Flex gap={32} wrap>
            <Statistic
              title={t('review.week')}
              value={`${data.week.start} ~ ${data.week.end}`}
              valueStyle={{ fontSize: 16 }}
            />
            <Statistic title={t('review.count.open')} value={data.counts.open} />
            <Statistic
              title={t('review.count.day15')}
              value={data.counts.day15}
              valueStyle={data.counts.day15 ? { color: '#d97706' } : undefined}
            />
            <Statistic
              title={t('review.count.day30')}
              value={data.counts.day30}
              valueStyle={data.counts.day30 ? { color: '#dc2626' } : undefined}
            />
          </Flex>
        </Card>
      )}
      {/* Four filters are wider than a phone: they scroll on their own rather than widen the page. */}
      <div style={{ overflowX: 'auto', maxWidth: '100%', marginBottom: 16 }}>
        <Segmented
          value={due}
          onChange={(v) => list.update({ due: v === 'any' ? undefined : String(v) })}
          data-testid="review-due"
          options={(['any', 'checkpoints', 'day15', 'day30'] as const).map((date) => ({
            value: date,
            label: t(`review.due.${date}` as MessageKey),
          }))}
        />
      </div>
      <ListTable<WeeklyReviewItem>
        list={list}
        query={review}
        columns={columns}
        data-testid="review-table"
        locale={{
          emptyText: (
            // A filter that finds nothing is not an empty funnel: say which, and how to see every deal again.
            <Empty
              description={
                <>
                  {t(due === 'any' ? 'review.empty' : 'review.emptyDue')}
                  <br />
                  <Typography.Text type="secondary">
                    {t(due === 'any' ? 'review.emptyHint' : 'review.emptyDueHint')}
                  </Typography.Text>
                </>
              }
            >
              {due !== 'any' && (
                <Button onClick={() => list.update({ due: undefined })} data-testid="review-show-all">
                  {t('review.due.any')}
                </Button>
              )}
            </Empty>
          ),
        }}
      />
      {recording && <RecordModal {...recording} week={data?.week.start} onClose={() => setRecording(null)} />}
    </>
  );
}

function RecordModal({
  item,
  kind,
  week,
  onClose,
}: {
  item: WeeklyReviewItem;
  kind: Kind;
  week: string | undefined;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const record = useRecordCheckpoint();
  const [form] = Form.useForm<{ outcome: 'reviewed' | 'advanced' | 'disqualified'; note?: string }>();
  const outcome = Form.useWatch('outcome', form);
  return (
    <Modal
      open
      title={`${t(`review.kind.${kind}` as MessageKey)} · ${item.name}`}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={record.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'record-save' } as Record<`data-${string}`, string>}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ outcome: kind === 'day30' ? 'advanced' : 'reviewed' }}
        onFinish={(values) =>
          record.mutate(
            {
              id: item.id,
              kind,
              outcome: values.outcome,
              note: values.note || null,
              ...(kind === 'weekly' && week ? { week } : {}),
            },
            {
              onSuccess: () => {
                message.success(t('review.recorded'));
                onClose();
              },
              onError: (e) => report(e, form),
            },
          )
        }
      >
        {kind === 'day30' && (
          <Form.Item name="outcome" label={t('review.judgement')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'advanced', label: t('review.outcome.advanced') },
                { value: 'disqualified', label: t('review.outcome.disqualified') },
              ]}
            />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label={t(kind === 'day30' && outcome === 'advanced' ? 'review.evidence' : 'review.note')}
          rules={
            kind === 'day30' && outcome === 'advanced'
              ? [{ required: true, whitespace: true, message: t('review.evidenceRequired') }]
              : []
          }
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="record-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
