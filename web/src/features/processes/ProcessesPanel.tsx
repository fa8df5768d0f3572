import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Drawer,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  type FormInstance,
  type TableProps,
} from 'antd';
import { DeleteOutlined, EditOutlined, EyeOutlined, PlusOutlined, CopyOutlined } from '@ant-design/icons';
import { isApiError } from '../../api/client.ts';
import { useProblem } from '../../api/useProblem.ts';
import { fieldMessage } from '../../api/problems.ts';
import { useI18n, useT } from '../../i18n/useI18n.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useCan } from '../auth/session.ts';
import {
  BUYING_PHASES,
  TEAM_ROLES,
  type BuyingPhase,
  type EvidenceItem,
  type Stage,
  type TeamRole,
} from '../opportunities/types.ts';
import { StageList } from './StageList.tsx';
import {
  useAllProcesses,
  useCopyTemplate,
  useProcessFull,
  useTemplates,
  useUpdateProcess,
  useUpdateStage,
  type ProcessRow,
  type Template,
  type TemplateKey,
} from './api.ts';

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

const isConflict = (e: unknown) => isApiError(e) && e.status === 409;

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

function useLangKey(): { lang: 'zh' | 'en' } {
  const { locale } = useI18n();
  return { lang: locale.startsWith('zh') ? 'zh' : 'en' };
}

function CopyModal({ templates, onClose }: { templates: Template[]; onClose: (newId?: number) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const { lang } = useLangKey();
  const copy = useCopyTemplate();
  const [form] = Form.useForm<{ templateKey: TemplateKey; name?: string; lang: 'zh' | 'en' }>();
  const picked = Form.useWatch('templateKey', form);
  const contentLang = Form.useWatch('lang', form) ?? lang;
  const tpl = templates.find((x) => x.key === picked);
  return (
    <Modal
      open
      width={640}
      title={t('processes.copyTitle')}
      okText={t('processes.copyCreate')}
      cancelText={t('common.cancel')}
      confirmLoading={copy.isPending}
      onOk={() => form.submit()}
      onCancel={() => onClose()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'process-copy-submit' } as Record<`data-${string}`, string>}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ lang, templateKey: 'seven_steps' }}
        onFinish={(values) =>
          copy.mutate(
            {
              templateKey: values.templateKey,
              lang: values.lang,
              ...(values.name?.trim() ? { name: values.name.trim() } : {}),
            },
            {
              onSuccess: (part) => {
                message.success(t('processes.copied', { name: part.name }));
                onClose(part.id);
              },
              onError: (e) => report(e, form),
            },
          )
        }
      >
        <Form.Item
          name="templateKey"
          label={t('processes.copyTemplate')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Radio.Group style={{ width: '100%' }}>
            <Flex vertical gap={6}>
              {templates.map((template) => (
                <Radio key={template.key} value={template.key} data-testid={`template-${template.key}`}>
                  <Typography.Text strong>{template.name[lang]}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>
                    {template.description[lang]}
                  </Typography.Text>
                </Radio>
              ))}
            </Flex>
          </Radio.Group>
        </Form.Item>
        {tpl && (
          <Card
            size="small"
            title={t('processes.copyPreview')}
            style={{ marginBottom: 16 }}
            data-testid="template-preview"
          >
            <Flex wrap gap={6}>
              {tpl.stages.map((stage, index) => (
                <Tag key={index} color={stage.probability === 100 ? 'success' : 'blue'}>
                  {stage.name[contentLang]} · {stage.probability}%
                </Tag>
              ))}
            </Flex>
          </Card>
        )}
        <Flex gap={12}>
          <Form.Item name="name" label={t('processes.copyName')} rules={[{ max: 100 }]} style={{ flex: 1 }}>
            <Input placeholder={tpl ? tpl.name[contentLang] : t('processes.copyNameHint')} />
          </Form.Item>
          <Form.Item name="lang" label={t('processes.copyLang')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'zh', label: t('processes.copyLang.zh') },
                { value: 'en', label: t('processes.copyLang.en') },
              ]}
            />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}

function ProcessDrawer({ id, canEdit, onClose }: { id: number; canEdit: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const screens = Grid.useBreakpoint();
  const process = useProcessFull(id);
  const update = useUpdateProcess();
  const [form] = Form.useForm<{ name: string; description?: string }>();
  const processDetail = process.data;
  const stages = processDetail?.stages ?? [];

  function saveDetails(values: { name: string; description?: string }) {
    if (!processDetail) return;
    update.mutate(
      { id, version: processDetail.version, name: values.name.trim(), description: values.description?.trim() || null },
      {
        onSuccess: () => void message.success(t('common.saved')),
        onError: (err) => {
          if (isConflict(err)) {
            message.warning(t('processes.conflict'), 6);
            void process
              .refetch()
              .then((r) => r.data && form.setFieldsValue({ name: r.data.name, description: r.data.description ?? '' }));
          } else report(err, form);
        },
      },
    );
  }

  return (
    <Drawer
      open
      size={screens.lg ? 920 : '100%'}
      title={processDetail ? t('processes.editorTitle', { name: processDetail.name }) : t('common.loading')}
      onClose={onClose}
      destroyOnHidden
      loading={process.isPending}
    >
      {process.isError && !processDetail && <LoadError error={process.error} onRetry={() => void process.refetch()} />}
      {processDetail && (
        <Flex vertical gap={16} data-testid="process-editor">
          <Alert type="info" showIcon title={t('processes.history')} />
          <Card size="small" title={t('processes.details')}>
            <Form
              form={form}
              layout="inline"
              disabled={!canEdit}
              initialValues={{ name: processDetail.name, description: processDetail.description ?? '' }}
              onFinish={saveDetails}
              style={{ rowGap: 8 }}
            >
              <Form.Item
                name="name"
                label={t('processes.name')}
                rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 100 }]}
              >
                <Input style={{ width: 220 }} />
              </Form.Item>
              <Form.Item name="description" label={t('processes.description')} rules={[{ max: 1000 }]}>
                <Input style={{ width: 320 }} />
              </Form.Item>
              {canEdit && (
                <Button htmlType="submit" loading={update.isPending}>
                  {t('common.save')}
                </Button>
              )}
            </Form>
          </Card>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('processes.stagesTitle')}
          </Typography.Title>
          <StageList
            process={processDetail}
            canEdit={canEdit}
            onConflict={() => void process.refetch()}
            renderStage={(text, index) => (
              <StageForm
                key={`${text.id}-${text.version}`}
                stage={text}
                min={stages[index - 1]?.probability ?? 0}
                max={stages[index + 1]?.probability ?? 100}
                canEdit={canEdit}
                onConflict={() => void process.refetch()}
              />
            )}
          />
        </Flex>
      )}
    </Drawer>
  );
}

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

function StageForm({
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
