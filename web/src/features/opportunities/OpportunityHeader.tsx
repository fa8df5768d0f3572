import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Dropdown, Flex, Input, Select, Space, Tag, Typography } from 'antd';
import { CheckOutlined, EditOutlined, FlagOutlined, MoreOutlined, SwapOutlined } from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { Link } from 'react-router';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useUpdateOpportunity } from './api.ts';
import { overdueDate, ProblemBadges, StatusTag } from './bits.tsx';
import { useMoney } from '../../i18n/money.ts';
import { FORECAST_CATEGORIES, type OpportunityDetail, type Process, type Stage } from './types.ts';
import { LogActivityButton } from '../activities/LogActivityButton.tsx';
import { PlanVisitButton } from '../activities/PlanVisitButton.tsx';
import type { LeadSource } from '../accounts/types.ts';

/** The opportunity page's header: the deal's figures, its next step edited in place, and its actions. */

export type Dialog = 'edit' | 'close' | 'reopen' | 'advantage';

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

export function Header({
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
