import { useState } from 'react';
import { App, Button, Flex, Form, Input, InputNumber, Select, Space, Typography, type FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { fieldMessage } from '../../api/problems.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import {
  BUYING_PHASES,
  TEAM_ROLES,
  type BuyingPhase,
  type EvidenceItem,
  type Stage,
  type TeamRole,
} from '../opportunities/types.ts';
import { useUpdateStage } from './api.ts';

/** One stage of a process edited: its figures, what it asks for (actions, roles, evidence to leave). */

/** An evidence key from its label: a-z0-9_, or item_N when the label has no Latin letters. */
export function deriveKey(label: string, taken: Set<string>, position: number): string {
  const base =
    label
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 36) || `item_${position}`;
  let key = base;
  for (let i = 2; taken.has(key); i++) key = `${base}_${i}`;
  return key;
}

export const isConflict = (e: unknown) => isApiError(e) && e.status === 409;

interface StageValues {
  name: string;
  probability: number;
  purpose?: string;
  milestone?: string;
  expectedDays: number;
  buyingPhase?: BuyingPhase | null;
  roles: TeamRole[];
  actions: string[];
  evidence: { label: string; key?: string; requires: EvidenceItem['requires'] }[];
}

/** Server field paths (evidence.2.key) as form paths. */
const toPath = (field: string) =>
  field
    .split(/[.[\]]+/)
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));

function showFieldErrors(form: FormInstance<StageValues>, err: unknown, say: ReturnType<typeof useI18n>): boolean {
  if (!isApiError(err) || err.errors.length === 0) return false;
  // The stage-probability problem carries { min, max }: said in the user's language, not the server's English.
  (form as FormInstance).setFields(
    err.errors.map((f) => ({ name: toPath(f.field), errors: [fieldMessage(err, f, say)] })),
  );
  return true;
}

export function StageForm({
  stage,
  min,
  max,
  canEdit,
  onConflict,
}: {
  stage: Stage;
  min: number;
  max: number;
  canEdit: boolean;
  onConflict: () => void;
}) {
  const say = useI18n();
  const { t: translate } = say;
  const { message } = App.useApp();
  const report = useProblem();
  const save = useUpdateStage();
  const [form] = Form.useForm<StageValues>();
  const [dirty, setDirty] = useState(false);
  const initial: StageValues = {
    name: stage.name,
    probability: stage.probability,
    purpose: stage.purpose ?? '',
    milestone: stage.milestone ?? '',
    expectedDays: stage.expectedDays,
    buyingPhase: stage.buyingPhase,
    roles: stage.roles as TeamRole[],
    actions: stage.actions,
    evidence: stage.evidence.map((e) => ({ ...e })),
  };

  function submit(values: StageValues) {
    const taken = new Set(values.evidence.map((e) => e.key?.trim()).filter((k): k is string => !!k));
    const evidence = values.evidence.map((evidenceItem, index) => {
      const key = evidenceItem.key?.trim() || deriveKey(evidenceItem.label, taken, index + 1);
      taken.add(key);
      return { key, label: evidenceItem.label.trim(), requires: evidenceItem.requires };
    });
    save.mutate(
      {
        id: stage.id,
        version: stage.version,
        name: values.name.trim(),
        purpose: values.purpose?.trim() || null,
        milestone: values.milestone?.trim() || null,
        expectedDays: values.expectedDays,
        buyingPhase: values.buyingPhase ?? null,
        roles: values.roles,
        actions: values.actions.map((a) => a.trim()).filter(Boolean),
        evidence,
        ...(values.probability !== stage.probability ? { probability: values.probability } : {}),
      },
      {
        onSuccess: (text) => {
          message.success(translate('processes.stageSaved', { name: text.name }));
          setDirty(false);
        },
        onError: (err) => {
          if (isConflict(err)) {
            message.warning(translate('processes.conflict'), 6);
            onConflict();
            return;
          }
          if (!showFieldErrors(form, err, say)) report(err);
        },
      },
    );
  }

  const required = { required: true, whitespace: true, message: translate('validation.required') };
  return (
    <Form
      form={form}
      layout="vertical"
      disabled={!canEdit}
      initialValues={initial}
      onFinish={submit}
      onValuesChange={() => setDirty(true)}
      data-testid={`stage-form-${stage.position}`}
    >
      <Flex gap={12} wrap>
        <Form.Item
          name="name"
          label={translate('processes.stage.name')}
          rules={[required, { max: 100 }]}
          style={{ flex: '2 1 200px' }}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="probability"
          label={translate('processes.stage.probability')}
          style={{ flex: '1 1 160px' }}
          extra={
            stage.won
              ? translate('processes.stage.probabilityWon')
              : translate('processes.stage.probabilityRange', { min, max })
          }
          rules={[{ required: true, message: translate('validation.required') }]}
        >
          <InputNumber
            min={0}
            max={100}
            precision={0}
            disabled={stage.won || !canEdit}
            style={{ width: '100%' }}
            data-testid="stage-probability"
          />
        </Form.Item>
        <Form.Item
          name="expectedDays"
          label={translate('processes.stage.expectedDays')}
          rules={[{ required: true, message: translate('validation.required') }]}
          style={{ flex: '1 1 140px' }}
        >
          <InputNumber
            min={0}
            max={730}
            precision={0}
            suffix={translate('processes.stage.days')}
            style={{ width: '100%' }}
          />
        </Form.Item>
      </Flex>
      <Flex gap={12} wrap>
        <Form.Item
          name="purpose"
          label={translate('processes.stage.purpose')}
          rules={[{ max: 1000 }]}
          style={{ flex: '1 1 260px' }}
        >
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
        <Form.Item
          name="milestone"
          label={translate('processes.stage.milestone')}
          rules={[{ max: 1000 }]}
          style={{ flex: '1 1 260px' }}
        >
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
      </Flex>
      <Flex gap={12} wrap>
        <Form.Item name="buyingPhase" label={translate('processes.stage.buyingPhase')} style={{ flex: '1 1 200px' }}>
          <Select
            allowClear
            placeholder={translate('processes.stage.buyingPhaseNone')}
            options={BUYING_PHASES.map((ph) => ({ value: ph, label: translate(`opps.phase.${ph}`) }))}
          />
        </Form.Item>
        <Form.Item name="roles" label={translate('processes.stage.roles')} style={{ flex: '2 1 320px' }}>
          <Select
            mode="multiple"
            allowClear
            maxCount={8}
            placeholder={translate('processes.stage.rolesPlaceholder')}
            options={TEAM_ROLES.map((r) => ({ value: r, label: translate(`opps.teamRole.${r}`) }))}
          />
        </Form.Item>
      </Flex>
      <Form.Item label={translate('processes.stage.actions')} style={{ marginBottom: 12 }}>
        <Form.List name="actions">
          {(fields, { add, remove }) => (
            <Flex vertical gap={6}>
              {fields.map((field) => (
                <Flex key={field.key} gap={6} align="start">
                  <Form.Item name={field.name} rules={[required, { max: 500 }]} style={{ flex: 1, marginBottom: 0 }}>
                    <Input placeholder={translate('processes.stage.actionPlaceholder')} />
                  </Form.Item>
                  {canEdit && (
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={translate('processes.stage.removeAction')}
                      onClick={() => remove(field.name)}
                    />
                  )}
                </Flex>
              ))}
              {canEdit && fields.length < 20 && (
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add('')}
                  style={{ alignSelf: 'flex-start' }}
                >
                  {translate('processes.stage.addAction')}
                </Button>
              )}
            </Flex>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item
        label={translate('processes.stage.evidence')}
        extra={translate('processes.stage.evidenceHint')}
        style={{ marginBottom: 12 }}
      >
        <Form.List name="evidence">
          {(fields, { add, remove }) => (
            <Flex vertical gap={6} data-testid="evidence-list">
              {fields.length === 0 && (
                <Typography.Text type="secondary">{translate('processes.stage.noEvidence')}</Typography.Text>
              )}
              {fields.map((field) => (
                <Flex key={field.key} gap={6} align="start" wrap data-testid="evidence-item">
                  <Form.Item
                    name={[field.name, 'label']}
                    rules={[required, { max: 200 }]}
                    style={{ flex: '2 1 220px', marginBottom: 0 }}
                  >
                    <Input
                      placeholder={translate('processes.stage.evidenceLabel')}
                      aria-label={translate('processes.stage.evidenceLabel')}
                    />
                  </Form.Item>
                  {/* The key is the machine's name of the item (given evidence refers to it): kept, derived
                      from the label for a new item, never shown — people read and write the label. */}
                  <Form.Item name={[field.name, 'key']} hidden>
                    <Input />
                  </Form.Item>
                  <Form.Item name={[field.name, 'requires']} style={{ flex: '1 1 150px', marginBottom: 0 }}>
                    <Select
                      aria-label={translate('processes.stage.evidenceRequires')}
                      options={(['check', 'note', 'attachment'] as const).map((row) => ({
                        value: row,
                        label: translate(`processes.requires.${row}`),
                      }))}
                    />
                  </Form.Item>
                  {canEdit && (
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={translate('processes.stage.removeEvidence')}
                      onClick={() => remove(field.name)}
                    />
                  )}
                </Flex>
              ))}
              {canEdit && fields.length < 20 && (
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ label: '', key: '', requires: 'check' })}
                  style={{ alignSelf: 'flex-start' }}
                  data-testid="evidence-add"
                >
                  {translate('processes.stage.addEvidence')}
                </Button>
              )}
            </Flex>
          )}
        </Form.List>
      </Form.Item>
      {canEdit && (
        <Space>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="stage-save">
            {translate('processes.saveStage')}
          </Button>
          {dirty && <Typography.Text type="warning">{translate('processes.unsaved')}</Typography.Text>}
        </Space>
      )}
    </Form>
  );
}
