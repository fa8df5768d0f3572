import { App, Button, Form, Input, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { sessionKeys } from '../../api/keys.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { AuthLayout } from './AuthLayout.tsx';
import { NewPasswordFields } from './PasswordFields.tsx';
import { useChangePassword, useSession, useSignOut } from './session.ts';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/**
 * Shown instead of the app while the password is one an administrator set (a new user, a
 * reset): the server answers nothing else until it is changed. Afterwards the app opens
 * where the user was going.
 */
export function PasswordChangePage() {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { user } = useSession();
  const change = useChangePassword();
  const signOut = useSignOut();
  const [form] = Form.useForm<Values>();

  return (
    <AuthLayout title={t('passwordChange.title')} subtitle={t('passwordChange.subtitle')}>
      <Typography.Paragraph strong data-testid="password-change-who">
        {t('passwordChange.who', { name: user.name, email: user.email })}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) =>
          change.mutate(
            { currentPassword: values.currentPassword, newPassword: values.newPassword },
            {
              onSuccess: async () => {
                message.success(t('account.passwordChanged'));
                await qc.invalidateQueries({ queryKey: sessionKeys.me() });
              },
              onError: (e) => report(e, form),
            },
          )
        }
      >
        {/* The email field lets a password manager file the new password under the right account. */}
        <input type="email" name="email" autoComplete="username" value={user.email} readOnly hidden />
        <Form.Item
          name="currentPassword"
          label={t('passwordChange.current')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <NewPasswordFields
          name="newPassword"
          confirmName="confirm"
          label={t('account.newPassword')}
          confirmLabel={t('account.confirmPassword')}
          differentFrom="currentPassword"
        />
        <Button
          type="primary"
          htmlType="submit"
          block
          size="large"
          loading={change.isPending}
          data-testid="password-change-submit"
        >
          {t('passwordChange.submit')}
        </Button>
        <Button
          type="link"
          block
          style={{ marginTop: 8 }}
          onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate('/sign-in', { replace: true }) })}
        >
          {t('userMenu.signOut')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
