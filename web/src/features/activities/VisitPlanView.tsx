import { useState } from 'react';
import { Button, Card, Descriptions, Flex, Space, Tag, Typography } from 'antd';
import { AuditOutlined, EditOutlined, FileAddOutlined } from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { Link } from 'react-router';
import { useT } from '../../i18n/useI18n.ts';
import type { ActivityDetail, ReviewResult } from '../../../../src/contracts/activities.ts';
import { VisitPlanDrawer } from './VisitPlanDrawer.tsx';
import { VisitReviewDrawer } from './VisitReviewDrawer.tsx';

const RESULT_COLOR: Record<ReviewResult, string> = { achieved: 'green', partly: 'gold', not: 'red' };

const lines = (items: string[]) =>
  items.length ? (
    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
      {items.map((line, index) => (
        <li key={index}>{line}</li>
      ))}
    </ul>
  ) : null;

/**
 * A visit's plan beside its result, objective by objective (docs/rhythm.md § Visit plan and
 * review), with the way to write the plan, change it until reviewed, or review the visit.
 */
export function VisitPlanView({ activity }: { activity: ActivityDetail }) {
  const t = useT();
  const dates = useDates();
  const [open, setOpen] = useState<'plan' | 'review' | null>(null);
  const { plan, review } = activity;
  const canPlan = activity.permissions.edit && !activity.reviewed && activity.status !== 'cancelled';
  const canReview =
    activity.permissions.review && plan !== null && !activity.reviewed && activity.startAt <= Date.now();
  const drawers = (
    <>
      {open === 'plan' && (
        <VisitPlanDrawer accountId={activity.accountId} activity={activity} onClose={() => setOpen(null)} />
      )}
      {open === 'review' && <VisitReviewDrawer activity={activity} onClose={() => setOpen(null)} />}
    </>
  );
  if (!plan)
    return (
      <Flex justify="space-between" align="center" gap={8} style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">{t('visits.noPlan')}</Typography.Text>
        {canPlan && (
          <Button icon={<FileAddOutlined />} onClick={() => setOpen('plan')} data-testid="visit-add-plan">
            {t('visits.addPlan')}
          </Button>
        )}
        {drawers}
      </Flex>
    );
  const spin = (['situation', 'problem', 'implication', 'needPayoff'] as const).filter((k) => plan.spin[k].length);
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="visit-plan-view"
      title={t('visits.planTitle')}
      extra={
        <Space size={4}>
          {canPlan && (
            <Button size="small" icon={<EditOutlined />} onClick={() => setOpen('plan')} data-testid="visit-edit-plan">
              {t('visits.editPlan')}
            </Button>
          )}
          {canReview && (
            <Button
              size="small"
              type="primary"
              icon={<AuditOutlined />}
              onClick={() => setOpen('review')}
              data-testid="visit-review"
            >
              {t('visits.reviewShort')}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {activity.plannedByName ? t('visits.plannedBy', { name: activity.plannedByName }) : null}
        {' · '}
        {review && activity.reviewedAt
          ? t('visits.reviewedBy', {
              name: activity.reviewedByName ?? '',
              date: dates.format(activity.reviewedAt),
            })
          : t('visits.notReviewed')}
      </Typography.Text>
      <Typography.Title level={5} style={{ marginTop: 8 }}>
        {t('visits.objectives')}
      </Typography.Title>
      <Flex vertical gap={6} style={{ marginBottom: 12 }}>
        {plan.objectives.map((objective, index) => {
          const result = review?.objectives[index];
          return (
            <div key={index} data-testid={`plan-result-${index}`}>
              <Flex gap={6} align="baseline" wrap>
                <span>
                  {index + 1}. {objective.text}
                </span>
                {result && <Tag color={RESULT_COLOR[result.result]}>{t(`visits.result.${result.result}`)}</Tag>}
              </Flex>
              {result?.note && (
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {result.note}
                </Typography.Text>
              )}
            </div>
          );
        })}
      </Flex>
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'fab',
            label: t('visits.fab'),
            children: lines(plan.fab.map((p) => [p.feature, p.advantage, p.benefit].filter(Boolean).join(' → '))),
          },
          ...(plan.bestTime ? [{ key: 'best', label: t('visits.bestTime'), children: plan.bestTime }] : []),
          ...(plan.objections.length
            ? [
                {
                  key: 'objections',
                  label: t('visits.objections'),
                  children: lines(
                    plan.objections.map((o) => (o.answer ? `${o.objection} — ${o.answer}` : o.objection)),
                  ),
                },
              ]
            : []),
          ...(plan.materials ? [{ key: 'materials', label: t('visits.materials'), children: plan.materials }] : []),
          ...(plan.openIssues
            ? [
                {
                  key: 'open',
                  label: t('visits.openIssues'),
                  children: <span style={{ whiteSpace: 'pre-line' }}>{plan.openIssues}</span>,
                },
              ]
            : []),
          ...spin.map((kind) => ({ key: kind, label: t(`visits.spin.${kind}`), children: lines(plan.spin[kind]) })),
          ...(review?.customerView
            ? [{ key: 'view', label: t('visits.customerView'), children: review.customerView }]
            : []),
          ...(review?.improve ? [{ key: 'improve', label: t('visits.improve'), children: review.improve }] : []),
          ...(review?.nextSteps.length
            ? [
                {
                  key: 'steps',
                  label: t('visits.nextStepsAgreed'),
                  children: lines(review.nextSteps.map((s) => `${s.title} · ${s.dueDate}`)),
                },
              ]
            : []),
        ]}
      />
      {review?.nextSteps.some((s) => s.taskId) && (
        <Link to="/tasks" style={{ fontSize: 13 }}>
          {t('visits.task')} →
        </Link>
      )}
      {drawers}
    </Card>
  );
}
