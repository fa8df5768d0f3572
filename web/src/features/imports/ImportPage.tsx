import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import {
  Alert, Button, Card, Checkbox, Col, Empty, Flex, Progress, Radio, Result, Row, Select, Space, Statistic, Steps, Table, Tag, Typography, Upload,
} from 'antd';
import { isApiError, type ApiError } from '../../api/client.ts';
import { fieldMessage, problemMessage } from '../../api/problems.ts';
import { useProblem } from '../../api/useProblem.ts';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { label, SIZE_LABELS, STATUS_LABELS, type Labels } from '../../../../src/domain/import-fields.ts';
import type { Locale } from '../../i18n/locale.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useI18n, useT } from '../../i18n/useI18n.ts';
import {
  ERROR_PAGE, FIELDS, REQUIRED, useCommitImport, useImportJob, useReportRows, useUploadImport, useValidateImport,
  type DuplicateMode, type Encoding, type ImportJob, type ImportKind, type Mapping, type RowProblem,
} from './api.ts';
import { FailureAlert } from './FailureAlert.tsx';

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
  const step = !data ? 0 : data.status === 'mapping' || (data.status === 'failed' && !data.counts) ? 1 : data.status === 'committed' ? 3 : 2;
  return (
    <Flex vertical gap={16} style={{ maxWidth: 1100 }}>
      <div>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>{t('imports.title')}</Typography.Title>
        <Typography.Text type="secondary">{t('imports.subtitle')}</Typography.Text>
      </div>
      <Steps
        current={step}
        items={[{ title: t('imports.step.upload') }, { title: t('imports.step.mapping') }, { title: t('imports.step.report') }, { title: t('imports.step.done') }]}
      />
      {jobId !== null && job.isLoading && <Card loading />}
      {step === 0 && !job.isLoading && <UploadStep onUploaded={(j) => setJobId(j.id)} />}
      {data && step === 1 && <MappingStep key={data.id} job={data} onRestart={() => setJobId(null)} onReupload={(j) => setJobId(j.id)} />}
      {data && step === 2 && <ReportStep job={data} onBack={() => setJobId(null)} />}
      {data && step === 3 && <DoneStep job={data} onAgain={() => setJobId(null)} />}
    </Flex>
  );
}

function UploadStep({ onUploaded }: { onUploaded: (j: ImportJob) => void }) {
  const say = useI18n();
  const { t } = say;
  const [kind, setKind] = useState<ImportKind>('accounts');
  const [encoding, setEncoding] = useState<Encoding | 'auto'>('auto');
  const upload = useUploadImport();
  const fileProblem = isApiError(upload.error) ? upload.error.errors.find((e) => e.field === 'file') : undefined;
  const fileError = isApiError(upload.error) ? (fileProblem ? fieldMessage(upload.error, fileProblem, say) : problemMessage(upload.error, say)) : null;
  return (
    <Card>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <Space wrap size="large">
          <Space>
            <Typography.Text strong>{t('imports.kind')}</Typography.Text>
            <Radio.Group value={kind} onChange={(e) => setKind(e.target.value as ImportKind)} optionType="button" buttonStyle="solid"
              options={[{ value: 'accounts', label: t('imports.kind.accounts') }, { value: 'contacts', label: t('imports.kind.contacts') }]} />
          </Space>
          <Space>
            <Typography.Text strong>{t('imports.encoding')}</Typography.Text>
            <Select value={encoding} onChange={setEncoding} style={{ width: 220 }} data-testid="import-encoding"
              options={[{ value: 'auto', label: t('imports.encoding.auto') }, { value: 'utf-8', label: 'UTF-8' }, { value: 'gb18030', label: t('imports.encoding.gbk') }]} />
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
          <p className="ant-upload-drag-icon"><InboxOutlined /></p>
          <p className="ant-upload-text">{upload.isPending ? t('imports.upload.reading') : t('imports.upload.drop')}</p>
          <p className="ant-upload-hint">{t('imports.upload.hint')}</p>
        </Upload.Dragger>
        {fileError && <Alert type="error" showIcon message={t('imports.upload.failed')} description={fileError} />}
        <Typography.Text type="secondary">{t(kind === 'accounts' ? 'imports.upload.tipAccounts' : 'imports.upload.tipContacts')}</Typography.Text>
      </Space>
    </Card>
  );
}

const colLetter = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : `${String.fromCharCode(64 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`);

function MappingStep({ job, onRestart, onReupload }: { job: ImportJob; onRestart: () => void; onReupload: (j: ImportJob) => void }) {
  const say = useI18n();
  const { t } = say;
  const report = useProblem();
  const [mapping, setMapping] = useState<Mapping>(() => ({ ...job.suggestedMapping }));
  const [mode, setMode] = useState<DuplicateMode>(job.duplicateMode ?? 'skip');
  const validate = useValidateImport();
  const upload = useUploadImport();
  const fieldErrors = new Map(isApiError(validate.error) ? validate.error.errors.map((e) => [e.field.replace(/^mapping\./, ''), fieldMessage(validate.error as ApiError, e, say)]) : []);
  const required = REQUIRED[job.kind];
  const missing = required.filter((f) => (f === 'accountName' ? mapping.accountName == null && mapping.accountCreditCode == null : mapping[f] == null));
  const columnOptions = job.headers.map((h, i) => ({ value: i, label: `${colLetter(i)} · ${h || t('imports.mapping.untitled')}` }));
  const fieldLabel = (f: string) => t(`imports.field.${job.kind}.${f}` as MessageKey);
  // A field whose cells need explaining (how reports-to names a contact) has a help line.
  const fieldHelp = (f: string) => {
    const key = `imports.help.${job.kind}.${f}` as MessageKey;
    const text = t(key);
    return text === key ? null : text;
  };
  const rows = FIELDS[job.kind].map((f) => ({ field: f, column: mapping[f] ?? null }));
  return (
    <Card title={`${job.fileName} · ${t('imports.rows', { n: job.totalRows })}`} extra={<Button onClick={onRestart}>{t('imports.restart')}</Button>}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {job.status === 'failed' && <FailureAlert job={job} />}
        {job.format === 'csv' && (
          <Alert
            type={job.replacementChars > 0 ? 'warning' : 'info'}
            showIcon
            message={t('imports.mapping.encoding', { encoding: job.encoding === 'gb18030' ? t('imports.encoding.gbk') : 'UTF-8' })}
            description={job.replacementChars > 0 ? t('imports.mapping.garbled') : t('imports.mapping.encodingHint')}
            action={
              <Upload accept=".csv,.txt" showUploadList={false} beforeUpload={(f) => {
                upload.mutate({ file: f, kind: job.kind, encoding: job.encoding === 'gb18030' ? 'utf-8' : 'gb18030' }, { onSuccess: onReupload });
                return false;
              }}>
                <Button size="small" loading={upload.isPending}>{t('imports.mapping.otherEncoding', { encoding: job.encoding === 'gb18030' ? 'UTF-8' : t('imports.encoding.gbk') })}</Button>
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
              title: t('imports.mapping.field'), dataIndex: 'field', width: 220,
              render: (f: string) => (
                <>
                  <Space>
                    <span>{fieldLabel(f)}</span>
                    {required.includes(f) && <Tag color="red">{t(f === 'accountName' ? 'imports.mapping.requiredOne' : 'imports.mapping.required')}</Tag>}
                  </Space>
                  {fieldHelp(f) && <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0 }} data-testid={`help-${f}`}>{fieldHelp(f)}</Typography.Paragraph>}
                </>
              ),
            },
            {
              title: t('imports.mapping.column'), dataIndex: 'column', width: 300,
              render: (col: number | null, r) => (
                <div>
                  <Select allowClear placeholder={t('imports.mapping.none')} value={col ?? undefined} style={{ width: '100%' }} options={columnOptions}
                    status={fieldErrors.has(r.field) ? 'error' : undefined} data-testid={`map-${r.field}`}
                    onChange={(v?: number) => setMapping((m) => ({ ...m, [r.field]: v ?? null }))} />
                  {fieldErrors.has(r.field) && <Typography.Text type="danger">{fieldErrors.get(r.field)}</Typography.Text>}
                </div>
              ),
            },
            {
              title: t('imports.mapping.sample'),
              render: (_: unknown, r) => <Typography.Text type="secondary" ellipsis>{r.column === null ? '' : job.preview.map((p) => p.cells[r.column!] ?? '').filter(Boolean).slice(0, 3).join(' · ')}</Typography.Text>,
            },
          ]}
        />
        <Space direction="vertical">
          <Typography.Text strong>{t('imports.duplicates')}</Typography.Text>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as DuplicateMode)}>
            <Space direction="vertical">
              <Radio value="skip">{t('imports.duplicates.skip')}</Radio>
              <Radio value="update">{t('imports.duplicates.update')}</Radio>
              <Radio value="create">{t('imports.duplicates.create')}</Radio>
            </Space>
          </Radio.Group>
        </Space>
        {missing.length > 0 && <Alert type="warning" showIcon message={t('imports.mapping.missing', { fields: missing.map(fieldLabel).join('、') })} />}
        <Flex justify="flex-end">
          <Button type="primary" disabled={missing.length > 0} loading={validate.isPending} data-testid="import-validate"
            onClick={() => validate.mutate({ id: job.id, mapping, duplicateMode: mode }, { onError: (e) => report(e) })}>
            {t('imports.validate')}
          </Button>
        </Flex>
      </Space>
    </Card>
  );
}

/** The words an "unknown value" problem may offer, as the import accepts them (src/domain/import-fields.ts). */
const ALLOWED_LABELS: Record<string, Labels> = { status: STATUS_LABELS, size: SIZE_LABELS };

/** A row problem in the page's language, filled with the values the server names (params). */
function problemText(t: ReturnType<typeof useT>, locale: Locale, p: RowProblem) {
  const params = { ...p.params };
  let variant = '';
  if (p.code === 'unknown_value' && typeof params.allowed === 'string') {
    const labels = ALLOWED_LABELS[p.field];
    params.allowed = params.allowed.split(',').map((c) => (labels ? label(labels, c, locale) : c)).join(locale === 'zh-CN' ? '、' : ', ');
    variant = '.allowed';
  } else if (p.code === 'duplicate_existing' && params.name !== undefined) variant = '.named';
  const key = `imports.problem.${p.code}${variant}` as MessageKey;
  const text = t(key, params);
  // An unknown code, or a report stored before problems carried their values: the server's words.
  return text === key || /\{\w+\}/.test(text) ? p.message : text;
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
  const c = job.counts;
  const fieldLabel = (f: string) => {
    const key = `imports.field.${job.kind}.${f}` as MessageKey;
    const text = t(key);
    return text === key ? f : text;
  };
  const chart = useMemo<ChartOption | null>(() => c && ({
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [{
      type: 'pie', radius: ['45%', '70%'], label: { show: false },
      data: [
        { name: t('imports.count.create'), value: c.create, itemStyle: { color: '#52c41a' } },
        { name: t('imports.count.update'), value: c.update, itemStyle: { color: '#1677ff' } },
        { name: t('imports.count.skip'), value: c.skip, itemStyle: { color: '#bfbfbf' } },
        { name: t('imports.count.error'), value: c.error, itemStyle: { color: '#ff4d4f' } },
      ],
    }],
  }), [c, t]);
  if (busy) {
    const pct = job.totalRows ? Math.floor((job.processedRows / job.totalRows) * 100) : 0;
    return (
      <Card>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text strong>{t(job.status === 'validating' ? 'imports.progress.validating' : 'imports.progress.committing')}</Typography.Text>
          <Progress percent={pct} status="active" data-testid="import-progress" />
          <Typography.Text type="secondary">{t('imports.progress.rows', { done: job.processedRows, total: job.totalRows })}</Typography.Text>
        </Space>
      </Card>
    );
  }
  return (
    <Card title={`${job.fileName} · ${t('imports.report.title')}`} extra={<Button onClick={onBack}>{t('imports.restart')}</Button>}>
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        {job.status === 'failed' && <FailureAlert job={job} />}
        {job.failure === 'rows_have_errors' && job.status === 'validated' && <Alert type="warning" showIcon message={t('imports.report.changed')} />}
        {c && (
          <Row gutter={16} align="middle">
            <Col xs={24} md={14}>
              <Row gutter={[16, 16]}>
                <Col span={8}><Statistic title={t('imports.count.total')} value={job.totalRows} /></Col>
                <Col span={8}><Statistic title={t('imports.count.create')} value={c.create} valueStyle={{ color: '#389e0d' }} /></Col>
                <Col span={8}><Statistic title={t('imports.count.update')} value={c.update} valueStyle={{ color: '#0958d9' }} /></Col>
                <Col span={8}><Statistic title={t('imports.count.duplicate')} value={c.duplicate} /></Col>
                <Col span={8}><Statistic title={t('imports.count.skip')} value={c.skip} /></Col>
                <Col span={8}><Statistic title={t('imports.count.error')} value={c.error} valueStyle={{ color: c.error ? '#cf1322' : undefined }} data-testid="import-error-count" /></Col>
              </Row>
            </Col>
            <Col xs={24} md={10}>{chart && <EChart option={chart} height={200} label={t('imports.report.chart')} />}</Col>
          </Row>
        )}
        {c && c.error > 0 ? (
          <>
            <Flex justify="space-between" align="center">
              <Typography.Title level={5} style={{ margin: 0 }}>{t('imports.report.errors', { n: c.error })}</Typography.Title>
              <Button icon={<DownloadOutlined />} href={`/api/v1/imports/${job.id}/errors/csv`}>{t('imports.report.download')}</Button>
            </Flex>
            <ReportTable rows={errors} page={page} onPage={setPage} fieldLabel={fieldLabel} testId="import-errors" />
            <Checkbox checked={skipErrors} onChange={(e) => setSkipErrors(e.target.checked)} data-testid="import-skip-errors">
              {t('imports.commit.skipErrors', { n: c.error })}
            </Checkbox>
          </>
        ) : c ? (
          <Alert type="success" showIcon message={t('imports.report.clean')} />
        ) : null}
        {c && c.similar > 0 && (
          <>
            <Alert type="warning" showIcon message={t('imports.report.similar', { n: c.similar })} description={t('imports.report.similarHint')} />
            <ReportTable rows={warnings} page={warningPage} onPage={setWarningPage} fieldLabel={fieldLabel} testId="import-warnings" />
          </>
        )}
        <Alert type="info" showIcon message={t('imports.commit.allOrNothing')} />
        <Flex justify="flex-end" gap={8}>
          <Button type="primary" data-testid="import-commit" loading={commit.isPending}
            disabled={!c || job.status !== 'validated' || (c.error > 0 && !skipErrors) || c.create + c.update === 0}
            onClick={() => commit.mutate({ id: job.id, skipErrors }, { onError: (e) => report(e) })}>
            {t('imports.commit', { n: c ? c.create + c.update : 0 })}
          </Button>
        </Flex>
      </Space>
    </Card>
  );
}

/** Rows of the report with their problems: errors that block, or warnings to look at. */
function ReportTable({ rows, page, onPage, fieldLabel, testId }: {
  rows: ReturnType<typeof useReportRows>; page: number; onPage: (p: number) => void; fieldLabel: (f: string) => string; testId: string;
}) {
  const { t, locale } = useI18n();
  return (
    <Table
      size="small"
      rowKey="rowNo"
      loading={rows.isFetching}
      dataSource={rows.data?.items ?? []}
      data-testid={testId}
      pagination={{ current: page, pageSize: ERROR_PAGE, total: rows.data?.total ?? 0, onChange: onPage, showSizeChanger: false, hideOnSinglePage: true }}
      columns={[
        { title: t('imports.report.row'), dataIndex: 'rowNo', width: 90 },
        { title: t('imports.report.field'), width: 200, render: (_: unknown, r) => r.problems.map((p, i) => <div key={i}>{fieldLabel(p.field)}</div>) },
        { title: t('imports.report.problem'), render: (_: unknown, r) => r.problems.map((p, i) => <div key={i}>{problemText(t, locale, p)}</div>) },
      ]}
    />
  );
}

function DoneStep({ job, onAgain }: { job: ImportJob; onAgain: () => void }) {
  const t = useT();
  const r = job.result;
  return (
    <Card>
      <Result
        status="success"
        title={t('imports.done.title')}
        subTitle={r ? t('imports.done.summary', { created: r.created, updated: r.updated, skipped: r.skipped }) : null}
        extra={[
          <Link key="list" to="/accounts"><Button type="primary">{t('imports.done.toList')}</Button></Link>,
          <Button key="again" onClick={onAgain}>{t('imports.done.again')}</Button>,
        ]}
      />
      {!r && <Empty />}
    </Card>
  );
}
