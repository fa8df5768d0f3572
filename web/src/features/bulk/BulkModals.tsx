import { Form, Input, Modal, Select, Typography } from 'antd';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { usePeople } from '../accounts/api.ts';
import { canOwnAccounts } from '../../../../src/domain/pool.ts';
import {
  refusalsOf,
  useBulkReassign,
  useBulkTier,
  type BulkResult,
  type ReassignArea,
  type BulkSelection,
  type Refusal,
} from './api.ts';

/** How a bulk dialog ends: the server's count, or the rows it named and would not change. */
export interface BulkDialogProps {
  /** The picked ids, or every row of the list's filter ("select all N matching"). */
  target: BulkSelection;
  /** How many rows that is, for the title. */
  count: number;
  onClose: () => void;
  onDone: (result: BulkResult) => void;
  onRefused: (refusals: Refusal[]) => void;
}

const TIER_CLEAR = 'computed';
const TITLES = {
  accounts: 'bulk.reassign.titleAccounts',
  opportunities: 'bulk.reassign.titleOpps',
  pool: 'bulk.assign.title',
} as const;

/**
 * Gives the selection to one rep or manager with a mandatory reason (on the pool list: a manager's
 * assignment, within that person's claim limit). The people offered are the caller's visible users
 * who may own records — for a manager their subtree, the reach the server checks.
 */
export function BulkReassignModal({
  area,
  target,
  count,
  onClose,
  onDone,
  onRefused,
}: BulkDialogProps & { area: ReassignArea }) {
  const t = useT();
  const report = useProblem();
  const people = usePeople();
  const reassign = useBulkReassign(area);
  const [form] = Form.useForm<{ toUserId: number; reason: string }>();
  const options = (people.data ?? [])
    .filter((u) => canOwnAccounts(u.role))
    .map((u) => ({ value: u.id, label: `${u.name} · ${u.orgUnitLabel}` }));
  const onError = (err: unknown) => {
    const refusals = refusalsOf(err, target.ids ?? []);
    if (refusals) return onRefused(refusals);
    report(err, form);
  };
  return (
    <Modal
      open
      title={t(TITLES[area], { n: count })}
      okText={t(area === 'pool' ? 'bulk.assign.ok' : 'bulk.reassign.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={reassign.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'bulk-reassign-ok' } as Record<`data-${string}`, string>}
    >
      <Typography.Paragraph type="secondary">
        {t(area === 'pool' ? 'bulk.assign.hint' : 'bulk.reassign.hint')}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          reassign.mutate(
            { ...target, toUserId: values.toUserId, reason: values.reason.trim() },
            { onSuccess: onDone, onError },
          )
        }
      >
        <Form.Item
          name="toUserId"
          label={t('bulk.reassign.to')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={people.isPending}
            placeholder={t('bulk.reassign.choose')}
            options={options}
            data-testid="bulk-reassign-user"
          />
        </Form.Item>
        <ReasonField />
      </Form>
    </Modal>
  );
}

/** Sets the tier of the selected accounts by hand, or back to the computed tier, with a reason. */
export function BulkTierModal({ target, count, onClose, onDone, onRefused }: BulkDialogProps) {
  const t = useT();
  const report = useProblem();
  const change = useBulkTier();
  const [form] = Form.useForm<{ tier: 'A' | 'B' | 'C' | typeof TIER_CLEAR; reason: string }>();
  const onError = (err: unknown) => {
    const refusals = refusalsOf(err, target.ids ?? []);
    if (refusals) return onRefused(refusals);
    report(err, form);
  };
  return (
    <Modal
      open
      title={t('bulk.tier.title', { n: count })}
      okText={t('bulk.tier.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={change.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'bulk-tier-ok' } as Record<`data-${string}`, string>}
    >
      <Typography.Paragraph type="secondary">{t('bulk.tier.hint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) =>
          change.mutate(
            { ...target, tier: values.tier === TIER_CLEAR ? null : values.tier, reason: values.reason.trim() },
            { onSuccess: onDone, onError },
          )
        }
      >
        <Form.Item
          name="tier"
          label={t('bulk.tier.to')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            options={[
              ...(['A', 'B', 'C'] as const).map((tier) => ({
                value: tier,
                label: `${tier} · ${t(`accounts.tier.hint.${tier}`)}`,
              })),
              { value: TIER_CLEAR, label: t('bulk.tier.clear') },
            ]}
            data-testid="bulk-tier-select"
          />
        </Form.Item>
        <ReasonField />
      </Form>
    </Modal>
  );
}

function ReasonField() {
  const t = useT();
  return (
    <Form.Item
      name="reason"
      label={t('bulk.reason')}
      rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
    >
      <Input.TextArea rows={2} maxLength={500} placeholder={t('bulk.reasonPlaceholder')} data-testid="bulk-reason" />
    </Form.Item>
  );
}
