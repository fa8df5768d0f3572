import { Card, Col, Empty, Row, Skeleton, Statistic, Table, Tag, Typography } from 'antd';
import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { CollectionsResponse } from '../../../../src/contracts/collections.ts';
import type { FunnelResponse } from '../../../../src/contracts/funnel.ts';
import { useMoney } from '../../i18n/money.ts';
import { useT } from '../../i18n/useI18n.ts';
import { drillDown } from './links.ts';

/**
 * Large projects by amount with their expected collections this period (SPEC §6.6–6.7,
 * docs/targets.md § Expected collections): the open large deals per stage and what they should
 * bring, the installments of won deals due, the total after the realisation factor, and the
 * deals with a payment plan behind it.
 */
export function CollectionsPanel({
  f: funnelData,
  query,
}: {
  f: FunnelResponse;
  query: UseQueryResult<CollectionsResponse>;
}) {
  const t = useT();
  const money = useMoney();
  const data = query.data;
  type Stage = CollectionsResponse['stages'][number];
  type Deal = CollectionsResponse['deals'][number];
  const title = t('collections.title');
  if (!data)
    return (
      <Card size="small" title={title}>
        {query.isError ? <Empty /> : <Skeleton active />}
      </Card>
    );
  const large = (stageId: number, text: string) => (
    <Link to={drillDown(funnelData, { stageId, sizeClass: 'large' })}>{text}</Link>
  );
  return (
    <Card
      size="small"
      title={title}
      data-testid="funnel-collections"
      // On a phone the title needs its two lines; the factors go below it, not beside it.
      styles={{ title: { whiteSpace: 'normal' } }}
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
        {t('collections.rule', { share: data.firstPeriodShare, realisation: data.realisationPercent })}
      </Typography.Paragraph>
      <Row gutter={[16, 8]} style={{ marginBottom: 12 }}>
        <Col xs={12} md={6}>
          <Statistic title={t('collections.open')} value={money(data.open, true)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('collections.installments')} value={money(data.installments, true)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('collections.wonUnplanned')} value={money(data.wonUnplanned, true)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('collections.total')}
            value={money(data.total, true)}
            valueStyle={{ color: '#1d4ed8' }}
            data-testid="collections-total"
          />
        </Col>
      </Row>
      <Table<Stage>
        size="small"
        rowKey="stageId"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={data.stages}
        columns={[
          { title: t('funnel.stage'), dataIndex: 'name' },
          {
            title: t('funnel.probability'),
            dataIndex: 'probability',
            align: 'right',
            responsive: ['md'],
            render: (p: number) => `${p}%`,
          },
          {
            title: t('collections.largeCount'),
            dataIndex: 'count',
            align: 'right',
            render: (n: number, s) => large(s.stageId, String(n)),
          },
          {
            title: t('funnel.amount'),
            dataIndex: 'amount',
            align: 'right',
            render: (n: number, s) => large(s.stageId, money(n, true)),
          },
          {
            title: t('funnel.expectedAmount'),
            dataIndex: 'expectedAmount',
            align: 'right',
            responsive: ['md'],
            render: (n: number) => money(n, true),
          },
          {
            title: t('collections.planned'),
            dataIndex: 'planned',
            align: 'right',
            responsive: ['md'],
          },
          {
            title: t('collections.expected'),
            dataIndex: 'collections',
            align: 'right',
            render: (n: number) => <b>{money(n, true)}</b>,
          },
        ]}
      />
      {data.deals.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('collections.deals')}
          </Typography.Title>
          <Table<Deal>
            size="small"
            rowKey="id"
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            dataSource={data.deals}
            columns={[
              {
                title: t('collections.deal'),
                dataIndex: 'name',
                render: (name: string, d) => <Link to={`/opportunities/${d.id}`}>{name}</Link>,
              },
              {
                title: t('collections.status'),
                dataIndex: 'status',
                responsive: ['sm'],
                render: (status: Deal['status']) =>
                  status === 'won' ? (
                    <Tag color="green">{t('funnel.won')}</Tag>
                  ) : (
                    <Tag>{t('collections.statusOpen')}</Tag>
                  ),
              },
              {
                title: t('collections.due'),
                dataIndex: 'dueInPeriod',
                align: 'right',
                responsive: ['md'],
                render: (n: number) => money(n, true),
              },
              {
                title: t('collections.expected'),
                dataIndex: 'expected',
                align: 'right',
                render: (n: number) => money(n, true),
              },
            ]}
          />
        </>
      )}
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
        {t('collections.hint')}
      </Typography.Paragraph>
    </Card>
  );
}
