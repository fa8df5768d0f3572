import { Suspense } from 'react';
import { Card, Tabs } from 'antd';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useCan } from '../features/auth/session.ts';
import type { Capability } from '../../../src/contracts/capabilities.ts';
import { useT } from '../i18n/useI18n.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { FullPageSpinner } from '../components/FullPageSpinner.tsx';

const TABS: { key: string; label: MessageKey; needs?: Capability }[] = [
  { key: 'org', label: 'settings.org' },
  { key: 'users', label: 'settings.users' },
  { key: 'workspace', label: 'settings.workspace' },
  { key: 'territories', label: 'territories.tab', needs: 'territories.read' },
  { key: 'rules', label: 'territories.rulesTab' },
  { key: 'processes', label: 'processes.tab' },
  { key: 'audit', label: 'settings.audit', needs: 'audit.read' },
];

export default function SettingsPage() {
  const t = useT();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const can = useCan();
  const tabs = TABS.filter((tab) => !tab.needs || can(tab.needs));
  const active = pathname.split('/')[2] ?? 'org';
  if (!tabs.some((tab) => tab.key === active)) return <Navigate to="/settings/org" replace />;

  return (
    <>
      <PageHeader title={t('settings.title')} />
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={active}
          onChange={(key) => navigate(`/settings/${key}`)}
          items={tabs.map((tab) => ({ key: tab.key, label: t(tab.label) }))}
        />
        <Suspense fallback={<FullPageSpinner />}>
          <Outlet />
        </Suspense>
      </Card>
    </>
  );
}
