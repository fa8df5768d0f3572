import { useMemo } from 'react';
import { App, Form, Modal, Typography } from 'antd';
import type { OrgUnit } from '../../api/types.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useUpdateUnit } from './api.ts';
import { subtreeIds } from './tree.ts';
import { UnitTreeSelect } from './UnitTreeSelect.tsx';

/** Choose a new parent for a unit; its own subtree is greyed out (the server refuses it too). */
export function MoveUnitModal({ unit, units, onClose }: { unit: OrgUnit; units: OrgUnit[]; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const [form] = Form.useForm<{ parentId: number }>();
  const update = useUpdateUnit();
  const blocked = useMemo(() => subtreeIds(units, unit.id), [units, unit.id]);

  return (
    <Modal
      open
      title={t('org.form.moveTitle', { name: unit.name })}
      okText={t('org.move')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">{t('org.form.moveHint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ parentId: unit.parentId ?? undefined }}
        onFinish={({ parentId }) => {
          if (parentId === unit.parentId) return onClose();
          update.mutate(
            { id: unit.id, version: unit.version, parentId },
            {
              onSuccess: () => {
                message.success(t('org.moved'));
                onClose();
              },
              onError: (e) => report(e, form),
            },
          );
        }}
      >
        <Form.Item
          name="parentId"
          label={t('org.form.newParent')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <UnitTreeSelect disabledIds={blocked} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
