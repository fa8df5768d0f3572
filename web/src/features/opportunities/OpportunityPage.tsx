import { useMemo, useState } from 'react';
import { Breadcrumb, Button, Card, Col, Grid, Result, Row, Skeleton, Tabs } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useOpportunity, useProcess, useStageHistory } from './api.ts';
import { ActivityTimeline } from '../timeline/ActivityTimeline.tsx';
import { AdvantageModal, CloseModal, EditDrawer, ReopenModal } from './OpportunityModals.tsx';
import { MoveDialog } from './MoveDialog.tsx';
import { CreditSplitCard } from './CreditSplitCard.tsx';
import { PaymentPlanCard } from './PaymentPlanCard.tsx';
import { BuyingRolesTab, TeamTab } from './DetailTabs.tsx';
import { AuditTab, StageHistoryTab } from './HistoryTabs.tsx';
import { ReviewsTab } from './ReviewsTab.tsx';
import { BuyingPhaseTab, QualificationTab } from './InsightTabs.tsx';
import { StrategyTab } from './StrategyTab.tsx';
import { SwotTab } from './SwotTab.tsx';
import type { Stage } from './types.ts';
import { Header, type Dialog } from './OpportunityHeader.tsx';
import { StagePath } from './StagePath.tsx';
import { ClosedPanel, StagePanel } from './StagePanel.tsx';

const TABS = [
  'team',
  'roles',
  'qualification',
  'phase',
  'swot',
  'strategy',
  'reviews',
  'timeline',
  'stages',
  'history',
] as const;
type TabKey = (typeof TABS)[number];

/** /opportunities/:id — one opportunity: header, the stage path, what the stage asks for, and the tabs of docs/sales-process.md § The opportunity–5.7. */
export default function OpportunityPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const id = Number(useParams().id);
  const validId = Number.isInteger(id) && id > 0;
  const opp = useOpportunity(validId ? id : 0, validId);
  const process = useProcess(opp.data?.processId);
  const history = useStageHistory(validId ? id : 0);
  const [search, setSearch] = useSearchParams();
  const [moving, setMoving] = useState<Stage | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const tab = (TABS as readonly string[]).includes(search.get('tab') ?? '') ? (search.get('tab') as TabKey) : 'team';
  const setTab = (key: string) =>
    setSearch(
      (prev) => {
        const params = new URLSearchParams(prev);
        if (key === 'team') params.delete('tab');
        else params.set('tab', key);
        return params;
      },
      { replace: true },
    );
  const stage = useMemo(
    () => process.data?.stages.find((s) => s.id === opp.data?.stageId),
    [process.data, opp.data?.stageId],
  );

  if (!validId || (opp.isError && !opp.data)) {
    if (!validId || (isApiError(opp.error) && opp.error.status === 404)) {
      return (
        <Result
          status="404"
          title={t('opps.notFound')}
          subTitle={t('opps.notFoundHint')}
          extra={
            <Link to="/opportunities">
              <Button type="primary">{t('opps.backToBoard')}</Button>
            </Link>
          }
        />
      );
    }
    return <LoadError error={opp.error} onRetry={() => void opp.refetch()} />;
  }
  if (!opp.data) return <Skeleton active paragraph={{ rows: 14 }} />;
  const opportunity = opp.data;

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <Link to="/opportunities">{t('opps.title')}</Link> },
          ...(opportunity.processId
            ? [
                {
                  title: (
                    <Link to={`/opportunities/board?processId=${opportunity.processId}`}>
                      {opportunity.processName}
                    </Link>
                  ),
                },
              ]
            : []),
          { title: opportunity.name },
        ]}
      />
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Header o={opportunity} process={process.data} onMove={setMoving} onDialog={setDialog} />
          {process.data && (
            <StagePath o={opportunity} process={process.data} history={history.data} onMove={setMoving} />
          )}
        </Col>
        <Col xs={24} xl={8} style={{ marginBottom: 16 }}>
          {opportunity.status !== 'open' ? (
            <ClosedPanel o={opportunity} />
          ) : stage ? (
            <StagePanel o={opportunity} stage={stage} />
          ) : (
            <Card loading />
          )}
        </Col>
      </Row>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          size={screens.md ? 'middle' : 'small'}
          destroyOnHidden
          items={[
            {
              key: 'team',
              label: t('opps.tab.team'),
              children: (
                <>
                  <TeamTab o={opportunity} stage={stage} />
                  <CreditSplitCard o={opportunity} />
                  <PaymentPlanCard o={opportunity} />
                </>
              ),
            },
            { key: 'roles', label: t('opps.tab.roles'), children: <BuyingRolesTab o={opportunity} /> },
            {
              key: 'qualification',
              label: t('opps.tab.qualification'),
              children: <QualificationTab o={opportunity} />,
            },
            { key: 'phase', label: t('opps.tab.phase'), children: <BuyingPhaseTab o={opportunity} stage={stage} /> },
            { key: 'swot', label: t('opps.tab.swot'), children: <SwotTab o={opportunity} /> },
            { key: 'strategy', label: t('opps.tab.strategy'), children: <StrategyTab o={opportunity} /> },
            { key: 'reviews', label: t('opps.tab.reviews'), children: <ReviewsTab o={opportunity} stage={stage} /> },
            {
              key: 'timeline',
              label: t('opps.tab.timeline'),
              children: <ActivityTimeline of={{ opportunityId: opportunity.id }} />,
            },
            {
              key: 'stages',
              label: t('opps.tab.stages'),
              children: <StageHistoryTab o={opportunity} process={process.data} />,
            },
            { key: 'history', label: t('opps.tab.history'), children: <AuditTab o={opportunity} /> },
          ]}
        />
      </Card>
      {moving && process.data && (
        <MoveDialog opportunity={opportunity} process={process.data} target={moving} onClose={() => setMoving(null)} />
      )}
      {dialog === 'edit' && <EditDrawer o={opportunity} onClose={() => setDialog(null)} />}
      {dialog === 'close' && (
        <CloseModal
          o={opportunity}
          onClose={() => setDialog(null)}
          onWon={() => {
            setDialog(null);
            const won = process.data?.stages.find((s) => s.won);
            if (won) setMoving(won);
          }}
        />
      )}
      {dialog === 'reopen' && <ReopenModal o={opportunity} onClose={() => setDialog(null)} />}
      {dialog === 'advantage' && <AdvantageModal o={opportunity} onClose={() => setDialog(null)} />}
    </>
  );
}
