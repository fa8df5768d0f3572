import { lazy } from 'react';
import { createBrowserRouter, Navigate, useLocation } from 'react-router';
import { SessionGate } from './SessionGate.tsx';
import { AppShell } from './shell/AppShell.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { SetupPage } from '../features/auth/SetupPage.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';

// Pages with heavy dependencies (charts, tables, trees) load on first visit.
const HomePage = lazy(() => import('../pages/HomePage.tsx'));
const SettingsPage = lazy(() => import('../pages/SettingsPage.tsx'));
const OrgTreePanel = lazy(() => import('../features/org/OrgTreePanel.tsx'));
const UsersPanel = lazy(() => import('../features/users/UsersPanel.tsx'));
const WorkspacePanel = lazy(() => import('../features/workspace/WorkspacePanel.tsx'));
const AuditLogPanel = lazy(() => import('../features/audit/AuditLogPanel.tsx'));
const TerritoriesPanel = lazy(() => import('../features/territories/TerritoriesPanel.tsx'));
const RulesPanel = lazy(() => import('../features/territories/RulesPanel.tsx'));
const ProcessesPanel = lazy(() => import('../features/processes/ProcessesPanel.tsx'));
const AccountPage = lazy(() => import('../features/auth/AccountPage.tsx'));
const AccountsPage = lazy(() => import('../features/accounts/AccountsPage.tsx'));
const ContactsPage = lazy(() => import('../features/contacts/ContactsPage.tsx'));
const AccountDetailPage = lazy(() => import('../features/accounts/AccountDetailPage.tsx'));
const PoolPage = lazy(() => import('../features/handover/PoolPage.tsx'));
const HandoverWizard = lazy(() => import('../features/handover/HandoverWizard.tsx'));
const HandoversListPage = lazy(() =>
  import('../features/handover/HandoverPages.tsx').then((m) => ({ default: m.HandoversListPage })),
);
const StartHandoverPage = lazy(() =>
  import('../features/handover/HandoverPages.tsx').then((m) => ({ default: m.StartHandoverPage })),
);
const ImportPage = lazy(() => import('../features/imports/ImportPage.tsx'));
const OpportunityBoardPage = lazy(() => import('../features/opportunities/BoardPage.tsx'));
const OpportunityListPage = lazy(() => import('../features/opportunities/ListPage.tsx'));
const OpportunityPage = lazy(() => import('../features/opportunities/OpportunityPage.tsx'));
const ReportsPage = lazy(() => import('../pages/ReportsPage.tsx'));
const FunnelPage = lazy(() => import('../features/funnel/FunnelPage.tsx'));
const QuotasPage = lazy(() => import('../features/quotas/QuotasPage.tsx'));
const CalculatorsPage = lazy(() => import('../features/planning/CalculatorsPage.tsx'));
const ActivitiesPage = lazy(() => import('../features/activities/ActivitiesPage.tsx'));
const ForecastPage = lazy(() => import('../features/forecast/ForecastPage.tsx'));
const GapPage = lazy(() => import('../features/forecast/GapPage.tsx'));
const AnalysesPage = lazy(() => import('../features/forecast/AnalysesPage.tsx'));
const CalendarPage = lazy(() => import('../features/calendar/CalendarPage.tsx'));
const TasksPage = lazy(() => import('../features/rhythm/TasksPage.tsx'));
const WeeklyReviewPage = lazy(() => import('../features/rhythm/WeeklyReviewPage.tsx'));
const WeeklyReportsPage = lazy(() => import('../features/rhythm/WeeklyReportsPage.tsx'));
const CallbacksPage = lazy(() => import('../features/callbacks/CallbacksPage.tsx'));

/**
 * /opportunities opens the board, but a link with filters (the desk's "view all", a bookmark)
 * means the list, which honours every filter: the query is kept, never dropped by the redirect.
 */
function OpportunitiesIndex() {
  const { search } = useLocation();
  return <Navigate to={{ pathname: search ? 'list' : 'board', search }} replace />;
}

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/setup', element: <SetupPage /> },
  {
    element: <SessionGate />,
    children: [
      {
        element: <AppShell />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'accounts', element: <AccountsPage /> },
          { path: 'accounts/import', element: <ImportPage /> },
          { path: 'accounts/pool', element: <PoolPage /> },
          { path: 'handovers', element: <HandoversListPage /> },
          { path: 'handovers/:id', element: <HandoverWizard /> },
          { path: 'settings/users/:id/handover', element: <StartHandoverPage /> },
          { path: 'accounts/:id', element: <AccountDetailPage /> },
          { path: 'contacts', element: <ContactsPage /> },
          { path: 'opportunities', element: <OpportunitiesIndex /> },
          { path: 'opportunities/board', element: <OpportunityBoardPage /> },
          { path: 'opportunities/list', element: <OpportunityListPage /> },
          { path: 'opportunities/:id', element: <OpportunityPage /> },
          { path: 'activities', element: <ActivitiesPage /> },
          { path: 'tasks', element: <TasksPage /> },
          { path: 'calendar', element: <CalendarPage /> },
          { path: 'weekly-review', element: <WeeklyReviewPage /> },
          { path: 'weekly-reports', element: <WeeklyReportsPage /> },
          { path: 'rhythm/callbacks', element: <CallbacksPage /> },
          { path: 'funnel', element: <FunnelPage /> },
          { path: 'funnel/quotas', element: <QuotasPage /> },
          {
            path: 'reports',
            element: <ReportsPage />,
            children: [
              { index: true, element: <Navigate to="forecast" replace /> },
              { path: 'forecast', element: <ForecastPage /> },
              { path: 'gap', element: <GapPage /> },
              { path: 'analyses', element: <AnalysesPage /> },
              { path: 'calculators', element: <CalculatorsPage /> },
            ],
          },
          {
            path: 'settings',
            element: <SettingsPage />,
            children: [
              { index: true, element: <Navigate to="org" replace /> },
              { path: 'org', element: <OrgTreePanel /> },
              { path: 'users', element: <UsersPanel /> },
              { path: 'workspace', element: <WorkspacePanel /> },
              { path: 'audit', element: <AuditLogPanel /> },
              { path: 'territories', element: <TerritoriesPanel /> },
              { path: 'rules', element: <RulesPanel /> },
              { path: 'processes', element: <ProcessesPanel /> },
            ],
          },
          { path: 'account', element: <AccountPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
