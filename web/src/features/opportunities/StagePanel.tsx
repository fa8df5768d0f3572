import { Card, Flex, Tag, Tooltip, Typography } from 'antd';
import { CheckCircleTwoTone, TeamOutlined } from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { useT } from '../../i18n/useI18n.ts';
import { StatusTag } from './bits.tsx';
import { useHistoryText } from '../timeline/historyText.ts';
import { useMoney } from '../../i18n/money.ts';
import { StageEvidence } from './StageEvidence.tsx';
import type { OpportunityDetail, Stage } from './types.ts';

/** The opportunity page's side column: what the current stage asks for, or how a closed deal ended. */

/** "What this stage asks for" (docs/sales-process.md § Sales processes and stages): purpose, milestone, evidence to leave, actions, roles vs the team. */
export function StagePanel({ o: opportunity, stage }: { o: OpportunityDetail; stage: Stage }) {
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

/** A closed deal asks for nothing more: how it ended instead of what the stage asks for (docs/sales-process.md § The stage gate). */
export function ClosedPanel({ o: opportunity }: { o: OpportunityDetail }) {
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
