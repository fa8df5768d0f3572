import { useEffect, useRef, useState } from 'react';
import { Button, Flex, Tag, Tooltip, Typography } from 'antd';
import { TrophyOutlined } from '@ant-design/icons';
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  MouseSensor,
  pointerWithin,
  rectIntersection,
  TouchSensor,
  useDroppable,
  useSensor,
  useSensors,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { Link, useSearchParams } from 'react-router';
import { useT } from '../../i18n/useI18n.ts';
import { useMoney } from '../../i18n/money.ts';
import { COLUMN_CSS_WIDTH, COLUMN_WIDTH, OppCard } from './BoardCard.tsx';
import type { Board, BoardCard, BoardColumn, Stage } from './types.ts';

const CARRIED = ['ownerId', 'orgUnitId', 'q', 'closeFrom', 'closeTo', 'line'] as const;

function Column({
  col,
  stages,
  onMove,
  maxAmount,
  inLane,
  closed,
}: {
  col: BoardColumn;
  stages: Stage[];
  onMove: (card: BoardCard, stage: Stage) => void;
  maxAmount: number;
  /** One lane among several: a shorter column, so the next lane shows below. */
  inLane: boolean;
  /** The card being dragged belongs to another process: this column takes no drop. */
  closed: boolean;
}) {
  const t = useT();
  const money = useMoney();
  const { setNodeRef, isOver } = useDroppable({ id: col.stage.id, data: { stage: col.stage }, disabled: closed });
  const stage = col.stage;
  // The rest of an open column on the list: the board's own filters carried over, so the list holds the column's deals.
  const [params] = useSearchParams();
  const more = new URLSearchParams({ processId: String(stage.processId), stageId: String(stage.id), status: 'open' });
  for (const key of CARRIED) if (params.get(key)) more.set(key, params.get(key)!);
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
        maxHeight: inLane ? 'min(460px, calc(100vh - 250px))' : 'calc(100vh - 250px)',
        minHeight: inLane ? 200 : 320,
        opacity: closed ? 0.55 : 1,
      }}
    >
      <div style={{ padding: '10px 12px 8px', borderBottom: '1px solid #e2e8f0' }}>
        <Flex justify="space-between" align="center" gap={6}>
          <Typography.Text strong style={{ fontSize: 14 }} data-testid="column-title">
            {stage.won && <TrophyOutlined style={{ color: '#16a34a', marginInlineEnd: 4 }} />}
            {stage.name}
          </Typography.Text>
          {/* A long stage name (P0 Market planning and customer development) wraps; the figures never do. */}
          <Flex gap={6} align="center" style={{ flex: 'none', whiteSpace: 'nowrap' }}>
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
          <Link to={`/opportunities/list?${more.toString()}`} style={{ fontSize: 12, textAlign: 'center', padding: 4 }}>
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

/** The columns of one process in a row that scrolls sideways, with its always-visible track. */
function Row({
  columns,
  dragging,
  onMove,
  inLane,
}: {
  columns: BoardColumn[];
  dragging: BoardCard | null;
  onMove: (card: BoardCard, stage: Stage) => void;
  inLane: boolean;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const stages = columns.map((column) => column.stage);
  const maxAmount = Math.max(0, ...columns.map((c) => c.amount));
  return (
    <>
      <div
        ref={scroller}
        className="kl-board-scroll"
        style={{ display: 'flex', gap: 12, overflowX: 'auto', paddingBottom: 12, scrollSnapType: 'x proximity' }}
        data-testid="board"
      >
        {columns.map((column) => (
          <Column
            key={column.stage.id}
            col={column}
            stages={stages}
            onMove={onMove}
            maxAmount={maxAmount}
            inLane={inLane}
            closed={!!dragging && dragging.processId !== column.stage.processId}
          />
        ))}
      </div>
      <ScrollTrack scroller={scroller} />
    </>
  );
}

/** Open deals of a lane (its won column aside): how many, their amount and expected amount. */
export function openTotals(columns: BoardColumn[]) {
  return columns
    .filter((c) => !c.stage.won)
    .reduce(
      (a, c) => ({ count: a.count + c.count, amount: a.amount + c.amount, expected: a.expected + c.expectedAmount }),
      { count: 0, amount: 0, expected: 0 },
    );
}

/** The heading of a process's lane on the board of every process: its name (a way into its own board) and its totals. */
function LaneHeader({
  lane,
  columns,
  onOpen,
}: {
  lane: Board['processes'][number];
  columns: BoardColumn[];
  onOpen: (processId: number) => void;
}) {
  const t = useT();
  const money = useMoney();
  const totals = openTotals(columns);
  return (
    <Flex justify="space-between" align="center" wrap gap={8} style={{ margin: '4px 0 8px' }}>
      <Flex align="center" gap={8}>
        <Button
          type="link"
          style={{ padding: 0, fontSize: 16, fontWeight: 600 }}
          onClick={() => onOpen(lane.id)}
          data-testid="lane-open"
        >
          {lane.name}
        </Button>
        {!lane.active && <Tag>{t('opps.board.inactive')}</Tag>}
      </Flex>
      <Typography.Text type="secondary" data-testid="lane-totals">
        {t('opps.board.laneTotals', {
          n: totals.count,
          amount: money(totals.amount, true),
          expected: money(totals.expected, true),
        })}
      </Typography.Text>
    </Flex>
  );
}

/**
 * The board: one row of columns for one process, or a lane per process on the board of every
 * process. Stages differ between processes, so a card drops only on its own lane's columns
 * (the others dim while it is held) and every move goes through its own process's stage gate.
 */
export function BoardCanvas({
  board,
  onMove,
  onOpenProcess,
}: {
  board: Board;
  onMove: (card: BoardCard, stage: Stage) => void;
  onOpenProcess: (processId: number) => void;
}) {
  // A mouse drags after a few pixels; a finger after a long press held still (a quick swipe
  // scrolls the board or the page instead); the keyboard picks up with space.
  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
    useSensor(KeyboardSensor),
  );
  const [active, setActive] = useState<BoardCard | null>(null);
  const onStart = (e: DragStartEvent) => setActive((e.active.data.current as { o: BoardCard } | undefined)?.o ?? null);
  const onEnd = (endEvent: DragEndEvent) => {
    setActive(null);
    const card = (endEvent.active.data.current as { o: BoardCard } | undefined)?.o;
    const stage = (endEvent.over?.data.current as { stage: Stage } | undefined)?.stage;
    if (card && stage && stage.id !== card.stageId && stage.processId === card.processId) onMove(card, stage);
  };
  const activeStages = active ? board.columns.filter((c) => c.stage.processId === active.processId) : [];
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={underPointer}
      onDragStart={onStart}
      onDragEnd={onEnd}
      onDragCancel={() => setActive(null)}
    >
      {board.process ? (
        <Row columns={board.columns} dragging={active} onMove={onMove} inLane={false} />
      ) : (
        board.processes.map((lane) => {
          const columns = board.columns.filter((c) => c.stage.processId === lane.id);
          return (
            <section key={lane.id} data-testid="board-lane" data-process-id={lane.id} style={{ marginBottom: 12 }}>
              <LaneHeader lane={lane} columns={columns} onOpen={onOpenProcess} />
              <Row columns={columns} dragging={active} onMove={onMove} inLane />
            </section>
          );
        })
      )}
      <DragOverlay dropAnimation={null}>
        {active ? (
          <div style={{ width: COLUMN_WIDTH - 16 }}>
            <OppCard o={active} stages={activeStages.map((c) => c.stage)} onMove={onMove} overlay />
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
