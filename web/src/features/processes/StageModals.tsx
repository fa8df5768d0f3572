import { useState } from 'react';
import { Link } from 'react-router';
import { App, Button, Flex, Form, Input, InputNumber, Modal, Tag, Typography } from 'antd';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { Stage } from '../opportunities/types.ts';
import { useAddStage, useRemoveStage, type ProcessFull, type StageInUse } from './api.ts';

/** A move that needs the moved stage's probability changed too (probabilities never decrease along the order). */
export interface Fit {
  order: Stage[];
  moved: Stage;
  min: number;
  max: number;
}

/** Name, probability (between the new neighbours) and duration; the rest is edited in the stage's form. */
export function AddStageModal({
  process,
  position,
  onClose,
  onConflict,
}: {
  process: ProcessFull;
  position: number;
  onClose: (addedId?: number) => void;
  onConflict: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const add = useAddStage();
  const [form] = Form.useForm<{ name: string; probability: number; expectedDays: number }>();
  const min = process.stages[position - 1]?.probability ?? 0;
  const max = process.stages[position]?.probability ?? 100;
  const submit = (values: { name: string; probability: number; expectedDays: number }) =>
    add.mutate(
      {
        id: process.id,
        version: process.version,
        position,
        name: values.name.trim(),
        probability: values.probability,
        expectedDays: values.expectedDays,
      },
      {
        onSuccess: (part) => {
          void message.success(t('processes.stageAdded', { name: values.name.trim() }));
          onClose(part.stages[position]?.id);
        },
        onError: (err) => {
          if (isApiError(err) && err.code === 'version_conflict') {
            message.warning(t('processes.conflict'), 6);
            onConflict();
            onClose();
          } else report(err, form);
        },
      },
    );
  return (
    <Modal
      open
      title={t('processes.addTitle', { n: position + 1 })}
      okText={t('processes.addStage')}
      cancelText={t('common.cancel')}
      confirmLoading={add.isPending}
      onOk={() => form.submit()}
      onCancel={() => onClose()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'stage-add-submit' } as Record<`data-${string}`, string>}
    >
      <Typography.Paragraph type="secondary">{t('processes.addHint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ probability: min, expectedDays: 7 }}
        onFinish={submit}
        data-testid="stage-add-form"
      >
        <Form.Item
          name="name"
          label={t('processes.stage.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}
        >
          <Input autoFocus data-testid="stage-add-name" />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item
            name="probability"
            label={t('processes.stage.probability')}
            extra={t('processes.stage.probabilityRange', { min, max })}
            rules={[{ required: true, message: t('validation.required') }]}
            style={{ flex: '1 1 200px' }}
          >
            <InputNumber
              min={min}
              max={max}
              precision={0}
              style={{ width: '100%' }}
              data-testid="stage-add-probability"
            />
          </Form.Item>
          <Form.Item
            name="expectedDays"
            label={t('processes.stage.expectedDays')}
            rules={[{ required: true, message: t('validation.required') }]}
            style={{ flex: '1 1 160px' }}
          >
            <InputNumber min={0} max={730} precision={0} suffix={t('processes.stage.days')} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}

/** Confirms a removal; a stage still in use is answered with the opportunities in it, to be moved first. */
export function RemoveStageModal({
  process,
  stage,
  onClose,
  onConflict,
}: {
  process: ProcessFull;
  stage: Stage;
  onClose: () => void;
  onConflict: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const remove = useRemoveStage();
  const [inUse, setInUse] = useState<StageInUse | null>(null);
  const confirm = () =>
    remove.mutate(
      { stageId: stage.id, version: process.version },
      {
        onSuccess: () => {
          void message.success(t('processes.removed', { name: stage.name }));
          onClose();
        },
        onError: (err) => {
          if (isApiError(err) && err.code === 'stage_in_use') setInUse(err.problem.opportunities as StageInUse);
          else if (isApiError(err) && err.code === 'version_conflict') {
            message.warning(t('processes.conflict'), 6);
            onConflict();
            onClose();
          } else {
            report(err);
            onClose();
          }
        },
      },
    );
  if (inUse) {
    const open = inUse.byStatus.open ?? 0;
    return (
      <Modal
        open
        title={t('processes.inUseTitle', { name: stage.name })}
        onCancel={onClose}
        footer={
          <Button type="primary" onClick={onClose}>
            {t('common.confirm')}
          </Button>
        }
      >
        <Typography.Paragraph data-testid="stage-in-use">
          {t('processes.inUseBody', { n: inUse.total, open, closed: inUse.total - open })}
        </Typography.Paragraph>
        <ul style={{ paddingInlineStart: 20, margin: 0 }}>
          {inUse.items.map((opportunity) => (
            <li key={opportunity.id}>
              <Link to={`/opportunities/${opportunity.id}`}>{opportunity.name}</Link>{' '}
              <Tag>{t(`opps.status.${opportunity.status as 'open' | 'won' | 'lost' | 'abandoned'}`)}</Tag>
            </li>
          ))}
        </ul>
        {inUse.total > inUse.items.length && (
          <Typography.Text type="secondary">
            {t('processes.inUseMore', { n: inUse.total - inUse.items.length })}
          </Typography.Text>
        )}
      </Modal>
    );
  }
  return (
    <Modal
      open
      title={t('processes.removeTitle', { name: stage.name })}
      okText={t('processes.remove')}
      okType="danger"
      cancelText={t('common.cancel')}
      confirmLoading={remove.isPending}
      onOk={confirm}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'stage-remove-confirm' } as Record<`data-${string}`, string>}
    >
      <Typography.Paragraph>{t('processes.removeBody')}</Typography.Paragraph>
    </Modal>
  );
}

export function FitModal({
  fit,
  saving,
  onCancel,
  onSave,
}: {
  fit: Fit;
  saving: boolean;
  onCancel: () => void;
  onSave: (probability: number) => void;
}) {
  const t = useT();
  const [value, setValue] = useState(Math.min(fit.max, Math.max(fit.min, fit.moved.probability)));
  return (
    <Modal
      open
      title={t('processes.fitTitle', { name: fit.moved.name })}
      okText={t('processes.fitSave')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => onSave(value)}
      onCancel={onCancel}
      okButtonProps={{ 'data-testid': 'stage-fit-save' } as Record<`data-${string}`, string>}
    >
      <Typography.Paragraph>
        {t('processes.fitBody', { name: fit.moved.name, p: fit.moved.probability, min: fit.min, max: fit.max })}
      </Typography.Paragraph>
      <InputNumber
        min={fit.min}
        max={fit.max}
        precision={0}
        suffix="%"
        value={value}
        onChange={(v) => setValue(v ?? fit.min)}
        aria-label={t('processes.stage.probability')}
        data-testid="stage-fit-probability"
      />
    </Modal>
  );
}
