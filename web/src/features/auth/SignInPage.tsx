import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { problemMessage } from '../../api/problems.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import { FullPageSpinner } from '../../components/FullPageSpinner.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { sessionQueries, useMe, useSignIn } from './session.ts';

interface Credentials {
  email: string;
  password: string;
}

export function SignInPage() {
  const i18n = useI18n();
  const { t: translate } = i18n;
  const navigate = useNavigate();
  const location = useLocation();
  const me = useMe();
  const setup = useQuery(sessionQueries.setup());
  const signIn = useSignIn();
  const [error, setError] = useState<string | null>(null);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  if (me.isPending || setup.isPending) return <FullPageSpinner />;
  if (me.data) return <Navigate to={from} replace />;
  if (setup.data?.needed) return <Navigate to="/setup" replace />;

  function submit(values: Credentials) {
    setError(null);
    signIn.mutate(values, {
      onSuccess: () => navigate(from, { replace: true }),
      onError: (err) =>
        setError(isApiError(err) && err.status === 401 ? translate('signIn.failed') : problemMessage(err, i18n)),
    });
  }

  return (
    <AuthLayout title={translate('signIn.title')} subtitle={translate('signIn.subtitle')}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 20 }} data-testid="sign-in-error" />}
      <Form<Credentials>
        layout="vertical"
        size="large"
        onFinish={submit}
        requiredMark={false}
        onValuesChange={() => setError(null)}
      >
        <Form.Item
          name="email"
          label={translate('signIn.email')}
          rules={[{ required: true, whitespace: true, message: translate('signIn.emailRequired') }]}
        >
          <Input prefix={<MailOutlined />} autoComplete="username" inputMode="email" autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label={translate('signIn.password')}
          rules={[{ required: true, message: translate('signIn.passwordRequired') }]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={signIn.isPending} style={{ marginTop: 8 }}>
          {translate('signIn.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
