import { useMemo, useState } from 'react';
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Col, Flex, Progress, Row, Space, Statistic, Typography } from 'antd';
import { useProblem } from '../../api/useProblem.ts';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useCommitImport, useReportRows, type ImportJob } from './api.ts';
import { FailureAlert } from './FailureAlert.tsx';
import { ReportTable } from './ReportTable.tsx';
import { ValueMappingCard } from './ValueMappingCard.tsx';

/** The import's third step: the dry run's progress and report (counts, errors, similar names, duplicates), then the commit and its progress. */

export function ReportStep({ job, onBack }: { job: ImportJob; onBack: () => void }) {
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
