import { useState } from 'react';
import {
  App,
  Button,
  Card,
  DatePicker,
  Drawer,
  Empty,
  Flex,
  Grid,
  Table,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { RateBar } from '../../components/RateBar.tsx';
import { monthBefore } from '../../i18n/dates.ts';
import { useDates } from '../../i18n/useDates.ts';
import { Link, useSearchParams } from 'react-router';
import { useProblem } from '../../api/useProblem.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { UnitTreeSelect } from '../org/UnitTreeSelect.tsx';
import {
  useCallbackRates,
  useCallbacks,
  useDrawCallbacks,
  type CallbackDto,
  type CallbackRateRow,
  type CallbackState,
} from './api.ts';
import { OUTCOME_COLORS } from './outcome.ts';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The manager's view: confirmation rate per rep for a month, the draw, and the visits behind each figure. */
export function CallbackRates() {
  const t = useT();
  const can = useCan();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const report = useProblem();
  const dates = useDates();
  const today = dates.today();
  const [params, setParams] = useSearchParams();
  const lastMonth = monthBefore(today.slice(0, 7));
  const period = MONTH.test(params.get('period') ?? '') ? params.get('period')! : lastMonth;
  const [orgUnitId, setUnit] = useState<number | undefined>();
  const rates = useCallbackRates({ period, orgUnitId });
  const draw = useDrawCallbacks();
  const repParam = Number(params.get('rep'));
  const drill = rates.data?.items.find((r) => r.rep.id === repParam);
  const drillState = (params.get('state') ?? 'not_confirmed') as CallbackState | 'all';

  const open = (row: CallbackRateRow, state: CallbackState | 'all') =>
    setParams({ period, rep: String(row.rep.id), state });

  const figure = (row: CallbackRateRow, count: number, state: CallbackState | 'all', color?: string) => (
    <Button
      type="link"
      size="small"
      style={{ padding: 0, color: count > 0 ? color : undefined }}
      disabled={count === 0}
      onClick={() => open(row, state)}
      data-testid={`rate-${state}-${row.rep.id}`}
    >
      {count}
    </Button>
  );
  const rateText = (rate: number | null) => (rate === null ? t('common.none') : `${rate}%`);
  const columns: TableProps<CallbackRateRow>['columns'] = [
    {
      title: t('callbacks.col.rep'),
      key: 'rep',
      render: (_, row) => (
        <Flex vertical>
          <strong>{row.rep.name}</strong>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {row.orgUnitName}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('callbacks.col.drawn'), key: 'drawn', align: 'right', render: (_, r) => figure(r, r.drawn, 'all') },
    {
      title: t('callbacks.col.open'),
      key: 'open',
      align: 'right',
      responsive: ['sm'],
      render: (_, r) => figure(r, r.open, 'open'),
    },
    {
      title: t('callbacks.col.confirmed'),
      key: 'confirmed',
      align: 'right',
      responsive: ['md'],
      render: (_, r) => figure(r, r.confirmed, 'confirmed', '#16a34a'),
    },
    {
      title: t('callbacks.col.notConfirmed'),
      key: 'notConfirmed',
      align: 'right',
      render: (_, r) => figure(r, r.notConfirmed, 'not_confirmed', '#dc2626'),
    },
    {
      title: t('callbacks.col.feedback'),
      key: 'feedback',
      align: 'right',
      responsive: ['md'],
      render: (_, r) => figure(r, r.feedback, 'feedback', '#2563eb'),
    },
    {
      title: t('callbacks.col.rate'),
      key: 'rate',
      width: screens.md ? 200 : 90,
      render: (_, row) => <RateBar rate={row.rate} good={90} wide={!!screens.md} />,
    },
  ];

  function drawSample() {
    draw.mutate(
      { period },
      {
        onSuccess: (res) =>
          void (res.created > 0
            ? message.success(t('callbacks.drawn', { created: res.created, rate: res.ratePercent }))
            : message.info(t('callbacks.drawnNone'))),
        onError: (error) => report(error),
      },
    );
  }

  const totals = rates.data?.totals;
  return (
    <Flex vertical gap={16} data-testid="callback-rates">
      <Flex gap={12} wrap align="center" justify="space-between">
        <Flex gap={12} wrap align="center">
          <DatePicker
            picker="month"
            allowClear={false}
            value={dates.pickerDay(period)}
            onChange={(value) => value && setParams({ period: dates.pickedMonth(value) })}
            disabledDate={(d) => dates.pickedMonth(d) > today.slice(0, 7)}
            aria-label={t('callbacks.month')}
            data-testid="callback-month"
          />
          <UnitTreeSelect
            allowClear
            placeholder={t('activities.filter.team')}
            value={orgUnitId}
            onChange={setUnit}
            style={{ width: 200 }}
            popupMatchSelectWidth={false}
          />
          {can('callbacks.draw') && (
            <Button onClick={drawSample} loading={draw.isPending} data-testid="callback-draw">
              {t('callbacks.draw')}
            </Button>
          )}
        </Flex>
        {totals && totals.drawn > 0 && (
          <Typography.Text data-testid="callback-totals">
            {t('callbacks.totals', {
              drawn: totals.drawn,
              open: totals.open,
              notConfirmed: totals.notConfirmed,
              rate: rateText(totals.rate),
            })}
          </Typography.Text>
        )}
      </Flex>
      <Card size="small">
        {rates.isError && !rates.data ? (
          <LoadError error={rates.error} onRetry={() => void rates.refetch()} />
        ) : (
          <Table<CallbackRateRow>
            rowKey={(r) => r.rep.id}
            size="small"
            loading={rates.isPending}
            dataSource={rates.data?.items}
            columns={columns}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{
              emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('callbacks.rates.empty')} />,
            }}
            data-testid="rates-table"
          />
        )}
      </Card>
      {drill && <DrillDown period={period} row={drill} state={drillState} onClose={() => setParams({ period })} />}
    </Flex>
  );
}

/** The callbacks behind one figure: the unconfirmed visits first of all, with what the customer said. */
function DrillDown({
  period,
  row,
  state,
  onClose,
}: {
  period: string;
  row: CallbackRateRow;
  state: CallbackState | 'all';
  onClose: () => void;
}) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const dates = useDates();
  const [page, setPage] = useState(1);
  const callbacks = useCallbacks({
    period,
    repId: row.rep.id,
    state: state === 'all' ? undefined : state,
    limit: 20,
    offset: (page - 1) * 20,
  });
  const columns: TableProps<CallbackDto>['columns'] = [
    {
      title: t('callbacks.drill.visit'),
      key: 'visit',
      render: (_, callback) => (
        <Flex vertical>
          <span>{dates.format(callback.visit.startAt, 'dateTime')}</span>
          {callback.visit.subject && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {callback.visit.subject}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('callbacks.drill.account'),
      key: 'account',
      render: (_, callback) => <Link to={`/accounts/${callback.account.id}`}>{callback.account.name}</Link>,
    },
    {
      title: t('callbacks.drill.feedback'),
      key: 'outcome',
      render: (_, callback) => (
        <Flex vertical gap={2}>
          {callback.outcome ? (
            <Tag color={OUTCOME_COLORS[callback.outcome]} style={{ alignSelf: 'flex-start' }}>
              {t(`callbacks.outcome.${callback.outcome}`)}
            </Tag>
          ) : (
            <Tag style={{ alignSelf: 'flex-start' }}>{t('callbacks.state.open')}</Tag>
          )}
          {callback.feedback && <Typography.Text italic>“{callback.feedback}”</Typography.Text>}
        </Flex>
      ),
    },
  ];
  const stateLabel =
    state === 'all'
      ? t('callbacks.col.drawn')
      : state === 'open'
        ? t('callbacks.state.open')
        : t(`callbacks.outcome.${state}`);
  return (
    <Drawer
      open
      onClose={onClose}
      size={screens.md ? 640 : '100%'}
      title={t('callbacks.drill.title', { name: row.rep.name, state: stateLabel })}
    >
      <Table<CallbackDto>
        rowKey="id"
        size="small"
        loading={callbacks.isPending}
        dataSource={callbacks.data?.items}
        columns={columns}
        data-testid="callback-drill"
        pagination={{
          current: page,
          pageSize: 20,
          total: callbacks.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          hideOnSinglePage: true,
        }}
      />
    </Drawer>
  );
}
