import { Suspense } from 'react';
import { Tabs } from 'antd';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import type { Capability } from '../../../src/contracts/capabilities.ts';
import { useCan } from '../features/auth/session.ts';
import { useT } from '../i18n/useI18n.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { FullPageSpinner } from '../components/FullPageSpinner.tsx';

/** The reports of docs/targets.md, one tab each; the calculators read no data, so everyone has them. */
const TABS: { key: string; label: MessageKey; needs?: Capability }[] = [
  { key: 'forecast', label: 'reports.tab.forecast', needs: 'forecasts.read' },
  { key: 'gap', label: 'reports.tab.gap', needs: 'forecasts.read' },
  { key: 'analyses', label: 'reports.tab.analyses', needs: 'forecasts.read' },
  { key: 'calculators', label: 'reports.tab.calculators' },
];

export default function ReportsPage() {
  const t = useT();
  const navigate = useNavigate();
  const can = useCan();
  const { pathname } = useLocation();
  const tabs = TABS.filter((tab) => !tab.needs || can(tab.needs));
  const active = pathname.split('/')[2] ?? tabs[0]!.key;
  if (!tabs.some((tab) => tab.key === active)) return <Navigate to={`/reports/${tabs[0]!.key}`} replace />;

  return (
    <>
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`/reports/${key}`)}
        items={tabs.map((tab) => ({ key: tab.key, label: t(tab.label) }))}
      />
      <Suspense fallback={<FullPageSpinner />}>
        <Outlet />
      </Suspense>
    </>
  );
}
