import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, idParam } from '../../contracts/common.ts';
import { notificationListQuery, notificationListResponse, unreadResponse } from '../../contracts/notifications.ts';
import { ANY_SIGNED_IN } from '../../server/access.ts';
import { actorOf } from '../../server/request.ts';
import * as notifications from './service.ts';

/** The caller's own notifications (docs/rhythm.md § Notifications): personal, like saved views, so any signed-in user. */
export default async function notificationRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  typedApp.get(
    '/notifications',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first, with the unread count',
        querystring: notificationListQuery,
        response: { 200: notificationListResponse, ...errorResponses },
      },
    },
    async (req) => notifications.listNotifications(db, actorOf(req), req.query),
  );

  typedApp.get(
    '/notifications/unread-count',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['notifications'],
        summary: 'How many of my notifications are unread (the header badge)',
        response: { 200: unreadResponse, ...errorResponses },
      },
    },
    async (req) => notifications.unreadCount(db, actorOf(req)),
  );

  typedApp.post(
    '/notifications/:id/read',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['notifications'],
        params: idParam,
        body: z.strictObject({}).optional(),
        response: { 200: unreadResponse, ...errorResponses },
      },
    },
    async (req) => notifications.markRead(db, actorOf(req), req.params.id),
  );

  typedApp.post(
    '/notifications/read-all',
    {
      config: { access: ANY_SIGNED_IN },
      schema: {
        tags: ['notifications'],
        body: z.strictObject({}).optional(),
        response: { 200: unreadResponse, ...errorResponses },
      },
    },
    async (req) => notifications.markAllRead(db, actorOf(req)),
  );
}
