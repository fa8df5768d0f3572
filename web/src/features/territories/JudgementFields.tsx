import { Flex, Form, InputNumber, Typography } from 'antd';
import { useT } from '../../i18n/useI18n.ts';

/** The form's judgement values: the stall factor as a multiple (1.5), value-type thresholds in percent. */
export interface JudgementValues {
  stalledFactorPercent: number;
  valueGrowthBp: number;
  valueShrinkBp: number;
}

/** API (percent, basis points) → form (multiple, percent). */
export const judgementToForm = (rule: JudgementValues): JudgementValues => ({
  stalledFactorPercent: rule.stalledFactorPercent / 100,
  valueGrowthBp: rule.valueGrowthBp / 100,
  valueShrinkBp: rule.valueShrinkBp / 100,
});
export const judgementFromForm = (values: JudgementValues): JudgementValues => ({
  stalledFactorPercent: Math.round(values.stalledFactorPercent * 100),
  valueGrowthBp: Math.round(values.valueGrowthBp * 100),
  valueShrinkBp: Math.round(values.valueShrinkBp * 100),
});

/** Settings → Rules: when a deal counts as stalled, and the trend thresholds of the value types (SPEC §3.1). */
export function JudgementFields() {
  const t = useT();
  const required = [{ required: true, message: t('validation.required') }];
  return (
    <>
      <Typography.Title level={5}>{t('territories.rules.judgementTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('territories.rules.judgementHint')}</Typography.Paragraph>
      <Flex gap={12} wrap>
        <Form.Item
          name="stalledFactorPercent"
          label={t('territories.rules.stalledFactor')}
          extra={t('territories.rules.stalledFactorHint')}
          style={{ flex: '1 1 160px' }}
          rules={required}
        >
          <InputNumber min={1} max={10} step={0.1} precision={2} prefix="×" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="valueGrowthBp"
          label={t('territories.rules.valueGrowth')}
          style={{ flex: '1 1 140px' }}
          rules={required}
        >
          <InputNumber min={0.01} max={1000} precision={2} suffix="%" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="valueShrinkBp"
          label={t('territories.rules.valueShrink')}
          style={{ flex: '1 1 140px' }}
          rules={required}
        >
          <InputNumber min={0.01} max={100} precision={2} suffix="%" style={{ width: '100%' }} />
        </Form.Item>
      </Flex>
    </>
  );
}
