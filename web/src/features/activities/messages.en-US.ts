import type { activitiesZhCN } from './messages.zh-CN.ts';

/** English strings of the activities area; the type keeps the keys identical to the Chinese. */
export const activitiesEnUS: Record<keyof typeof activitiesZhCN, string> = {
  'activities.type.visit': 'Visit',
  'activities.type.call': 'Call',
  'activities.type.meeting': 'Meeting',
  'activities.type.demo': 'Demo',
  'activities.type.technical_exchange': 'Technical exchange',
  'activities.type.email': 'Email',
  'activities.type.wechat': 'WeChat',
  'activities.type.event': 'Event',
  'activities.status.planned': 'Planned',
  'activities.status.done': 'Done',
  'activities.status.cancelled': 'Cancelled',
};
