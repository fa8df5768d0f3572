import type { calendarZhCN } from './messages.zh-CN.ts';

/** English strings of the calendar and its feed; the same keys as the Chinese. */
export const calendarEnUS: Record<keyof typeof calendarZhCN, string> = {
  'nav.calendar': 'Calendar',
  'calendar.title': 'Calendar',
  'calendar.subtitle':
    'Planned visits and other activities, and tasks falling due, day by day; a manager can look at one member or the whole team.',
  'calendar.view.day': 'Day',
  'calendar.view.week': 'Week',
  'calendar.previous': 'Earlier',
  'calendar.next': 'Later',
  'calendar.today': 'Today',
  'calendar.who': 'Whose calendar',
  'calendar.who.me': 'My calendar',
  'calendar.who.team': 'Whole team',
  'calendar.task': 'Task',
  'calendar.allDay': 'Due',
  'calendar.overdue': 'overdue',
  'calendar.notLogged': 'past, not logged yet',
  'calendar.truncated':
    'There is too much in this range; only the first 1,000 entries are shown. Pick one person or look at a single day.',
  'calendar.empty.week': 'No visits planned and no tasks due this week.',
  'calendar.empty.day': 'No visits planned and no tasks due on this day.',
  'calendar.empty.hint':
    'Plan a visit from an account (Log activity, then choose Planned), or create a task with a due date.',
  'calendar.empty.planVisit': 'Plan a visit from the accounts',
  'calendar.empty.addTask': 'New task',
  'calendar.feed.title': 'Calendar subscription',
  'calendar.feed.intro':
    'Subscribe to this address in your calendar app (Outlook, Apple Calendar, Google Calendar…) to see your planned visits and open tasks there. The address is the key: do not pass it on.',
  'calendar.feed.none': 'You have no subscription address yet.',
  'calendar.feed.active': 'Your subscription address was made on {created}.',
  'calendar.feed.lastUsed': 'Last read by a calendar app: {when}',
  'calendar.feed.neverUsed': 'No calendar app has read it yet.',
  'calendar.feed.create': 'Make a subscription address',
  'calendar.feed.replace': 'Make a new address',
  'calendar.feed.replaceConfirm':
    'The old address stops working at once; calendars subscribed to it need the new one. Go ahead?',
  'calendar.feed.revoke': 'Stop the subscription',
  'calendar.feed.revokeConfirm': 'Calendars subscribed to this address will no longer update. Go ahead?',
  'calendar.feed.revoked': 'Subscription stopped',
  'calendar.feed.copyOnce': 'Copy this address now: for your safety it is shown only this once.',
  'calendar.feed.copied': 'Address copied',
  'calendar.feed.copy': 'Copy',
};
