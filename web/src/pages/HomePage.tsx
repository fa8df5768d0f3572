import { lazy, Suspense, type ReactNode } from 'react';
import { Card, Col, Flex, List, Row, Skeleton, Statistic, Tag, Tooltip, Typography } from 'antd';
import { ApartmentOutlined, RightOutlined, SettingOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useCan, useSession } from '../features/auth/session.ts';
import type { Capability } from '../../../src/contracts/capabilities.ts';
import { useTeamSize } from '../features/home/api.ts';
import { Desk } from '../features/home/Desk.tsx';
import { useOrgUnits } from '../features/org/api.ts';
import { useDates } from '../i18n/useDates.ts';
import { useT } from '../i18n/useI18n.ts';
import type { MessageKey } from '../i18n/zh-CN.ts';
import { RoleTag } from '../components/RoleTag.tsx';
import { AREA_ICONS, areaText, AVAILABLE_AREAS, COMING_AREAS } from './areas.tsx';

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

/** The welcome dashboard: who I am, my desk (what needs doing now), the people picture, the areas. */
export default function HomePage() {
  const t = useT();
  const navigate = useNavigate();
  const { user, reach } = useSession();
  const dates = useDates();
  const can = useCan();
  const seesCompany = reach === 'workspace';
  // The sales roles work accounts and opportunities; auditors and finance have neither (docs/organisation.md).
  const sells = can('opportunities.read');
  const teamSize = useTeamSize(user.orgUnitId);
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
    { key: 'home.quick.account', path: '/account', icon: <UserOutlined /> },
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
          {t(sells && !can('workspace.administer') ? 'home.intro' : 'home.introAdmin')}
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
          <Col xs={12} md={6}>
            <Statistic
              title={t('home.stat.team')}
              value={teamSize.data ?? '—'}
              loading={teamSize.isPending}
              styles={{ content: { fontSize: 18 } }}
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('home.stat.units')}
              value={units.data?.length ?? '—'}
              loading={units.isPending}
              styles={{ content: { fontSize: 18 } }}
            />
          </Col>
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

      {sells && <Desk />}

      <Row gutter={[20, 20]}>
        {seesCompany && (
          <Col xs={24} lg={14}>
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
      </Row>

      <div>
        <Typography.Title level={4} style={{ marginBottom: 4 }}>
          {t('home.coming.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('home.coming.subtitle')}</Typography.Paragraph>
        <Row gutter={[16, 16]}>
          {COMING_AREAS.map((area) => {
            const text = areaText(area);
            return (
              <Col xs={24} sm={12} xl={8} key={area}>
                <Card hoverable onClick={() => navigate(`/${area}`)} style={{ height: '100%' }}>
                  <Flex gap={12} align="center" style={{ marginBottom: 8 }}>
                    <span
                      style={{
                        fontSize: 20,
                        color: '#1d4ed8',
                        background: '#eff6ff',
                        borderRadius: 10,
                        width: 40,
                        height: 40,
                        display: 'grid',
                        placeItems: 'center',
                      }}
                    >
                      {AREA_ICONS[area]}
                    </span>
                    <Typography.Text strong style={{ fontSize: 16 }}>
                      {t(text.title)}
                    </Typography.Text>
                    {AVAILABLE_AREAS.includes(area) ? (
                      <Tag color="green" style={{ marginInlineStart: 'auto' }}>
                        {t('common.available')}
                      </Tag>
                    ) : (
                      <Tag color="blue" style={{ marginInlineStart: 'auto' }}>
                        {t('common.comingSoon')}
                      </Tag>
                    )}
                  </Flex>
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                    {t(text.summary)}
                  </Typography.Paragraph>
                </Card>
              </Col>
            );
          })}
        </Row>
      </div>
    </Flex>
  );
}
