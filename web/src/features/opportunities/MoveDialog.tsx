import { useMemo, useState } from 'react';
import { Alert, App, Button, Checkbox, Flex, Input, InputNumber, Modal, Space, Switch, Tag, Typography, Upload } from 'antd';
import { ArrowLeftOutlined, ArrowRightOutlined, PaperClipOutlined, TrophyOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useSession } from '../auth/session.ts';
import { oppKeys, uploadAttachment, useMoveStage } from './api.ts';
import { useMoney, yuanToFen } from '../../i18n/money.ts';
import type { EvidenceGiven, MissingEvidence, Opportunity, Process, Stage } from './types.ts';

interface ItemState { checked: boolean; note: string; attachmentId: number | null; fileName: string | null; uploading: boolean }
const keyOf = (stageId: number, key: string) => `${stageId}:${key}`;

/**
 * Moving an opportunity to another stage (SPEC §5.3). Forward: the evidence of the stage being left
 * and of every skipped stage, item by item (a note or a file where the item asks); a manager may
 * override what is missing with a reason. Back: a reason. Into the won stage: the contract amount.
 * The server decides — a 422 lists what is still missing, shown right here beside the items.
 */
export function MoveDialog({ opportunity, process, target, onClose, onMoved }: {
  opportunity: Pick<Opportunity, 'id' | 'name' | 'accountName' | 'stageId' | 'version' | 'amount'>;
  process: Process;
  target: Stage;
  onClose: () => void;
  onMoved?: () => void;
}) {
  const t = useT();
  const money = useMoney();
  const { message } = App.useApp();
  const report = useProblem();
  const qc = useQueryClient();
  const me = useSession();
  const move = useMoveStage();
  const stages = useMemo(() => [...process.stages].sort((a, b) => a.position - b.position), [process]);
  const fromIndex = stages.findIndex((s) => s.id === opportunity.stageId);
  const toIndex = stages.findIndex((s) => s.id === target.id);
  const from = stages[fromIndex];
  const forward = toIndex > fromIndex;
  /** The stage being left and every stage skipped: each one's evidence gates the move. */
  const gated = forward ? stages.slice(Math.max(0, fromIndex), toIndex) : [];
  const canOverride = me.user.role === 'manager' || me.user.role === 'admin';

  const [items, setItems] = useState<Record<string, ItemState>>({});
  const [reason, setReason] = useState('');
  const [override, setOverride] = useState(false);
  const [contract, setContract] = useState<number | null>(Math.round(opportunity.amount / 100));
  const [missing, setMissing] = useState<MissingEvidence[]>([]);
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [amountError, setAmountError] = useState<string | null>(null);

  const state = (stageId: number, key: string): ItemState => items[keyOf(stageId, key)] ?? { checked: false, note: '', attachmentId: null, fileName: null, uploading: false };
  const patch = (stageId: number, key: string, p: Partial<ItemState>) => {
    setItems((prev) => ({ ...prev, [keyOf(stageId, key)]: { ...state(stageId, key), ...prev[keyOf(stageId, key)], ...p } }));
    // Whatever the server said was missing here is being dealt with: stop showing it in red.
    setMissing((prev) => prev.filter((m) => !(m.stageId === stageId && m.key === key)));
  };
  const missingFor = (stageId: number, key: string) => missing.find((m) => m.stageId === stageId && m.key === key);

  const totalItems = gated.reduce((n, s) => n + s.evidence.length, 0);
  const doneItems = gated.reduce((n, s) => n + s.evidence.filter((e) => {
    const st = state(s.id, e.key);
    return st.checked && (e.requires !== 'note' || st.note.trim() !== '') && (e.requires !== 'attachment' || st.attachmentId !== null);
  }).length, 0);

  const submit = async () => {
    setReasonError(null);
    setAmountError(null);
    if (!forward && !reason.trim()) { setReasonError(t('opps.move.reasonRequired')); return; }
    if (override && !reason.trim()) { setReasonError(t('opps.move.overrideReasonRequired')); return; }
    if (target.won && forward && (contract === null || contract <= 0)) { setAmountError(t('opps.move.contractRequired')); return; }
    const evidence: EvidenceGiven[] = [];
    for (const s of gated) {
      for (const e of s.evidence) {
        const st = state(s.id, e.key);
        if (!st.checked) continue;
        evidence.push({ stageId: s.id, key: e.key, note: st.note.trim() || null, attachmentId: st.attachmentId });
      }
    }
    try {
      await move.mutateAsync({
        id: opportunity.id, version: opportunity.version, stageId: target.id, evidence,
        reason: reason.trim() || undefined, override: override || undefined,
        contractAmount: target.won && forward ? yuanToFen(contract) : undefined,
      });
      message.success(t('opps.move.done', { name: opportunity.name, stage: target.name }));
      onMoved?.();
      onClose();
    } catch (e) {
      if (isApiError(e) && e.code === 'evidence_missing') {
        setMissing(Array.isArray(e.problem.missing) ? (e.problem.missing as MissingEvidence[]) : []);
        return;
      }
      if (isApiError(e) && e.code === 'reason_required') { setReasonError(t('opps.move.reasonRequired')); return; }
      if (isApiError(e) && e.status === 409) {
        message.warning(t('opps.move.conflict'), 6);
        void qc.invalidateQueries({ queryKey: oppKeys.all });
        onClose();
        return;
      }
      const field = isApiError(e) ? e.errors.find((x) => x.field === 'contractAmount' || x.field === 'reason') : undefined;
      if (field?.field === 'contractAmount') { setAmountError(field.message); return; }
      if (field?.field === 'reason') { setReasonError(field.message); return; }
      report(e);
    }
  };

  const problemText = (m: MissingEvidence) => t(`opps.move.missing.${m.problem}`);

  return (
    <Modal
      open
      width={640}
      title={
        <Space size={8} wrap>
          {forward ? <ArrowRightOutlined style={{ color: '#1677ff' }} /> : <ArrowLeftOutlined style={{ color: '#d97706' }} />}
          <span>{forward ? t('opps.move.forwardTitle') : t('opps.move.backTitle')}</span>
        </Space>
      }
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Flex justify="space-between" align="center">
          <Typography.Text type="secondary">{forward && totalItems > 0 ? t('opps.move.progress', { done: doneItems, total: totalItems }) : ''}</Typography.Text>
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
        <Flex align="center" gap={8} style={{ marginBottom: 16, padding: '10px 12px', background: '#f8fafc', borderRadius: 8, border: '1px solid #e2e8f0' }}>
          <Tag style={{ margin: 0 }}>{from ? `${from.name} · ${from.probability}%` : '—'}</Tag>
          <ArrowRightOutlined style={{ color: '#94a3b8' }} />
          <Tag color={target.won ? 'success' : 'blue'} style={{ margin: 0 }}>{target.name} · {target.probability}%</Tag>
          {forward && gated.length > 1 && <Typography.Text type="warning" style={{ fontSize: 12 }}>{t('opps.move.skipping', { n: gated.length - 1 })}</Typography.Text>}
        </Flex>

        {missing.length > 0 && (
          <Alert
            type="error" showIcon style={{ marginBottom: 16 }} data-testid="evidence-missing"
            message={t('opps.move.missingTitle', { n: missing.length })}
            description={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{missing.map((m) => <li key={`${m.stageId}:${m.key}`}>{m.stageName} · {m.label} — {problemText(m)}</li>)}</ul>}
          />
        )}

        {forward && gated.map((s) => (
          <div key={s.id} style={{ marginBottom: 16 }} data-testid={`gate-${s.id}`}>
            <Flex justify="space-between" align="baseline" style={{ marginBottom: 6 }}>
              <Typography.Text strong>{t('opps.move.evidenceOf', { stage: s.name })}</Typography.Text>
              {s.milestone && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('opps.stage.milestone')}: {s.milestone}</Typography.Text>}
            </Flex>
            {s.evidence.length === 0 && <Typography.Text type="secondary">{t('opps.move.noEvidence')}</Typography.Text>}
            <Flex vertical gap={8}>
              {s.evidence.map((e) => {
                const st = state(s.id, e.key);
                const miss = missingFor(s.id, e.key);
                return (
                  <div key={e.key} style={{ padding: '8px 12px', borderRadius: 8, border: `1px solid ${miss ? '#fca5a5' : st.checked ? '#bbf7d0' : '#e5e7eb'}`, background: miss ? '#fef2f2' : st.checked ? '#f0fdf4' : '#fff' }}>
                    <Flex justify="space-between" align="center" gap={8}>
                      <Checkbox checked={st.checked} onChange={(ev) => patch(s.id, e.key, { checked: ev.target.checked })} data-testid={`evidence-${e.key}`}>
                        {e.label}
                      </Checkbox>
                      {e.requires !== 'check' && <Tag color={e.requires === 'note' ? 'blue' : 'geekblue'} style={{ margin: 0 }}>{t(`opps.evidence.requires.${e.requires}`)}</Tag>}
                    </Flex>
                    {e.requires === 'note' && (
                      <Input.TextArea
                        autoSize={{ minRows: 1, maxRows: 4 }} style={{ marginTop: 6 }} placeholder={t('opps.move.notePlaceholder')} value={st.note} maxLength={2000}
                        status={miss?.problem === 'note_required' ? 'error' : undefined}
                        onChange={(ev) => patch(s.id, e.key, { note: ev.target.value, checked: st.checked || ev.target.value.trim() !== '' })}
                        data-testid={`evidence-note-${e.key}`}
                      />
                    )}
                    {e.requires === 'attachment' && (
                      <Flex align="center" gap={8} style={{ marginTop: 6 }}>
                        <Upload
                          showUploadList={false} maxCount={1}
                          customRequest={({ file }) => {
                            patch(s.id, e.key, { uploading: true });
                            uploadAttachment(file as File).then(
                              (a) => patch(s.id, e.key, { attachmentId: a.id, fileName: a.fileName, uploading: false, checked: true }),
                              (err: unknown) => { patch(s.id, e.key, { uploading: false }); message.error(t('opps.move.uploadFailed', { reason: (err as Error).message }), 6); },
                            );
                          }}
                        >
                          <Button size="small" icon={<UploadOutlined />} loading={st.uploading} danger={miss?.problem === 'attachment_required'}>{t('opps.move.upload')}</Button>
                        </Upload>
                        {st.fileName && <Typography.Text type="secondary" style={{ fontSize: 12 }}><PaperClipOutlined /> {st.fileName}</Typography.Text>}
                      </Flex>
                    )}
                    {miss && <Typography.Text type="danger" style={{ fontSize: 12, display: 'block', marginTop: 4 }}>{problemText(miss)}</Typography.Text>}
                  </div>
                );
              })}
            </Flex>
          </div>
        ))}

        {forward && target.won && (
          <div style={{ marginBottom: 16 }}>
            <Typography.Text strong><TrophyOutlined style={{ color: '#16a34a' }} /> {t('opps.move.contractAmount')}</Typography.Text>
            <InputNumber<number>
              style={{ width: '100%', marginTop: 6 }} min={0} precision={0} prefix="¥" value={contract} onChange={(v) => setContract(v)} status={amountError ? 'error' : undefined}
              formatter={(v) => (v === undefined || v === null ? '' : Number(v).toLocaleString('en-US'))} parser={(v) => Number((v ?? '').replace(/[^\d.]/g, ''))}
              data-testid="contract-amount"
            />
            <Typography.Text type={amountError ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>{amountError ?? t('opps.move.contractHint', { amount: money(opportunity.amount) })}</Typography.Text>
          </div>
        )}

        {forward && canOverride && (
          <Flex align="center" gap={8} style={{ marginBottom: override ? 8 : 0 }}>
            <Switch size="small" checked={override} onChange={setOverride} data-testid="move-override" />
            <Typography.Text>{t('opps.move.override')}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('opps.move.overrideHint')}</Typography.Text>
          </Flex>
        )}
        {(!forward || override) && (
          <div>
            {!forward && <Typography.Paragraph type="secondary" style={{ marginBottom: 6 }}>{t('opps.move.backHint')}</Typography.Paragraph>}
            <Input.TextArea
              autoSize={{ minRows: 2, maxRows: 5 }} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} status={reasonError ? 'error' : undefined}
              placeholder={forward ? t('opps.move.overrideReason') : t('opps.move.backReason')} data-testid="move-reason"
            />
            {reasonError && <Typography.Text type="danger" style={{ fontSize: 12 }}>{reasonError}</Typography.Text>}
          </div>
        )}
      </div>
    </Modal>
  );
}
