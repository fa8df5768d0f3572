import { z } from 'zod';
import { queryBool, queryInt } from './common.ts';

/**
 * The in-app notification centre (docs/rhythm.md § Notifications): what the periodic job
 * found for the signed-in user. Pure zod: the web app imports the types.
 */
export const NOTIFICATION_KINDS = [
  'task_due',
  'follow_up_overdue',
  'checkpoint_day15',
  'checkpoint_day30',
  'deal_stalled',
  'callback_unconfirmed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_SUBJECTS = ['task', 'account', 'opportunity', 'callback'] as const;

export const notificationSchema = z.object({
  id: z.number().int(),
  kind: z.enum(NOTIFICATION_KINDS),
  subject: z.object({ type: z.enum(NOTIFICATION_SUBJECTS), id: z.number().int(), name: z.string() }),
  dueDate: z.string().nullable(),
  createdAt: z.number().int(),
  read: z.boolean(),
});

export const notificationListQuery = z.strictObject({
  unread: queryBool.describe('only unread ones'),
  limit: queryInt(z.number().int().min(1).max(200)).default(20),
  offset: queryInt(z.number().int().min(0)).default(0),
});

export const notificationListResponse = z.object({
  items: z.array(notificationSchema),
  total: z.number().int(),
  unread: z.number().int(),
});
export const unreadResponse = z.object({ unread: z.number().int() });

export type NotificationDto = z.infer<typeof notificationSchema>;
export type NotificationListResponse = z.infer<typeof notificationListResponse>;
