import { useMemo, useState } from 'react';
import { Card, Empty, Segmented, Skeleton } from 'antd';
import type { Role } from '../../api/types.ts';
import { useT } from '../../i18n/useI18n.ts';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { BRAND } from '../../app/theme.ts';
import { useOrgUnits } from '../org/api.ts';
import { useUsersByRegion, useUsersByRole } from './api.ts';

const PALETTE = [BRAND, '#0ea5e9', '#14b8a6', '#f59e0b', '#8b5cf6', '#ef4444', '#64748b'];

/** Active people by role or by region, for those who see the whole company. */
export default function PeopleChart() {
  const t = useT();
  const [by, setBy] = useState<'role' | 'region'>('role');
  const units = useOrgUnits(false);
  const byRole = useUsersByRole(by === 'role');
  const byRegion = useUsersByRegion(units.data, by === 'region');
  const current = by === 'role' ? byRole : byRegion;

  const option = useMemo<ChartOption | null>(() => {
    const slices = current.data?.filter((s) => s.value > 0);
    if (!slices?.length) return null;
    const named = slices.map((s) => ({ ...s, name: by === 'role' ? t(`role.${s.key as Role}`) : s.name }));
    return {
      color: PALETTE,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: named.map((s) => s.name), axisTick: { show: false } },
      series: [
        {
          type: 'bar',
          name: t('home.chart.users'),
          data: named.map((s, i) => ({ value: s.value, itemStyle: { color: PALETTE[i % PALETTE.length] } })),
          barMaxWidth: 22,
          label: { show: true, position: 'right' },
          itemStyle: { borderRadius: [0, 4, 4, 0] },
        },
      ],
    };
  }, [current.data, by, t]);

  return (
    <Card
      title={t('home.chart.title')}
      extra={
        <Segmented
          size="small"
          value={by}
          onChange={(v) => setBy(v as 'role' | 'region')}
          options={[
            { value: 'role', label: t('home.chart.byRole') },
            { value: 'region', label: t('home.chart.byRegion') },
          ]}
        />
      }
    >
      {current.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : option ? (
        <EChart option={option} height={280} label={t('home.chart.title')} />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.chart.empty')} />
      )}
    </Card>
  );
}
