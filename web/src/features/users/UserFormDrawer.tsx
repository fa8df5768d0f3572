import { App, Button, Drawer, Flex, Form, Input, Select, Switch, Grid } from 'antd';
import { ROLES, type Role, type User } from '../../api/types.ts';
import { useProblem } from '../../api/useProblem.ts';
import { LOCALES, type Locale } from '../../i18n/locale.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import { UnitTreeSelect } from '../org/UnitTreeSelect.tsx';
import { useCreateUser, useUpdateUser } from './api.ts';
import { defaultExportPermission } from '../../../../src/domain/policy.ts';

interface Values {
  email: string;
  name: string;
  role: Role;
  orgUnitId: number;
  password?: string;
  title?: string;
  phone?: string;
  locale?: Locale;
  canExport: boolean;
}

const blankToNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);

/** Create a user, or change one. Mounted only while open. */
export function UserFormDrawer({
  user,
  defaultUnitId,
  onClose,
}: {
  user?: User;
  defaultUnitId?: number;
  onClose: () => void;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const report = useProblem();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const create = useCreateUser();
  const update = useUpdateUser();
  const editing = user !== undefined;

  const initial: Partial<Values> = user
    ? {
        email: user.email,
        name: user.name,
        role: user.role,
        orgUnitId: user.orgUnitId,
        title: user.title ?? '',
        phone: user.phone ?? '',
        canExport: user.canExport,
      }
    : { role: 'rep', orgUnitId: defaultUnitId, locale, canExport: false };

  function submit(values: Values) {
    const common = {
      email: values.email.trim(),
      name: values.name.trim(),
      role: values.role,
      orgUnitId: values.orgUnitId,
      title: blankToNull(values.title),
      phone: blankToNull(values.phone),
      canExport: values.canExport,
    };
    if (user) {
      // Send only what changed, so the audit log records real changes only.
      const changes = Object.fromEntries(
        Object.entries(common).filter(([k, val]) => user[k as keyof typeof common] !== val),
      );
      update.mutate(
        { id: user.id, version: user.version, ...changes },
        {
          onSuccess: () => {
            message.success(t('users.updated'));
            onClose();
          },
          onError: (e) => report(e, form),
        },
      );
    } else {
      create.mutate(
        { ...common, password: values.password ?? '', locale: values.locale },
        {
          onSuccess: () => {
            message.success(t('users.created'));
            onClose();
          },
          onError: (e) => report(e, form),
        },
      );
    }
  }

  const required = { required: true, message: t('validation.required') };

  return (
    <Drawer
      open
      title={editing ? t('users.edit') : t('users.create')}
      size={screens.sm ? 480 : '100%'}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={create.isPending || update.isPending}
            onClick={() => form.submit()}
            data-testid="user-form-submit"
          >
            {editing ? t('common.save') : t('common.create')}
          </Button>
        </Flex>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        onValuesChange={(changed: Partial<Values>) => {
          // A new role brings its default grant, on the server too (src/domain/policy.ts); the box shows it and may be changed.
          if (changed.role) form.setFieldValue('canExport', defaultExportPermission(changed.role));
        }}
      >
        <Form.Item name="name" label={t('users.form.name')} rules={[{ ...required, whitespace: true }, { max: 100 }]}>
          <Input autoFocus />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('users.form.email')}
          rules={[required, { type: 'email', message: t('validation.email') }]}
        >
          <Input inputMode="email" autoComplete="off" />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="role" label={t('users.form.role')} rules={[required]} style={{ flex: '1 1 180px' }}>
            <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
          </Form.Item>
          <Form.Item name="orgUnitId" label={t('users.form.unit')} rules={[required]} style={{ flex: '1 1 180px' }}>
            <UnitTreeSelect placeholder={t('users.form.unit')} />
          </Form.Item>
        </Flex>
        {!editing && (
          <Form.Item
            name="password"
            label={t('users.form.password')}
            extra={t('users.form.passwordHint')}
            rules={[required, { min: 8, message: t('validation.passwordLength') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Flex gap={12} wrap>
          <Form.Item name="title" label={t('users.form.title')} rules={[{ max: 100 }]} style={{ flex: '1 1 180px' }}>
            <Input />
          </Form.Item>
          <Form.Item name="phone" label={t('users.form.phone')} rules={[{ max: 40 }]} style={{ flex: '1 1 180px' }}>
            <Input inputMode="tel" />
          </Form.Item>
        </Flex>
        {!editing && (
          <Form.Item name="locale" label={t('users.form.locale')}>
            <Select options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))} />
          </Form.Item>
        )}
        <Form.Item
          name="canExport"
          label={t('users.form.canExport')}
          extra={t('users.form.canExportHint')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
