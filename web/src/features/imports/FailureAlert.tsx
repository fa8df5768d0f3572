import { Alert, Button } from 'antd';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useValidateImport, type ImportJob } from './api.ts';

/**
 * Why an import failed, in the page's language: interrupted (the server stopped while it read,
 * checked or wrote — nothing was saved), expired (its rows were removed), else the server's
 * words. An interrupted check or write can be run again from here with the same mapping.
 */
export function FailureAlert({ job }: { job: ImportJob }) {
  const t = useT();
  const report = useProblem();
  const validate = useValidateImport();
  const info = job.failureInfo;
  const interrupted = info?.code === 'interrupted' && info.phase;
  const text = interrupted
    ? t(`imports.interrupted.${info.phase!}`)
    : info?.code === 'expired'
      ? t('imports.expired')
      : job.failure;
  const again = interrupted && info.phase !== 'reading' && job.mapping && job.totalRows > 0;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="import-failure"
      message={t(interrupted ? 'imports.interrupted' : 'imports.failed')}
      description={text}
      action={
        again ? (
          <Button
            size="small"
            loading={validate.isPending}
            data-testid="import-validate-again"
            onClick={() =>
              validate.mutate(
                { id: job.id, mapping: job.mapping!, duplicateMode: job.duplicateMode ?? 'skip' },
                { onError: (e) => report(e) },
              )
            }
          >
            {t('imports.validateAgain')}
          </Button>
        ) : undefined
      }
    />
  );
}
