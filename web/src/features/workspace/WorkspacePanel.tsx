import { useMemo } from 'react';
import { Alert, App, Button, Form, Input, Select, Skeleton } from 'antd';
import type { Workspace } from '../../api/types.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useCan } from '../auth/session.ts';
import { useUpdateWorkspace, useWorkspace } from './api.ts';

type Values = Pick<Workspace, 'name' | 'currency' | 'timeZone' | 'fiscalYearStartMonth'>;

const CURRENCIES = ['CNY', 'HKD', 'USD', 'EUR', 'JPY', 'SGD', 'GBP'];

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

/** Settings → Workspace: company name, currency, time zone and fiscal year (administrators edit). */
export default function WorkspacePanel() {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const canEdit = useCan()('workspace.administer');
  const workspace = useWorkspace();
  const update = useUpdateWorkspace();
  const [form] = Form.useForm<Values>();
  const zones = useMemo(() => timeZones(workspace.data?.timeZone ?? 'Asia/Shanghai'), [workspace.data?.timeZone]);

  if (workspace.isPending) return <Skeleton active />;
  if (workspace.isError) return <LoadError error={workspace.error} onRetry={() => void workspace.refetch()} />;
  const ws = workspace.data;

  return (
    <div style={{ maxWidth: 560 }}>
      {!canEdit && <Alert type="info" showIcon title={t('common.readOnly')} style={{ marginBottom: 16 }} />}
      <Form
        // Re-seed the form whenever the server's copy changes (after a save or a conflict).
        key={ws.version}
        form={form}
        layout="vertical"
        disabled={!canEdit}
        initialValues={{
          name: ws.name,
          currency: ws.currency,
          timeZone: ws.timeZone,
          fiscalYearStartMonth: ws.fiscalYearStartMonth,
        }}
        onFinish={(values) =>
          update.mutate(
            { version: ws.version, ...values, name: values.name.trim() },
            { onSuccess: () => message.success(t('common.saved')), onError: (e) => report(e, form) },
          )
        }
      >
        <Form.Item
          name="name"
          label={t('workspace.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="currency" label={t('workspace.currency')} rules={[{ required: true }]}>
          <Select showSearch options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
        </Form.Item>
        <Form.Item name="timeZone" label={t('workspace.timeZone')} rules={[{ required: true }]}>
          <Select showSearch options={zones.map((z) => ({ value: z, label: z }))} />
        </Form.Item>
        <Form.Item
          name="fiscalYearStartMonth"
          label={t('workspace.fiscalYearStart')}
          extra={t('workspace.fiscalYearHint')}
          rules={[{ required: true }]}
        >
          <Select
            options={Array.from({ length: 12 }, (_, index) => ({
              value: index + 1,
              label: t('workspace.month', { n: index + 1 }),
            }))}
          />
        </Form.Item>
        {canEdit && (
          <Button type="primary" htmlType="submit" loading={update.isPending}>
            {t('common.save')}
          </Button>
        )}
      </Form>
    </div>
  );
}
