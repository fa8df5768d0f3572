import { useState } from 'react';
import { App, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useCreateOpportunity, useProcess, useProcesses } from './api.ts';
import { yuanToFen } from '../../i18n/money.ts';

interface Values { accountId: number; name: string; processId: number; stageId?: number; amount: number; expectedCloseDate: Dayjs }

/** A new opportunity on an account the user can see (SPEC §5.2); the owner joins the team as sales lead. */
/** New opportunity; from an account's page the account comes preset (SPEC §5.2 "create from an account"). */
export function NewOpportunityModal({ processId, account, onClose }: { processId?: number; account?: { id: number; name: string }; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const navigate = useNavigate();
  const create = useCreateOpportunity();
  const processes = useProcesses();
  const [form] = Form.useForm<Values>();
  const chosenProcess = Form.useWatch('processId', form);
  const process = useProcess(chosenProcess);
  const [q, setQ] = useState('');
  const accounts = useQuery({
    queryKey: ['accounts', 'picker', q],
    queryFn: ({ signal }) => api.get<Page<{ id: number; name: string; city: string | null }>>('/accounts', { q: q || undefined, limit: 20, sort: 'name' }, { signal }),
    staleTime: 30_000,
  });
  const submit = (v: Values) =>
    create.mutateAsync({ accountId: v.accountId, name: v.name.trim(), processId: v.processId, amount: yuanToFen(v.amount), expectedCloseDate: v.expectedCloseDate.format('YYYY-MM-DD'), ...(v.stageId ? { stageId: v.stageId } : {}) })
      .then((o) => { message.success(t('opps.new.created', { name: o.name })); onClose(); void navigate(`/opportunities/${o.id}`); }, (e: unknown) => report(e, form));
  return (
    <Modal open title={t('opps.new.title')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.create')} cancelText={t('common.cancel')} confirmLoading={create.isPending} destroyOnHidden width={560}>
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ processId, accountId: account?.id, expectedCloseDate: dayjs().add(30, 'day') }}>
        <Form.Item name="accountId" label={t('opps.new.account')} rules={[{ required: true, message: t('validation.required') }]}>
          <Select showSearch filterOption={false} onSearch={setQ} loading={accounts.isFetching} placeholder={t('opps.new.accountPlaceholder')}
            options={[
              ...(account && !(accounts.data?.items ?? []).some((a) => a.id === account.id) ? [{ value: account.id, label: account.name }] : []),
              ...(accounts.data?.items ?? []).map((a) => ({ value: a.id, label: a.city ? `${a.name} · ${a.city}` : a.name })),
            ]} />
        </Form.Item>
        <Form.Item name="name" label={t('opps.col.name')} rules={[{ required: true, message: t('validation.required') }]}><Input maxLength={200} placeholder={t('opps.new.namePlaceholder')} /></Form.Item>
        <Form.Item name="processId" label={t('opps.filter.process')} rules={[{ required: true, message: t('validation.required') }]} extra={t('opps.new.processHint')}>
          <Select options={(processes.data ?? []).filter((p) => p.active).map((p) => ({ value: p.id, label: p.name }))} onChange={() => form.setFieldValue('stageId', undefined)} />
        </Form.Item>
        <Form.Item name="stageId" label={t('opps.new.stage')} extra={t('opps.new.stageHint')}>
          <Select allowClear placeholder={process.data?.stages[0]?.name} options={(process.data?.stages ?? []).filter((s) => !s.won).map((s) => ({ value: s.id, label: `${s.name} · ${s.probability}%` }))} />
        </Form.Item>
        <Form.Item name="amount" label={t('opps.col.amount')} rules={[{ required: true, message: t('validation.required') }]} extra={t('opps.edit.amountHint')}>
          <InputNumber<number> style={{ width: '100%' }} min={0} precision={0} prefix="¥" formatter={(v) => (v === undefined || String(v) === '' ? '' : Number(v).toLocaleString('en-US'))} parser={(v) => Number((v ?? '').replace(/[^\d.]/g, ''))} />
        </Form.Item>
        <Form.Item name="expectedCloseDate" label={t('opps.col.close')} rules={[{ required: true, message: t('validation.required') }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
      </Form>
    </Modal>
  );
}
