import { App, Alert, Form, Input, Modal, Rate, Segmented, Select, Typography } from 'antd';
import { useT } from '../../i18n/useI18n.ts';
import { useCreateRole, usePeople, useUpdateRole } from './api.ts';
import { degreeLabel } from './bits.tsx';
import { useProblem } from '../../api/useProblem.ts';
import {
  ATTITUDES,
  BUYING_ROLES,
  INFLUENCE_LEVELS,
  type Attitude,
  type BuyingRole,
  type BuyingRoleKind,
  type Contact,
  type Influence,
} from './types.ts';

interface Values {
  contactId: number;
  role: BuyingRoleKind;
  attitude: Attitude;
  influence: Influence;
  relationship: number;
  holderUserId?: number | null;
  notes?: string;
}

/** Give a contact a buying role, or change one: attitude, influence, degree 1–5 and who holds it (docs/archive.md § Buying roles). */
export function RoleFormModal({
  role,
  contacts,
  contactId,
  onClose,
}: {
  role?: BuyingRole;
  contacts: Contact[];
  contactId?: number;
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const people = usePeople();
  const create = useCreateRole();
  const update = useUpdateRole();
  const [form] = Form.useForm<Values>();
  const chosen = Form.useWatch('role', form) ?? role?.role;
  const degree = Form.useWatch('relationship', form) ?? role?.relationship ?? 1;

  const initial: Partial<Values> = role
    ? {
        contactId: role.contactId,
        role: role.role,
        attitude: role.attitude,
        influence: role.influence,
        relationship: role.relationship,
        holderUserId: role.holderUserId,
        notes: role.notes ?? undefined,
      }
    : { contactId, attitude: 'neutral', influence: 'medium', relationship: 1 };

  function submit(values: Values) {
    const body = {
      attitude: values.attitude,
      influence: values.influence,
      relationship: values.relationship,
      holderUserId: values.holderUserId ?? null,
      notes: values.notes?.trim() ? values.notes.trim() : null,
    };
    if (role)
      update.mutate(
        { id: role.id, version: role.version, role: values.role, ...body },
        {
          onSuccess: () => {
            message.success(t('common.saved'));
            onClose();
          },
          onError: (e) => report(e, form),
        },
      );
    else
      create.mutate(
        { contactId: values.contactId, role: values.role, ...body },
        {
          onSuccess: () => {
            message.success(t('accounts.roles.added'));
            onClose();
          },
          onError: (e) => report(e, form),
        },
      );
  }

  return (
    <Modal
      open
      width={560}
      title={role ? t('accounts.roles.edit', { name: role.contactName }) : t('accounts.roles.add')}
      okText={role ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Form.Item
          name="contactId"
          label={t('accounts.roles.contact')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            disabled={role !== undefined}
            showSearch={{ optionFilterProp: 'label' }}
            options={contacts.map((c) => ({ value: c.id, label: c.title ? `${c.name} · ${c.title}` : c.name }))}
            data-testid="role-contact"
          />
        </Form.Item>
        <Form.Item
          name="role"
          label={t('accounts.roles.role')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            options={BUYING_ROLES.map((r) => ({ value: r, label: t(`accounts.role.${r}`) }))}
            data-testid="role-kind"
          />
        </Form.Item>
        {chosen && (
          <Alert
            type="info"
            showIcon={false}
            style={{ marginBottom: 16 }}
            title={
              <Typography.Text style={{ fontSize: 13 }}>
                <b>{t('accounts.guide.needs')}</b>: {t(`accounts.guide.${chosen}.needs`)}
                <br />
                <b>{t('accounts.guide.how')}</b>: {t(`accounts.guide.${chosen}.how`)}
              </Typography.Text>
            }
          />
        )}
        <Form.Item name="attitude" label={t('accounts.roles.attitude')}>
          <Segmented block options={ATTITUDES.map((a) => ({ value: a, label: t(`accounts.attitude.${a}`) }))} />
        </Form.Item>
        <Form.Item name="influence" label={t('accounts.roles.influence')}>
          <Segmented block options={INFLUENCE_LEVELS.map((a) => ({ value: a, label: t(`accounts.influence.${a}`) }))} />
        </Form.Item>
        <Form.Item
          name="relationship"
          label={t('accounts.roles.degree')}
          extra={`${degree} · ${degreeLabel(t, degree)}`}
        >
          <Rate count={5} allowClear={false} tooltips={[1, 2, 3, 4, 5].map((d) => degreeLabel(t, d))} />
        </Form.Item>
        <Form.Item name="holderUserId" label={t('accounts.roles.holder')} extra={t('accounts.roles.holderHint')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={people.isPending}
            options={(people.data ?? []).map((u) => ({ value: u.id, label: `${u.name} · ${u.orgUnitLabel}` }))}
          />
        </Form.Item>
        <Form.Item name="notes" label={t('accounts.roles.notes')} rules={[{ max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
