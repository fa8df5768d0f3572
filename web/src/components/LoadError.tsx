import { Button, Result } from 'antd';
import { problemMessage } from '../api/problems.ts';
import { useI18n } from '../i18n/useI18n.ts';

/** What a screen shows instead of its data when loading failed. */
export function LoadError({ error, onRetry, fullPage }: { error: unknown; onRetry: () => void; fullPage?: boolean }) {
  const say = useI18n();
  const { t: translate } = say;
  return (
    <Result
      status="warning"
      title={translate('common.loadFailed')}
      subTitle={problemMessage(error, say)}
      style={fullPage ? { marginTop: '15vh' } : undefined}
      extra={<Button onClick={onRetry}>{translate('common.retry')}</Button>}
    />
  );
}
