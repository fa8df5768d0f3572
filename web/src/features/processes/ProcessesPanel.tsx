import { useState } from 'react';
import { Alert, App, Button, Empty, Flex, Switch, Table, Tag, Typography, type TableProps } from 'antd';
import { EditOutlined, EyeOutlined, CopyOutlined } from '@ant-design/icons';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useCan } from '../auth/session.ts';
import { useAllProcesses, useTemplates, useUpdateProcess, type ProcessRow } from './api.ts';
import { CopyModal, useLangKey } from './CopyModal.tsx';
import { ProcessDrawer } from './ProcessDrawer.tsx';

/** Settings → Sales processes (docs/sales-process.md § Sales processes and stages): everyone reads them, administrators copy templates and edit stages. */
export default function ProcessesPanel() {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const can = useCan();
  const canEdit = can('processes.administer');
  const list = useAllProcesses();
  const templates = useTemplates();
  const update = useUpdateProcess();
  const { lang } = useLangKey();
  const [open, setOpen] = useState<number | null>(null);
  const [copying, setCopying] = useState(false);
  const templateName = (key: string | null) => {
    const tpl = templates.data?.find((x) => x.key === key);
    return tpl ? tpl.name[lang] : t('processes.noTemplate');
  };

  const columns: TableProps<ProcessRow>['columns'] = [
    {
      title: t('processes.col.name'),
      key: 'name',
      render: (_, salesProcess) => (
        <Flex vertical>
          <Typography.Link strong onClick={() => setOpen(salesProcess.id)} data-testid="process-open">
            {salesProcess.name}
          </Typography.Link>
          {salesProcess.description && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {salesProcess.description}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    { title: t('processes.col.template'), key: 'template', render: (_, p) => <Tag>{templateName(p.templateKey)}</Tag> },
    { title: t('processes.col.stages'), dataIndex: 'stageCount', key: 'stages', align: 'center' },
    {
      title: t('processes.col.active'),
      key: 'active',
      render: (_, salesProcess) => (
        <Switch
          checked={salesProcess.active}
          disabled={!canEdit}
          loading={update.isPending && update.variables?.id === salesProcess.id}
          aria-label={t('processes.col.active')}
          onChange={(active) =>
            update.mutate(
              { id: salesProcess.id, version: salesProcess.version, active },
              {
                onSuccess: () => void message.success(t(active ? 'processes.activated' : 'processes.deactivated')),
                onError: (e) => report(e),
              },
            )
          }
        />
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      render: (_, salesProcess) => (
        <Button
          size="small"
          type="text"
          icon={canEdit ? <EditOutlined /> : <EyeOutlined />}
          onClick={() => setOpen(salesProcess.id)}
        >
          {t(canEdit ? 'processes.open' : 'processes.view')}
        </Button>
      ),
    },
  ];

  if (list.isError && !list.data) return <LoadError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Flex vertical gap={16}>
      <Alert type="info" showIcon title={t('processes.history')} data-testid="process-history-note" />
      {!canEdit && <Alert type="warning" showIcon title={t('processes.readOnly')} />}
      {canEdit && (
        <Flex justify="flex-end">
          <Button type="primary" icon={<CopyOutlined />} onClick={() => setCopying(true)} data-testid="process-copy">
            {t('processes.copy')}
          </Button>
        </Flex>
      )}
      <Table<ProcessRow>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data}
        loading={list.isFetching}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                <>
                  {t('processes.empty')}
                  <br />
                  {t('processes.emptyHint')}
                </>
              }
            />
          ),
        }}
        data-testid="processes-table"
      />
      {copying && (
        <CopyModal
          templates={templates.data ?? []}
          onClose={(id) => {
            setCopying(false);
            if (id) setOpen(id);
          }}
        />
      )}
      {open !== null && <ProcessDrawer id={open} canEdit={canEdit} onClose={() => setOpen(null)} />}
    </Flex>
  );
}
