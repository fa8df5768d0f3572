import { useMemo, useState } from 'react';
import { App, DatePicker, Flex, Form, Input, InputNumber, Modal, Select, Switch, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useDates } from '../../i18n/useDates.ts';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useCan } from '../auth/session.ts';
import { useCreateOpportunity, useProcess, useProcesses } from './api.ts';
import { accountQueries } from '../accounts/api.ts';
import { yuanToFen } from '../../i18n/money.ts';
import { EvidenceChecklist, useEvidence } from './EvidenceChecklist.tsx';
import type { MissingEvidence } from './types.ts';
import { LeadSourceSelect } from './LeadSourceSelect.tsx';
import type { LeadSource } from '../accounts/types.ts';

interface Values {
  accountId: number;
  name: string;
  processId: number;
  stageId?: number;
  amount: number;
  expectedCloseDate: Dayjs;
  leadSource?: LeadSource;
}

/**
 * A new opportunity on an account the user can see (docs/sales-process.md § The opportunity); the owner joins the team as sales
 * lead; from an account's page the account comes preset. Starting past the first stage (a customer
 * buying again) asks for the evidence of the stages skipped, as the move dialog does (docs/sales-process.md).
 */
export function NewOpportunityModal({
  processId,
  account,
  onClose,
}: {
  processId?: number;
  account?: { id: number; name: string };
  onClose: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const navigate = useNavigate();
  const create = useCreateOpportunity();
  const dates = useDates();
  const processes = useProcesses();
  const [form] = Form.useForm<Values>();
  const chosenProcess = Form.useWatch('processId', form);
  const process = useProcess(chosenProcess);
  const chosenStage = Form.useWatch('stageId', form);
  const stages = useMemo(
    () => [...(process.data?.stages ?? [])].sort((a, b) => a.position - b.position),
    [process.data],
  );
  const startIndex = stages.findIndex((s) => s.id === chosenStage);
  /** The stages skipped by starting later: each one's evidence gates the entry, as in a move from the first stage. */
  const gated = useMemo(() => (startIndex > 0 ? stages.slice(0, startIndex) : []), [stages, startIndex]);
  const ev = useEvidence(gated);
  // Before the deal exists the server decides on its owner; offered to those who manage accounts (policy's canManageAccount).
  const canOverride = useCan()('accounts.manage');
  const [override, setOverride] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [query, setQ] = useState('');
  const accounts = useQuery(accountQueries.picker(query));
  const overriding = gated.length > 0 && canOverride && override;
  const submit = (values: Values) => {
    setReasonError(null);
    if (overriding && !reason.trim()) {
      setReasonError(t('opps.move.overrideReasonRequired'));
      return;
    }
    create
      .mutateAsync({
        accountId: values.accountId,
        name: values.name.trim(),
        processId: values.processId,
        amount: yuanToFen(values.amount),
        expectedCloseDate: dates.pickedDay(values.expectedCloseDate),
        ...(values.leadSource ? { leadSource: values.leadSource } : {}),
        ...(values.stageId ? { stageId: values.stageId } : {}),
        ...(gated.length > 0 ? { evidence: ev.given() } : {}),
        ...(overriding ? { override: true, reason: reason.trim() } : {}),
      })
      .then(
        (item) => {
          message.success(t('opps.new.created', { name: item.name }));
          onClose();
          void navigate(`/opportunities/${item.id}`);
        },
        (err: unknown) => {
          // The server's answer to missing evidence is shown beside the items, as in the move dialog.
          if (isApiError(err) && err.code === 'evidence_missing') {
            ev.setMissing(Array.isArray(err.problem.missing) ? (err.problem.missing as MissingEvidence[]) : []);
            return;
          }
          if (isApiError(err) && err.code === 'reason_required') {
            setReasonError(t('opps.move.overrideReasonRequired'));
            return;
          }
          report(err, form);
        },
      );
  };
  return (
    <Modal
      open
      title={t('opps.new.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      destroyOnHidden
      width={gated.length > 0 ? 680 : 560}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ processId, accountId: account?.id, expectedCloseDate: dates.pickerDay(dates.fromToday(30)) }}
      >
        <Form.Item
          name="accountId"
          label={t('opps.new.account')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            showSearch
            filterOption={false}
            onSearch={setQ}
            loading={accounts.isFetching}
            placeholder={t('opps.new.accountPlaceholder')}
            data-testid="new-opp-account"
            options={[
              ...(account && !(accounts.data?.items ?? []).some((a) => a.id === account.id)
                ? [{ value: account.id, label: account.name }]
                : []),
              ...(accounts.data?.items ?? []).map((first) => ({
                value: first.id,
                label: first.city ? `${first.name} · ${first.city}` : first.name,
              })),
            ]}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('opps.col.name')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input maxLength={200} placeholder={t('opps.new.namePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="processId"
          label={t('opps.filter.process')}
          rules={[{ required: true, message: t('validation.required') }]}
          extra={t('opps.new.processHint')}
        >
          <Select
            options={(processes.data ?? []).filter((p) => p.active).map((p) => ({ value: p.id, label: p.name }))}
            onChange={() => form.setFieldValue('stageId', undefined)}
          />
        </Form.Item>
        <Form.Item name="stageId" label={t('opps.new.stage')} extra={t('opps.new.stageHint')}>
          <Select
            allowClear
            placeholder={process.data?.stages[0]?.name}
            data-testid="new-opp-stage"
            options={(process.data?.stages ?? [])
              .filter((s) => !s.won)
              .map((s) => ({ value: s.id, label: `${s.name} · ${s.probability}%` }))}
          />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('opps.col.amount')}
          rules={[{ required: true, message: t('validation.required') }]}
          extra={t('opps.edit.amountHint')}
        >
          <InputNumber<number>
            style={{ width: '100%' }}
            min={0}
            precision={0}
            prefix="¥"
            formatter={(v) => (v === undefined || String(v) === '' ? '' : Number(v).toLocaleString('en-US'))}
            parser={(v) => Number((v ?? '').replace(/[^\d.]/g, ''))}
          />
        </Form.Item>
        <Form.Item
          name="expectedCloseDate"
          label={t('opps.col.close')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="leadSource" label={t('accounts.field.leadSource')}>
          <LeadSourceSelect testId="new-opp-lead-source" />
        </Form.Item>
        {gated.length > 0 && (
          <div data-testid="entry-evidence">
            <Typography.Text strong style={{ display: 'block' }}>
              {t('opps.new.evidenceTitle', { stage: stages[startIndex]!.name })}
            </Typography.Text>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 12 }}>
              {t('opps.new.evidenceHint')}{' '}
              {ev.total > 0 ? t('opps.move.progress', { done: ev.done, total: ev.total }) : ''}
            </Typography.Paragraph>
            <EvidenceChecklist gated={gated} ev={ev} />
            {canOverride && (
              <Flex align="center" gap={8} style={{ marginBottom: override ? 8 : 0 }} wrap>
                <Switch size="small" checked={override} onChange={setOverride} data-testid="entry-override" />
                <Typography.Text>{t('opps.move.override')}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('opps.move.overrideHint')}
                </Typography.Text>
              </Flex>
            )}
            {overriding && (
              <>
                <Input.TextArea
                  autoSize={{ minRows: 2, maxRows: 5 }}
                  maxLength={1000}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  status={reasonError ? 'error' : undefined}
                  placeholder={t('opps.move.overrideReason')}
                  data-testid="entry-reason"
                />
                {reasonError && (
                  <Typography.Text type="danger" style={{ fontSize: 12 }}>
                    {reasonError}
                  </Typography.Text>
                )}
              </>
            )}
          </div>
        )}
      </Form>
    </Modal>
  );
}
