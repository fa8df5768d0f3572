import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../contracts/common.ts';
import {
  calendarFeedSchema,
  calendarQuery,
  calendarResponse,
  createdFeedSchema,
  feedParams,
  icsResponse,
} from '../../contracts/calendar.ts';
import { needs } from '../../server/access.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as calendar from './service.ts';
import * as feeds from './feed.ts';

/** The calendar and the per-user iCalendar feed (docs/rhythm.md § Calendar). */
export default async function calendarRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  typedApp.get(
    '/calendar',
    {
      config: { access: needs('tasks.read') },
      schema: {
        tags: ['calendar'],
        summary: "Planned activities and tasks by day: mine, one person's within reach, or a manager's whole team",
        querystring: calendarQuery,
        response: { 200: calendarResponse, ...errorResponses },
      },
    },
    async (req) => calendar.calendar(db, actorOf(req), req.query),
  );

  typedApp.get(
    '/calendar/feed',
    {
      config: { access: needs('tasks.read') },
      schema: {
        tags: ['calendar'],
        summary: 'Whether I have a calendar feed, since when, and when a calendar app last read it',
        response: { 200: calendarFeedSchema, ...errorResponses },
      },
    },
    async (req) => feeds.getFeed(db, actorOf(req)),
  );

  typedApp.post(
    '/calendar/feed',
    {
      config: { access: needs('tasks.read') },
      schema: {
        tags: ['calendar'],
        summary: 'A new feed address (shown once); the previous one stops working',
        response: { 201: createdFeedSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await feeds.createFeed(db, actorOf(req), ipOf(req))),
  );

  typedApp.delete(
    '/calendar/feed',
    {
      config: { access: needs('tasks.read') },
      schema: {
        tags: ['calendar'],
        summary: 'Revoke my feed: its address answers 404 from now on',
        response: { 204: z.null().describe('revoked (or there was none)'), ...errorResponses },
      },
    },
    async (req, reply) => {
      await feeds.revokeFeed(db, actorOf(req), ipOf(req));
      return reply.code(204).send(null);
    },
  );

  typedApp.get(
    '/calendar/feed/:file',
    {
      // The token in the address is the credential: calendar applications send no cookie.
      config: { access: 'public' },
      schema: {
        tags: ['calendar'],
        summary: 'The iCalendar feed of the token’s user: planned activities and open tasks',
        params: feedParams,
        response: { ...icsResponse, 404: errorResponses[404] },
      },
    },
    async (req, reply) => {
      const text = await feeds.feedText(db, req.params.file, app.clock());
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(text);
    },
  );
}
