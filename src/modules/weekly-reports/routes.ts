import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../contracts/common.ts';
import {
  commentRequest,
  savePlanRequest,
  saveSummaryRequest,
  teamReportsQuery,
  teamReportsResponse,
  weeklyReportQuery,
  weeklyReportSchema,
} from '../../contracts/rhythm.ts';
import { needs } from '../../server/access.ts';
import { actorOf } from '../../server/request.ts';
import * as weekly from './service.ts';

/** Weekly plans and summaries (docs/rhythm.md § Weekly plan and summary). */
export default async function weeklyReportRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  typedApp.get(
    '/weekly-reports',
    {
      config: { access: needs('tasks.read') },
      schema: {
        tags: ['rhythm'],
        summary: "A person's plan and summary of a week (mine by default; a manager's team's)",
        querystring: weeklyReportQuery,
        response: { 200: weeklyReportSchema, ...errorResponses },
      },
    },
    async (req) => weekly.getReport(db, actorOf(req), req.query),
  );

  typedApp.put(
    '/weekly-reports/plan',
    {
      config: { access: needs('tasks.write') },
      schema: {
        tags: ['rhythm'],
        summary: 'Write my plan of a week (submit: it counts as written)',
        body: savePlanRequest,
        response: { 200: weeklyReportSchema, ...errorResponses },
      },
    },
    async (req) => weekly.savePlan(db, actorOf(req), req.body),
  );

  typedApp.put(
    '/weekly-reports/summary',
    {
      config: { access: needs('tasks.write') },
      schema: {
        tags: ['rhythm'],
        summary: 'Write my summary of a week; every problem carries a proposed solution',
        body: saveSummaryRequest,
        response: { 200: weeklyReportSchema, ...errorResponses },
      },
    },
    async (req) => weekly.saveSummary(db, actorOf(req), req.body),
  );

  typedApp.post(
    '/weekly-reports/:id/comments',
    {
      config: { access: needs('tasks.write') },
      schema: {
        tags: ['rhythm'],
        summary: "A manager's comment on a report of their team",
        params: idParam,
        body: commentRequest,
        response: { 201: weeklyReportSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await weekly.addComment(db, actorOf(req), req.params.id, req.body.body)),
  );

  typedApp.get(
    '/weekly-reports/team',
    {
      config: { access: needs('tasks.read') },
      schema: {
        tags: ['rhythm'],
        summary: "The reps within reach and who has not submitted the week's plan or summary",
        querystring: teamReportsQuery,
        response: { 200: teamReportsResponse, ...errorResponses },
      },
    },
    async (req) => weekly.teamReports(db, actorOf(req), req.query),
  );
}
