import { useMemo } from 'react';
import { Card, Flex, Progress, Space, Typography } from 'antd';
import { AlertOutlined, StopOutlined, UserDeleteOutlined, UserSwitchOutlined } from '@ant-design/icons';
import type { Translate } from '../../i18n/I18nProvider.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { BRAND } from '../../app/theme.ts';
import { ATTITUDE_COLORS, ATTITUDE_TINTS } from './bits.tsx';
import { MapChart, type MapChartOption } from './MapChart.tsx';
import type { Attitude, MapGap, RelationshipMapData } from './types.ts';

/** Around the relationship map: its legend, the coverage score, and each gap worded and marked. */

export function gapText(gap: MapGap, translate: Translate, names: Map<number, string>): string {
  const role = translate(`accounts.role.${gap.role}`);
  switch (gap.kind) {
    case 'missing_role':
      return gap.role === 'decision_maker'
        ? translate('accounts.gap.noDecisionMaker')
        : translate('accounts.gap.missingRole', { role });
    case 'weak_high_influence':
      return translate('accounts.gap.weakHighInfluence', { name: names.get(gap.contactId) ?? '?', role });
    case 'no_holder':
      return translate('accounts.gap.noHolder', { name: names.get(gap.contactId) ?? '?', role });
    case 'opponent':
      return translate('accounts.gap.opponent', {
        name: names.get(gap.contactId) ?? '?',
        role,
        influence: translate(`accounts.influence.${gap.influence}`),
      });
  }
}

export const GAP_ICONS = {
  missing_role: <UserDeleteOutlined />,
  weak_high_influence: <AlertOutlined />,
  no_holder: <UserSwitchOutlined />,
  opponent: <StopOutlined />,
};
export const GAP_COLORS = {
  missing_role: '#b45309',
  weak_high_influence: '#be185d',
  no_holder: '#2563eb',
  opponent: '#dc2626',
};

export function Legend() {
  const t = useT();
  const swatch = (attitude: Attitude) => (
    <Space size={4} key={attitude}>
      <span
        style={{
          display: 'inline-block',
          width: 16,
          height: 12,
          borderRadius: 3,
          background: ATTITUDE_TINTS[attitude],
          border: `2px solid ${ATTITUDE_COLORS[attitude]}`,
        }}
      />
      {t(`accounts.attitude.${attitude}`)}
    </Space>
  );
  return (
    <Flex gap={16} wrap style={{ fontSize: 12, color: '#475569' }} data-testid="map-legend">
      {(['supports', 'neutral', 'opposes'] as const).map(swatch)}
      <Space size={4}>
        <span
          style={{ display: 'inline-block', width: 16, height: 12, borderRadius: 3, border: '2px dashed #cbd5e1' }}
        />
        {t('accounts.map.legend.noRole')}
      </Space>
      <span>{t('accounts.map.legend.size')}</span>
      <span>
        <span style={{ color: '#16a34a', letterSpacing: 1 }}>■■■■□</span> {t('accounts.map.legend.degree')}
      </span>
      <Space size={4}>
        <span style={{ display: 'inline-block', width: 12, height: 12, borderRadius: 6, background: BRAND }} />
        <span style={{ color: BRAND }}>- - -</span>
        {t('accounts.map.legend.holder')}
      </Space>
      <Space size={4}>
        <span style={{ display: 'inline-block', width: 20, borderTop: '2px solid #94a3b8' }} />
        {t('accounts.map.legend.reportsTo')}
      </Space>
    </Flex>
  );
}

export function CoverageCard({ data }: { data: RelationshipMapData }) {
  const t = useT();
  const color = data.coverage >= 70 ? '#16a34a' : data.coverage >= 40 ? '#d97706' : '#dc2626';
  const option = useMemo<MapChartOption>(
    () => ({
      series: [
        {
          type: 'gauge',
          startAngle: 200,
          endAngle: -20,
          min: 0,
          max: 100,
          radius: '95%',
          center: ['50%', '62%'],
          progress: { show: true, width: 14, itemStyle: { color } },
          axisLine: { lineStyle: { width: 14, color: [[1, '#e5e7eb']] } },
          axisTick: { show: false },
          splitLine: { show: false },
          axisLabel: { show: false },
          pointer: { show: false },
          anchor: { show: false },
          title: { show: true, offsetCenter: [0, '38%'], fontSize: 12, color: '#64748b' },
          detail: {
            valueAnimation: false,
            offsetCenter: [0, '-5%'],
            fontSize: 34,
            fontWeight: 'bold',
            color,
            formatter: '{value}',
          },
          data: [{ value: data.coverage, name: t('accounts.map.coverage') }],
        },
      ],
      animation: false,
    }),
    [data.coverage, color, t],
  );
  const parts: { key: 'roles' | 'relationships' | 'support'; weight: number }[] = [
    { key: 'roles', weight: 40 },
    { key: 'relationships', weight: 40 },
    { key: 'support', weight: 20 },
  ];
  return (
    <Card size="small" title={t('accounts.map.coverageTitle')}>
      <div data-testid="coverage-score" data-value={data.coverage}>
        <MapChart option={option} height={170} label={`${t('accounts.map.coverage')} ${data.coverage}`} />
      </div>
      {parts.map((part) => (
        <div key={part.key} style={{ marginBottom: 6 }}>
          <Flex justify="space-between" style={{ fontSize: 12 }}>
            <span>{t(`accounts.map.part.${part.key}`)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('accounts.map.weight', { n: part.weight })}
            </Typography.Text>
          </Flex>
          <Progress percent={Math.round(data.parts[part.key] * 100)} size="small" strokeColor={BRAND} />
        </div>
      ))}
    </Card>
  );
}
