import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Flex,
  Progress,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Statistic,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { isApiError, type ApiError } from '../../api/client.ts';
import { fieldMessage, problemMessage } from '../../api/problems.ts';
import { useProblem } from '../../api/useProblem.ts';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useI18n, useT } from '../../i18n/useI18n.ts';
import {
  FIELDS,
  REQUIRED,
  useCommitImport,
  useImportJob,
  useReportRows,
  useUploadImport,
  useValidateImport,
  type DuplicateMode,
  type Encoding,
  type ImportJob,
  type ImportKind,
  type Mapping,
} from './api.ts';
import { FailureAlert } from './FailureAlert.tsx';
import { ReportTable } from './ReportTable.tsx';
import { ValueMappingCard } from './ValueMappingCard.tsx';

/**
 * The import wizard (docs/archive.md § Import and export): upload → map columns → dry-run report → commit with
 * progress → summary. Nothing is written before the last step, and then all or nothing.
 */
export default function ImportPage() {
  const t = useT();
  // The job is in the address (?job=…), so a reload — after a server restart, say — returns to it.
  const [search, setSearch] = useSearchParams();
  const jobId = Number(search.get('job')) || null;
  const setJobId = (id: number | null) => setSearch(id === null ? {} : { job: String(id) });
  const job = useImportJob(jobId);
  const data = job.data;
  const step = !data
    ? 0
    : data.status === 'mapping' || (data.status === 'failed' && !data.counts)
      ? 1
      : data.status === 'committed'
        ? 3
        : 2;
  return (
    <Flex vertical gap={16} style={{ maxWidth: 1100 }}>
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          {t('imports.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('imports.subtitle')}</Typography.Text>
      </div>
      <Steps
        current={step}
        items={[
          { title: t('imports.step.upload') },
          { title: t('imports.step.mapping') },
          { title: t('imports.step.report') },
          { title: t('imports.step.done') },
        ]}
      />
      {jobId !== null && job.isLoading && <Card loading />}
      {step === 0 && !job.isLoading && <UploadStep onUploaded={(j) => setJobId(j.id)} />}
      {data && step === 1 && (
        <MappingStep key={data.id} job={data} onRestart={() => setJobId(null)} onReupload={(j) => setJobId(j.id)} />
      )}
      {data && step === 2 && <ReportStep job={data} onBack={() => setJobId(null)} />}
      {data && step === 3 && <DoneStep job={data} onAgain={() => setJobId(null)} />}
    </Flex>
  );
}

function UploadStep({ onUploaded }: { onUploaded: (job: ImportJob) => void }) {
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

const colLetter = (index: number) =>
  index < 26
    ? String.fromCharCode(65 + index)
    : `${String.fromCharCode(64 + Math.floor(index / 26))}${String.fromCharCode(65 + (index % 26))}`;

function MappingStep({
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

function ReportStep({ job, onBack }: { job: ImportJob; onBack: () => void }) {
  const t = useT();
  const report = useProblem();
  const [page, setPage] = useState(1);
  const [skipErrors, setSkipErrors] = useState(false);
  const commit = useCommitImport();
  const busy = job.status === 'validating' || job.status === 'committing';
  const [warningPage, setWarningPage] = useState(1);
  const ready = job.status === 'validated' || job.status === 'failed';
  const errors = useReportRows(job.id, 'errors', page, ready && !!job.counts?.error);
  const warnings = useReportRows(job.id, 'warnings', warningPage, ready && !!job.counts?.similar);
  const [duplicatePage, setDuplicatePage] = useState(1);
  const duplicates = useReportRows(job.id, 'duplicates', duplicatePage, ready && !!job.counts?.duplicate);
  const counts = job.counts;
  const fieldLabel = (field: string) => {
    const key = `imports.field.${job.kind}.${field}` as MessageKey;
    const text = t(key);
    return text === key ? field : text;
  };
  const chart = useMemo<ChartOption | null>(
    () =>
      counts && {
        tooltip: { trigger: 'item' },
        legend: { bottom: 0 },
        series: [
          {
            type: 'pie',
            radius: ['45%', '70%'],
            label: { show: false },
            data: [
              { name: t('imports.count.create'), value: counts.create, itemStyle: { color: '#52c41a' } },
              { name: t('imports.count.update'), value: counts.update, itemStyle: { color: '#1677ff' } },
              { name: t('imports.count.skip'), value: counts.skip, itemStyle: { color: '#bfbfbf' } },
              { name: t('imports.count.error'), value: counts.error, itemStyle: { color: '#ff4d4f' } },
            ],
          },
        ],
      },
    [counts, t],
  );
  if (busy) {
    const pct = job.totalRows ? Math.floor((job.processedRows / job.totalRows) * 100) : 0;
    return (
      <Card>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text strong>
            {t(job.status === 'validating' ? 'imports.progress.validating' : 'imports.progress.committing')}
          </Typography.Text>
          <Progress percent={pct} status="active" data-testid="import-progress" />
          <Typography.Text type="secondary">
            {t('imports.progress.rows', { done: job.processedRows, total: job.totalRows })}
          </Typography.Text>
        </Space>
      </Card>
    );
  }
  return (
    <Card
      title={`${job.fileName} · ${t('imports.report.title')}`}
      extra={<Button onClick={onBack}>{t('imports.restart')}</Button>}
    >
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        {job.status === 'failed' && <FailureAlert job={job} />}
        {job.failure === 'rows_have_errors' && job.status === 'validated' && (
          <Alert type="warning" showIcon message={t('imports.report.changed')} />
        )}
        {counts && (
          <Row gutter={16} align="middle">
            <Col xs={24} md={14}>
              <Row gutter={[16, 16]}>
                <Col span={8}>
                  <Statistic title={t('imports.count.total')} value={job.totalRows} />
                </Col>
                <Col span={8}>
                  <Statistic
                    title={t('imports.count.create')}
                    value={counts.create}
                    valueStyle={{ color: '#389e0d' }}
                  />
                </Col>
                <Col span={8}>
                  <Statistic
                    title={t('imports.count.update')}
                    value={counts.update}
                    valueStyle={{ color: '#0958d9' }}
                  />
                </Col>
                <Col span={8}>
                  <Statistic title={t('imports.count.duplicate')} value={counts.duplicate} />
                </Col>
                <Col span={8}>
                  <Statistic title={t('imports.count.skip')} value={counts.skip} />
                </Col>
                <Col span={8}>
                  <Statistic
                    title={t('imports.count.error')}
                    value={counts.error}
                    valueStyle={{ color: counts.error ? '#cf1322' : undefined }}
                    data-testid="import-error-count"
                  />
                </Col>
              </Row>
            </Col>
            <Col xs={24} md={10}>
              {chart && <EChart option={chart} height={200} label={t('imports.report.chart')} />}
            </Col>
          </Row>
        )}
        {job.status === 'validated' && job.unknownValues.length > 0 && (
          <ValueMappingCard key={job.updatedAt} job={job} fieldLabel={fieldLabel} />
        )}
        {counts && counts.error > 0 ? (
          <>
            <Flex justify="space-between" align="center">
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('imports.report.errors', { n: counts.error })}
              </Typography.Title>
              <Button icon={<DownloadOutlined />} href={`/api/v1/imports/${job.id}/errors/csv`}>
                {t('imports.report.download')}
              </Button>
            </Flex>
            <ReportTable rows={errors} page={page} onPage={setPage} fieldLabel={fieldLabel} testId="import-errors" />
            <Checkbox
              checked={skipErrors}
              onChange={(e) => setSkipErrors(e.target.checked)}
              data-testid="import-skip-errors"
            >
              {t('imports.commit.skipErrors', { n: counts.error })}
            </Checkbox>
          </>
        ) : counts ? (
          <Alert type="success" showIcon message={t('imports.report.clean')} />
        ) : null}
        {counts && counts.similar > 0 && (
          <>
            <Alert
              type="warning"
              showIcon
              message={t('imports.report.similar', { n: counts.similar })}
              description={t('imports.report.similarHint')}
            />
            <ReportTable
              rows={warnings}
              page={warningPage}
              onPage={setWarningPage}
              fieldLabel={fieldLabel}
              testId="import-warnings"
            />
          </>
        )}
        {counts && counts.duplicate > 0 && (
          <>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('imports.report.duplicates', { n: counts.duplicate })}
            </Typography.Title>
            <ReportTable
              rows={duplicates}
              page={duplicatePage}
              onPage={setDuplicatePage}
              fieldLabel={fieldLabel}
              testId="import-duplicates"
              showOutcome
            />
          </>
        )}
        <Alert type="info" showIcon message={t('imports.commit.allOrNothing')} />
        <Flex justify="flex-end" gap={8}>
          <Button
            type="primary"
            data-testid="import-commit"
            loading={commit.isPending}
            disabled={
              !counts ||
              job.status !== 'validated' ||
              (counts.error > 0 && !skipErrors) ||
              counts.create + counts.update === 0
            }
            onClick={() => commit.mutate({ id: job.id, skipErrors }, { onError: (e) => report(e) })}
          >
            {t('imports.commit', { n: counts ? counts.create + counts.update : 0 })}
          </Button>
        </Flex>
      </Space>
    </Card>
  );
}

function DoneStep({ job, onAgain }: { job: ImportJob; onAgain: () => void }) {
  const t = useT();
  const result = job.result;
  return (
    <Card>
      <Result
        status="success"
        title={t('imports.done.title')}
        subTitle={
          result
            ? t('imports.done.summary', { created: result.created, updated: result.updated, skipped: result.skipped })
            : null
        }
        extra={[
          job.kind === 'opportunities' ? (
            <Link key="list" to="/opportunities/list">
              <Button type="primary">{t('imports.done.toDeals')}</Button>
            </Link>
          ) : (
            <Link key="list" to="/accounts">
              <Button type="primary">{t('imports.done.toList')}</Button>
            </Link>
          ),
          <Button key="again" onClick={onAgain}>
            {t('imports.done.again')}
          </Button>,
        ]}
      />
      {!result && <Empty />}
    </Card>
  );
}
