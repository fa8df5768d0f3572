import { Alert, App, Button, Card, Drawer, Flex, Form, Grid, Input, Typography } from 'antd';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { StageList } from './StageList.tsx';
import { useProcessFull, useUpdateProcess } from './api.ts';
import { isConflict, StageForm } from './StageForm.tsx';

/** One process opened from the list: its name and description, and its stages each in a form. */

export function ProcessDrawer({ id, canEdit, onClose }: { id: number; canEdit: boolean; onClose: () => void }) {
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
