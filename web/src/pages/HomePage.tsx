import { lazy, Suspense, type ReactNode } from 'react';
import { Card, Col, Flex, List, Row, Skeleton, Statistic, Tooltip, Typography } from 'antd';
import { ApartmentOutlined, RightOutlined, SettingOutlined, TeamOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useCan, useSession } from '../features/auth/session.ts';
import type { Capability } from '../../../src/contracts/capabilities.ts';
import { useTeamSize } from '../features/home/api.ts';
import { Desk } from '../features/home/Desk.tsx';
import { AuditorCards } from '../features/home/AuditorCards.tsx';
import { ManagerCards } from '../features/home/ManagerCards.tsx';
import { RepCards } from '../features/home/RepCards.tsx';
import { useOrgUnits } from '../features/org/api.ts';
import { useDates } from '../i18n/useDates.ts';
import { useT } from '../i18n/useI18n.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { RoleTag } from '../components/RoleTag.tsx';

// ECharts is the biggest dependency and only admins and executives see the chart.
const PeopleChart = lazy(() => import('../features/home/PeopleChart.tsx'));
// The director's dashboard carries charts' worth of queries: only executives and managers load it.
const DirectorDashboard = lazy(() =>
  import('../features/forecast/DirectorDashboard.tsx').then((m) => ({ default: m.DirectorDashboard })),
);

function greetingKey(hour: number): MessageKey {
  if (hour < 12) return 'home.greeting.morning';
  if (hour < 18) return 'home.greeting.afternoon';
  return 'home.greeting.evening';
}

/**
 * Each role's home page, the one worth opening every morning (issue 11): a rep's day, week, quarter
 * and desk; a manager's team quarter (the director's dashboard), reviews, missing reports, callbacks,
 * compliance and the team's desk; an executive's or admin's director's dashboard (an admin's settings
 * and people too); an auditor's callbacks to make.
 */
export default function HomePage() {
  const t = useT();
  const navigate = useNavigate();
  const { user, reach } = useSession();
  const dates = useDates();
  const can = useCan();
  const seesCompany = reach === 'workspace';
  const administers = can('workspace.administer') || can('org.administer') || can('users.administer');
  // Those who own accounts and deals get the desk: reps, managers, presales (docs/organisation.md).
  const works = can('opportunities.write') && user.role !== 'admin';
  const rep = user.role === 'rep';
  const manager = user.role === 'manager';
  const auditor = user.role === 'auditor';
  // The head counts mean something to whoever runs the company or the org tree, not to a rep.
  const teamSize = useTeamSize(user.orgUnitId, seesCompany);
  const units = useOrgUnits(false);

  const quick: { key: MessageKey; path: string; icon: ReactNode; needs?: Capability }[] = [
    { key: 'home.quick.org', path: '/settings/org', icon: <ApartmentOutlined />, needs: 'org.administer' },
    { key: 'home.quick.users', path: '/settings/users', icon: <TeamOutlined />, needs: 'users.administer' },
    {
      key: 'home.quick.workspace',
      path: '/settings/workspace',
      icon: <SettingOutlined />,
      needs: 'workspace.administer',
    },
  ];

  return (
    <Flex vertical gap={20}>
      <Card
        styles={{ body: { padding: 24 } }}
        style={{ background: 'linear-gradient(120deg, #eff6ff 0%, #ffffff 60%)' }}
      >
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="home-greeting">
          {t(greetingKey(dates.hourNow()), { name: user.name })}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ maxWidth: 720 }}>
          {t(
            administers
              ? 'home.introAdmin'
              : manager
                ? 'home.introManager'
                : works
                  ? 'home.intro'
                  : auditor
                    ? 'home.introAuditor'
                    : 'home.introReader',
          )}
        </Typography.Paragraph>
        <Row gutter={[16, 16]} style={{ marginTop: 8 }}>
          <Col xs={12} md={6}>
            <Tooltip title={user.orgUnitPath.join(' / ')}>
              <div>
                <Statistic
                  title={t('home.stat.unit')}
                  value={user.orgUnitLabel}
                  styles={{ content: { fontSize: 18 } }}
                  data-testid="home-unit"
                />
              </div>
            </Tooltip>
          </Col>
          <Col xs={12} md={6}>
            <Typography.Text type="secondary">{t('home.stat.role')}</Typography.Text>
            <div style={{ marginTop: 6 }}>
              <RoleTag role={user.role} />
            </div>
          </Col>
          {seesCompany && (
            <Col xs={12} md={6}>
              <Statistic
                title={t('home.stat.team')}
                value={teamSize.data ?? '—'}
                loading={teamSize.isPending}
                styles={{ content: { fontSize: 18 } }}
              />
            </Col>
          )}
          {seesCompany && (
            <Col xs={12} md={6}>
              <Statistic
                title={t('home.stat.units')}
                value={units.data?.length ?? '—'}
                loading={units.isPending}
                styles={{ content: { fontSize: 18 } }}
              />
            </Col>
          )}
        </Row>
      </Card>

      {reach !== 'unit' && can('forecasts.read') && (
        <Suspense
          fallback={
            <Card>
              <Skeleton active paragraph={{ rows: 4 }} />
            </Card>
          }
        >
          <DirectorDashboard />
        </Suspense>
      )}

      {rep && <RepCards />}
      {manager && <ManagerCards />}
      {auditor && <AuditorCards />}
      {works && <Desk />}

      {(seesCompany || administers) && (
        <Row gutter={[20, 20]}>
          {seesCompany && (
            <Col xs={24} lg={administers ? 14 : 24}>
              <Suspense
                fallback={
                  <Card>
                    <Skeleton active paragraph={{ rows: 6 }} />
                  </Card>
                }
              >
                <PeopleChart />
              </Suspense>
            </Col>
          )}
          {administers && (
            <Col xs={24} lg={seesCompany ? 10 : 24}>
              <Card title={t('home.quick.title')} style={{ height: '100%' }}>
                <List
                  dataSource={quick.filter((q) => !q.needs || can(q.needs))}
                  renderItem={(shortcut) => (
                    <List.Item
                      style={{ cursor: 'pointer' }}
                      onClick={() => navigate(shortcut.path)}
                      extra={<RightOutlined style={{ color: '#94a3b8' }} />}
                    >
                      <Flex gap={12} align="center">
                        <span style={{ color: '#1d4ed8', fontSize: 18 }}>{shortcut.icon}</span>
                        {t(shortcut.key)}
                      </Flex>
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
          )}
        </Row>
      )}
    </Flex>
  );
}
