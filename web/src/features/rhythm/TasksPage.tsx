import { useState } from 'react';
import {
  App,
  Button,
  Checkbox,
  Dropdown,
  Empty,
  Flex,
  Segmented,
  Select,
  Space,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import { CheckSquareOutlined, MoreOutlined, PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useProblem } from '../../api/useProblem.ts';
import { ListTable } from '../../components/ListTable.tsx';
import { LoadError } from '../../components/LoadError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useListParams } from '../../components/useListParams.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useCan, useSession } from '../auth/session.ts';
import type { TaskDto } from '../../../../src/contracts/tasks.ts';
import { useTasks, useTaskStatus } from './api.ts';
import { TaskFormModal } from './TaskFormModal.tsx';

const PAGE = 20;
const DUE = ['overdue', 'today', 'week', 'later'] as const;

/** Tasks (docs/rhythm.md § Tasks): mine or my team's, by due date; tick to complete. */
export default function TasksPage() {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const { reach } = useSession();
  const can = useCan();
  const list = useListParams({ pageSize: PAGE, defaultSort: 'dueDate' });
  const scope = list.str('scope') === 'team' ? 'team' : 'mine';
  const status = list.str('status') ?? 'open';
  const due = list.str('due');
  const tasks = useTasks({
    scope,
    status: status === 'all' ? undefined : status,
    due,
    sort: list.sort,
    limit: list.limit,
    offset: list.offset,
  });
  const setStatus = useTaskStatus();
  const [editing, setEditing] = useState<TaskDto | 'new' | null>(null);
  const today = tasks.data?.today;

  function tick(task: TaskDto) {
    const to = task.status === 'done' ? 'reopen' : 'complete';
    setStatus.mutate(
      { task, to },
      {
        onSuccess: () => void message.success(t(to === 'complete' ? 'tasks.completed' : 'tasks.reopened')),
        onError: (e) => report(e),
      },
    );
  }

  const dueText = (task: TaskDto) => (
    <Typography.Text type={task.overdue ? 'danger' : undefined} data-testid={`task-due-${task.id}`}>
      {task.dueDate === today ? t('tasks.today') : task.dueDate}
      {task.overdue ? ` · ${t('tasks.overdue')}` : ''}
    </Typography.Text>
  );

  const columns: TableProps<TaskDto>['columns'] = [
    {
      key: 'done',
      width: 44,
      render: (_, task) => (
        <Checkbox
          checked={task.status === 'done'}
          disabled={!task.permissions.edit || task.status === 'cancelled'}
          onChange={() => tick(task)}
          aria-label={t('tasks.complete')}
          data-testid={`task-tick-${task.id}`}
        />
      ),
    },
    {
      title: t('tasks.col.title'),
      key: 'title',
      sorter: true,
      render: (_, task) => (
        <Flex vertical gap={2} style={{ minWidth: 180 }}>
          <Typography.Text strong delete={task.status !== 'open'}>
            {task.title}
          </Typography.Text>
          <Space size={4} wrap>
            {task.source !== 'manual' && <Tag>{t(`tasks.source.${task.source}` as MessageKey)}</Tag>}
            {task.opportunity ? (
              <Link to={`/opportunities/${task.opportunity.id}`}>{task.opportunity.name}</Link>
            ) : (
              task.account && <Link to={`/accounts/${task.account.id}`}>{task.account.name}</Link>
            )}
          </Space>
          {/* On a phone the due date and assignee columns are hidden: say them here. */}
          <Typography.Text type="secondary" className="kl-phone-only" style={{ fontSize: 12 }}>
            {dueText(task)}
            {scope === 'team' ? ` · ${task.assignee.name}` : ''}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('tasks.col.dueDate'),
      key: 'dueDate',
      sorter: true,
      width: 150,
      responsive: ['sm'],
      render: (_, task) => dueText(task),
    },
    ...(scope === 'team'
      ? [
          {
            title: t('tasks.col.assignee'),
            key: 'assignee',
            responsive: ['sm' as const],
            render: (_: unknown, task: TaskDto) => task.assignee.name,
          },
        ]
      : []),
    {
      key: 'more',
      width: 48,
      render: (_, task) =>
        task.permissions.edit && (
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'edit', label: t('tasks.edit') },
                ...(task.status === 'open' ? [{ key: 'cancel', label: t('tasks.cancel'), danger: true }] : []),
              ],
              onClick: ({ key }) =>
                key === 'edit'
                  ? setEditing(task)
                  : setStatus.mutate({ task, to: 'cancel' }, { onError: (e) => report(e) }),
            }}
          >
            <Button
              type="text"
              size="small"
              icon={<MoreOutlined />}
              aria-label={t('common.actions')}
              data-testid={`task-more-${task.id}`}
            />
          </Dropdown>
        ),
    },
  ];

  if (tasks.isError && !tasks.data) return <LoadError error={tasks.error} onRetry={() => void tasks.refetch()} />;

  return (
    <>
      <PageHeader
        title={t('tasks.title')}
        subtitle={t('tasks.subtitle')}
        extra={
          can('tasks.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="task-new">
              {t('tasks.new')}
            </Button>
          )
        }
      />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        {reach !== 'unit' && (
          <Segmented
            value={scope}
            onChange={(v) => list.update({ scope: v === 'team' ? 'team' : undefined })}
            options={[
              { value: 'mine', label: t('tasks.scope.mine') },
              { value: 'team', label: t('tasks.scope.team') },
            ]}
            data-testid="task-scope"
          />
        )}
        <Select
          value={due ?? 'any'}
          onChange={(v: string) => list.update({ due: v === 'any' ? undefined : v })}
          style={{ width: 140 }}
          aria-label={t('tasks.filter.due')}
          options={[
            { value: 'any', label: t('tasks.due.any') },
            ...DUE.map((d) => ({ value: d, label: t(`tasks.due.${d}` as MessageKey) })),
          ]}
          data-testid="task-due-filter"
        />
        <Select
          value={status}
          onChange={(v: string) => list.update({ status: v === 'open' ? undefined : v })}
          style={{ width: 120 }}
          aria-label={t('tasks.filter.status')}
          options={['open', 'done', 'cancelled', 'all'].map((text) => ({
            value: text,
            label: t(`tasks.status.${text}` as MessageKey),
          }))}
        />
      </Flex>
      <ListTable<TaskDto>
        list={list}
        query={tasks}
        columns={columns}
        sortable={['title', 'dueDate']}
        rowClassName={(task) => (task.overdue ? 'kl-row-overdue' : '')}
        locale={{
          emptyText: (
            <Empty
              image={<CheckSquareOutlined style={{ fontSize: 40, color: '#94a3b8' }} />}
              description={
                <>
                  {t(status === 'open' && !due ? 'tasks.empty' : 'tasks.emptyFiltered')}
                  <br />
                  <Typography.Text type="secondary">{t('tasks.emptyHint')}</Typography.Text>
                </>
              }
            />
          ),
        }}
        data-testid="task-table"
      />
      {editing && <TaskFormModal task={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </>
  );
}
