import { useState, type ReactNode } from 'react';
import { App, Button, Collapse, Dropdown, Flex, Tag, Tooltip, Typography, type MenuProps } from 'antd';
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
import { useReorderStages, type ProcessFull } from './api.ts';
import { AddStageModal, FitModal, RemoveStageModal, type Fit } from './StageModals.tsx';

interface Props {
  process: ProcessFull;
  canEdit: boolean;
  /** Someone else changed the process: reload it. */
  onConflict: () => void;
  renderStage: (stage: Stage, index: number) => ReactNode;
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
