import { App, Card, Flex, Form, Input, Modal, Radio, Tag, Typography } from 'antd';
import { useProblem } from '../../api/useProblem.ts';
import { useI18n, useT } from '../../i18n/useI18n.ts';
import { useCopyTemplate, type Template, type TemplateKey } from './api.ts';

/** A process copied from a shipped template (the list's "copy" button), and the language template names are shown in. */

export function useLangKey(): { lang: 'zh' | 'en' } {
  const { locale } = useI18n();
  return { lang: locale.startsWith('zh') ? 'zh' : 'en' };
}

export function CopyModal({ templates, onClose }: { templates: Template[]; onClose: (newId?: number) => void }) {
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
