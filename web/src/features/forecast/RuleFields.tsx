import { Flex, Form, InputNumber, Select, Typography } from 'antd';
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
  defaultQuotaBasis: 'tax_inclusive' | 'net';
  activityNewAccountsTarget: number;
  activityVisitsTarget: number;
  collectionFirstPeriodShare: number;
  collectionRealisationPercent: number;
}

type Field = Exclude<keyof ForecastRuleValues, 'defaultQuotaBasis'>;

/** Settings → Rules: the forecast weights, the unforecast rate, P1–P3, the VAT rate and default basis of quotas, the collection factors and the activity targets (docs/targets.md). */
export function ForecastRuleFields() {
  const t = useT();
  const field = (name: Field, min = 0, max = 100, suffix = '%') => (
    <Form.Item
      key={name}
      name={name}
      label={t(`forecast.rules.${name}` as MessageKey)}
      extra={t(`forecast.rules.${name}.hint` as MessageKey)}
      style={{ flex: '1 1 150px' }}
      rules={[{ required: true, message: t('validation.required') }]}
    >
      <InputNumber min={min} max={max} precision={0} suffix={suffix} style={{ width: '100%' }} />
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
        <Form.Item
          name="defaultQuotaBasis"
          label={t('forecast.rules.defaultQuotaBasis')}
          extra={t('forecast.rules.defaultQuotaBasis.hint')}
          style={{ flex: '1 1 150px' }}
        >
          <Select
            options={[
              { value: 'tax_inclusive', label: t('quotas.basis.tax_inclusive') },
              { value: 'net', label: t('quotas.basis.net') },
            ]}
          />
        </Form.Item>
      </Flex>
      <Typography.Title level={5}>{t('forecast.rules.collectionTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('forecast.rules.collectionHint')}</Typography.Paragraph>
      <Flex gap={12} wrap>
        {field('collectionFirstPeriodShare')}
        {field('collectionRealisationPercent')}
      </Flex>
      <Typography.Title level={5}>{t('forecast.rules.activityTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('forecast.rules.activityHint')}</Typography.Paragraph>
      <Flex gap={12} wrap>
        {field('activityNewAccountsTarget', 0, 1000, t('forecast.rules.perWeek'))}
        {field('activityVisitsTarget', 0, 1000, t('forecast.rules.perWeek'))}
      </Flex>
    </>
  );
}
