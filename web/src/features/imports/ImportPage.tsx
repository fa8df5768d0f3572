import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Card, Empty, Flex, Result, Steps, Typography } from 'antd';
import { useT } from '../../i18n/useI18n.ts';
import { useImportJob, type ImportJob } from './api.ts';
import { UploadStep } from './UploadStep.tsx';
import { MappingStep } from './MappingStep.tsx';
import { ReportStep } from './ReportStep.tsx';

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
      {job.searchPending > 0 && (
        // Committed, but not yet findable by search: the indexing job writes their entries after the commit.
        <Alert
          type="info"
          showIcon
          data-testid="import-search-pending"
          message={t('imports.done.indexing', { n: job.searchPending })}
        />
      )}
      {!result && <Empty />}
    </Card>
  );
}
