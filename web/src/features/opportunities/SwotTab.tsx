import { useState } from 'react';
import { App, Button, Card, Col, Flex, Input, Row, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useSaveAnalysis } from './api.ts';
import { COMPETITOR_STATUSES, SWOT_KEYS, type Competitor, type Insight, type OpportunityDetail } from './types.ts';
import { InsightGate } from './InsightTabs.tsx';

const SWOT = SWOT_KEYS;
const SWOT_COLOR = {
  strengths: '#16a34a',
  weaknesses: '#dc2626',
  opportunities: '#2563eb',
  threats: '#d97706',
} as const;

export function SwotTab({ o: opportunity }: { o: OpportunityDetail }) {
  return <InsightGate o={opportunity}>{(insight) => <SwotForm o={opportunity} insight={insight} />}</InsightGate>;
}

function SwotForm({ o: opportunity, insight }: { o: OpportunityDetail; insight: Insight }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const save = useSaveAnalysis();
  const [swot, setSwot] = useState<Record<string, string>>(() =>
    Object.fromEntries(SWOT.map((k) => [k, insight.swot[k].join('\n')])),
  );
  const [competitors, setCompetitors] = useState<Competitor[]>(() => insight.competitors);
  const canEdit = opportunity.permissions.contribute && opportunity.status === 'open';
  return (
    <>
      <Row gutter={[12, 12]}>
        {SWOT.map((swotKey) => (
          <Col key={swotKey} xs={24} md={12}>
            <Card
              size="small"
              title={<span style={{ color: SWOT_COLOR[swotKey] }}>{t(`opps.swot.${swotKey}`)}</span>}
              style={{ borderTop: `3px solid ${SWOT_COLOR[swotKey]}` }}
            >
              <Input.TextArea
                variant="borderless"
                autoSize={{ minRows: 3, maxRows: 8 }}
                maxLength={2000}
                disabled={!canEdit}
                placeholder={`${t(`opps.swot.${swotKey}Hint`)} (${t('opps.swot.linesHint')})`}
                value={swot[swotKey]}
                onChange={(e) => setSwot((p) => ({ ...p, [swotKey]: e.target.value }))}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('opps.swot.competitors')}
      </Typography.Title>
      <Flex vertical gap={8}>
        {competitors.length === 0 && <Typography.Text type="secondary">{t('opps.swot.noCompetitors')}</Typography.Text>}
        {competitors.map((competitor, index) => (
          <Flex key={index} gap={8} wrap>
            <Input
              style={{ width: 180 }}
              placeholder={t('opps.swot.competitor')}
              value={competitor.name}
              disabled={!canEdit}
              onChange={(changeEvent) =>
                setCompetitors((p) => p.map((x, j) => (j === index ? { ...x, name: changeEvent.target.value } : x)))
              }
            />
            <Input
              style={{ flex: 1, minWidth: 160 }}
              placeholder={t('opps.swot.theirStrengths')}
              value={competitor.strengths}
              disabled={!canEdit}
              onChange={(changeEvent) =>
                setCompetitors((previous) =>
                  previous.map((x, j) => (j === index ? { ...x, strengths: changeEvent.target.value } : x)),
                )
              }
            />
            <Input
              style={{ flex: 1, minWidth: 160 }}
              placeholder={t('opps.swot.theirWeaknesses')}
              value={competitor.weaknesses}
              disabled={!canEdit}
              onChange={(changeEvent) =>
                setCompetitors((previous) =>
                  previous.map((x, j) => (j === index ? { ...x, weaknesses: changeEvent.target.value } : x)),
                )
              }
            />
            <Select
              style={{ width: 120 }}
              placeholder={t('opps.swot.threat')}
              value={competitor.status}
              disabled={!canEdit}
              onChange={(v) => setCompetitors((p) => p.map((x, j) => (j === index ? { ...x, status: v } : x)))}
              options={COMPETITOR_STATUSES.map((v) => ({ value: v, label: t(`opps.swot.status.${v}`) }))}
            />
            {canEdit && (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                onClick={() => setCompetitors((p) => p.filter((_, j) => j !== index))}
                aria-label={t('opps.team.remove')}
              />
            )}
          </Flex>
        ))}
      </Flex>
      {canEdit && (
        <Space style={{ marginTop: 12 }}>
          <Button
            icon={<PlusOutlined />}
            onClick={() => setCompetitors((p) => [...p, { name: '', strengths: '', weaknesses: '', status: 'close' }])}
          >
            {t('opps.swot.addCompetitor')}
          </Button>
          <Button
            type="primary"
            loading={save.isPending}
            onClick={() =>
              void save
                .mutateAsync({
                  id: opportunity.id,
                  version: insight.version,
                  swot: Object.fromEntries(
                    SWOT.map((swotItem) => [
                      swotItem,
                      (swot[swotItem] ?? '')
                        .split('\n')
                        .map((l) => l.trim())
                        .filter(Boolean),
                    ]),
                  ) as Insight['swot'],
                  competitors: competitors.filter((c) => c.name.trim()).map((c) => ({ ...c, name: c.name.trim() })),
                })
                .then(
                  () => void message.success(t('common.saved')),
                  (e: unknown) => report(e),
                )
            }
          >
            {t('common.save')}
          </Button>
        </Space>
      )}
    </>
  );
}
