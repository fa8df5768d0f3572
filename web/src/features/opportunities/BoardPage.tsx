import { useState } from 'react';
import { Button, Card, Empty, Flex, Segmented, Select, Skeleton, Space, Typography } from 'antd';
import { AppstoreOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { LoadError } from '../../components/LoadError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useI18n.ts';
import { useMoney } from '../../i18n/money.ts';
import { useCan } from '../auth/session.ts';
import { useBoard, useProcess, useProcesses } from './api.ts';
import { COLUMN_WIDTH } from './BoardCard.tsx';
import { BoardCanvas, openTotals } from './BoardCanvas.tsx';
import { ALL_PROCESSES, parseChoice, useBoardChoice, type BoardChoice } from './boardChoice.ts';
import { useOppFilters } from './filters.ts';
import { MoveDialog } from './MoveDialog.tsx';
import { NewOpportunityModal } from './NewOpportunityModal.tsx';
import { OppFilterBar } from './OppFilterBar.tsx';
import type { BoardCard, Stage } from './types.ts';

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

/** /opportunities/board — the pipeline of one sales process, or of every one in lanes, as a kanban board (docs/sales-process.md § The board). */
export default function BoardPage() {
  const t = useT();
  const money = useMoney();
  const { filters, update, list } = useOppFilters();
  const processes = useProcesses();
  const choice = useBoardChoice(parseChoice(list.str('processId')), processes.data);
  const processId = choice === ALL_PROCESSES ? undefined : choice;
  const boardFilters = {
    processId,
    ownerId: filters.ownerId,
    orgUnitId: filters.orgUnitId,
    closeFrom: filters.closeFrom,
    closeTo: filters.closeTo,
    q: filters.q,
    line: filters.line,
  };
  const board = useBoard(boardFilters, choice !== undefined);
  const [moving, setMoving] = useState<{ o: BoardCard; stage: Stage } | null>(null);
  const [creating, setCreating] = useState(false);
  const can = useCan();
  const canCreate = can('opportunities.write');

  const totals = openTotals(board.data?.columns ?? []);

  const body = () => {
    if (processes.isError) return <LoadError error={processes.error} onRetry={() => void processes.refetch()} />;
    if (processes.data && processes.data.length === 0) return <Empty description={t('opps.board.noProcess')} />;
    if (board.isError) return <LoadError error={board.error} onRetry={() => void board.refetch()} />;
    if (!board.data)
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
      <BoardCanvas
        board={board.data}
        onMove={(o, stage) => setMoving({ o, stage })}
        onOpenProcess={(id) => update({ processId: id })}
      />
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
      <Flex
        justify="space-between"
        align="center"
        gap={12}
        wrap
        style={{ marginBottom: 16 }}
        data-testid="board-filter-bar"
      >
        <OppFilterBar filters={filters} update={update} lineFilter moreFilters>
          <Select
            style={{ width: 200 }}
            loading={processes.isPending}
            value={processes.data ? choice : undefined}
            placeholder={t('opps.filter.process')}
            data-testid="process-picker"
            onChange={(v: BoardChoice) => update({ processId: v })}
            options={[
              { value: ALL_PROCESSES, label: t('opps.filter.allProcesses') },
              ...(processes.data ?? []).map((p) => ({ value: p.id, label: p.name })),
            ]}
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
      {moving && <MoveFromBoard card={moving.o} target={moving.stage} onClose={() => setMoving(null)} />}
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

/** The move dialog for a card of any lane: it works in the card's own process (its stages and their evidence). */
function MoveFromBoard({ card, target, onClose }: { card: BoardCard; target: Stage; onClose: () => void }) {
  const process = useProcess(card.processId);
  if (!process.data) return null;
  return <MoveDialog opportunity={card} process={process.data} target={target} onClose={onClose} />;
}
