import { Empty, Flex, Table, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, ArrowRightOutlined, PaperClipOutlined, WarningOutlined } from '@ant-design/icons';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useHistoryText } from '../timeline/historyText.ts';
import { useAuditTrail, useStageHistory } from './api.ts';
import { type HistoryItem, type OpportunityDetail, type Process } from './types.ts';
import { useWhen } from './DetailTabs.tsx';

/** The stage history (docs/sales-process.md § The opportunity): entered, left, by whom, with the evidence or reason given on leaving. */
export function StageHistoryTab({ o: opportunity, process }: { o: OpportunityDetail; process: Process | undefined }) {
  const t = useT();
  const words = useHistoryText();
  const history = useStageHistory(opportunity.id);
  const when = useWhen();
  if (history.isError) return <LoadError error={history.error} onRetry={() => void history.refetch()} />;
  const label = (stageId: number, key: string) =>
    process?.stages.find((s) => s.id === stageId)?.evidence.find((e) => e.key === key)?.label ?? key;
  const items = [...(history.data ?? [])].reverse();
  if (!history.isPending && items.length === 0) return <Empty description={t('opps.stages.empty')} />;
  return (
    <Timeline
      style={{ marginTop: 12 }}
      data-testid="stage-history"
      items={items.map((entry) => ({
        color: entry.leftAt === null ? 'blue' : entry.exitDirection === 'back' ? 'orange' : 'green',
        children: (
          <div data-testid="stage-history-entry">
            <Flex gap={8} align="center" wrap>
              <Typography.Text strong>{entry.stageName}</Typography.Text>
              <Tag>{entry.probability}%</Tag>
              {entry.leftAt === null ? (
                <Tag color="blue">{t('opps.stages.current')}</Tag>
              ) : entry.exitDirection === 'back' ? (
                <Tag color="orange" icon={<ArrowLeftOutlined />}>
                  {t('opps.stages.back')}
                </Tag>
              ) : entry.exitDirection === 'forward' ? (
                <Tag color="green" icon={<ArrowRightOutlined />}>
                  {t('opps.stages.forward')}
                </Tag>
              ) : entry.exitDirection === 'closed' ? (
                <Tag>{t('opps.stages.closed')}</Tag>
              ) : null}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('opps.path.days', { days: Math.round(entry.daysInStage * 10) / 10 })}
              </Typography.Text>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('opps.stages.entered', { at: when(entry.enteredAt), by: entry.enteredByName ?? '—' })}
              {entry.leftAt !== null &&
                ` · ${t('opps.stages.left', { at: when(entry.leftAt), by: entry.leftByName ?? '—' })}`}
            </Typography.Text>
            {entry.exitEvidence.length > 0 && (
              <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }} data-testid="stage-evidence">
                {entry.exitEvidence.map((evidence) => (
                  <li key={`${evidence.stageId}:${evidence.key}`}>
                    {/* A skipped stage's evidence, given when leaving this one: say whose it is. */}
                    {evidence.stageId !== entry.stageId && (
                      <Tag style={{ marginInlineEnd: 4 }}>
                        {process?.stages.find((s) => s.id === evidence.stageId)?.name ?? evidence.stageId}
                      </Tag>
                    )}
                    {label(evidence.stageId, evidence.key)}
                    {evidence.note ? <Typography.Text type="secondary"> — {evidence.note}</Typography.Text> : null}
                    {evidence.attachmentId ? (
                      <a href={`/api/v1/attachments/${evidence.attachmentId}`} style={{ marginInlineStart: 6 }}>
                        <PaperClipOutlined /> {t('opps.stages.file')}
                      </a>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
            {entry.exitReason && (
              <div>
                <Typography.Text type="secondary">
                  {t('opps.stages.reason')}
                  {t('common.colon')}
                </Typography.Text>
                {words.reason(entry.exitDirection === 'closed' ? 'status' : 'stage', entry.exitReason)}
              </div>
            )}
            {entry.exitOverridden.length > 0 && (
              <Typography.Text type="warning">
                <WarningOutlined />{' '}
                {t('opps.stages.overridden', {
                  items: (entry.exitOverridden as { stageId: number; key: string }[])
                    .map((m) => label(m.stageId, m.key))
                    .join('、'),
                })}
              </Typography.Text>
            )}
          </div>
        ),
      }))}
    />
  );
}

/** Every change to the opportunity, from the audit trail (docs/sales-process.md: every move is in it). */
export function AuditTab({ o: opportunity }: { o: OpportunityDetail }) {
  const t = useT();
  const trail = useAuditTrail(opportunity.id);
  const when = useWhen();
  const words = useHistoryText();
  if (trail.isError) return <LoadError error={trail.error} onRetry={() => void trail.refetch()} />;
  return (
    <Table<HistoryItem>
      rowKey={(r) => `${r.createdAt}-${r.field}-${r.newValue ?? ''}`}
      size="small"
      loading={trail.isPending}
      dataSource={trail.data ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: t('opps.audit.empty') }}
      columns={[
        { title: t('opps.audit.at'), key: 'at', width: 150, render: (_, r) => when(r.createdAt) },
        { title: t('opps.audit.who'), key: 'who', width: 100, render: (_, r) => r.actorName ?? '—' },
        { title: t('opps.audit.what'), key: 'what', width: 110, render: (_, r) => <Tag>{words.field(r.field)}</Tag> },
        {
          title: t('opps.audit.change'),
          key: 'change',
          render: (_, record) => (
            <span>
              {words.value(record.field, record.oldValue, record.oldLabel)} →{' '}
              <Typography.Text strong>{words.value(record.field, record.newValue, record.newLabel)}</Typography.Text>
            </span>
          ),
        },
        {
          title: t('opps.audit.reason'),
          dataIndex: 'reason',
          render: (v: string | null, r) => words.reason(r.field, v) ?? '',
        },
      ]}
    />
  );
}
