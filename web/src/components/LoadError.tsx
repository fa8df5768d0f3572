import { Button, Result } from 'antd';
import { problemMessage } from '../api/problems.ts';
import { useT } from '../i18n/useI18n.ts';

/** What a screen shows instead of its data when loading failed. */
export function LoadError({ error, onRetry, fullPage }: { error: unknown; onRetry: () => void; fullPage?: boolean }) {
  const t = useT();
  return (
    <Result
      status="warning"
      title={t('common.loadFailed')}
      subTitle={problemMessage(error, t)}
      style={fullPage ? { marginTop: '15vh' } : undefined}
      extra={<Button onClick={onRetry}>{t('common.retry')}</Button>}
    />
  );
}
