import type { ReactNode } from 'react';
import {
  BarChartOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  FieldTimeOutlined,
  FormOutlined,
  ContactsOutlined,
  FunnelPlotOutlined,
  HomeOutlined,
  PhoneOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import type { Capability } from '../../../../src/contracts/capabilities.ts';

export interface NavItem {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Shown only to those who hold it. */
  capability?: Capability;
}

/** The main areas, in the order a salesperson's week runs through them. */
export const NAV_ITEMS: NavItem[] = [
  { path: '/', label: 'nav.home', icon: <HomeOutlined /> },
  { path: '/accounts', label: 'nav.accounts', icon: <TeamOutlined /> },
  { path: '/contacts', label: 'nav.contacts', icon: <ContactsOutlined /> },
  { path: '/opportunities', label: 'nav.opportunities', icon: <TrophyOutlined /> },
  { path: '/activities', label: 'nav.activities', icon: <ScheduleOutlined /> },
  { path: '/tasks', label: 'nav.tasks', icon: <CheckSquareOutlined />, capability: 'tasks.read' },
  { path: '/calendar', label: 'nav.calendar', icon: <CalendarOutlined />, capability: 'tasks.read' },
  { path: '/weekly-review', label: 'nav.rhythm', icon: <FieldTimeOutlined />, capability: 'opportunities.read' },
  { path: '/weekly-reports', label: 'nav.weekly', icon: <FormOutlined />, capability: 'tasks.read' },
  { path: '/rhythm/callbacks', label: 'nav.callbacks', icon: <PhoneOutlined />, capability: 'callbacks.read' },
  { path: '/funnel', label: 'nav.funnel', icon: <FunnelPlotOutlined /> },
  { path: '/reports', label: 'nav.reports', icon: <BarChartOutlined /> },
  { path: '/settings', label: 'nav.settings', icon: <SettingOutlined /> },
];

/** The nav entry a URL belongs to ("/settings/users" → "/settings"). */
export function activeNavPath(pathname: string): string {
  const match = NAV_ITEMS.filter((i) => i.path !== '/' && (pathname === i.path || pathname.startsWith(`${i.path}/`)));
  return match[0]?.path ?? (pathname === '/' ? '/' : '');
}
