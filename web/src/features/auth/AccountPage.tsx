import { App, Button, Card, Col, Descriptions, Form, Input, Row, Typography } from 'antd';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleTag } from '../../components/RoleTag.tsx';
import { NewPasswordFields } from './PasswordFields.tsx';
import { FeedCard } from '../calendar/FeedCard.tsx';
import { useCan, useChangePassword, useSession, useUpdateMe } from './session.ts';

interface ProfileValues {
  name: string;
  phone?: string;
}

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export default function AccountPage() {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const { user } = useSession();
  const updateMe = useUpdateMe();
  const changePassword = useChangePassword();
  const can = useCan();
  const [profileForm] = Form.useForm<ProfileValues>();
  const [passwordForm] = Form.useForm<PasswordValues>();

  return (
    <>
      <PageHeader title={t('account.title')} />
      <Row gutter={[20, 20]}>
        <Col xs={24} lg={12}>
          <Card title={t('account.profile')}>
            <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('account.email')}>{user.email}</Descriptions.Item>
              <Descriptions.Item label={t('account.role')}>
                <RoleTag role={user.role} />
              </Descriptions.Item>
              <Descriptions.Item label={t('account.unit')}>{user.orgUnitPath.join(' / ')}</Descriptions.Item>
            </Descriptions>
            <Form
              form={profileForm}
              layout="vertical"
              initialValues={{ name: user.name, phone: user.phone ?? '' }}
              onFinish={(values) =>
                updateMe.mutate(
                  { name: values.name, phone: values.phone?.trim() ? values.phone.trim() : null },
                  {
                    onSuccess: () => message.success(t('account.profileSaved')),
                    onError: (e) => report(e, profileForm),
                  },
                )
              }
            >
              <Form.Item
                name="name"
                label={t('account.name')}
                rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}
              >
                <Input autoComplete="name" />
              </Form.Item>
              <Form.Item name="phone" label={t('account.phone')} rules={[{ max: 40 }]}>
                <Input autoComplete="tel" inputMode="tel" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={updateMe.isPending}>
                {t('common.save')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('account.password')}>
            <Typography.Paragraph type="secondary">{t('account.passwordHint')}</Typography.Paragraph>
            <Form
              form={passwordForm}
              layout="vertical"
              onFinish={(values) =>
                changePassword.mutate(
                  { currentPassword: values.currentPassword, newPassword: values.newPassword },
                  {
                    onSuccess: () => {
                      passwordForm.resetFields();
                      message.success(t('account.passwordChanged'));
                    },
                    onError: (e) => report(e, passwordForm),
                  },
                )
              }
            >
              <Form.Item
                name="currentPassword"
                label={t('account.currentPassword')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input.Password autoComplete="current-password" />
              </Form.Item>
              <NewPasswordFields
                name="newPassword"
                confirmName="confirm"
                label={t('account.newPassword')}
                confirmLabel={t('account.confirmPassword')}
              />
              <Button type="primary" htmlType="submit" loading={changePassword.isPending}>
                {t('account.changePassword')}
              </Button>
            </Form>
          </Card>
        </Col>
        {can('tasks.read') && (
          <Col xs={24} lg={12}>
            <FeedCard />
          </Col>
        )}
      </Row>
    </>
  );
}
