import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Select } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useT } from '../../i18n/useI18n.ts';
import { INDUSTRIES, usePreview, type Industry } from './api.ts';
import { industryLabel } from './placeLabels.ts';

/** "Who would get a new account here?" — the same rule the server applies on create. */
export function PreviewBox() {
  const t = useT();
  const [form] = Form.useForm<{ province?: string; city?: string; district?: string; industry?: Industry }>();
  const [place, setPlace] = useState<Record<string, string | undefined> | null>(null);
  const preview = usePreview(place);
  const previewData = preview.data;
  return (
    <Card size="small" title={t('territories.previewTitle')}>
      <Form
        form={form}
        name="preview"
        layout="inline"
        onFinish={(values) =>
          setPlace({
            province: values.province?.trim(),
            city: values.city?.trim() || undefined,
            district: values.district?.trim() || undefined,
            industry: values.industry,
          })
        }
        style={{ rowGap: 8 }}
      >
        <Form.Item name="province" rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input
            placeholder={t('territories.form.province')}
            aria-label={t('territories.form.province')}
            style={{ width: 120 }}
          />
        </Form.Item>
        <Form.Item name="city">
          <Input
            placeholder={t('territories.form.city')}
            aria-label={t('territories.form.city')}
            style={{ width: 120 }}
          />
        </Form.Item>
        <Form.Item name="district">
          <Input
            placeholder={t('territories.form.district')}
            aria-label={t('territories.form.district')}
            style={{ width: 120 }}
          />
        </Form.Item>
        <Form.Item name="industry">
          <Select
            allowClear
            placeholder={t('territories.form.industry')}
            options={INDUSTRIES.map((i) => ({ value: i, label: industryLabel(t, i) }))}
            style={{ width: 140 }}
          />
        </Form.Item>
        <Button
          htmlType="submit"
          icon={<SearchOutlined />}
          loading={preview.isFetching}
          data-testid="territory-preview"
        >
          {t('territories.previewRun')}
        </Button>
      </Form>
      {previewData && (
        <div style={{ marginTop: 12 }} data-testid="territory-preview-result">
          {previewData.result === 'assigned' && (
            <Alert
              type="success"
              showIcon
              title={t('territories.previewAssigned', {
                name: previewData.user!.name,
                unit: previewData.user!.orgUnitName,
              })}
            />
          )}
          {previewData.result === 'inactive' && (
            <Alert type="warning" showIcon title={t('territories.previewInactive', { name: previewData.user!.name })} />
          )}
          {previewData.result === 'none' && <Alert type="info" showIcon title={t('territories.previewNone')} />}
          {previewData.result === 'conflict' && (
            <Alert
              type="error"
              showIcon
              title={t('territories.previewConflict', {
                names: previewData.rules.map((r) => r.userName).join(t('territories.vs')),
              })}
            />
          )}
        </div>
      )}
    </Card>
  );
}
