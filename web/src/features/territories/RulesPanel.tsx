import { useMemo } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Divider,
  Empty,
  Flex,
  Form,
  InputNumber,
  Row,
  Skeleton,
  Tag,
  Typography,
} from 'antd';
import { SyncOutlined } from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { useCan } from '../auth/session.ts';
import {
  useRecomputeTiers,
  useRules,
  useTierSummary,
  useUpdateRules,
  type Rules,
  type Tier,
  type TierSummary,
} from './api.ts';
import { useFieldMessage } from '../../api/useProblem.ts';
import { ACTIVITY_TYPES, type ActivityType } from '../../../../src/domain/activities.ts';
import { JudgementFields, judgementFromForm, judgementToForm, type JudgementValues } from './JudgementFields.tsx';
import { ForecastRuleFields, type ForecastRuleValues } from '../forecast/RuleFields.tsx';
import { BusinessLineFields, type BusinessLineValue } from '../quotas/BusinessLineFields.tsx';

const TIERS: Tier[] = ['A', 'B', 'C'];
const TIER_COLORS: Record<Tier, string> = { A: '#1d4ed8', B: '#0ea5e9', C: '#94a3b8' };

interface Values extends JudgementValues, ForecastRuleValues {
  tierAShareBp: number;
  tierBShareBp: number;
  tierWindowMonths: number;
  followUpDays: Record<Tier, number>;
  poolReleaseDays: Record<Tier, number | null>;
  claimLimit: number;
  callbackRatePercent: number;
  largeDealThreshold: number;
  qualifyingActivityTypes: ActivityType[];
  businessLines: BusinessLineValue[];
}

/** Form values: shares in percent and money in yuan; the API takes basis points and fen. */
const toForm = (rule: Rules): Values => ({
  ...rule,
  ...judgementToForm(rule),
  tierAShareBp: rule.tierAShareBp / 100,
  tierBShareBp: rule.tierBShareBp / 100,
  largeDealThreshold: rule.largeDealThreshold / 100,
});
const fromForm = (values: Values) => ({
  ...values,
  ...judgementFromForm(values),
  tierAShareBp: Math.round(values.tierAShareBp * 100),
  tierBShareBp: Math.round(values.tierBShareBp * 100),
  largeDealThreshold: Math.round(values.largeDealThreshold * 100),
  poolReleaseDays: {
    A: values.poolReleaseDays.A ?? null,
    B: values.poolReleaseDays.B ?? null,
    C: values.poolReleaseDays.C ?? null,
  },
});

/**
 * A field the API names (`businessLines.1.products.3`) as the form's path: list positions are
 * numbers, and a product's problem goes beside the line's products input.
 */
const fieldPath = (field: string) => {
  const path = field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const products = path.indexOf('products');
  return products >= 0 ? path.slice(0, products + 1) : path;
};

const yuan = (fen: number) => `¥${(fen / 100).toLocaleString(undefined, { maximumFractionDigits: 0 })}`;

/** Settings → Rules: ABC thresholds, follow-up cadence, pool release, claim limit, large deals; recompute the tiers. */
export default function RulesPanel() {
  const t = useT();
  const fieldMessage = useFieldMessage();
  const { message } = App.useApp();
  const report = useProblem();
  const can = useCan();
  const canEdit = can('workspace.administer');
  const canRecompute = can('accounts.manage');
  const rules = useRules();
  const update = useUpdateRules();
  const recompute = useRecomputeTiers();
  const [form] = Form.useForm<Values>();

  if (rules.isPending) return <Skeleton active />;
  if (rules.isError) return <LoadError error={rules.error} onRetry={() => void rules.refetch()} />;
  const ruleSet = rules.data;

  function save(values: Values) {
    update.mutate(
      { version: ruleSet.version, ...fromForm(values) },
      {
        onSuccess: () => message.success(t('common.saved')),
        onError: (err) => {
          // Nested fields (followUpDays.B) go beside their inputs too.
          if (isApiError(err) && err.errors.length && err.status === 400)
            form.setFields(
              err.errors.map((x) => ({ name: fieldPath(x.field) as never, errors: [fieldMessage(err, x)] })),
            );
          else report(err, form);
        },
      },
    );
  }
  const days = (tier: Tier, group: 'followUpDays' | 'poolReleaseDays') => (
    <Form.Item
      key={tier}
      name={[group, tier]}
      label={t(`territories.rules.tier${tier}` as MessageKey)}
      style={{ flex: '1 1 110px' }}
      rules={group === 'followUpDays' ? [{ required: true, message: t('validation.required') }] : []}
    >
      <InputNumber
        min={1}
        max={group === 'followUpDays' ? 365 : 3650}
        precision={0}
        suffix={t('territories.rules.days')}
        placeholder={group === 'poolReleaseDays' ? t('territories.rules.never') : undefined}
        style={{ width: '100%' }}
      />
    </Form.Item>
  );

  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} xl={11}>
        {!canEdit && <Alert type="info" showIcon title={t('common.readOnly')} style={{ marginBottom: 16 }} />}
        <Form
          key={ruleSet.version}
          form={form}
          layout="vertical"
          disabled={!canEdit}
          initialValues={toForm(ruleSet)}
          onFinish={save}
          data-testid="rules-form"
        >
          <Typography.Title level={5}>{t('territories.rules.tiersTitle')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('territories.rules.tiersHint')}</Typography.Paragraph>
          <Flex gap={12} wrap>
            <Form.Item
              name="tierAShareBp"
              label={t('territories.rules.aShare')}
              style={{ flex: '1 1 140px' }}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <InputNumber min={1} max={99.99} precision={2} suffix="%" style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item
              name="tierBShareBp"
              label={t('territories.rules.bShare')}
              style={{ flex: '1 1 140px' }}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <InputNumber min={1} max={100} precision={2} suffix="%" style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item
              name="tierWindowMonths"
              label={t('territories.rules.window')}
              style={{ flex: '1 1 140px' }}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <InputNumber
                min={1}
                max={60}
                precision={0}
                suffix={t('territories.rules.months')}
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Flex>
          <Typography.Title level={5}>{t('territories.rules.followUpTitle')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('territories.rules.followUpHint')}</Typography.Paragraph>
          <Flex gap={12} wrap>
            {TIERS.map((tier) => days(tier, 'followUpDays'))}
          </Flex>
          <Form.Item
            name="qualifyingActivityTypes"
            label={t('activities.rules.qualifying')}
            extra={t('activities.rules.qualifyingHint')}
          >
            <Checkbox.Group
              options={ACTIVITY_TYPES.map((type) => ({ value: type, label: t(`activities.type.${type}`) }))}
              data-testid="rules-qualifying"
            />
          </Form.Item>
          <Typography.Title level={5}>{t('territories.rules.poolTitle')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('territories.rules.poolHint')}</Typography.Paragraph>
          <Flex gap={12} wrap>
            {TIERS.map((tier) => days(tier, 'poolReleaseDays'))}
          </Flex>
          <Flex gap={12} wrap>
            <Form.Item
              name="claimLimit"
              label={t('territories.rules.claimLimit')}
              extra={t('territories.rules.claimLimitHint')}
              style={{ flex: '1 1 180px' }}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <InputNumber min={1} max={100000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item
              name="largeDealThreshold"
              label={t('territories.rules.largeDeal')}
              extra={t('territories.rules.largeDealHint')}
              style={{ flex: '1 1 180px' }}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <InputNumber min={1} precision={0} prefix="¥" style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item
              name="callbackRatePercent"
              label={t('callbacks.rule.rate')}
              extra={t('callbacks.rule.rateHint')}
              style={{ flex: '1 1 180px' }}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <InputNumber min={1} max={100} precision={0} suffix="%" style={{ width: '100%' }} />
            </Form.Item>
          </Flex>
          <JudgementFields />
          <ForecastRuleFields />
          <BusinessLineFields />
          {canEdit && (
            <Button type="primary" htmlType="submit" loading={update.isPending} data-testid="rules-save">
              {t('common.save')}
            </Button>
          )}
        </Form>
      </Col>
      <Col xs={24} xl={13}>
        <TierCard canRecompute={canRecompute} recompute={recompute} />
      </Col>
    </Row>
  );
}

function TierCard({
  canRecompute,
  recompute,
}: {
  canRecompute: boolean;
  recompute: ReturnType<typeof useRecomputeTiers>;
}) {
  const t = useT();
  const report = useProblem();
  const summary = useTierSummary();
  const dates = useDates();
  const last = recompute.data;
  return (
    <Card
      title={t('territories.tiers.title')}
      extra={
        canRecompute && (
          <Button
            icon={<SyncOutlined />}
            loading={recompute.isPending}
            onClick={() => recompute.mutate(undefined, { onError: (e) => report(e) })}
            data-testid="recompute-tiers"
          >
            {t('territories.tiers.recompute')}
          </Button>
        )
      }
    >
      {last && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="recompute-result"
          title={t('territories.tiers.result', {
            accounts: last.accounts,
            changed: last.tierChanged,
            a: last.byTier.A,
            b: last.byTier.B,
            c: last.byTier.C,
          })}
          description={t('territories.tiers.window', {
            from: dates.format(last.window.from),
            to: dates.format(last.window.to),
          })}
        />
      )}
      {summary.isPending && <Skeleton active />}
      {summary.isError && <LoadError error={summary.error} onRetry={() => void summary.refetch()} />}
      {summary.data && <TierCharts s={summary.data} />}
    </Card>
  );
}

function TierCharts({ s: text }: { s: TierSummary }) {
  const t = useT();
  const dates = useDates();
  const option = useMemo<ChartOption>(() => {
    const data = (pick: (tier: TierSummary['tiers'][number]) => number) =>
      text.tiers.map((tier) => ({
        name: t('territories.tiers.tierName', { tier: tier.tier }),
        value: pick(tier),
        itemStyle: { color: TIER_COLORS[tier.tier] },
      }));
    return {
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          name: t('territories.tiers.byCount'),
          radius: ['28%', '50%'],
          center: ['25%', '45%'],
          data: data((x) => x.count),
          label: { formatter: '{d}%' },
        },
        {
          type: 'pie',
          name: t('territories.tiers.byAmount'),
          radius: ['28%', '50%'],
          center: ['75%', '45%'],
          data: data((x) => Math.round(x.trailingAmount / 100)),
          label: { formatter: '{d}%' },
          tooltip: { valueFormatter: (v) => yuan(Number(v) * 100) },
        },
      ],
    } as ChartOption;
  }, [text, t]);
  if (text.total.count === 0) return <Empty description={t('territories.tiers.empty')} />;
  return (
    <>
      <Flex justify="space-around">
        <Typography.Text type="secondary">{t('territories.tiers.byCount')}</Typography.Text>
        <Typography.Text type="secondary">{t('territories.tiers.byAmount')}</Typography.Text>
      </Flex>
      <EChart option={option} height={260} label={t('territories.tiers.chartLabel')} />
      <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t('territories.tiers.thresholds')}>
          {t('territories.tiers.thresholdText', {
            a: text.thresholds.aShareBp / 100,
            b: text.thresholds.bShareBp / 100,
            months: text.thresholds.windowMonths,
          })}
        </Descriptions.Item>
        <Descriptions.Item label={t('territories.tiers.computedAt')}>
          {dates.format(text.computedAt, 'dateTime') ?? t('territories.tiers.never')}
        </Descriptions.Item>
      </Descriptions>
      <Divider style={{ margin: '12px 0' }} />
      <Typography.Title level={5}>{t('territories.valueTypes.title')}</Typography.Title>
      <Flex vertical gap={10}>
        {text.valueTypes
          .filter((v) => v.valueType !== null)
          .map((valueType) => (
            <div key={valueType.valueType}>
              <Flex gap={8} align="center">
                <Tag
                  color={valueType.valueType === 'value' ? 'blue' : valueType.valueType === 'growth' ? 'green' : 'red'}
                >
                  {t(`territories.valueType.${valueType.valueType!}` as MessageKey)}
                </Tag>
                <Typography.Text strong>{t('territories.valueTypes.count', { n: valueType.count })}</Typography.Text>
                <Typography.Text type="secondary">{yuan(valueType.trailingAmount)}</Typography.Text>
              </Flex>
              <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                {t(`territories.valueType.${valueType.valueType!}.strategy` as MessageKey)}
              </Typography.Paragraph>
            </div>
          ))}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('territories.valueTypes.rule', {
            growth: text.thresholds.growthBp / 100,
            shrink: text.thresholds.shrinkBp / 100,
          })}
        </Typography.Text>
      </Flex>
    </>
  );
}
