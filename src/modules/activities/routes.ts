import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, idParam, problemSchema } from '../../contracts/common.ts';
import {
  activityDetailSchema,
  activityListQuery,
  activityPage,
  attachRequest,
  createActivityRequest,
  planRequest,
  reviewRequest,
  updateActivityRequest,
  versionRequest,
} from '../../contracts/activities.ts';
import { needs } from '../../server/access.ts';
import { actorOf } from '../../server/request.ts';
import { createActivityWithPlan, saveReview, savePlan } from './plans.ts';
import * as activities from './service.ts';
import { archiveActivity, updateActivity } from './writes.ts';

export default async function activityRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  typedApp.get(
    '/activities',
    {
      config: { access: needs('activities.read') },
      schema: {
        tags: ['activities'],
        summary:
          'Activities the caller may see (those of accounts they see, and their own), filtered, sorted and paginated (docs/rhythm.md § Activities)',
        querystring: activityListQuery,
        response: { 200: activityPage, ...errorResponses },
      },
    },
    async (req) => activities.listActivities(db, actorOf(req), req.query),
  );

  typedApp.post(
    '/accounts/:id/activities',
    {
      config: { access: needs('activities.write') },
      schema: {
        tags: ['activities'],
        summary:
          "Log (status done, default) or plan an activity on the account; a done one of a qualifying type moves the account's last follow-up in the same transaction. A visit may carry its plan (the benefit of every FAB point is mandatory)",
        params: idParam,
        body: createActivityRequest,
        response: { 201: activityDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await createActivityWithPlan(db, actorOf(req), req.params.id, req.body)),
  );

  typedApp.get(
    '/activities/:id',
    {
      config: { access: needs('activities.read') },
      schema: { tags: ['activities'], params: idParam, response: { 200: activityDetailSchema, ...errorResponses } },
    },
    async (req) => activities.getActivity(db, actorOf(req), req.params.id),
  );

  typedApp.patch(
    '/activities/:id',
    {
      config: { access: needs('activities.write') },
      schema: {
        tags: ['activities'],
        summary:
          "Change an activity (its owner, a manager over the account); the account's last follow-up follows, falling back when this was the newest and no longer counts",
        params: idParam,
        body: updateActivityRequest,
        response: { 200: activityDetailSchema, ...errorResponses },
      },
    },
    async (req) => updateActivity(db, actorOf(req), req.params.id, req.body),
  );

  typedApp.post(
    '/activities/:id/archive',
    {
      config: { access: needs('activities.write') },
      schema: {
        tags: ['activities'],
        summary:
          'Archive an activity (a manager over the account, an admin: reps never delete activities); it leaves lists, timelines and the follow-up',
        params: idParam,
        body: versionRequest,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await archiveActivity(db, actorOf(req), req.params.id, req.body.version);
      return reply.code(204).send(null);
    },
  );

  typedApp.put(
    '/activities/:id/plan',
    {
      config: { access: needs('activities.write') },
      schema: {
        tags: ['activities'],
        summary:
          'Plan a visit (docs/rhythm.md § Visit plan and review): objectives, best time, objections and answers, materials, open issues, SPIN questions, FAB points with their benefit; refused once reviewed (409)',
        params: idParam,
        body: planRequest,
        response: { 200: activityDetailSchema, ...errorResponses },
      },
    },
    async (req) => savePlan(db, actorOf(req), req.params.id, req.body),
  );

  typedApp.put(
    '/activities/:id/review',
    {
      config: { access: needs('activities.write') },
      schema: {
        tags: ['activities'],
        summary:
          'Review a planned visit against its plan, objective by objective, with next steps (who planned it, or their manager: 403 otherwise); a visit still planned becomes done',
        params: idParam,
        body: reviewRequest,
        response: { 200: activityDetailSchema, ...errorResponses, 409: problemSchema },
      },
    },
    async (req) => saveReview(db, actorOf(req), req.params.id, req.body),
  );

  typedApp.post(
    '/activities/:id/attachments',
    {
      config: { access: needs('activities.write') },
      schema: {
        tags: ['activities'],
        summary:
          'Attach a file you uploaded (POST /attachments) to the activity; download it with GET /attachments/:id',
        params: idParam,
        body: attachRequest,
        response: { 200: activityDetailSchema, ...errorResponses },
      },
    },
    async (req) => activities.attachFile(db, actorOf(req), req.params.id, req.body),
  );
}
