import { App, Form, Input, Modal, Select, Typography } from 'antd';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { usePeople } from '../accounts/api.ts';
import { useAssign, type PoolItem } from './api.ts';

import { canOwnAccounts } from '../../../../src/domain/pool.ts';

/**
 * A manager or admin gives a pool account to a rep or manager (docs/archive.md). The people list is
 * the caller's visible users — for a manager their subtree, the same reach the server checks.
 */
export function PoolAssignModal({ account, onClose }: { account: PoolItem; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const people = usePeople();
  const assign = useAssign();
  const [form] = Form.useForm<{ toUserId: number; reason: string }>();
  const options = (people.data ?? [])
    .filter((u) => canOwnAccounts(u.role))
    .map((u) => ({ value: u.id, label: `${u.name} · ${u.orgUnitLabel}` }));

  function onError(err: unknown) {
    if (isApiError(err) && err.code === 'claim_limit_reached') {
      const { limit, held } = err.problem as { limit?: number; held?: number };
      return form.setFields([
        { name: 'toUserId', errors: [t('pool.assign.limitReached', { limit: limit ?? '', held: held ?? '' })] },
      ]);
    }
    // Someone claimed it, or it changed, since the list was read: nothing to retry here.
    if (isApiError(err) && ['already_claimed', 'not_in_pool', 'version_conflict'].includes(err.code)) {
      message.warning(t('pool.assign.taken'), 6);
      return onClose();
    }
    if (isApiError(err) && err.status === 400 && err.errors.some((x) => x.field === 'toUserId')) {
      return form.setFields([{ name: 'toUserId', errors: [t('pool.assign.invalidUser')] }]);
    }
    report(err, form);
  }

  return (
    <Modal
      open
      title={t('pool.assign.title', { name: account.name })}
      okText={t('pool.assign.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={assign.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'pool-assign-ok' } as Record<`data-${string}`, string>}
    >
      <Typography.Paragraph type="secondary">{t('pool.assign.hint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          assign.mutate(
            { account, toUserId: values.toUserId, reason: values.reason },
            {
              onSuccess: () => {
                message.success(
                  t('pool.assign.done', {
                    name: account.name,
                    user: people.data?.find((u) => u.id === values.toUserId)?.name ?? '',
                  }),
                );
                onClose();
              },
              onError,
            },
          )
        }
      >
        <Form.Item
          name="toUserId"
          label={t('pool.assign.to')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={people.isPending}
            placeholder={t('pool.assign.choose')}
            options={options}
            data-testid="pool-assign-user"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('pool.assign.reason')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea
            rows={2}
            maxLength={500}
            placeholder={t('pool.assign.reasonPlaceholder')}
            data-testid="pool-assign-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
