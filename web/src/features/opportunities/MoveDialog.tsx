import { useMemo, useState } from 'react';
import { App, Button, Flex, Input, InputNumber, Modal, Space, Switch, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, ArrowRightOutlined, TrophyOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../api/client.ts';
import { useFieldMessage, useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { deskKeys } from '../../api/keys.ts';
import { oppKeys, useMoveStage } from './api.ts';
import { useMoney, yuanToFen } from '../../i18n/money.ts';
import { EvidenceChecklist, useEvidence } from './EvidenceChecklist.tsx';
import type { MissingEvidence, Opportunity, Process, Stage } from './types.ts';

/**
 * Moving an opportunity to another stage (docs/sales-process.md). Forward: the evidence of the stage being left
 * and of every skipped stage, item by item (a note or a file where the item asks); a manager may
 * override what is missing with a reason. Back: a reason. Into the won stage: the contract amount.
 * The server decides — a 422 lists what is still missing, shown right here beside the items.
 */
export function MoveDialog({
  opportunity,
  process,
  target,
  onClose,
  onMoved,
}: {
  opportunity: Pick<Opportunity, 'id' | 'name' | 'accountName' | 'stageId' | 'version' | 'amount' | 'evidence'> & {
    permissions: { manage: boolean };
  };
  process: Process;
  target: Stage;
  onClose: () => void;
  onMoved?: () => void;
}) {
  const t = useT();
  const fieldMessage = useFieldMessage();
  const money = useMoney();
  const { message } = App.useApp();
  const report = useProblem();
  const qc = useQueryClient();
  const move = useMoveStage();
  const stages = useMemo(() => [...process.stages].sort((a, b) => a.position - b.position), [process]);
  const fromIndex = stages.findIndex((s) => s.id === opportunity.stageId);
  const toIndex = stages.findIndex((s) => s.id === target.id);
  const from = stages[fromIndex];
  const forward = toIndex > fromIndex;
  /** The stage being left and every stage skipped: each one's evidence gates the move. */
  const gated = forward ? stages.slice(Math.max(0, fromIndex), toIndex) : [];
  // The server's right over this deal (a manager above it, an admin), not a guess from the role.
  const canOverride = opportunity.permissions.manage;

  // Forward, the checklist starts from what the team already recorded for the stage being left; what is sent decides.
  const prefilled = forward ? opportunity.evidence : [];
  const ev = useEvidence(gated, prefilled);
  const [reason, setReason] = useState('');
  const [override, setOverride] = useState(false);
  const [contract, setContract] = useState<number | null>(Math.round(opportunity.amount / 100));
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [amountError, setAmountError] = useState<string | null>(null);

  const submit = async () => {
    setReasonError(null);
    setAmountError(null);
    if (!forward && !reason.trim()) {
      setReasonError(t('opps.move.reasonRequired'));
      return;
    }
    if (override && !reason.trim()) {
      setReasonError(t('opps.move.overrideReasonRequired'));
      return;
    }
    if (target.won && forward && (contract === null || contract <= 0)) {
      setAmountError(t('opps.move.contractRequired'));
      return;
    }
    try {
      await move.mutateAsync({
        id: opportunity.id,
        version: opportunity.version,
        stageId: target.id,
        evidence: ev.given(),
        reason: reason.trim() || undefined,
        override: override || undefined,
        contractAmount: target.won && forward ? yuanToFen(contract) : undefined,
      });
      message.success(t('opps.move.done', { name: opportunity.name, stage: target.name }));
      onMoved?.();
      onClose();
    } catch (error) {
      if (isApiError(error) && error.code === 'evidence_missing') {
        ev.setMissing(Array.isArray(error.problem.missing) ? (error.problem.missing as MissingEvidence[]) : []);
        return;
      }
      if (isApiError(error) && error.code === 'reason_required') {
        setReasonError(t('opps.move.reasonRequired'));
        return;
      }
      if (isApiError(error) && error.status === 409) {
        message.warning(t('opps.move.conflict'), 6);
        void qc.invalidateQueries({ queryKey: oppKeys.all });
        void qc.invalidateQueries({ queryKey: deskKeys.all });
        onClose();
        return;
      }
      const field = isApiError(error)
        ? error.errors.find((x) => x.field === 'contractAmount' || x.field === 'reason')
        : undefined;
      if (isApiError(error) && field?.field === 'contractAmount') {
        setAmountError(fieldMessage(error, field));
        return;
      }
      if (isApiError(error) && field?.field === 'reason') {
        setReasonError(fieldMessage(error, field));
        return;
      }
      report(error);
    }
  };

  return (
    <Modal
      open
      width={640}
      title={
        <Space size={8} wrap>
          {forward ? (
            <ArrowRightOutlined style={{ color: '#1677ff' }} />
          ) : (
            <ArrowLeftOutlined style={{ color: '#d97706' }} />
          )}
          <span>{forward ? t('opps.move.forwardTitle') : t('opps.move.backTitle')}</span>
        </Space>
      }
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Flex justify="space-between" align="center">
          <Typography.Text type="secondary">
            {forward && ev.total > 0 ? t('opps.move.progress', { done: ev.done, total: ev.total }) : ''}
          </Typography.Text>
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={move.isPending} onClick={() => void submit()} data-testid="move-confirm">
              {forward ? (target.won ? t('opps.move.confirmWon') : t('opps.move.confirm')) : t('opps.move.confirmBack')}
            </Button>
          </Space>
        </Flex>
      }
      data-testid="evidence-dialog"
    >
      <div data-testid="evidence-dialog-body">
        <Flex align="center" gap={8} wrap style={{ marginBottom: 12 }}>
          <Typography.Text strong>{opportunity.name}</Typography.Text>
          <Typography.Text type="secondary">· {opportunity.accountName}</Typography.Text>
        </Flex>
        <Flex
          align="center"
          gap={8}
          style={{
            marginBottom: 16,
            padding: '10px 12px',
            background: '#f8fafc',
            borderRadius: 8,
            border: '1px solid #e2e8f0',
          }}
        >
          <Tag style={{ margin: 0 }}>{from ? `${from.name} · ${from.probability}%` : '—'}</Tag>
          <ArrowRightOutlined style={{ color: '#94a3b8' }} />
          <Tag color={target.won ? 'success' : 'blue'} style={{ margin: 0 }}>
            {target.name} · {target.probability}%
          </Tag>
          {forward && gated.length > 1 && (
            <Typography.Text type="warning" style={{ fontSize: 12 }}>
              {t('opps.move.skipping', { n: gated.length - 1 })}
            </Typography.Text>
          )}
        </Flex>

        {prefilled.length > 0 && (
          <Typography.Paragraph
            type="secondary"
            style={{ fontSize: 12, marginBottom: 8 }}
            data-testid="evidence-prefilled"
          >
            {t('opps.move.prefilled')}
          </Typography.Paragraph>
        )}
        {forward && <EvidenceChecklist gated={gated} ev={ev} />}

        {forward && target.won && (
          <div style={{ marginBottom: 16 }}>
            <Typography.Text strong>
              <TrophyOutlined style={{ color: '#16a34a' }} /> {t('opps.move.contractAmount')}
            </Typography.Text>
            <InputNumber<number>
              style={{ width: '100%', marginTop: 6 }}
              min={0}
              precision={0}
              prefix="¥"
              value={contract}
              onChange={(v) => setContract(v)}
              status={amountError ? 'error' : undefined}
              formatter={(v) => (v === undefined || v === null ? '' : Number(v).toLocaleString('en-US'))}
              parser={(v) => Number((v ?? '').replace(/[^\d.]/g, ''))}
              data-testid="contract-amount"
            />
            <Typography.Text type={amountError ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
              {amountError ?? t('opps.move.contractHint', { amount: money(opportunity.amount) })}
            </Typography.Text>
          </div>
        )}

        {forward && canOverride && (
          <Flex align="center" gap={8} style={{ marginBottom: override ? 8 : 0 }}>
            <Switch size="small" checked={override} onChange={setOverride} data-testid="move-override" />
            <Typography.Text>{t('opps.move.override')}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('opps.move.overrideHint')}
            </Typography.Text>
          </Flex>
        )}
        {(!forward || override) && (
          <div>
            {!forward && (
              <Typography.Paragraph type="secondary" style={{ marginBottom: 6 }}>
                {t('opps.move.backHint')}
              </Typography.Paragraph>
            )}
            <Input.TextArea
              autoSize={{ minRows: 2, maxRows: 5 }}
              maxLength={1000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              status={reasonError ? 'error' : undefined}
              placeholder={forward ? t('opps.move.overrideReason') : t('opps.move.backReason')}
              data-testid="move-reason"
            />
            {reasonError && (
              <Typography.Text type="danger" style={{ fontSize: 12 }}>
                {reasonError}
              </Typography.Text>
            )}
          </div>
        )}
      </div>
    </Modal>
  );
}
