import { Empty, Flex, Select, Tag, Typography, type TableProps } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { AuditEntry } from '../../api/types.ts';
import { useDates } from '../../i18n/useDates.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { zhCN } from '../../i18n/zh-CN.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { useListParams } from '../../components/useListParams.ts';
import { auditQueries } from './api.ts';
import { detailLine } from './detail.ts';

const PAGE_SIZE = 25;
const GROUPS = [
  'auth',
  'org',
  'user',
  'workspace',
  'export',
  'import',
  'handover',
  'pool',
  'account',
  'tiers',
  'territory',
  'process',
] as const;
const GROUP_COLORS: Record<string, string> = {
  auth: 'blue',
  org: 'purple',
  user: 'gold',
  workspace: 'green',
  export: 'red',
  import: 'cyan',
  handover: 'orange',
  pool: 'geekblue',
};

/** Settings → Audit log (administrators and executives): who did what, when, from where. */
export default function AuditLogPanel() {
  const { t, locale } = useI18n();
  const dates = useDates();
  const list = useListParams({ pageSize: PAGE_SIZE });
  const group = list.str('group');
  const log = useQuery(
    auditQueries.list({ limit: list.limit, offset: list.offset, action: group ? `${group}.` : undefined }),
  );

  // Unknown actions (added on the server later) still show, under their raw name.
  const actionLabel = (action: string) => {
    const key = `audit.action.${action}`;
    return key in zhCN ? t(key as MessageKey) : action;
  };

  const columns: TableProps<AuditEntry>['columns'] = [
    {
      title: t('audit.col.time'),
      dataIndex: 'createdAt',
      key: 'time',
      width: 180,
      render: (v: number) => dates.format(v, 'dateTimeSeconds'),
    },
    {
      title: t('audit.col.action'),
      dataIndex: 'action',
      key: 'action',
      render: (a: string) => <Tag color={GROUP_COLORS[a.split('.')[0] ?? ''] ?? 'default'}>{actionLabel(a)}</Tag>,
    },
    {
      title: t('audit.col.actor'),
      dataIndex: 'actorName',
      key: 'actor',
      // A failed or blocked sign-in was made by whoever typed the email: not the account's owner, not the system.
      render: (value: string | null, record) =>
        value ?? (
          <Typography.Text type="secondary">
            {t(record.action.startsWith('auth.login.') ? 'audit.anonymous' : 'audit.system')}
          </Typography.Text>
        ),
    },
    {
      title: t('audit.col.subject'),
      dataIndex: 'subject',
      key: 'subject',
      render: (v: string | null, e) => v ?? e.targetName ?? t('common.none'),
    },
    {
      title: t('audit.col.detail'),
      dataIndex: 'detail',
      key: 'detail',
      render: (value: unknown) => {
        const line = detailLine(value, locale);
        return line ? (
          <Typography.Text style={{ maxWidth: 360, fontSize: 12 }} ellipsis={{ tooltip: line }}>
            {line}
          </Typography.Text>
        ) : null;
      },
    },
    {
      title: t('audit.col.ip'),
      dataIndex: 'ip',
      key: 'ip',
      responsive: ['md'],
      render: (v: string | null) => v ?? t('common.none'),
    },
  ];

  if (log.isError && !log.data) return <LoadError error={log.error} onRetry={() => void log.refetch()} />;

  return (
    <>
      <Flex gap={12} style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t('audit.filter')}
          value={group}
          onChange={(g: string | undefined) => list.update({ group: g })}
          options={GROUPS.map((g) => ({ value: g, label: t(`audit.group.${g}`) }))}
          style={{ width: 220 }}
        />
      </Flex>
      <ListTable<AuditEntry>
        list={list}
        query={log}
        columns={columns}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('audit.empty')} /> }}
        data-testid="audit-table"
      />
    </>
  );
}
