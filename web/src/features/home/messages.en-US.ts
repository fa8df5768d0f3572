import type { homeZhCN } from './messages.zh-CN.ts';

/** English strings of the home page's cards; the same keys as messages.zh-CN.ts. */
export const homeEnUS: Record<keyof typeof homeZhCN, string> = {
  'home.desk.closingMonth': 'Closing this month',
  'home.desk.closingMonthEmpty':
    'Nothing above 11% is expected to close this month. Check that close dates and stages are up to date.',
  'home.today.title': 'Today',
  'home.today.empty': 'No visit planned and no task due today. Plan a visit in the calendar, or add a task.',
  'home.today.overdueTasks': '{n, plural, one {# task is} other {# tasks are}} overdue',
  'home.today.open': 'Open the calendar',
  'home.today.toTasks': 'See overdue tasks',
  'home.today.untitled': '(no subject)',
  'home.week.title': "This week's plan and summary",
  'home.week.plan': 'Weekly plan',
  'home.week.summary': 'Weekly summary',
  'home.week.submitted': 'submitted {date}',
  'home.week.draft': 'draft saved, not submitted',
  'home.week.missing': 'not submitted',
  'home.week.write': 'Write it',
  'home.week.comments': '{n, plural, one {# comment} other {# comments}} from your manager',
  'home.quarter.title': 'My numbers · {period}',
  'home.quarter.quota': 'Quota',
  'home.quarter.realised': 'Won',
  'home.quarter.gap': 'Gap',
  'home.quarter.forecast': "This week's forecast",
  'home.quarter.met': 'Quota met',
  'home.quarter.weeksLeft': '{n, plural, one {# week} other {# weeks}} left in the period',
  'home.quarter.noQuota':
    'No quota is set for this period yet. Ask your manager to set one under Targets so the gap can be worked out.',
  'home.quarter.open': 'Forecast',
  'home.review.title': 'Reviews due this week',
  'home.review.empty':
    "No 15-day check or 30-day judgement is due this week. Go through the team's deals under Rhythm at the weekly meeting.",
  'home.review.day15': '15-day check',
  'home.review.day30': '30-day judgement',
  'home.review.overdue': 'overdue',
  'home.reports.title': 'Weekly reports missing',
  'home.reports.planMissing': '{n, plural, one {# person has} other {# people have}} not submitted the plan',
  'home.reports.summaryMissing': '{n, plural, one {# person has} other {# people have}} not submitted the summary',
  'home.reports.allIn': "Everyone in your team has submitted this week's plan and summary.",
  'home.reports.nobody': 'Nobody in your team writes weekly reports yet.',
  'home.callbacks.title': 'Unconfirmed callbacks',
  'home.callbacks.empty':
    "No callback came back unconfirmed. At the start of each month, draw last month's sample under Callbacks.",
  'home.callbacks.visitOn': 'visit on {date}',
  'home.cadence.title': 'Follow-up compliance',
  'home.introManager':
    "What your team needs today: the period's quota and gap, who is furthest behind, the deals due for review, missing weekly reports, unconfirmed callbacks, follow-up compliance and the team's deals that need attention.",
  'home.cadence.rate': 'Team {rate}',
  'home.cadence.overdue': '{n} overdue',
  'home.cadence.empty':
    'Your team has no accounts with a follow-up cadence yet. Once accounts are assigned, this shows who falls behind.',
  'home.auditor.title': 'Callbacks to make',
  'home.auditor.empty':
    'No callback is assigned to you right now. Once a manager draws the sample, the visits to check appear here.',
  'home.auditor.call': 'Call {name}',
};
