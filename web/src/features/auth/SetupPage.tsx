import { Button, Form, Input } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Navigate, useNavigate } from 'react-router';
import { useProblem } from '../../api/useProblem.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import { FullPageSpinner } from '../../components/FullPageSpinner.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { NewPasswordFields } from './PasswordFields.tsx';
import { sessionQueries, useSetup, type SetupBody } from './session.ts';

/** First run on an empty installation: create the company and its first administrator. */
export function SetupPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const setup = useQuery(sessionQueries.setup());
  const create = useSetup();
  const report = useProblem();
  const [form] = Form.useForm<Omit<SetupBody, 'locale'> & { confirmPassword: string }>();

  if (setup.isPending) return <FullPageSpinner />;
  if (!setup.data?.needed && !create.isSuccess) return <Navigate to="/sign-in" replace />;

  return (
    <AuthLayout title={t('setup.title')} subtitle={t('setup.subtitle')}>
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) =>
          create.mutate(
            {
              workspaceName: values.workspaceName,
              adminName: values.adminName,
              adminEmail: values.adminEmail,
              adminPassword: values.adminPassword,
              locale,
            },
            { onSuccess: () => navigate('/', { replace: true }), onError: (e) => report(e, form) },
          )
        }
      >
        <Form.Item
          name="workspaceName"
          label={t('setup.workspaceName')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}
        >
          <Input placeholder={t('setup.workspaceNamePlaceholder')} autoFocus />
        </Form.Item>
        <Form.Item
          name="adminName"
          label={t('setup.adminName')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}
        >
          <Input autoComplete="name" />
        </Form.Item>
        <Form.Item
          name="adminEmail"
          label={t('setup.adminEmail')}
          rules={[
            { required: true, message: t('validation.required') },
            { type: 'email', message: t('validation.email') },
          ]}
        >
          <Input autoComplete="username" inputMode="email" />
        </Form.Item>
        {/* Nobody else knows this password yet: a typo here locks the only administrator out. */}
        <NewPasswordFields
          name="adminPassword"
          confirmName="confirmPassword"
          label={t('setup.adminPassword')}
          confirmLabel={t('setup.confirmPassword')}
        />
        <Button type="primary" htmlType="submit" block size="large" loading={create.isPending}>
          {t('setup.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
