import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Input, Popconfirm, Space, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useProblem } from '../../api/useProblem.ts';
import { LoadError } from '../../components/LoadError.tsx';
import { useDates } from '../../i18n/useDates.ts';
import { useT } from '../../i18n/useI18n.ts';
import { useCalendarFeed, useCreateFeed, useRevokeFeed } from './api.ts';

/**
 * The user's iCalendar feed in their profile (docs/rhythm.md § Calendar): make, replace or stop
 * the address. The server keeps only a hash of it, so the full address is shown once, right
 * after it is made.
 */
export function FeedCard() {
  const t = useT();
  const { message } = App.useApp();
  const report = useProblem();
  const dates = useDates();
  const when = (instant: number) => dates.format(instant, 'dateTime');
  const feed = useCalendarFeed();
  const create = useCreateFeed();
  const revoke = useRevokeFeed();
  const [address, setAddress] = useState<string | null>(null);

  const make = () =>
    create.mutate(undefined, {
      onSuccess: (created) => setAddress(`${window.location.origin}${created.path}`),
      onError: (e) => report(e),
    });
  const stop = () =>
    revoke.mutate(undefined, {
      onSuccess: () => {
        setAddress(null);
        void message.success(t('calendar.feed.revoked'));
      },
      onError: (e) => report(e),
    });

  return (
    <Card title={t('calendar.feed.title')} data-testid="calendar-feed">
      <Typography.Paragraph type="secondary">{t('calendar.feed.intro')}</Typography.Paragraph>
      {feed.isError ? (
        <LoadError error={feed.error} onRetry={() => void feed.refetch()} />
      ) : (
        feed.data && (
          <Flex vertical gap={12}>
            {address && (
              <Alert
                type="info"
                showIcon
                title={t('calendar.feed.copyOnce')}
                description={
                  <Space.Compact style={{ width: '100%', marginTop: 8 }}>
                    <Input readOnly value={address} data-testid="calendar-feed-address" />
                    <Button
                      icon={<CopyOutlined />}
                      onClick={() =>
                        void navigator.clipboard
                          .writeText(address)
                          .then(() => message.success(t('calendar.feed.copied')))
                      }
                    >
                      {t('calendar.feed.copy')}
                    </Button>
                  </Space.Compact>
                }
              />
            )}
            <Typography.Text>
              {feed.data.active && feed.data.createdAt !== null
                ? t('calendar.feed.active', { created: when(feed.data.createdAt) })
                : t('calendar.feed.none')}
            </Typography.Text>
            {feed.data.active && (
              <Typography.Text type="secondary">
                {feed.data.lastUsedAt !== null
                  ? t('calendar.feed.lastUsed', { when: when(feed.data.lastUsedAt) })
                  : t('calendar.feed.neverUsed')}
              </Typography.Text>
            )}
            <Space wrap>
              {feed.data.active ? (
                <>
                  <Popconfirm title={t('calendar.feed.replaceConfirm')} onConfirm={make}>
                    <Button loading={create.isPending}>{t('calendar.feed.replace')}</Button>
                  </Popconfirm>
                  <Popconfirm title={t('calendar.feed.revokeConfirm')} onConfirm={stop}>
                    <Button danger loading={revoke.isPending}>
                      {t('calendar.feed.revoke')}
                    </Button>
                  </Popconfirm>
                </>
              ) : (
                <Button type="primary" loading={create.isPending} onClick={make} data-testid="calendar-feed-create">
                  {t('calendar.feed.create')}
                </Button>
              )}
            </Space>
          </Flex>
        )
      )}
    </Card>
  );
}
