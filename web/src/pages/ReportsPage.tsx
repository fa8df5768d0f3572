import { Suspense } from 'react';
import { Tabs } from 'antd';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useT } from '../i18n/useI18n.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { FullPageSpinner } from '../components/FullPageSpinner.tsx';

/** The reports of docs/targets.md, one tab each; the calculators read no data, so everyone has them. */
const TABS: { key: string; label: MessageKey }[] = [
  { key: 'calculators', label: 'reports.tab.calculators' },
];

export default function ReportsPage() {
  const t = useT();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const active = pathname.split('/')[2] ?? TABS[0]!.key;
  if (!TABS.some((tab) => tab.key === active)) return <Navigate to="/reports" replace />;

  return (
    <>
      <Tabs activeKey={active} onChange={(key) => navigate(`/reports/${key}`)} items={TABS.map((tab) => ({ key: tab.key, label: t(tab.label) }))} />
      <Suspense fallback={<FullPageSpinner />}>
        <Outlet />
      </Suspense>
    </>
  );
}
