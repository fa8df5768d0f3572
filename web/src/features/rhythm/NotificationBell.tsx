import { useState } from 'react';
import { Badge, Button, Empty, Flex, List, Popover, Segmented, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useDates } from '../../i18n/useDates.ts';
import { useNavigate } from 'react-router';
import { useProblem } from '../../api/useProblem.ts';
import { useT } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import type { NotificationDto } from '../../../../src/contracts/notifications.ts';
import { useMarkAllRead, useMarkRead, useNotifications, useUnreadCount } from './api.ts';

/** Where a notification leads. */
function pathOf(notification: NotificationDto): string {
  switch (notification.subject.type) {
    case 'task':
      return '/tasks';
    case 'account':
      return `/accounts/${notification.subject.id}`;
    case 'opportunity':
      return `/opportunities/${notification.subject.id}`;
    case 'callback':
      return '/rhythm/callbacks';
  }
}

/** The header's bell (docs/rhythm.md § Notifications): the unread count, the latest reminders, mark read. */
export function NotificationBell() {
  const t = useT();
  const navigate = useNavigate();
  const report = useProblem();
  const [open, setOpen] = useState(false);
  const [onlyUnread, setOnlyUnread] = useState(true);
  const unread = useUnreadCount();
  const list = useNotifications({ unread: onlyUnread, limit: 20, offset: 0 }, open);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const dates = useDates();
  const count = unread.data?.unread ?? 0;

  function go(notification: NotificationDto) {
    if (!notification.read) markRead.mutate(notification.id, { onError: (e) => report(e) });
    setOpen(false);
    navigate(pathOf(notification));
  }

  const content = (
    <div style={{ width: 'min(360px, calc(100vw - 48px))' }} data-testid="notification-panel">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }} gap={8}>
        <Segmented
          size="small"
          value={onlyUnread ? 'unread' : 'all'}
          onChange={(v) => setOnlyUnread(v === 'unread')}
          options={[
            { value: 'unread', label: t('notifications.unread') },
            { value: 'all', label: t('notifications.all') },
          ]}
        />
        <Button
          size="small"
          type="link"
          disabled={count === 0}
          loading={markAll.isPending}
          onClick={() => markAll.mutate(undefined, { onError: (e) => report(e) })}
          data-testid="notification-read-all"
        >
          {t('notifications.readAll')}
        </Button>
      </Flex>
      <List<NotificationDto>
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        style={{ maxHeight: 420, overflow: 'auto' }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                <>
                  {t('notifications.empty')}
                  <br />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('notifications.emptyHint')}
                  </Typography.Text>
                </>
              }
            />
          ),
        }}
        renderItem={(notification) => (
          <List.Item
            style={{ cursor: 'pointer', padding: '8px 4px', opacity: notification.read ? 0.6 : 1 }}
            onClick={() => go(notification)}
            data-testid={`notification-${notification.id}`}
          >
            <Flex vertical gap={2} style={{ minWidth: 0, width: '100%' }}>
              <Typography.Text strong={!notification.read}>
                {t(`notifications.kind.${notification.kind}` as MessageKey)}
              </Typography.Text>
              <Typography.Text ellipsis>
                {notification.subject.name}
                {notification.dueDate ? ` · ${notification.dueDate}` : ''}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {dates.format(notification.createdAt, 'monthDayTime')}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    </div>
  );

  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      title={t('notifications.title')}
      content={content}
      arrow={false}
      // On a phone the bell sits left of the avatar: a panel aligned to its right edge ran off the screen's left
      // side. Shifting keeps it within the screen; flipping up or down still happens as before.
      align={{ overflow: { adjustX: true, adjustY: true, shiftX: true } }}
    >
      <Button
        type="text"
        aria-label={t('notifications.title')}
        data-testid="notification-bell"
        icon={
          <Badge count={count} size="small" overflowCount={99} data-testid="notification-badge">
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        }
      />
    </Popover>
  );
}
