import { useMemo } from 'react';
import { Alert, Button, Card, Col, Empty, Flex, Row, Select, Skeleton, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import type { FunnelResponse } from '../../../../src/contracts/funnel.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { latestSearch } from '../../components/useListParams.ts';
import { problemMessage } from '../../api/problems.ts';
import { useMoney } from '../../i18n/money.ts';
import { useI18n, useT } from '../../i18n/useI18n.ts';
import { useSession } from '../auth/session.ts';
import { useProcesses } from '../opportunities/api.ts';
import { UnitTreeSelect } from '../org/UnitTreeSelect.tsx';
import { useFunnel, useFunnelCollections, useFunnelHealth, type FunnelParams } from './api.ts';
import { MembersTable } from './MembersTable.tsx';
import { CollectionsPanel } from './CollectionsPanel.tsx';
import { ExportReport } from '../forecast/ExportReport.tsx';
import { HealthPanel } from './HealthPanel.tsx';
import { LinesPanel } from './LinesPanel.tsx';
import { useRules } from '../territories/api.ts';
import { drillDown, periodChoices } from './links.ts';

const num = (n: number, digits = 1) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));

/**
 * The live funnel (docs/targets.md § Funnel): for a scope the caller may see, a process and a
 * period — a funnel chart, a table per stage, a row per member, and its health. The view lives
 * in the URL, so it can be shared; every number opens the opportunities behind it.
 */
export default function FunnelPage() {
  const t = useT();
  const say = useI18n();
  const { locale } = say;
  const money = useMoney();
  const me = useSession();
  const [search, setSearch] = useSearchParams();
  const params: FunnelParams = {
    scope: search.get('scope') ?? undefined,
    processId: search.get('processId') ? Number(search.get('processId')) : undefined,
    period: search.get('period') ?? undefined,
    line: search.get('line') ?? undefined,
  };
  const set = (patch: Partial<Record<keyof FunnelParams, string | undefined>>) => {
    const next = latestSearch();
    for (const [key, value] of Object.entries(patch))
      if (value === undefined) next.delete(key);
      else next.set(key, value);
    // The member table (its state in the URL too) starts again on its first page, keeping its
    // search; a sort on a column the new view lacks goes: another process's stage, or the quota
    // columns of a period once every open deal is shown.
    next.delete('page');
    const sorted = next.get('sort')?.replace(/^-/, '') ?? '';
    if (
      (patch.processId !== undefined && sorted.startsWith('stage:')) ||
      (next.get('period') === 'all' && ['quota', 'attainment', 'gap'].includes(sorted))
    )
      next.delete('sort');
    setSearch(next, { replace: true });
  };
  const funnel = useFunnel(params);
  const funnelData = funnel.data;
  const health = useFunnelHealth(params, !!funnelData && params.period !== 'all');
  const collections = useFunnelCollections(params, !!funnelData && params.period !== 'all');
  const processes = useProcesses();
  const lines = useRules().data?.businessLines ?? [];
  // Someone whose own scope is a person (a rep) sees only their own numbers: no unit to choose.
  const sees = funnelData?.scope.kind !== 'user' || params.scope !== undefined;
  const choices = periodChoices(funnelData?.period?.name ?? (params.period === 'all' ? undefined : params.period));

  const chart = useMemo<ChartOption | null>(() => {
    if (!funnelData || funnelData.stages.length === 0) return null;
    return {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'funnel',
          left: 8,
          right: 8,
          top: 8,
          bottom: 8,
          sort: 'none',
          minSize: '18%',
          gap: 2,
          label: { show: true, position: 'inside', formatter: '{b}: {c}' },
          data: funnelData.stages.map((s) => ({ name: s.name, value: s.count })),
        },
      ],
    };
  }, [funnelData]);

  const controls = (
    <Flex gap={8} wrap>
      {sees && (
        <Select
          data-testid="funnel-scope-kind"
          style={{ minWidth: 120 }}
          value={params.scope?.split(':')[0] ?? funnelData?.scope.kind}
          onChange={(kind: string) =>
            set({
              scope:
                kind === 'workspace'
                  ? 'workspace'
                  : kind === 'user'
                    ? `user:${me.user.id}`
                    : `unit:${me.user.orgUnitId}`,
            })
          }
          options={[
            { value: 'workspace', label: t('funnel.scope.workspace') },
            { value: 'unit', label: t('funnel.scope.unit') },
            { value: 'user', label: t('funnel.scope.me') },
          ]}
        />
      )}
      {sees && funnelData?.scope.kind === 'unit' && (
        <UnitTreeSelect
          style={{ minWidth: 180 }}
          value={funnelData.scope.id ?? undefined}
          onChange={(id: number) => set({ scope: `unit:${id}` })}
        />
      )}
      <Select
        data-testid="funnel-process"
        style={{ minWidth: 140 }}
        value={funnelData?.process?.id}
        placeholder={t('funnel.process')}
        onChange={(id: number) => set({ processId: String(id) })}
        options={(processes.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
      />
      <Select
        data-testid="funnel-period"
        style={{ minWidth: 130 }}
        value={params.period ?? funnelData?.period?.name}
        onChange={(p: string) => set({ period: p })}
        options={choices.map((p) => ({ value: p, label: p === 'all' ? t('funnel.period.all') : p }))}
      />
      {lines.length > 0 && (
        <Select
          data-testid="funnel-line"
          style={{ minWidth: 130 }}
          value={params.line ?? ''}
          onChange={(line: string) => set({ line: line || undefined })}
          options={[
            { value: '', label: t('quotas.lines.all') },
            ...lines.map((line) => ({ value: line.key, label: locale === 'en-US' ? line.nameEn : line.nameZh })),
            { value: 'none', label: t('quotas.lines.none') },
          ]}
        />
      )}
      <Link to="/funnel/quotas">
        <Button>{t('quotas.title')}</Button>
      </Link>
      {/* The sheet holds what the page shows: the same scope, process, period and line. */}
      <ExportReport
        report="funnel"
        params={{
          scope: params.scope,
          period: params.period,
          processId: params.processId ?? funnelData?.process?.id,
          line: params.line,
        }}
      />
    </Flex>
  );

  if (funnel.isError) {
    return (
      <>
        <PageHeader title={t('funnel.title')} subtitle={t('funnel.subtitle')} extra={controls} />
        {funnel.error && (funnel.error as { status?: number }).status === 403 ? (
          <Alert
            type="warning"
            showIcon
            message={problemMessage(funnel.error, say)}
            action={<Button onClick={() => set({ scope: undefined })}>{t('funnel.backToMine')}</Button>}
          />
        ) : (
          <LoadError error={funnel.error} onRetry={() => void funnel.refetch()} />
        )}
      </>
    );
  }
  return (
    <>
      <PageHeader
        title={t('funnel.title')}
        subtitle={
          funnelData
            ? `${funnelData.scope.name} · ${funnelData.process?.name ?? ''} · ${funnelData.period ? funnelData.period.name : t('funnel.period.all')}`
            : t('funnel.subtitle')
        }
        extra={controls}
      />
      {/* Attainment by line stands even when the line has nothing open this period. */}
      {funnelData?.period && (
        <div style={{ marginBottom: 16 }}>
          <LinesPanel scope={params.scope} period={funnelData.period.name} line={params.line} />
        </div>
      )}
      {!funnelData ? (
        <Skeleton active />
      ) : funnelData.total.count === 0 && funnelData.won.count === 0 ? (
        <Card>
          <Empty description={t('funnel.empty')}>
            <Link to="/opportunities/board">
              <Button type="primary">{t('funnel.toBoard')}</Button>
            </Link>
          </Empty>
        </Card>
      ) : (
        <Flex vertical gap={16}>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={9}>
              <Card size="small" title={t('funnel.chart')} data-testid="funnel-chart">
                {chart && <EChart option={chart} height={260} label={t('funnel.chart')} />}
              </Card>
            </Col>
            <Col xs={24} lg={15}>
              <StageTable f={funnelData} />
            </Col>
          </Row>
          {params.period !== 'all' && <CollectionsPanel f={funnelData} query={collections} />}
          {funnelData.scope.kind !== 'user' && <MembersTable f={funnelData} params={params} />}
          {params.period !== 'all' && <HealthPanel query={health} />}
        </Flex>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        {t('funnel.periodRule')} {money(funnelData?.largeDealThreshold)} {t('funnel.largeRule')}
      </Typography.Paragraph>
    </>
  );
}

function StageTable({ f: funnelData }: { f: FunnelResponse }) {
  const t = useT();
  const money = useMoney();
  const link = (text: string, extra: Parameters<typeof drillDown>[1]) => (
    <Link to={drillDown(funnelData, extra)}>{text}</Link>
  );
  type Row = FunnelResponse['stages'][number];
  return (
    <Card size="small" title={t('funnel.byStage')} data-testid="funnel-table">
      <Table<Row>
        size="small"
        rowKey="stageId"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={funnelData.stages}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <b>{t('funnel.total')}</b>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} />
            <Table.Summary.Cell index={2} align="right">
              {link(String(funnelData.total.count), {})}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              {link(money(funnelData.total.amount, true), {})}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={4} align="right">
              {money(funnelData.total.expectedAmount, true)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={5} align="right">
              {num(funnelData.total.expectedDeals)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={6} />
            <Table.Summary.Cell index={7} />
          </Table.Summary.Row>
        )}
        columns={[
          { title: t('funnel.stage'), dataIndex: 'name' },
          { title: t('funnel.probability'), dataIndex: 'probability', align: 'right', render: (p: number) => `${p}%` },
          {
            title: t('funnel.count'),
            dataIndex: 'count',
            align: 'right',
            render: (n: number, s) => link(String(n), { stageId: s.stageId }),
          },
          {
            title: t('funnel.amount'),
            dataIndex: 'amount',
            align: 'right',
            render: (n: number, s) => link(money(n, true), { stageId: s.stageId }),
          },
          {
            title: t('funnel.expectedAmount'),
            dataIndex: 'expectedAmount',
            align: 'right',
            render: (n: number, s) => link(money(n, true), { stageId: s.stageId }),
          },
          {
            title: t('funnel.expectedDeals'),
            dataIndex: 'expectedDeals',
            align: 'right',
            render: (n: number, s) => link(num(n), { stageId: s.stageId }),
          },
          {
            title: t('funnel.smallCount'),
            key: 'small',
            align: 'right',
            render: (_, s) => link(String(s.small.count), { stageId: s.stageId, sizeClass: 'small' }),
          },
          {
            title: t('funnel.largeAmount'),
            key: 'large',
            align: 'right',
            render: (_, record) =>
              link(`${money(record.large.amount, true)} (${record.large.count})`, {
                stageId: record.stageId,
                sizeClass: 'large',
              }),
          },
        ]}
      />
      <Flex gap={8} wrap style={{ marginTop: 8 }}>
        <Tag color="green" data-testid="funnel-won">
          {t('funnel.won')}: {money(funnelData.won.amount, true)} ({funnelData.won.count})
        </Tag>
      </Flex>
    </Card>
  );
}
