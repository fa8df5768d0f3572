import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Avatar,
  Button,
  Card,
  Dropdown,
  Empty,
  Flex,
  Segmented,
  Select,
  Skeleton,
  Space,
  Tooltip,
  Typography,
} from 'antd';
import {
  AppstoreOutlined,
  CalendarOutlined,
  MoreOutlined,
  PlusOutlined,
  TrophyOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  MouseSensor,
  pointerWithin,
  rectIntersection,
  TouchSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { Link, useNavigate } from 'react-router';
import { LoadError } from '../../components/LoadError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useBoard, useProcess, useProcesses } from './api.ts';
import { EvidenceProgress, overdueDate, ProblemBadges } from './bits.tsx';
import { useMoney } from '../../i18n/money.ts';
import { useOppFilters } from './filters.ts';
import { useCan, useWorkspaceDate } from '../auth/session.ts';
import { MoveDialog } from './MoveDialog.tsx';
import { NewOpportunityModal } from './NewOpportunityModal.tsx';
import { OppFilterBar } from './OppFilterBar.tsx';
import type { BoardCard, BoardColumn, Process, ProcessSummary, Stage } from './types.ts';

const COLUMN_WIDTH = 272;
/** On a phone a column leaves room to see the next one coming: the board visibly goes on. */
const COLUMN_CSS_WIDTH = `min(${COLUMN_WIDTH}px, 80vw)`;

/**
 * A press on a card's link or menu is a tap on that control, never the start of a drag: the
 * sensors below listen to mouse and touch, so both are stopped here.
 */
const notADrag = {
  onMouseDown: (e: React.SyntheticEvent) => e.stopPropagation(),
  onTouchStart: (e: React.SyntheticEvent) => e.stopPropagation(),
};

/** Board / list switch at the top of both views. */
export function ViewSwitch({ value }: { value: 'board' | 'list' }) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Segmented
      value={value}
      onChange={(v) => void navigate(v === 'board' ? '/opportunities/board' : '/opportunities/list')}
      options={[
        { value: 'board', label: t('opps.view.board'), icon: <AppstoreOutlined /> },
        { value: 'list', label: t('opps.view.list'), icon: <UnorderedListOutlined /> },
      ]}
    />
  );
}

function initials(name: string | null) {
  return name ? name.slice(-2) : '?';
}

/** A card; only those who lead the deal (its owner, a manager over it) may drag it or move it from its menu. */
function OppCard({
  o: card,
  stages,
  onMove,
  overlay,
}: {
  o: BoardCard;
  stages: Stage[];
  onMove: (item: BoardCard, stage: Stage) => void;
  overlay?: boolean;
}) {
  const t = useT();
  const money = useMoney();
  const movable = card.permissions.edit;
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: card.id,
    data: { o: card },
    disabled: !movable,
  });
  const today = useWorkspaceDate()();
  const overdue = overdueDate(card, card.expectedCloseDate, today);
  return (
    <div
      ref={overlay ? undefined : setNodeRef}
      {...(overlay ? {} : listeners)}
      {...(overlay ? {} : attributes)}
      data-testid="opp-card"
      data-opp-id={card.id}
      data-movable={movable}
      style={{
        background: '#fff',
        borderRadius: 8,
        border: '1px solid #e5e7eb',
        padding: '10px 12px',
        cursor: movable ? 'grab' : 'default',
        // The page keeps its touch gestures (a swipe scrolls): a drag on a phone starts with a long
        // press (TouchSensor below), so the card must not take every touch (touch-action: none did).
        touchAction: 'manipulation',
        WebkitTouchCallout: 'none',
        userSelect: movable ? 'none' : undefined,
        boxShadow: overlay ? '0 12px 28px rgba(15,23,42,.18)' : '0 1px 2px rgba(15,23,42,.04)',
        opacity: isDragging && !overlay ? 0.35 : 1,
        borderInlineStart: `3px solid ${card.problems.includes('advantage_lost') ? '#dc2626' : card.problems.length ? '#f59e0b' : '#3b82f6'}`,
      }}
    >
      <Flex justify="space-between" align="flex-start" gap={4}>
        <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: 200 }}>
          {card.accountName}
        </Typography.Text>
        {!overlay && movable && (
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                {
                  key: 'title',
                  type: 'group',
                  label: t('opps.card.moveTo'),
                  children: stages
                    .filter((s) => s.id !== card.stageId)
                    .map((s) => ({ key: String(s.id), label: `${s.name} · ${s.probability}%` })),
                },
              ],
              onClick: ({ key }) => {
                const stage = stages.find((x) => String(x.id) === key);
                if (stage) onMove(card, stage);
              },
            }}
          >
            <Button
              size="small"
              type="text"
              icon={<MoreOutlined />}
              aria-label={t('opps.card.moveTo')}
              {...notADrag}
              onKeyDown={(e) => e.stopPropagation()}
              data-testid="card-menu"
              style={{ marginTop: -4, marginInlineEnd: -6 }}
            />
          </Dropdown>
        )}
      </Flex>
      <Link
        to={`/opportunities/${card.id}`}
        {...notADrag}
        style={{ display: 'block', fontWeight: 600, color: '#0f172a', lineHeight: 1.35, margin: '2px 0 6px' }}
        data-testid="opp-card-link"
      >
        {card.name}
      </Link>
      <Flex justify="space-between" align="center">
        <Typography.Text strong style={{ fontSize: 15 }}>
          {money(card.amount)}
        </Typography.Text>
        <Typography.Text type={overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
          <CalendarOutlined /> {card.expectedCloseDate ?? '—'}
        </Typography.Text>
      </Flex>
      <Flex justify="space-between" align="center" style={{ marginTop: 6 }}>
        <Flex align="center" gap={6}>
          <Avatar size={20} style={{ background: '#6366f1', fontSize: 10 }}>
            {initials(card.ownerName)}
          </Avatar>
          <Typography.Text style={{ fontSize: 12 }}>{card.ownerName ?? '—'}</Typography.Text>
        </Flex>
        <Flex align="center" gap={6}>
          <EvidenceProgress status={card.evidenceStatus} compact testId="card-evidence" />
          <Tooltip title={t('opps.card.daysInStageHint')}>
            <Typography.Text
              type={card.problems.includes('stalled') ? 'warning' : 'secondary'}
              style={{ fontSize: 12 }}
            >
              {t('opps.card.days', { days: card.daysInStage ?? 0 })}
            </Typography.Text>
          </Tooltip>
        </Flex>
      </Flex>
      {(card.problems.length > 0 || card.stageAheadOfBuyer) && (
        <div style={{ marginTop: 6 }}>
          <ProblemBadges o={card} compact />
        </div>
      )}
    </div>
  );
}

function Column({
  col,
  stages,
  onMove,
  maxAmount,
}: {
  col: BoardColumn;
  stages: Stage[];
  onMove: (card: BoardCard, stage: Stage) => void;
  maxAmount: number;
}) {
  const t = useT();
  const money = useMoney();
  const { setNodeRef, isOver } = useDroppable({ id: col.stage.id, data: { stage: col.stage } });
  const stage = col.stage;
  return (
    <div
      ref={setNodeRef}
      data-testid="board-column"
      data-stage-id={stage.id}
      data-stage-name={stage.name}
      style={{
        width: COLUMN_CSS_WIDTH,
        flex: `0 0 ${COLUMN_CSS_WIDTH}`,
        scrollSnapAlign: 'start',
        background: isOver ? '#e0ecff' : '#f1f5f9',
        borderRadius: 10,
        display: 'flex',
        flexDirection: 'column',
        outline: isOver ? '2px dashed #3b82f6' : 'none',
        transition: 'background .15s',
        maxHeight: 'calc(100vh - 250px)',
        minHeight: 320,
      }}
    >
      <div style={{ padding: '10px 12px 8px', borderBottom: '1px solid #e2e8f0' }}>
        <Flex justify="space-between" align="center">
          <Typography.Text strong style={{ fontSize: 14 }}>
            {stage.won && <TrophyOutlined style={{ color: '#16a34a', marginInlineEnd: 4 }} />}
            {stage.name}
          </Typography.Text>
          <Flex gap={6} align="center">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {stage.probability}%
            </Typography.Text>
            <span
              data-testid="column-count"
              style={{
                background: '#fff',
                borderRadius: 10,
                padding: '0 8px',
                fontSize: 12,
                fontWeight: 600,
                color: '#334155',
              }}
            >
              {col.count}
            </span>
          </Flex>
        </Flex>
        <Flex justify="space-between" style={{ marginTop: 4 }}>
          <Tooltip title={t('opps.board.amount')}>
            <Typography.Text style={{ fontSize: 13, fontWeight: 600 }}>{money(col.amount, true)}</Typography.Text>
          </Tooltip>
          <Tooltip title={t('opps.board.expectedHint', { p: stage.probability })}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('opps.board.expected')} {money(col.expectedAmount, true)}
            </Typography.Text>
          </Tooltip>
        </Flex>
        <div style={{ height: 3, borderRadius: 2, background: '#e2e8f0', marginTop: 6 }}>
          <div
            style={{
              height: 3,
              borderRadius: 2,
              width: `${maxAmount > 0 ? Math.max(2, (100 * col.amount) / maxAmount) : 0}%`,
              background: stage.won ? '#16a34a' : '#3b82f6',
            }}
          />
        </div>
      </div>
      <Flex vertical gap={8} style={{ padding: 8, overflowY: 'auto', flex: 1 }}>
        {col.cards.map((card) => (
          <OppCard key={card.id} o={card} stages={stages} onMove={onMove} />
        ))}
        {col.cards.length === 0 && (
          <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: 'center', padding: '24px 8px' }}>
            {stage.won ? t('opps.board.emptyWon') : t('opps.board.emptyColumn')}
          </Typography.Text>
        )}
        {col.more > 0 && (
          <Link
            to={`/opportunities/list?processId=${stage.processId}&stageId=${stage.id}&status=open`}
            style={{ fontSize: 12, textAlign: 'center', padding: 4 }}
          >
            {t('opps.board.more', { n: col.more })}
          </Link>
        )}
      </Flex>
    </div>
  );
}

/**
 * The column under the finger or the pointer is where the card goes: on a phone only an edge of
 * the next column shows, and the card held over it covers less of it than of its own column.
 * The keyboard has no pointer, so it falls back to the rectangles.
 */
const underPointer: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  return hits.length > 0 ? hits : rectIntersection(args);
};

function BoardCanvas({
  process,
  columns,
  onMove,
}: {
  process: Process;
  columns: BoardColumn[];
  onMove: (card: BoardCard, stage: Stage) => void;
}) {
  // A mouse drags after a few pixels; a finger after a long press held still (a quick swipe
  // scrolls the board or the page instead); the keyboard picks up with space.
  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
    useSensor(KeyboardSensor),
  );
  const [active, setActive] = useState<BoardCard | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const stages = useMemo(() => [...process.stages].sort((a, b) => a.position - b.position), [process]);
  const maxAmount = Math.max(0, ...columns.map((c) => c.amount));
  const onStart = (e: DragStartEvent) => setActive((e.active.data.current as { o: BoardCard } | undefined)?.o ?? null);
  const onEnd = (endEvent: DragEndEvent) => {
    setActive(null);
    const card = (endEvent.active.data.current as { o: BoardCard } | undefined)?.o;
    const stage = (endEvent.over?.data.current as { stage: Stage } | undefined)?.stage;
    if (card && stage && stage.id !== card.stageId) onMove(card, stage);
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={underPointer}
      onDragStart={onStart}
      onDragEnd={onEnd}
      onDragCancel={() => setActive(null)}
    >
      <div
        ref={scroller}
        className="kl-board-scroll"
        style={{ display: 'flex', gap: 12, overflowX: 'auto', paddingBottom: 12, scrollSnapType: 'x proximity' }}
        data-testid="board"
      >
        {columns.map((column) => (
          <Column key={column.stage.id} col={column} stages={stages} onMove={onMove} maxAmount={maxAmount} />
        ))}
      </div>
      <ScrollTrack scroller={scroller} />
      <DragOverlay dropAnimation={null}>
        {active ? (
          <div style={{ width: COLUMN_WIDTH - 16 }}>
            <OppCard o={active} stages={stages} onMove={onMove} overlay />
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}

/**
 * Where the visible columns sit among all of them, drawn under the board. Phones (and macOS)
 * draw overlay scrollbars that show only while scrolling, so nothing said the fifth and sixth
 * columns were there; this track is always visible while the board is wider than the screen.
 */
function ScrollTrack({ scroller }: { scroller: React.RefObject<HTMLDivElement | null> }) {
  const [view, setView] = useState<{ start: number; size: number } | null>(null);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return undefined;
    const measure = () =>
      setView(
        el.scrollWidth > el.clientWidth + 1
          ? { start: el.scrollLeft / el.scrollWidth, size: el.clientWidth / el.scrollWidth }
          : null,
      );
    measure();
    const resized = new ResizeObserver(measure);
    resized.observe(el);
    el.addEventListener('scroll', measure, { passive: true });
    return () => {
      resized.disconnect();
      el.removeEventListener('scroll', measure);
    };
  }, [scroller]);
  if (!view) return null;
  const toFraction = (value: number, width: number) => {
    const el = scroller.current;
    if (el) el.scrollTo({ left: (value / width - view.size / 2) * el.scrollWidth, behavior: 'smooth' });
  };
  return (
    <div
      data-testid="board-scroll-track"
      aria-hidden
      onClick={(mouseEvent) => {
        const rect = mouseEvent.currentTarget.getBoundingClientRect();
        toFraction(mouseEvent.clientX - rect.left, rect.width);
      }}
      style={{
        position: 'relative',
        height: 6,
        borderRadius: 3,
        background: '#e2e8f0',
        margin: '2px 0 8px',
        cursor: 'pointer',
      }}
    >
      <div
        data-testid="board-scroll-thumb"
        style={{
          position: 'absolute',
          top: 0,
          bottom: 0,
          borderRadius: 3,
          background: '#94a3b8',
          left: `${view.start * 100}%`,
          width: `${view.size * 100}%`,
        }}
      />
    </div>
  );
}

/** /opportunities/board — the pipeline of one sales process as a kanban board (docs/sales-process.md § Sales processes and stages, §5.3). */
export default function BoardPage() {
  const t = useT();
  const money = useMoney();
  const { filters, update } = useOppFilters();
  const processes = useProcesses();
  // Without a choice in the address: the process holding most of the caller's open deals (a rep's 15 large projects, not 1 small one).
  const processId = filters.processId ?? busiest(processes.data);
  const process = useProcess(processId);
  const boardFilters = {
    processId,
    ownerId: filters.ownerId,
    orgUnitId: filters.orgUnitId,
    closeFrom: filters.closeFrom,
    closeTo: filters.closeTo,
    q: filters.q,
  };
  const board = useBoard(boardFilters, process.data);
  const [moving, setMoving] = useState<{ o: BoardCard; stage: Stage } | null>(null);
  const [creating, setCreating] = useState(false);
  const can = useCan();
  const canCreate = can('opportunities.write');

  const totals = (board.data?.columns ?? [])
    .filter((c) => !c.stage.won)
    .reduce(
      (a, c) => ({ count: a.count + c.count, amount: a.amount + c.amount, expected: a.expected + c.expectedAmount }),
      { count: 0, amount: 0, expected: 0 },
    );

  const body = () => {
    if (processes.isError) return <LoadError error={processes.error} onRetry={() => void processes.refetch()} />;
    if (processes.data && processes.data.length === 0) return <Empty description={t('opps.board.noProcess')} />;
    if (process.isError) return <LoadError error={process.error} onRetry={() => void process.refetch()} />;
    if (board.isError) return <LoadError error={board.error} onRetry={() => void board.refetch()} />;
    if (!board.data || !process.data)
      return (
        <Flex gap={12}>
          {[0, 1, 2, 3].map((index) => (
            <Card key={index} style={{ width: COLUMN_WIDTH }}>
              <Skeleton active />
            </Card>
          ))}
        </Flex>
      );
    return (
      <BoardCanvas process={process.data} columns={board.data.columns} onMove={(o, stage) => setMoving({ o, stage })} />
    );
  };

  return (
    <>
      <PageHeader
        title={t('opps.title')}
        subtitle={t('opps.board.subtitle')}
        extra={
          <Space>
            <ViewSwitch value="board" />
            {canCreate && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreating(true)}
                data-testid="new-opportunity"
              >
                {t('opps.new.title')}
              </Button>
            )}
          </Space>
        }
      />
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <OppFilterBar filters={filters} update={update}>
          <Select
            style={{ width: 200 }}
            loading={processes.isPending}
            value={processId}
            placeholder={t('opps.filter.process')}
            data-testid="process-picker"
            onChange={(v: number) => update({ processId: v })}
            options={(processes.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          />
        </OppFilterBar>
        {board.data && (
          <Flex gap={20} data-testid="board-totals">
            <Stat label={t('opps.board.openCount')} value={String(totals.count)} />
            <Stat label={t('opps.board.pipeline')} value={money(totals.amount, true)} />
            <Stat label={t('opps.board.weighted')} value={money(totals.expected, true)} />
          </Flex>
        )}
      </Flex>
      {body()}
      {creating && <NewOpportunityModal processId={processId} onClose={() => setCreating(false)} />}
      {moving && process.data && (
        <MoveDialog
          opportunity={moving.o}
          process={process.data}
          target={moving.stage}
          onClose={() => setMoving(null)}
        />
      )}
    </>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div style={{ textAlign: 'right' }}>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
        {label}
      </Typography.Text>
      <Typography.Text strong style={{ fontSize: 16 }}>
        {value}
      </Typography.Text>
    </div>
  );
}

function busiest(list: ProcessSummary[] | undefined): number | undefined {
  const active = (list ?? []).filter((p) => p.active);
  return [...active].sort((a, b) => b.openOpportunities - a.openOpportunities)[0]?.id ?? list?.[0]?.id;
}
