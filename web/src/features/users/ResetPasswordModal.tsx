import { App, Form, Input, Modal, Typography } from 'antd';
import type { User } from '../../api/types.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useResetPassword } from './api.ts';

export function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const [form] = Form.useForm<{ password: string }>();
  const reset = useResetPassword();

  return (
    <Modal
      open
      title={`${t('users.resetPassword')} · ${user.name}`}
      okText={t('users.resetPassword')}
      cancelText={t('common.cancel')}
      confirmLoading={reset.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">{t('users.resetHint', { name: user.name })}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={({ password }) =>
          reset.mutate(
            { user, password },
            {
              onSuccess: () => {
                message.success(t('users.passwordReset'));
                onClose();
              },
              onError: (e) => report(e, form),
            },
          )
        }
      >
        <Form.Item
          name="password"
          label={t('users.form.newPassword')}
          extra={t('users.form.passwordHint')}
          rules={[
            { required: true, message: t('validation.required') },
            { min: 8, message: t('validation.passwordLength') },
          ]}
        >
          <Input.Password autoComplete="new-password" autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
