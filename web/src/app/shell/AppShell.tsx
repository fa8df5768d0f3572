import { Suspense, useState } from 'react';
import { Button, Drawer, Flex, Grid, Layout, Typography } from 'antd';
import { MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Outlet } from 'react-router';
import { useSession } from '../../features/auth/session.ts';
import { useT } from '../../i18n/useI18n.ts';
import { FullPageSpinner } from '../../components/FullPageSpinner.tsx';
import { SideNav } from './SideNav.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { UserMenu } from './UserMenu.tsx';
import { NotificationBell } from '../../features/rhythm/NotificationBell.tsx';
import { GlobalSearch } from '../../features/search/GlobalSearch.tsx';
import { useGlyphs } from './useGlyphs.ts';

const COLLAPSED_KEY = 'keyline.nav.collapsed';

/**
 * The signed-in frame: navigation on the left (a drawer on phones, since reps use it on
 * the road), a header with workspace, language and user, and the page in the middle.
 */
export function AppShell() {
  const t = useT();
  const { workspace, user } = useSession();
  // The header's names and language labels are first laid out once the CJK font has their glyphs.
  const glyphs = useGlyphs([workspace.name, user.name, t('lang.zh-CN'), t('lang.en-US')].join(''));
  const screens = Grid.useBreakpoint();
  const mobile = !screens.md;
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem(COLLAPSED_KEY) === '1');
  const [drawerOpen, setDrawerOpen] = useState(false);

  function toggleCollapsed() {
    setCollapsed((wasCollapsed) => {
      localStorage.setItem(COLLAPSED_KEY, wasCollapsed ? '0' : '1');
      return !wasCollapsed;
    });
  }

  return (
    <Layout hasSider style={{ minHeight: '100vh' }}>
      {!mobile && (
        // The dark column stretches with the page; the nav inside stays in view while the page scrolls.
        <div style={{ background: '#0f172a', flex: 'none' }}>
          <Layout.Sider
            width={224}
            collapsedWidth={72}
            collapsed={collapsed}
            trigger={null}
            style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
          >
            <SideNav collapsed={collapsed} />
          </Layout.Sider>
        </div>
      )}
      {mobile && (
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          size={240}
          closable={false}
          styles={{ body: { padding: 0, background: '#0f172a' } }}
        >
          <SideNav collapsed={false} onNavigate={() => setDrawerOpen(false)} />
        </Drawer>
      )}
      <Layout>
        <Layout.Header
          style={{
            position: 'sticky',
            top: 0,
            zIndex: 10,
            borderBottom: '1px solid #e5e7eb',
            display: 'flex',
            alignItems: 'center',
            gap: 8,
          }}
        >
          <Button
            type="text"
            aria-label={mobile ? t('nav.openMenu') : collapsed ? t('nav.expand') : t('nav.collapse')}
            icon={mobile ? <MenuOutlined /> : collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={mobile ? () => setDrawerOpen(true) : toggleCollapsed}
          />
          <Typography.Text strong ellipsis style={{ fontSize: 15, minWidth: 0 }} data-testid="workspace-name">
            {glyphs ? workspace.name : ''}
          </Typography.Text>
          <GlobalSearch />
          <Flex align="center" gap={8} style={{ flex: 'none' }}>
            {glyphs && <LanguageSwitch />}
            <NotificationBell />
            {glyphs && <UserMenu />}
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: mobile ? 12 : 24, minWidth: 0 }}>
          <div style={{ maxWidth: 1280, margin: '0 auto' }}>
            <Suspense fallback={<FullPageSpinner />}>
              <Outlet />
            </Suspense>
          </div>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
