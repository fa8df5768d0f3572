import type { ReactNode } from 'react';
import { Card, Flex, Skeleton } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';
import { LoadError } from '../../components/LoadError.tsx';
import { useT } from '../../i18n/useI18n.ts';

/**
 * A home card that is not a list (the lists are DeskCard): a title with an icon and a link to the page it
 * summarises, then the body drawn from the query once it has answered — a skeleton while it loads, the error with a
 * retry when it fails, so no card repeats those states. `before` stands above the body whatever its state.
 */
export function HomeCard<T>({
  testId,
  icon,
  title,
  to,
  linkText,
  query,
  rows = 2,
  before,
  children,
}: {
  testId: string;
  icon: ReactNode;
  title: string;
  to: string;
  linkText?: string;
  query: UseQueryResult<T>;
  rows?: number;
  before?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const t = useT();
  return (
    <Card
      data-testid={testId}
      style={{ height: '100%' }}
      styles={{ body: { paddingTop: 12 }, title: { whiteSpace: 'normal' } }}
      title={
        <Flex gap={8} align="center">
          {icon}
          <span>{title}</span>
        </Flex>
      }
      extra={
        <Link to={to} data-testid={`${testId}-link`}>
          {linkText ?? t('home.desk.viewAll')} <RightOutlined style={{ fontSize: 10 }} />
        </Link>
      }
    >
      {before}
      {query.isError && query.data === undefined ? (
        <LoadError error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data === undefined ? (
        <Skeleton active paragraph={{ rows }} />
      ) : (
        children(query.data)
      )}
    </Card>
  );
}
