import { Avatar, Button, Dropdown, Flex, Tooltip, Typography } from 'antd';
import { CalendarOutlined, MoreOutlined } from '@ant-design/icons';
import { useDraggable } from '@dnd-kit/core';
import { Link } from 'react-router';
import { useT } from '../../i18n/useI18n.ts';
import { useMoney } from '../../i18n/money.ts';
import { useDates } from '../../i18n/useDates.ts';
import { EvidenceProgress, overdueDate, ProblemBadges } from './bits.tsx';
import type { BoardCard, Stage } from './types.ts';

export const COLUMN_WIDTH = 272;
/** On a phone a column leaves room to see the next one coming: the board visibly goes on. */
export const COLUMN_CSS_WIDTH = `min(${COLUMN_WIDTH}px, 80vw)`;

/**
 * A press on a card's link or menu is a tap on that control, never the start of a drag: the
 * sensors below listen to mouse and touch, so both are stopped here.
 */
const notADrag = {
  onMouseDown: (e: React.SyntheticEvent) => e.stopPropagation(),
  onTouchStart: (e: React.SyntheticEvent) => e.stopPropagation(),
};

function initials(name: string | null) {
  return name ? name.slice(-2) : '?';
}

/** A card; only those who lead the deal (its owner, a manager over it) may drag it or move it from its menu. */
export function OppCard({
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
  const today = useDates().today();
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
        <Typography.Text type={overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }} data-testid="opp-card-close">
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
