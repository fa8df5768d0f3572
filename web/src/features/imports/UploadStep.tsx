import { useState } from 'react';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Radio, Select, Space, Typography, Upload } from 'antd';
import { isApiError } from '../../api/client.ts';
import { fieldMessage, problemMessage } from '../../api/problems.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import { useUploadImport, type Encoding, type ImportJob, type ImportKind } from './api.ts';

/** The import's first step: the kind of rows and the file's encoding chosen, the file uploaded, a template to start from. */

export function UploadStep({ onUploaded }: { onUploaded: (job: ImportJob) => void }) {
  const say = useI18n();
  const { t: translate } = say;
  const [kind, setKind] = useState<ImportKind>('accounts');
  const [encoding, setEncoding] = useState<Encoding | 'auto'>('auto');
  const upload = useUploadImport();
  const fileProblem = isApiError(upload.error) ? upload.error.errors.find((e) => e.field === 'file') : undefined;
  const fileError = isApiError(upload.error)
    ? fileProblem
      ? fieldMessage(upload.error, fileProblem, say)
      : problemMessage(upload.error, say)
    : null;
  return (
    <Card>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Space wrap size="large">
          <Space>
            <Typography.Text strong>{translate('imports.kind')}</Typography.Text>
            <Radio.Group
              value={kind}
              onChange={(e) => setKind(e.target.value as ImportKind)}
              optionType="button"
              buttonStyle="solid"
              options={[
                { value: 'accounts', label: translate('imports.kind.accounts') },
                { value: 'contacts', label: translate('imports.kind.contacts') },
                { value: 'purchases', label: translate('imports.kind.purchases') },
                { value: 'opportunities', label: translate('imports.kind.opportunities') },
              ]}
            />
          </Space>
          <Space>
            <Typography.Text strong>{translate('imports.encoding')}</Typography.Text>
            <Select
              value={encoding}
              onChange={setEncoding}
              style={{ width: 220 }}
              data-testid="import-encoding"
              options={[
                { value: 'auto', label: translate('imports.encoding.auto') },
                { value: 'utf-8', label: 'UTF-8' },
                { value: 'gb18030', label: translate('imports.encoding.gbk') },
              ]}
            />
          </Space>
        </Space>
        <Upload.Dragger
          accept=".csv,.xlsx,.txt"
          multiple={false}
          showUploadList={false}
          disabled={upload.isPending}
          beforeUpload={(file) => {
            upload.mutate({ file, kind, ...(encoding === 'auto' ? {} : { encoding }) }, { onSuccess: onUploaded });
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">
            {upload.isPending ? translate('imports.upload.reading') : translate('imports.upload.drop')}
          </p>
          <p className="ant-upload-hint">{translate('imports.upload.hint')}</p>
        </Upload.Dragger>
        {fileError && (
          <Alert type="error" showIcon message={translate('imports.upload.failed')} description={fileError} />
        )}
        <Flex gap={12} align="center" wrap>
          <Typography.Text type="secondary">{translate(UPLOAD_TIPS[kind])}</Typography.Text>
          <Button
            icon={<DownloadOutlined />}
            href={`/api/v1/imports/template?kind=${kind}&lang=${say.locale}`}
            data-testid="import-template"
          >
            {translate('imports.upload.template')}
          </Button>
        </Flex>
      </Space>
    </Card>
  );
}

const UPLOAD_TIPS: Record<ImportKind, MessageKey> = {
  accounts: 'imports.upload.tipAccounts',
  contacts: 'imports.upload.tipContacts',
  purchases: 'imports.upload.tipPurchases',
  opportunities: 'imports.upload.tipOpportunities',
};
