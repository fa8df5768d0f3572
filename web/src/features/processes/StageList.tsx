import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import {
  App,
  Button,
  Collapse,
  Dropdown,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Tag,
  Tooltip,
  Typography,
  type MenuProps,
} from 'antd';
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  HolderOutlined,
  MoreOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { Stage } from '../opportunities/types.ts';
import { useAddStage, useRemoveStage, useReorderStages, type ProcessFull, type StageInUse } from './api.ts';

interface Props {
  process: ProcessFull;
  canEdit: boolean;
  /** Someone else changed the process: reload it. */
  onConflict: () => void;
  renderStage: (stage: Stage, index: number) => ReactNode;
}

/** A move that needs the moved stage's probability changed too (probabilities never decrease along the order). */
interface Fit {
  order: Stage[];
  moved: Stage;
  min: number;
  max: number;
}

/**
 * The stages of a process in order (docs/sales-process.md § Sales processes and stages): each opens to its form; an administrator drags
 * a stage by its handle onto another to take its place, or uses the stage's menu to move it,
 * add a stage before or after it, or remove it. The won stage stays last.
 */
export function StageList({ process, canEdit, onConflict, renderStage }: Props) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const reorder = useReorderStages();
  const stages = process.stages;
  const [open, setOpen] = useState<string | undefined>(stages[0] ? String(stages[0].id) : undefined);
  const [adding, setAdding] = useState<number | null>(null);
  const [removing, setRemoving] = useState<Stage | null>(null);
  const [fit, setFit] = useState<Fit | null>(null);
  const [dragging, setDragging] = useState<Stage | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor),
  );
  // The last place a non-won stage may take: just before the won stage.
  const lastPlace = stages.at(-1)?.won ? stages.length - 2 : stages.length - 1;

  const failed = (err: unknown) => {
    if (isApiError(err) && err.code === 'version_conflict') {
      message.warning(t('processes.conflict'), 6);
      onConflict();
    } else report(err);
  };

  function send(order: Stage[], changed?: { id: number; probability: number }) {
    reorder.mutate(
      {
        id: process.id,
        version: process.version,
        stages: order.map((s) => (s.id === changed?.id ? changed : { id: s.id })),
      },
      {
        onSuccess: () => {
          setFit(null);
          void message.success(t('processes.reordered'));
        },
        onError: (err) => {
          setFit(null);
          failed(err);
        },
      },
    );
  }

  function move(from: number, to: number) {
    const target = Math.min(to, lastPlace);
    const moved = stages[from];
    if (!moved || moved.won || target === from || target < 0) return;
    const order = stages.filter((s) => s.id !== moved.id);
    order.splice(target, 0, moved);
    const min = order[target - 1]?.probability ?? 0;
    const max = order[target + 1]?.probability ?? 100;
    if (moved.probability < min || moved.probability > max) setFit({ order, moved, min, max });
    else send(order);
  }

  const onDragStart = (e: DragStartEvent) => setDragging(stages.find((s) => s.id === e.active.id) ?? null);
  const onDragEnd = (endEvent: DragEndEvent) => {
    setDragging(null);
    const from = stages.findIndex((s) => s.id === endEvent.active.id);
    const to = stages.findIndex((s) => s.id === endEvent.over?.id);
    if (from >= 0 && to >= 0) move(from, to);
  };

  const menu = (stage: Stage, index: number): MenuProps => ({
    items: [
      { key: 'up', icon: <ArrowUpOutlined />, label: t('processes.moveUp'), disabled: stage.won || index === 0 },
      {
        key: 'down',
        icon: <ArrowDownOutlined />,
        label: t('processes.moveDown'),
        disabled: stage.won || index >= lastPlace,
      },
      { type: 'divider' },
      { key: 'before', icon: <PlusOutlined />, label: t('processes.addBefore') },
      { key: 'after', icon: <PlusOutlined />, label: t('processes.addAfter'), disabled: stage.won },
      { type: 'divider' },
      {
        key: 'remove',
        icon: <DeleteOutlined />,
        danger: true,
        disabled: stage.won || stages.length <= 2,
        label: stage.won
          ? t('processes.removeWon')
          : stages.length <= 2
            ? t('processes.removeTooFew')
            : t('processes.remove'),
      },
    ],
    onClick: ({ key, domEvent }) => {
      domEvent.stopPropagation();
      if (key === 'up') move(index, index - 1);
      else if (key === 'down') move(index, index + 1);
      else if (key === 'before') setAdding(index);
      else if (key === 'after') setAdding(index + 1);
      else if (key === 'remove') setRemoving(stage);
    },
  });

  return (
    <>
      <DndContext
        sensors={sensors}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragging(null)}
      >
        <Collapse
          accordion
          activeKey={open}
          onChange={(keys) => setOpen(Array.isArray(keys) ? keys[0] : keys)}
          items={stages.map((stage, index) => ({
            key: String(stage.id),
            label: <StageHeader stage={stage} index={index} draggable={canEdit && !stage.won && !reorder.isPending} />,
            extra: canEdit ? (
              <span onClick={(e) => e.stopPropagation()}>
                <Dropdown trigger={['click']} menu={menu(stage, index)}>
                  <Button
                    size="small"
                    type="text"
                    icon={<MoreOutlined />}
                    aria-label={t('processes.stageMenu')}
                    data-testid={`stage-menu-${index}`}
                  />
                </Dropdown>
              </span>
            ) : undefined,
            children: renderStage(stage, index),
          }))}
        />
        <DragOverlay dropAnimation={null}>
          {dragging ? (
            <Tag color="blue" style={{ padding: '4px 10px', fontSize: 14, boxShadow: '0 8px 20px rgba(15,23,42,.18)' }}>
              <HolderOutlined /> {dragging.name} · {dragging.probability}%
            </Tag>
          ) : null}
        </DragOverlay>
      </DndContext>
      {canEdit && (
        <Button
          type="dashed"
          icon={<PlusOutlined />}
          onClick={() => setAdding(lastPlace + 1)}
          disabled={stages.length >= 20}
          style={{ alignSelf: 'flex-start' }}
          data-testid="stage-add"
        >
          {t('processes.addStage')}
        </Button>
      )}
      {adding !== null && (
        <AddStageModal
          process={process}
          position={adding}
          onClose={(added) => {
            setAdding(null);
            if (added) setOpen(String(added));
          }}
          onConflict={onConflict}
        />
      )}
      {removing && (
        <RemoveStageModal
          process={process}
          stage={removing}
          onClose={() => setRemoving(null)}
          onConflict={onConflict}
        />
      )}
      {fit && (
        <FitModal
          fit={fit}
          saving={reorder.isPending}
          onCancel={() => setFit(null)}
          onSave={(probability) => send(fit.order, { id: fit.moved.id, probability })}
        />
      )}
    </>
  );
}

/** The header of a stage's panel: a drop target, with a drag handle unless the stage stays put. */
function StageHeader({ stage: text, index, draggable }: { stage: Stage; index: number; draggable: boolean }) {
  const t = useT();
  const drop = useDroppable({ id: text.id });
  const drag = useDraggable({ id: text.id, disabled: !draggable });
  return (
    <Flex
      ref={drop.setNodeRef}
      gap={8}
      align="center"
      wrap
      data-testid={`stage-header-${index}`}
      data-stage-id={text.id}
      style={{
        outline: drop.isOver && !drag.isDragging ? '2px dashed #3b82f6' : 'none',
        outlineOffset: 4,
        borderRadius: 4,
        opacity: drag.isDragging ? 0.4 : 1,
      }}
    >
      {draggable ? (
        <Tooltip title={t('processes.dragHandle')}>
          <span
            ref={drag.setNodeRef}
            {...drag.listeners}
            {...drag.attributes}
            aria-label={t('processes.dragHandle')}
            data-testid={`stage-drag-${index}`}
            onClick={(e) => e.stopPropagation()}
            style={{ cursor: 'grab', touchAction: 'none', color: '#94a3b8', padding: '0 2px' }}
          >
            <HolderOutlined />
          </span>
        </Tooltip>
      ) : text.won ? (
        <Tooltip title={t('processes.wonLast')}>
          <span style={{ color: '#cbd5e1', padding: '0 2px' }}>
            <HolderOutlined />
          </span>
        </Tooltip>
      ) : null}
      <Typography.Text strong>{t('processes.stageHeader', { n: index + 1, name: text.name })}</Typography.Text>
      <Tag color={text.won ? 'success' : 'blue'}>{text.probability}%</Tag>
      {text.won && <Tag color="success">{t('processes.wonStage')}</Tag>}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('processes.evidenceCount', { n: text.evidence.length })}
      </Typography.Text>
    </Flex>
  );
}

/** Name, probability (between the new neighbours) and duration; the rest is edited in the stage's form. */
function AddStageModal({
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
function RemoveStageModal({
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

function FitModal({
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
