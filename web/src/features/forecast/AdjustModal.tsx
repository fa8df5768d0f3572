import { useEffect, useState } from 'react';
import { App, Form, Input, InputNumber, Modal } from 'antd';
import type { ForecastView } from '../../../../src/contracts/forecasts.ts';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useAdjustForecast } from './api.ts';

/**
 * A manager's figure for their unit this week (docs/targets.md § Managers' adjusted figure).
 * It names the version read; when someone else adjusted meanwhile the answer is 409, the view
 * reloads with their figure, and the manager decides again.
 */
export function AdjustModal({ open, view, onClose }: { open: boolean; view: ForecastView; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const adjust = useAdjustForecast();
  const [form] = Form.useForm<{ amount: number | null; note: string }>();
  const current = view.adjustment?.weekStart === view.weekStart ? view.adjustment : null;
  const [version, setVersion] = useState<number | undefined>(current?.version);

  useEffect(() => {
    if (!open) return;
    setVersion(current?.version);
    form.setFieldsValue({ amount: (current?.amount ?? view.forecast) / 100, note: current?.note ?? '' });
    // After a 409 the view reloads: the other manager's figure and version take the form's place.
  }, [open, current?.version, current?.amount, current?.note, view.forecast, form]);

  const save = (value: { amount: number | null; note: string }) =>
    adjust.mutate(
      {
        unitId: view.scope.id!,
        period: view.period.name,
        amount: Math.round((value.amount ?? 0) * 100),
        note: value.note.trim() || null,
        ...(version !== undefined ? { version } : {}),
      },
      {
        onSuccess: () => {
          void message.success(t('forecast.adjust.done'));
          onClose();
        },
        onError: (err) => {
          if (isApiError(err) && err.code === 'version_conflict')
            void message.warning(t('forecast.adjust.conflict'), 6);
          else report(err, form);
        },
      },
    );

  return (
    <Modal
      open={open}
      title={t('forecast.adjust.title', { unit: view.scope.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={adjust.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={save}>
        <Form.Item
          name="amount"
          label={t('forecast.adjust.amount')}
          rules={[{ required: true }]}
          extra={t('forecast.adjust.hint')}
        >
          <InputNumber min={0} precision={0} prefix="¥" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="note" label={t('forecast.adjust.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
