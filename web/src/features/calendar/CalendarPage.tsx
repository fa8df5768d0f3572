import { Alert, Button, Card, Empty, Flex, Grid, Segmented, Select, Space, Tag, Typography } from 'antd';
import { CheckCircleOutlined, LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { LoadError } from '../../components/LoadError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { dayLabel } from '../../i18n/dates.ts';
import { useDates } from '../../i18n/useDates.ts';
import { useSession } from '../auth/session.ts';
import { accountQueries } from '../accounts/api.ts';
import { addDays, mondayOf } from '../../../../src/domain/calendar.ts';
import { useCalendar, type CalendarEntry } from './api.ts';

type View = 'day' | 'week';

/**
 * The calendar (docs/rhythm.md § Calendar): planned activities and tasks by day, a week or a
 * day at a time; a manager picks a member or the whole team. On a phone it is always the day
 * list. Date, view and whose calendar live in the URL, so a view can be linked to.
 */
export default function CalendarPage() {
  const { t, locale } = useI18n();
  const { user, reach } = useSession();
  const clock = useDates();
  const today = clock.today();
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const [params, setParams] = useSearchParams();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') ?? '') ? params.get('date')! : today;
  const view: View = phone || params.get('view') === 'day' ? 'day' : 'week';
  const who = params.get('who') ?? 'me';
  const seesOthers = reach !== 'unit';
  const from = view === 'week' ? mondayOf(date) : date;
  const days = view === 'week' ? 7 : 1;
  const userId = /^\d+$/.test(who) ? Number(who) : undefined;
  const calendar = useCalendar({ from, days, userId, team: seesOthers && who === 'team' });
  const people = useQuery({ ...accountQueries.people(), enabled: seesOthers });

  const set = (changes: Record<string, string | null>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes))
          if (value === null) next.delete(key);
          else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  const step = (direction: 1 | -1) => set({ date: addDays(from, direction * days) });
  const timeOf = (instant: number) => clock.format(instant, 'time');
  const showPerson = who === 'team';

  const entriesOn = (day: string) => (calendar.data?.entries ?? []).filter((entry) => entry.date === day);
  const dates = Array.from({ length: days }, (_, i) => addDays(from, i));
  const empty = calendar.data !== undefined && calendar.data.entries.length === 0;

  function entryCard(entry: CalendarEntry, compact: boolean) {
    const link = entry.opportunity
      ? `/opportunities/${entry.opportunity.id}`
      : entry.account
        ? `/accounts/${entry.account.id}`
        : '/tasks';
    const what =
      entry.kind === 'activity'
        ? t(`activities.type.${entry.activityType ?? 'visit'}` as MessageKey)
        : t('calendar.task');
    const title = entry.title || entry.account?.name || what;
    return (
      <Link
        key={`${entry.kind}-${entry.id}`}
        to={link}
        data-testid={`calendar-${entry.kind}-${entry.id}`}
        style={{ display: 'block', color: 'inherit' }}
      >
        <Card
          size="small"
          styles={{ body: { padding: compact ? '6px 8px' : '10px 12px' } }}
          style={{
            borderLeft: `3px solid ${entry.kind === 'activity' ? '#2563eb' : entry.overdue ? '#dc2626' : '#16a34a'}`,
            marginBottom: 8,
          }}
        >
          <Flex vertical gap={2}>
            <Space size={6} wrap>
              <Typography.Text strong style={{ fontSize: compact ? 12 : 14 }}>
                {entry.startAt !== null ? timeOf(entry.startAt) : t('calendar.allDay')}
              </Typography.Text>
              <Tag color={entry.kind === 'activity' ? 'blue' : 'green'} style={{ marginInlineEnd: 0 }}>
                {what}
              </Tag>
              {entry.status === 'done' && <CheckCircleOutlined style={{ color: '#16a34a' }} />}
              {entry.overdue && (
                <Typography.Text type="danger" style={{ fontSize: 12 }}>
                  {t(entry.kind === 'task' ? 'calendar.overdue' : 'calendar.notLogged')}
                </Typography.Text>
              )}
            </Space>
            <Typography.Text delete={entry.status === 'done'} style={{ fontSize: compact ? 12 : 14 }}>
              {title}
            </Typography.Text>
            {(entry.title && entry.account) || showPerson ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                {[entry.title ? entry.account?.name : null, showPerson ? entry.person.name : null]
                  .filter(Boolean)
                  .join(' · ')}
              </Typography.Text>
            ) : null}
          </Flex>
        </Card>
      </Link>
    );
  }

  const whoOptions = [
    { value: 'me', label: t('calendar.who.me') },
    { value: 'team', label: t('calendar.who.team') },
    ...(people.data ?? [])
      .filter((person) => person.id !== user.id && person.role !== 'finance')
      .map((person) => ({ value: String(person.id), label: `${person.name} · ${person.orgUnitLabel}` })),
  ];

  return (
    <>
      <PageHeader title={t('calendar.title')} subtitle={t('calendar.subtitle')} />
      <Flex gap={8} wrap align="center" style={{ marginBottom: 16 }}>
        {!phone && (
          <Segmented<View>
            value={view}
            onChange={(value) => set({ view: value === 'week' ? null : value })}
            options={[
              { value: 'day', label: t('calendar.view.day') },
              { value: 'week', label: t('calendar.view.week') },
            ]}
            data-testid="calendar-view"
          />
        )}
        <Space.Compact>
          <Button icon={<LeftOutlined />} onClick={() => step(-1)} aria-label={t('calendar.previous')} />
          <Button onClick={() => set({ date: null })} disabled={dates.includes(today)}>
            {t('calendar.today')}
          </Button>
          <Button icon={<RightOutlined />} onClick={() => step(1)} aria-label={t('calendar.next')} />
        </Space.Compact>
        <Typography.Text strong data-testid="calendar-range">
          {view === 'week'
            ? `${dayLabel(from, locale, false)} – ${dayLabel(addDays(from, 6), locale, false)}`
            : dayLabel(from, locale)}
        </Typography.Text>
        {seesOthers && (
          <Select
            value={who}
            onChange={(value) => set({ who: value === 'me' ? null : value })}
            options={whoOptions}
            showSearch={{ optionFilterProp: 'label' }}
            loading={people.isPending}
            style={{ minWidth: 200, marginInlineStart: phone ? 0 : 'auto' }}
            aria-label={t('calendar.who')}
            data-testid="calendar-who"
          />
        )}
      </Flex>
      {calendar.isError ? (
        <LoadError error={calendar.error} onRetry={() => void calendar.refetch()} />
      ) : (
        <>
          {calendar.data?.truncated && (
            <Alert type="warning" showIcon title={t('calendar.truncated')} style={{ marginBottom: 12 }} />
          )}
          {empty && (
            <Card style={{ marginBottom: 16 }}>
              <Empty
                description={
                  <Flex vertical gap={4}>
                    <Typography.Text strong>
                      {t(view === 'week' ? 'calendar.empty.week' : 'calendar.empty.day')}
                    </Typography.Text>
                    <Typography.Text type="secondary">{t('calendar.empty.hint')}</Typography.Text>
                  </Flex>
                }
              >
                <Space wrap>
                  <Link to="/accounts">
                    <Button type="primary">{t('calendar.empty.planVisit')}</Button>
                  </Link>
                  <Link to="/tasks">
                    <Button>{t('calendar.empty.addTask')}</Button>
                  </Link>
                </Space>
              </Empty>
            </Card>
          )}
          {view === 'week' && !empty ? (
            <div
              data-testid="calendar-week"
              style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))', gap: 8 }}
            >
              {dates.map((day) => (
                <div key={day} style={{ minWidth: 0 }}>
                  <Typography.Text
                    strong={day === today}
                    type={day === today ? undefined : 'secondary'}
                    style={{
                      display: 'block',
                      padding: '4px 6px',
                      marginBottom: 8,
                      borderRadius: 6,
                      background: day === today ? '#dbeafe' : '#f1f5f9',
                    }}
                  >
                    {dayLabel(day, locale)}
                  </Typography.Text>
                  {entriesOn(day).map((entry) => entryCard(entry, true))}
                </div>
              ))}
            </div>
          ) : (
            !empty && <div data-testid="calendar-day">{entriesOn(from).map((entry) => entryCard(entry, false))}</div>
          )}
        </>
      )}
    </>
  );
}
