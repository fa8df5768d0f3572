import { Flex, Form, InputNumber, Typography } from 'antd';
import { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';

/** The workspace rules of the forecast, the gap analysis and the quotas' tax: whole percents, as the API takes them. */
export interface ForecastRuleValues {
  forecastCommitWeight: number;
  forecastPossibleWeight: number;
  forecastUnforecastRate: number;
  gapP1: number;
  gapP2: number;
  gapP3: number;
  taxRatePercent: number;
}

type Field = keyof ForecastRuleValues;

/** Settings → Rules: the forecast weights, the unforecast rate, P1–P3 and the VAT rate between quota bases (docs/targets.md). */
export function ForecastRuleFields() {
  const t = useT();
  const field = (name: Field, min = 0) => (
    <Form.Item
      key={name}
      name={name}
      label={t(`forecast.rules.${name}` as MessageKey)}
      extra={t(`forecast.rules.${name}.hint` as MessageKey)}
      style={{ flex: '1 1 150px' }}
      rules={[{ required: true, message: t('validation.required') }]}
    >
      <InputNumber min={min} max={100} precision={0} suffix="%" style={{ width: '100%' }} />
    </Form.Item>
  );
  return (
    <>
      <Typography.Title level={5}>{t('forecast.rules.forecastTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('forecast.rules.forecastHint')}</Typography.Paragraph>
      <Flex gap={12} wrap data-testid="rules-forecast">
        {field('forecastCommitWeight')}
        {field('forecastPossibleWeight')}
        {field('forecastUnforecastRate')}
      </Flex>
      <Typography.Title level={5}>{t('forecast.rules.gapTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('forecast.rules.gapHint')}</Typography.Paragraph>
      <Flex gap={12} wrap>
        {field('gapP1')}
        {field('gapP2')}
        {field('gapP3', 1)}
      </Flex>
      <Typography.Title level={5}>{t('forecast.rules.taxTitle')}</Typography.Title>
      <Flex gap={12} wrap>
        {field('taxRatePercent')}
      </Flex>
    </>
  );
}
