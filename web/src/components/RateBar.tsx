import { Progress, Typography } from 'antd';
import { useT } from '../i18n/useI18n.ts';

/**
 * A percentage in a table cell that is judged against a bar (follow-up compliance, callback confirmation): a
 * progress bar on a wide screen, the coloured figure on a narrow one, "none" when there is nothing to rate.
 */
export function RateBar({ rate, good, wide }: { rate: number | null; good: number; wide: boolean }) {
  const t = useT();
  if (rate === null) return <>{t('common.none')}</>;
  return wide ? (
    <Progress percent={rate} size="small" status={rate < good ? 'exception' : 'success'} format={(p) => `${p}%`} />
  ) : (
    <Typography.Text type={rate < good ? 'danger' : 'success'}>{rate}%</Typography.Text>
  );
}
