import { Menu } from 'antd';
import { useLocation, useNavigate } from 'react-router';
import { useT } from '../../i18n/useI18n.ts';
import { activeNavPath, NAV_ITEMS } from './navItems.tsx';
import { Brand } from '../../components/Brand.tsx';
import { useCan } from '../../features/auth/session.ts';

export function SideNav({ collapsed, onNavigate }: { collapsed: boolean; onNavigate?: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const can = useCan();
  return (
    <nav aria-label={t('nav.main')}>
      <div style={{ height: 56, display: 'flex', alignItems: 'center', padding: collapsed ? '0 20px' : '0 20px' }}>
        <Brand dark compact={collapsed} />
      </div>
      <Menu
        theme="dark"
        mode="inline"
        selectedKeys={[activeNavPath(pathname)]}
        items={NAV_ITEMS.filter((item) => !item.capability || can(item.capability)).map((item) => ({
          key: item.path,
          icon: item.icon,
          label: t(item.label),
        }))}
        onClick={({ key }) => {
          navigate(key);
          onNavigate?.();
        }}
        style={{ borderInlineEnd: 'none' }}
      />
    </nav>
  );
}
