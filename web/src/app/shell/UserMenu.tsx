import { Avatar, Dropdown, Flex, Grid, Typography } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useSession, useSignOut } from '../../features/auth/session.ts';
import { useT } from '../../i18n/useI18n.ts';

export function UserMenu() {
  const t = useT();
  const navigate = useNavigate();
  const { user } = useSession();
  const signOut = useSignOut();
  const screens = Grid.useBreakpoint();

  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          // On a phone the header has room for the avatar only: the menu says who is signed in.
          ...(screens.sm
            ? []
            : [
                {
                  key: 'who',
                  disabled: true,
                  style: { cursor: 'default' },
                  label: (
                    <Flex vertical style={{ lineHeight: 1.35, padding: '2px 0' }} data-testid="user-menu-who">
                      <Typography.Text strong>{user.name}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t(`role.${user.role}`)} · {user.orgUnitLabel}
                      </Typography.Text>
                    </Flex>
                  ),
                },
                { type: 'divider' as const },
              ]),
          { key: 'account', icon: <UserOutlined />, label: t('userMenu.account') },
          { type: 'divider' },
          { key: 'sign-out', icon: <LogoutOutlined />, label: t('userMenu.signOut'), danger: true },
        ],
        onClick: ({ key }) => {
          if (key === 'account') navigate('/account');
          if (key === 'sign-out')
            signOut.mutate(undefined, { onSettled: () => navigate('/sign-in', { replace: true }) });
        },
      }}
    >
      <Flex
        align="center"
        gap={10}
        style={{ cursor: 'pointer', padding: '0 4px' }}
        data-testid="user-menu"
        role="button"
        tabIndex={0}
      >
        <Avatar style={{ background: '#dbeafe', color: '#1d4ed8', flex: 'none' }}>{user.name.slice(0, 1)}</Avatar>
        {screens.sm && (
          <Flex vertical style={{ lineHeight: 1.25 }}>
            <Typography.Text strong data-testid="user-name">
              {user.name}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="user-role">
              {t(`role.${user.role}`)}
            </Typography.Text>
          </Flex>
        )}
      </Flex>
    </Dropdown>
  );
}
