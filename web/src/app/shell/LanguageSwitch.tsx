import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { sessionKeys } from '../../api/keys.ts';
import type { Me } from '../../api/types.ts';
import { useUpdateMe } from '../../features/auth/session.ts';
import { chooseBeforeSignIn, LOCALES, type Locale } from '../../i18n/locale.ts';
import { useI18n } from '../../i18n/useI18n.ts';

/**
 * Switches the interface language at once; it is remembered in this browser and, when
 * someone is signed in, in their profile so it follows them to other devices.
 */
export function LanguageSwitch({ light }: { light?: boolean }) {
  const { locale, setLocale, t } = useI18n();
  const qc = useQueryClient();
  const updateMe = useUpdateMe();

  function choose(next: Locale) {
    if (next === locale) return;
    setLocale(next);
    const me = qc.getQueryData<Me | null>(sessionKeys.me());
    // Until an administrator-set password is changed the profile cannot be saved: this browser remembers.
    if (me && !me.user.mustChangePassword) updateMe.mutate({ locale: next });
    else if (!me) chooseBeforeSignIn(next);
  }

  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [locale],
        items: LOCALES.map((l) => ({ key: l, label: t(`lang.${l}`) })),
        onClick: ({ key }) => choose(key as Locale),
      }}
    >
      <Button
        type="text"
        icon={<GlobalOutlined />}
        aria-label={t('lang.label')}
        data-testid="language-switch"
        style={light ? { color: '#fff' } : undefined}
      >
        {t(`lang.${locale}`)}
      </Button>
    </Dropdown>
  );
}
