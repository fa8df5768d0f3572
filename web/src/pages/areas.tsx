import type { ReactNode } from 'react';
import {
  BarChartOutlined,
  FunnelPlotOutlined,
  ScheduleOutlined,
  TeamOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import type { MessageKey } from '../i18n/zh-CN.ts';

/** The business areas (docs/archive.md–§7), each with what it is for. */
export const COMING_AREAS = ['accounts', 'opportunities', 'activities', 'funnel', 'reports'] as const;
export type ComingArea = (typeof COMING_AREAS)[number];
/** The areas already open; the rest show "coming soon". */
export const AVAILABLE_AREAS: readonly ComingArea[] = ['accounts', 'opportunities', 'activities', 'funnel', 'reports'];

export const AREA_ICONS: Record<ComingArea, ReactNode> = {
  accounts: <TeamOutlined />,
  opportunities: <TrophyOutlined />,
  activities: <ScheduleOutlined />,
  funnel: <FunnelPlotOutlined />,
  reports: <BarChartOutlined />,
};

export const areaText = (area: ComingArea) => ({
  title: `area.${area}.title` as MessageKey,
  summary: `area.${area}.summary` as MessageKey,
  points: [1, 2, 3].map((n) => `area.${area}.point${n}` as MessageKey),
});
