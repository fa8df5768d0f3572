import { App, Form, Input, Modal, Select, Typography } from 'antd';
import { useT } from '../../i18n/useI18n.ts';
import { usePeople, useTierOverride, useUpdateAccount } from './api.ts';
import { useProblem } from '../../api/useProblem.ts';
import { TIERS, type AccountDetail, type Tier } from './types.ts';

/** Reassign the owner: managers only, and the reason is logged with who and when (docs/archive.md). */
export function ReassignModal({ account, onClose }: { account: AccountDetail; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const people = usePeople();
  const update = useUpdateAccount();
  const [form] = Form.useForm<{ ownerId: number; ownerReason: string }>();
  return (
    <Modal
      open
      title={t('accounts.reassign.title', { name: account.name })}
      okText={t('accounts.reassign.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t('accounts.reassign.current', { name: account.ownerName ?? t('accounts.noOwner') })}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          update.mutate(
            {
              id: account.id,
              version: account.version,
              ownerId: values.ownerId,
              ownerReason: values.ownerReason.trim(),
            },
            {
              onSuccess: () => {
                message.success(t('accounts.reassign.done'));
                onClose();
              },
              onError: (e) => report(e, form),
            },
          )
        }
      >
        <Form.Item
          name="ownerId"
          label={t('accounts.reassign.to')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={people.isPending}
            options={(people.data ?? [])
              .filter((u) => u.id !== account.ownerId && ['admin', 'manager', 'rep'].includes(u.role))
              .map((u) => ({ value: u.id, label: `${u.name} · ${u.orgUnitLabel}` }))}
          />
        </Form.Item>
        <Form.Item
          name="ownerReason"
          label={t('accounts.reassign.reason')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 500 }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder={t('accounts.reassign.reasonPlaceholder')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A manager's tier override, with reason (docs/archive.md: "a manager may override an account's tier (with reason, logged)"). */
export function TierOverrideModal({ account, onClose }: { account: AccountDetail; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const override = useTierOverride();
  const [form] = Form.useForm<{ tier: Tier | 'auto'; reason: string }>();
  return (
    <Modal
      open
      title={t('accounts.tierOverride.title')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={override.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t('accounts.tierOverride.computed', { tier: account.tierComputed })}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ tier: account.tierOverride ?? 'auto', reason: account.tierOverrideReason ?? '' }}
        onFinish={(values) =>
          override.mutate(
            {
              id: account.id,
              version: account.version,
              tier: values.tier === 'auto' ? null : values.tier,
              reason: values.reason.trim(),
            },
            {
              onSuccess: () => {
                message.success(t('common.saved'));
                onClose();
              },
              onError: (e) => report(e, form),
            },
          )
        }
      >
        <Form.Item name="tier" label={t('accounts.tierOverride.tier')} rules={[{ required: true }]}>
          <Select
            options={[
              { value: 'auto', label: t('accounts.tierOverride.auto', { tier: account.tierComputed }) },
              ...TIERS.map((x) => ({ value: x, label: `${x} · ${t(`accounts.tier.hint.${x}`)}` })),
            ]}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('accounts.tierOverride.reason')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 500 }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
