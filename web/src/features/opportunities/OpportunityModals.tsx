import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useDates } from '../../i18n/useDates.ts';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useCloseOpportunity, useReopenOpportunity, useUpdateOpportunity } from './api.ts';
import { yuanToFen } from '../../i18n/money.ts';
import {
  BUYING_PHASES,
  FORECAST_CATEGORIES,
  LOSS_REASONS,
  type BuyingPhase,
  type ForecastCategory,
  type OpportunityDetail,
} from './types.ts';
import type { CloseOpportunityInput } from '../../../../src/contracts/opportunities.ts';
import { LeadSourceSelect } from './LeadSourceSelect.tsx';
import type { LeadSource } from '../accounts/types.ts';

const money = {
  formatter: (v: number | string | undefined) => (v === undefined || v === '' ? '' : Number(v).toLocaleString('en-US')),
  parser: (v: string | undefined) => Number((v ?? '').replace(/[^\d.]/g, '')),
};

interface EditValues {
  name: string;
  amount: number;
  expectedCloseDate: Dayjs;
  buyingPhase: BuyingPhase | null;
  forecastCategory: ForecastCategory;
  leadSource: LeadSource | null;
  description: string | null;
  products: string[];
}

/**
 * Edits the opportunity. Its name and figures (amount, close date, forecast) are its lead's —
 * the owner or a manager over it; the rest of the team sees them read-only and edits the
 * analysis fields (buying phase, products, description).
 */
export function EditDrawer({ o: opportunity, onClose }: { o: OpportunityDetail; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const update = useUpdateOpportunity();
  const dates = useDates();
  const [form] = Form.useForm<EditValues>();
  const lead = opportunity.permissions.edit;
  const required = [{ required: true, message: t('validation.required') }];
  const submit = (values: EditValues) =>
    update
      .mutateAsync({
        id: opportunity.id,
        version: opportunity.version,
        ...(lead
          ? {
              name: values.name.trim(),
              amount: yuanToFen(values.amount),
              expectedCloseDate: dates.pickedDay(values.expectedCloseDate),
              forecastCategory: values.forecastCategory,
              leadSource: values.leadSource ?? null,
            }
          : {}),
        buyingPhase: values.buyingPhase ?? null,
        description: values.description?.trim() || null,
        products: (values.products ?? []).map((p) => p.trim()).filter(Boolean),
      })
      .then(
        () => {
          message.success(t('common.saved'));
          onClose();
        },
        (e: unknown) => report(e, form),
      );
  return (
    <Drawer
      open
      width={480}
      title={t('opps.edit.title')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={update.isPending} onClick={() => form.submit()} data-testid="opp-edit-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<EditValues>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{
          name: opportunity.name,
          amount: opportunity.amount / 100,
          expectedCloseDate: dates.pickerDay(opportunity.expectedCloseDate) ?? undefined,
          buyingPhase: opportunity.buyingPhase,
          forecastCategory: opportunity.forecastCategory,
          leadSource: opportunity.leadSource as LeadSource | null,
          description: opportunity.description,
          products: opportunity.products,
        }}
      >
        {!lead && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('opps.edit.leadOnly')}
            data-testid="edit-lead-only"
          />
        )}
        <Form.Item name="name" label={t('opps.col.name')} rules={lead ? required : []}>
          <Input maxLength={200} disabled={!lead} />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('opps.col.amount')}
          rules={lead ? required : []}
          extra={t('opps.edit.amountHint')}
        >
          <InputNumber<number> style={{ width: '100%' }} min={0} precision={0} prefix="¥" disabled={!lead} {...money} />
        </Form.Item>
        <Form.Item name="expectedCloseDate" label={t('opps.col.close')} rules={lead ? required : []}>
          <DatePicker style={{ width: '100%' }} disabled={!lead} />
        </Form.Item>
        <Form.Item name="buyingPhase" label={t('opps.phase.label')}>
          <Select allowClear options={BUYING_PHASES.map((p) => ({ value: p, label: t(`opps.phase.${p}`) }))} />
        </Form.Item>
        <Form.Item name="forecastCategory" label={t('opps.detail.forecast')}>
          <Select
            disabled={!lead}
            options={FORECAST_CATEGORIES.map((c) => ({ value: c, label: t(`opps.forecast.${c}`) }))}
          />
        </Form.Item>
        <Form.Item name="leadSource" label={t('accounts.field.leadSource')}>
          <LeadSourceSelect disabled={!lead} />
        </Form.Item>
        <Form.Item name="products" label={t('opps.edit.products')} extra={t('opps.edit.productsHint')}>
          <Select mode="tags" maxCount={20} tokenSeparators={[',', '，']} open={false} />
        </Form.Item>
        <Form.Item name="description" label={t('opps.edit.description')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={5000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/** The form's fields: the contract's, and a tick for "the customer bought nothing" that becomes the competitor code. */
type CloseValues = Pick<CloseOpportunityInput, 'outcome' | 'contractAmount' | 'reason' | 'competitor' | 'note'> & {
  noPurchase?: boolean;
};

/** What the API takes for "nobody won: the customer bought nothing" — a code the user picks with a tick, never types. */
const NO_COMPETITOR = 'none';

/**
 * Lost or abandoned: the reason and the competitor (docs/sales-process.md § The stage gate). Won is the last stage of the
 * process, reached through the stage gate: choosing it hands over to the move dialog, which
 * asks for the evidence still missing and the contract amount.
 */
export function CloseModal({
  o: opportunity,
  onClose,
  onWon,
}: {
  o: OpportunityDetail;
  onClose: () => void;
  onWon: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const close = useCloseOpportunity();
  const [form] = Form.useForm<CloseValues>();
  const outcome = Form.useWatch('outcome', form) ?? 'lost';
  const noPurchase = Form.useWatch('noPurchase', form) ?? false;
  const submit = (values: CloseValues) =>
    close
      .mutateAsync({
        id: opportunity.id,
        version: opportunity.version,
        outcome: values.outcome,
        contractAmount: values.outcome === 'won' ? yuanToFen(values.contractAmount) : undefined,
        reason: values.outcome !== 'won' ? values.reason : undefined,
        competitor:
          values.outcome === 'won'
            ? undefined
            : values.noPurchase
              ? NO_COMPETITOR
              : values.competitor?.trim() || undefined,
        note: values.note?.trim() || undefined,
      })
      .then(
        () => {
          message.success(t(`opps.closed.${values.outcome}`));
          onClose();
        },
        (err: unknown) => {
          if (isApiError(err) && err.status === 409) {
            message.warning(t('opps.move.conflict'));
            onClose();
            return;
          }
          report(err, form);
        },
      );
  return (
    <Modal
      open
      title={t('opps.close.title', { name: opportunity.name })}
      onCancel={onClose}
      onOk={() => (outcome === 'won' ? onWon() : form.submit())}
      okText={outcome === 'won' ? t('opps.close.toWon') : t('opps.close.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={close.isPending}
      destroyOnHidden
    >
      <Form<CloseValues>
        form={form}
        layout="vertical"
        initialValues={{ outcome: 'lost', contractAmount: opportunity.amount / 100 }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="outcome" label={t('opps.close.outcome')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={(['won', 'lost', 'abandoned'] as const).map((s) => ({ value: s, label: t(`opps.status.${s}`) }))}
          />
        </Form.Item>
        {outcome === 'won' ? (
          <Alert type="info" showIcon message={t('opps.close.wonIsAStage')} />
        ) : (
          <>
            <Form.Item
              name="reason"
              label={t('opps.close.reason')}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Select options={LOSS_REASONS.map((r) => ({ value: r, label: t(`opps.lossReason.${r}`) }))} />
            </Form.Item>
            <Form.Item label={t('opps.close.competitor')} extra={t('opps.close.competitorHint')} required>
              {!noPurchase && (
                <Form.Item
                  name="competitor"
                  noStyle
                  rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
                >
                  <Input maxLength={200} data-testid="close-competitor" />
                </Form.Item>
              )}
              <Form.Item name="noPurchase" valuePropName="checked" noStyle>
                <Checkbox style={{ marginTop: noPurchase ? 0 : 8 }} data-testid="close-no-purchase">
                  {t('timeline.noCompetitor')}
                </Checkbox>
              </Form.Item>
            </Form.Item>
          </>
        )}
        {outcome !== 'won' && (
          <Form.Item name="note" label={t('opps.close.note')}>
            <Input.TextArea autoSize={{ minRows: 2 }} maxLength={2000} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/**
 * A change that needs a sentence of why, written to the history: reopening a closed deal,
 * marking its advantage lost (docs/sales-process.md, the weekly review reads it).
 */
function ReasonModal({
  title,
  okText,
  placeholder,
  maxLength,
  pending,
  testId,
  onSubmit,
  onClose,
}: {
  title: string;
  okText: string;
  placeholder: string;
  maxLength?: number;
  pending: boolean;
  testId?: string;
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const t = useT();
  const report = useProblem();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    if (!reason.trim()) {
      setError(t('validation.required'));
      return;
    }
    onSubmit(reason.trim()).then(onClose, report);
  };
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={submit}
      okText={okText}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
    >
      <Input.TextArea
        autoSize={{ minRows: 3 }}
        maxLength={maxLength}
        showCount={maxLength !== undefined}
        value={reason}
        onChange={(changeEvent) => {
          setReason(changeEvent.target.value);
          setError(null);
        }}
        placeholder={placeholder}
        status={error ? 'error' : undefined}
        data-testid={testId}
      />
      {error && <div style={{ color: '#dc2626', fontSize: 12 }}>{error}</div>}
    </Modal>
  );
}

export function ReopenModal({ o: opportunity, onClose }: { o: OpportunityDetail; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const reopen = useReopenOpportunity();
  return (
    <ReasonModal
      title={t('opps.reopen.title')}
      okText={t('opps.reopen.action')}
      placeholder={t('opps.reopen.reason')}
      pending={reopen.isPending}
      onClose={onClose}
      onSubmit={(reason) =>
        reopen
          .mutateAsync({ id: opportunity.id, version: opportunity.version, reason })
          .then(() => void message.success(t('common.saved')))
      }
    />
  );
}

/** A manager marks the advantage lost saying why. */
export function AdvantageModal({ o: opportunity, onClose }: { o: OpportunityDetail; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const update = useUpdateOpportunity();
  return (
    <ReasonModal
      title={t('opps.advantage.mark')}
      okText={t('opps.advantage.markAction')}
      placeholder={t('opps.advantage.reason')}
      maxLength={500}
      pending={update.isPending}
      testId="advantage-reason"
      onClose={onClose}
      onSubmit={(reason) =>
        update
          .mutateAsync({
            id: opportunity.id,
            version: opportunity.version,
            advantageLost: true,
            advantageReason: reason,
          })
          .then(() => void message.success(t('opps.advantage.marked')))
      }
    />
  );
}
