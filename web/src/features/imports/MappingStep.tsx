import { useState } from 'react';
import { Alert, Button, Card, Flex, Radio, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { isApiError, type ApiError } from '../../api/client.ts';
import { fieldMessage } from '../../api/problems.ts';
import { useProblem } from '../../api/useProblem.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import {
  FIELDS,
  REQUIRED,
  useUploadImport,
  useValidateImport,
  type DuplicateMode,
  type ImportJob,
  type Mapping,
} from './api.ts';
import { FailureAlert } from './FailureAlert.tsx';

/** The import's second step: each field mapped to a column of the file, what to do with duplicates, the dry run started. */

const colLetter = (index: number) =>
  index < 26
    ? String.fromCharCode(65 + index)
    : `${String.fromCharCode(64 + Math.floor(index / 26))}${String.fromCharCode(65 + (index % 26))}`;

export function MappingStep({
  job,
  onRestart,
  onReupload,
}: {
  job: ImportJob;
  onRestart: () => void;
  onReupload: (job: ImportJob) => void;
}) {
  const say = useI18n();
  const { t: translate } = say;
  const report = useProblem();
  const [mapping, setMapping] = useState<Mapping>(() => ({ ...job.suggestedMapping }));
  const [mode, setMode] = useState<DuplicateMode>(job.duplicateMode ?? 'skip');
  const validate = useValidateImport();
  const upload = useUploadImport();
  const fieldErrors = new Map(
    isApiError(validate.error)
      ? validate.error.errors.map((error) => [
          error.field.replace(/^mapping\./, ''),
          fieldMessage(validate.error as ApiError, error, say),
        ])
      : [],
  );
  const required = REQUIRED[job.kind];
  const missing = required.filter((requiredItem) =>
    requiredItem === 'accountName'
      ? mapping.accountName == null && mapping.accountCreditCode == null
      : mapping[requiredItem] == null,
  );
  const columnOptions = job.headers.map((header, index) => ({
    value: index,
    label: `${colLetter(index)} · ${header || translate('imports.mapping.untitled')}`,
  }));
  const fieldLabel = (f: string) => translate(`imports.field.${job.kind}.${f}` as MessageKey);
  // A field whose cells need explaining (how reports-to names a contact) has a help line.
  const fieldHelp = (field: string) => {
    const key = `imports.help.${job.kind}.${field}` as MessageKey;
    const text = translate(key);
    return text === key ? null : text;
  };
  const rows = FIELDS[job.kind].map((f) => ({ field: f, column: mapping[f] ?? null }));
  return (
    <Card
      title={`${job.fileName} · ${translate('imports.rows', { n: job.totalRows })}`}
      extra={<Button onClick={onRestart}>{translate('imports.restart')}</Button>}
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {job.status === 'failed' && <FailureAlert job={job} />}
        {job.format === 'csv' && (
          <Alert
            type={job.replacementChars > 0 ? 'warning' : 'info'}
            showIcon
            message={translate('imports.mapping.encoding', {
              encoding: job.encoding === 'gb18030' ? translate('imports.encoding.gbk') : 'UTF-8',
            })}
            description={
              job.replacementChars > 0
                ? translate('imports.mapping.garbled')
                : translate('imports.mapping.encodingHint')
            }
            action={
              <Upload
                accept=".csv,.txt"
                showUploadList={false}
                beforeUpload={(file) => {
                  upload.mutate(
                    { file: file, kind: job.kind, encoding: job.encoding === 'gb18030' ? 'utf-8' : 'gb18030' },
                    { onSuccess: onReupload },
                  );
                  return false;
                }}
              >
                <Button size="small" loading={upload.isPending}>
                  {translate('imports.mapping.otherEncoding', {
                    encoding: job.encoding === 'gb18030' ? 'UTF-8' : translate('imports.encoding.gbk'),
                  })}
                </Button>
              </Upload>
            }
          />
        )}
        <Table
          size="small"
          rowKey="field"
          tableLayout="fixed"
          pagination={false}
          dataSource={rows}
          columns={[
            {
              title: translate('imports.mapping.field'),
              dataIndex: 'field',
              width: 220,
              render: (field: string) => (
                <>
                  <Space>
                    <span>{fieldLabel(field)}</span>
                    {required.includes(field) && (
                      <Tag color="red">
                        {translate(
                          field === 'accountName' ? 'imports.mapping.requiredOne' : 'imports.mapping.required',
                        )}
                      </Tag>
                    )}
                  </Space>
                  {fieldHelp(field) && (
                    <Typography.Paragraph
                      type="secondary"
                      style={{ fontSize: 12, margin: 0 }}
                      data-testid={`help-${field}`}
                    >
                      {fieldHelp(field)}
                    </Typography.Paragraph>
                  )}
                </>
              ),
            },
            {
              title: translate('imports.mapping.column'),
              dataIndex: 'column',
              width: 300,
              render: (col: number | null, mappingRow) => (
                <div>
                  <Select
                    allowClear
                    placeholder={translate('imports.mapping.none')}
                    value={col ?? undefined}
                    style={{ width: '100%' }}
                    options={columnOptions}
                    status={fieldErrors.has(mappingRow.field) ? 'error' : undefined}
                    data-testid={`map-${mappingRow.field}`}
                    onChange={(v?: number) => setMapping((m) => ({ ...m, [mappingRow.field]: v ?? null }))}
                  />
                  {fieldErrors.has(mappingRow.field) && (
                    <Typography.Text type="danger">{fieldErrors.get(mappingRow.field)}</Typography.Text>
                  )}
                </div>
              ),
            },
            {
              title: translate('imports.mapping.sample'),
              render: (_: unknown, record) => (
                <Typography.Text type="secondary" ellipsis>
                  {record.column === null
                    ? ''
                    : job.preview
                        .map((p) => p.cells[record.column!] ?? '')
                        .filter(Boolean)
                        .slice(0, 3)
                        .join(' · ')}
                </Typography.Text>
              ),
            },
          ]}
        />
        <Space direction="vertical">
          <Typography.Text strong>{translate('imports.duplicates')}</Typography.Text>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as DuplicateMode)}>
            <Space direction="vertical">
              <Radio value="skip">{translate('imports.duplicates.skip')}</Radio>
              <Radio value="update">{translate('imports.duplicates.update')}</Radio>
              <Radio value="create">{translate('imports.duplicates.create')}</Radio>
            </Space>
          </Radio.Group>
        </Space>
        {missing.length > 0 && (
          <Alert
            type="warning"
            showIcon
            message={translate('imports.mapping.missing', { fields: missing.map(fieldLabel).join('、') })}
          />
        )}
        <Flex justify="flex-end">
          <Button
            type="primary"
            disabled={missing.length > 0}
            loading={validate.isPending}
            data-testid="import-validate"
            onClick={() => validate.mutate({ id: job.id, mapping, duplicateMode: mode }, { onError: (e) => report(e) })}
          >
            {translate('imports.validate')}
          </Button>
        </Flex>
      </Space>
    </Card>
  );
}
