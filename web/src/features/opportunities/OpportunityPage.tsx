import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  DatePicker,
  Dropdown,
  Flex,
  Grid,
  Input,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Steps,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import {
  CheckCircleTwoTone,
  CheckOutlined,
  EditOutlined,
  FlagOutlined,
  MoreOutlined,
  SwapOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useOpportunity, useProcess, useStageHistory, useUpdateOpportunity } from './api.ts';
import { ActivityTimeline } from '../timeline/ActivityTimeline.tsx';
import { overdueDate, ProblemBadges, StatusTag } from './bits.tsx';
import { useHistoryText } from '../timeline/historyText.ts';
import { useMoney } from '../../i18n/money.ts';
import { AdvantageModal, CloseModal, EditDrawer, ReopenModal } from './OpportunityModals.tsx';
import { MoveDialog } from './MoveDialog.tsx';
import { StageEvidence } from './StageEvidence.tsx';
import { CreditSplitCard } from './CreditSplitCard.tsx';
import { PaymentPlanCard } from './PaymentPlanCard.tsx';
import { AuditTab, BuyingRolesTab, ReviewsTab, StageHistoryTab, TeamTab } from './DetailTabs.tsx';
import { BuyingPhaseTab, QualificationTab, StrategyTab, SwotTab } from './InsightTabs.tsx';
import {
  FORECAST_CATEGORIES,
  type OpportunityDetail,
  type Process,
  type Stage,
  type StageHistoryEntry,
} from './types.ts';
import { LogActivityButton } from '../activities/LogActivityButton.tsx';
import { PlanVisitButton } from '../activities/PlanVisitButton.tsx';
import type { LeadSource } from '../accounts/types.ts';

type Dialog = 'edit' | 'close' | 'reopen' | 'advantage';

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

function Meta({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div style={{ minWidth: 90 }} data-testid={testId}>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
        {label}
      </Typography.Text>
      <div style={{ fontWeight: 500 }}>{children}</div>
    </div>
  );
}

/** Next step and its date, edited in place (docs/sales-process.md: no next step, or a past date, is "no plan"). */
function NextStep({ o: opportunity }: { o: OpportunityDetail }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const update = useUpdateOpportunity();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(opportunity.nextStep ?? '');
  const [date, setDate] = useState<string | null>(opportunity.nextStepDate);
  const dates = useDates();
  const today = dates.today();
  const overdue = overdueDate(opportunity, opportunity.nextStepDate, today);
  if (!editing) {
    return (
      <Flex align="center" gap={8} wrap>
        {opportunity.nextStep ? (
          <Typography.Text>{opportunity.nextStep}</Typography.Text>
        ) : opportunity.status === 'open' ? (
          <Typography.Text type="warning">{t('opps.detail.noNextStep')}</Typography.Text>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        )}
        {opportunity.nextStepDate && (
          <Tag color={overdue ? 'red' : 'blue'}>
            {opportunity.nextStepDate}
            {overdue ? ` · ${t('opps.detail.overdue')}` : ''}
          </Tag>
        )}
        {opportunity.permissions.contribute && opportunity.status === 'open' && (
          <Button
            size="small"
            type="link"
            icon={<EditOutlined />}
            onClick={() => {
              setText(opportunity.nextStep ?? '');
              setDate(opportunity.nextStepDate);
              setEditing(true);
            }}
            data-testid="edit-next-step"
          >
            {t('common.edit')}
          </Button>
        )}
      </Flex>
    );
  }
  const save = () =>
    update
      .mutateAsync({
        id: opportunity.id,
        version: opportunity.version,
        nextStep: text.trim() || null,
        nextStepDate: date,
      })
      .then(
        () => {
          setEditing(false);
          message.success(t('common.saved'));
        },
        (e: unknown) => report(e),
      );
  return (
    <Space.Compact style={{ width: '100%', maxWidth: 560 }}>
      <Input
        value={text}
        onChange={(e) => setText(e.target.value)}
        maxLength={500}
        placeholder={t('opps.detail.nextStepPlaceholder')}
        onPressEnter={() => void save()}
      />
      <DatePicker value={dates.pickerDay(date)} onChange={(d) => setDate(dates.pickedDay(d))} style={{ width: 150 }} />
      <Button
        type="primary"
        icon={<CheckOutlined />}
        loading={update.isPending}
        onClick={() => void save()}
        aria-label={t('common.save')}
      />
      <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
    </Space.Compact>
  );
}

function Header({
  o: opportunity,
  process,
  onMove,
  onDialog,
}: {
  o: OpportunityDetail;
  process: Process | undefined;
  onMove: (stage: Stage) => void;
  onDialog: (dialog: Dialog) => void;
}) {
  const t = useT();
  const money = useMoney();
  const { message } = App.useApp();
  const report = useProblem();
  const update = useUpdateOpportunity();
  const stages = [...(process?.stages ?? [])].sort((a, b) => a.position - b.position);
  // Leading the deal (figures, stages, closing) vs contributing to it (the analysis fields): docs/organisation.md, the server's rule.
  const canEdit = opportunity.permissions.edit && opportunity.status === 'open';
  const canContribute = opportunity.permissions.contribute && opportunity.status === 'open';
  return (
    <Card style={{ marginBottom: 16 }} styles={{ body: { padding: 20 } }}>
      <Flex justify="space-between" align="flex-start" gap={16} wrap>
        <div style={{ minWidth: 0, flex: '1 1 360px' }}>
          <Link to={`/accounts/${opportunity.accountId}`} style={{ fontSize: 13 }} data-testid="opp-account">
            {opportunity.accountName}
          </Link>
          <Flex align="center" gap={10} wrap style={{ marginTop: 2 }}>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="opp-title">
              {opportunity.name}
            </Typography.Title>
            <StatusTag status={opportunity.status} />
            <Tag color={opportunity.sizeClass === 'large' ? 'gold' : 'cyan'}>
              {t(`opps.size.${opportunity.sizeClass}`)}
            </Tag>
            <ProblemBadges o={opportunity} />
          </Flex>
          <Flex gap={24} wrap style={{ marginTop: 14 }}>
            <Meta label={t('opps.col.amount')}>
              <span style={{ fontSize: 18, fontWeight: 600 }}>{money(opportunity.amount)}</span>
            </Meta>
            <Meta label={t('opps.col.expected')}>
              {opportunity.status === 'open'
                ? money(opportunity.expectedAmount)
                : opportunity.contractAmount !== null
                  ? money(opportunity.contractAmount)
                  : '—'}
            </Meta>
            <Meta label={t('opps.col.stage')} testId="opp-stage">
              {opportunity.stageName ?? '—'}
              {opportunity.probability !== null ? ` · ${opportunity.probability}%` : ''}
            </Meta>
            <Meta label={t('opps.col.close')}>{opportunity.expectedCloseDate ?? '—'}</Meta>
            <Meta label={t('opps.col.owner')}>{opportunity.ownerName ?? '—'}</Meta>
            <Meta label={t('accounts.field.leadSource')} testId="opp-lead-source">
              {opportunity.leadSource ? t(`accounts.leadSource.${opportunity.leadSource as LeadSource}`) : '—'}
            </Meta>
            {opportunity.products.length > 0 && (
              <Meta label={t('opps.edit.products')}>{opportunity.products.join('、')}</Meta>
            )}
            <Meta label={t('opps.detail.forecast')}>
              {canEdit ? (
                <Select
                  size="small"
                  variant="borderless"
                  style={{ width: 120, marginInlineStart: -8 }}
                  value={opportunity.forecastCategory}
                  loading={update.isPending}
                  onChange={(value) =>
                    void update
                      .mutateAsync({ id: opportunity.id, version: opportunity.version, forecastCategory: value })
                      .then(
                        () => void message.success(t('common.saved')),
                        (e: unknown) => report(e),
                      )
                  }
                  options={FORECAST_CATEGORIES.map((c) => ({ value: c, label: t(`opps.forecast.${c}`) }))}
                />
              ) : (
                t(`opps.forecast.${opportunity.forecastCategory}`)
              )}
            </Meta>
          </Flex>
          <div style={{ marginTop: 14 }}>
            <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
              <FlagOutlined /> {t('opps.detail.nextStep')}
            </Typography.Text>
            <NextStep key={opportunity.version} o={opportunity} />
          </div>
          {opportunity.status !== 'open' && (
            <Alert
              style={{ marginTop: 12 }}
              type={opportunity.status === 'won' ? 'success' : 'warning'}
              showIcon
              message={t(`opps.closed.${opportunity.status}`)}
              description={
                [
                  opportunity.closeReason &&
                    `${t('opps.close.reason')}: ${t(`opps.lossReason.${opportunity.closeReason}` as 'opps.lossReason.other')}`,
                  opportunity.closeCompetitor &&
                    `${t('opps.close.competitor')}: ${opportunity.closeCompetitor === 'none' ? t('timeline.noCompetitor') : opportunity.closeCompetitor}`,
                  opportunity.contractAmount !== null &&
                    `${t('opps.close.contractAmount')}: ${money(opportunity.contractAmount)}`,
                ]
                  .filter(Boolean)
                  .join(' · ') || undefined
              }
            />
          )}
        </div>
        <Space wrap>
          {canEdit && stages.length > 0 && (
            <Dropdown
              trigger={['click']}
              menu={{
                items: stages
                  .filter((s) => s.id !== opportunity.stageId)
                  .map((s) => ({ key: String(s.id), label: `${s.name} · ${s.probability}%` })),
                onClick: ({ key }) => {
                  const stage = stages.find((x) => String(x.id) === key);
                  if (stage) onMove(stage);
                },
              }}
            >
              <Button type="primary" icon={<SwapOutlined />} data-testid="move-stage">
                {t('opps.card.moveTo')}
              </Button>
            </Dropdown>
          )}
          {canContribute && <LogActivityButton accountId={opportunity.accountId} opportunityId={opportunity.id} />}
          {canContribute && <PlanVisitButton accountId={opportunity.accountId} opportunityId={opportunity.id} />}
          {canContribute && (
            <Button icon={<EditOutlined />} onClick={() => onDialog('edit')} data-testid="opp-edit">
              {t('common.edit')}
            </Button>
          )}
          {opportunity.permissions.edit && (
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  ...(opportunity.status === 'open'
                    ? [{ key: 'close', label: t('opps.close.action') }]
                    : [{ key: 'reopen', label: t('opps.reopen.action') }]),
                  // docs/sales-process.md: "advantage lost — qualification weakened, or marked by the manager".
                  ...(opportunity.permissions.manage && opportunity.status === 'open'
                    ? [
                        {
                          key: 'advantage',
                          label: t(opportunity.advantageMarked ? 'opps.advantage.clear' : 'opps.advantage.mark'),
                        },
                      ]
                    : []),
                ],
                onClick: ({ key }) => {
                  // Marking asks why (AdvantageModal); clearing needs no reason.
                  if (key !== 'advantage' || !opportunity.advantageMarked) return onDialog(key as Dialog);
                  update.mutateAsync({ id: opportunity.id, version: opportunity.version, advantageLost: false }).then(
                    () => void message.success(t('opps.advantage.cleared')),
                    (e: unknown) => report(e),
                  );
                },
              }}
            >
              <Button icon={<MoreOutlined />} data-testid="opp-more">
                {t('opps.detail.more')}
              </Button>
            </Dropdown>
          )}
        </Space>
      </Flex>
    </Card>
  );
}

/** Time spent in each stage, summed over every visit (the stage history, docs/sales-process.md § The opportunity). */
function daysByStage(history: StageHistoryEntry[] | undefined) {
  const days = new Map<number, number>();
  for (const entry of history ?? []) days.set(entry.stageId, (days.get(entry.stageId) ?? 0) + entry.daysInStage);
  return days;
}

function StagePath({
  o: opportunity,
  process,
  history,
  onMove,
}: {
  o: OpportunityDetail;
  process: Process;
  history: StageHistoryEntry[] | undefined;
  onMove: (stage: Stage) => void;
}) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const stages = [...process.stages].sort((a, b) => a.position - b.position);
  const current = stages.findIndex((s) => s.id === opportunity.stageId);
  const days = daysByStage(history);
  const canMove = opportunity.permissions.edit && opportunity.status === 'open';
  const compact = screens.md && stages.length > 5;
  return (
    <Card style={{ marginBottom: 16 }} styles={{ body: { padding: '18px 20px 8px' } }} data-testid="stage-path">
      <Flex justify="space-between" style={{ marginBottom: 12 }}>
        <Typography.Text strong>{t('opps.path.title', { process: process.name })}</Typography.Text>
        {/* The hint is for a pointer; on a phone the process name needs the room. */}
        {screens.md && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {canMove ? t('opps.path.hint') : ''}
          </Typography.Text>
        )}
      </Flex>
      <Steps
        size="small"
        orientation={screens.md ? 'horizontal' : 'vertical'}
        // Seven or eight stages with long names (七步法, P0–P7) do not fit side by side: titles go under the icons.
        titlePlacement={compact ? 'vertical' : 'horizontal'}
        current={current}
        status={
          opportunity.status === 'lost' || opportunity.status === 'abandoned'
            ? 'error'
            : opportunity.status === 'won'
              ? 'finish'
              : 'process'
        }
        onChange={
          canMove
            ? (index) => {
                const stage = stages[index];
                if (stage && stage.id !== opportunity.stageId) onMove(stage);
              }
            : undefined
        }
        items={stages.map((stage, index) => ({
          title: stage.name,
          subTitle: compact ? undefined : `${stage.probability}%`,
          description: (
            <span style={{ fontSize: 12 }}>
              {compact && <span style={{ display: 'block' }}>{stage.probability}%</span>}
              {days.has(stage.id)
                ? t('opps.path.days', { days: Math.round((days.get(stage.id) ?? 0) * 10) / 10 })
                : index > current
                  ? t('opps.path.expected', { days: stage.expectedDays })
                  : '—'}
              {index === current && opportunity.evidenceStatus && opportunity.evidenceStatus.required > 0 && (
                <Typography.Text
                  type={
                    opportunity.evidenceStatus.given >= opportunity.evidenceStatus.required ? 'success' : 'secondary'
                  }
                  style={{ fontSize: 12, display: 'block' }}
                  data-testid="path-evidence"
                >
                  {t('opps.path.evidence', {
                    given: opportunity.evidenceStatus.given,
                    required: opportunity.evidenceStatus.required,
                  })}
                </Typography.Text>
              )}
              {index === current && opportunity.problems.includes('stalled') && (
                <Typography.Text type="warning" style={{ fontSize: 12, display: 'block' }}>
                  {t('opps.problem.stalled')}
                </Typography.Text>
              )}
            </span>
          ),
        }))}
      />
    </Card>
  );
}

/** "What this stage asks for" (docs/sales-process.md § Sales processes and stages): purpose, milestone, evidence to leave, actions, roles vs the team. */
function StagePanel({ o: opportunity, stage }: { o: OpportunityDetail; stage: Stage }) {
  const t = useT();
  const held = new Set(opportunity.team.map((m) => m.teamRole));
  const roleLabel = (r: string) => t(`opps.teamRole.${r}` as 'opps.teamRole.sales_lead');
  return (
    <Card
      title={t('opps.stage.asks', { stage: stage.name })}
      size="small"
      style={{ height: '100%' }}
      data-testid="stage-panel"
    >
      {stage.purpose && (
        <Typography.Paragraph style={{ marginBottom: 8 }}>
          <Typography.Text type="secondary">
            {t('opps.stage.purpose')}
            {t('common.colon')}
          </Typography.Text>
          {stage.purpose}
        </Typography.Paragraph>
      )}
      {stage.milestone && (
        <Typography.Paragraph style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">
            {t('opps.stage.milestone')}
            {t('common.colon')}
          </Typography.Text>
          <Tag color="blue">{stage.milestone}</Tag>
        </Typography.Paragraph>
      )}
      <StageEvidence o={opportunity} stage={stage} />
      {stage.actions.length > 0 && (
        <>
          <Typography.Text strong style={{ display: 'block', margin: '8px 0 4px' }}>
            {t('opps.stage.actions')}
          </Typography.Text>
          <ul style={{ margin: '0 0 12px', paddingInlineStart: 18 }}>
            {stage.actions.map((action) => (
              <li key={action}>{action}</li>
            ))}
          </ul>
        </>
      )}
      {stage.roles.length > 0 && (
        <>
          <Typography.Text strong style={{ display: 'block', marginBottom: 4 }}>
            <TeamOutlined /> {t('opps.stage.roles')}
          </Typography.Text>
          <Flex gap={6} wrap>
            {stage.roles.map((role) => (
              <Tooltip
                key={role}
                title={held.has(role as never) ? t('opps.stage.roleHeld') : t('opps.stage.roleMissing')}
              >
                <Tag
                  color={held.has(role as never) ? 'green' : 'orange'}
                  icon={held.has(role as never) ? <CheckCircleTwoTone twoToneColor="#16a34a" /> : undefined}
                >
                  {roleLabel(role)}
                </Tag>
              </Tooltip>
            ))}
          </Flex>
        </>
      )}
    </Card>
  );
}

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

/** A closed deal asks for nothing more: how it ended instead of what the stage asks for (docs/sales-process.md § The stage gate). */
function ClosedPanel({ o: opportunity }: { o: OpportunityDetail }) {
  const t = useT();
  const { dateOf } = useDates();
  const money = useMoney();
  const words = useHistoryText();
  return (
    <Card title={t('opps.closedPanel.title')} size="small" style={{ height: '100%' }} data-testid="closed-panel">
      <Flex vertical gap={6}>
        <div>
          <StatusTag status={opportunity.status} />{' '}
          {opportunity.closedAt && <Typography.Text type="secondary">{dateOf(opportunity.closedAt)}</Typography.Text>}
        </div>
        {opportunity.status === 'won' && opportunity.contractAmount !== null && (
          <div>
            <Typography.Text type="secondary">
              {t('opps.closedPanel.contract')}
              {t('common.colon')}
            </Typography.Text>
            {money(opportunity.contractAmount)}
          </div>
        )}
        {opportunity.closeReason && (
          <div>
            <Typography.Text type="secondary">
              {t('opps.closedPanel.reason')}
              {t('common.colon')}
            </Typography.Text>
            {words.reason('status', opportunity.closeReason)}
          </div>
        )}
        {opportunity.closeCompetitor && (
          <div>
            <Typography.Text type="secondary">
              {t('opps.closedPanel.competitor')}
              {t('common.colon')}
            </Typography.Text>
            {opportunity.closeCompetitor === 'none' ? t('timeline.noCompetitor') : opportunity.closeCompetitor}
          </div>
        )}
        {opportunity.permissions.edit && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('opps.closedPanel.reopenHint')}
          </Typography.Text>
        )}
      </Flex>
    </Card>
  );
}
