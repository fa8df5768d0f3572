import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses, idParam } from '../../contracts/common.ts';
import {
  createTaskRequest,
  reassignTaskRequest,
  taskListQuery,
  taskListResponse,
  taskSchema,
  taskStatusRequest,
  updateTaskRequest,
} from '../../contracts/tasks.ts';
import { needs } from '../../server/access.ts';
import { actorOf, ipOf } from '../../server/request.ts';
import * as tasks from './service.ts';

/** Tasks (docs/rhythm.md § Tasks): mine and my team's, scoped by reach; complete, reopen, change, reassign. */
export default async function taskRoutes(app: FastifyInstance) {
  const typedApp = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  typedApp.get(
    '/tasks',
    {
      config: { access: needs('tasks.read') },
      schema: {
        tags: ['tasks'],
        summary: "Tasks: mine (assigned to me) or my team's (everyone's within my reach), by due date",
        querystring: taskListQuery,
        response: { 200: taskListResponse, ...errorResponses },
      },
    },
    async (req) => tasks.listTasks(db, actorOf(req), req.query),
  );

  typedApp.post(
    '/tasks',
    {
      config: { access: needs('tasks.write') },
      schema: {
        tags: ['tasks'],
        summary: 'Create a task for oneself or someone within reach',
        body: createTaskRequest,
        response: { 201: taskSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await tasks.createTask(db, actorOf(req), req.body, ipOf(req))),
  );

  typedApp.get(
    '/tasks/:id',
    {
      config: { access: needs('tasks.read') },
      schema: { tags: ['tasks'], params: idParam, response: { 200: taskSchema, ...errorResponses } },
    },
    async (req) => tasks.getTask(db, actorOf(req), req.params.id),
  );

  typedApp.patch(
    '/tasks/:id',
    {
      config: { access: needs('tasks.write') },
      schema: {
        tags: ['tasks'],
        summary: 'Change the title, notes or due date',
        params: idParam,
        body: updateTaskRequest,
        response: { 200: taskSchema, ...errorResponses },
      },
    },
    async (req) => tasks.updateTask(db, actorOf(req), req.params.id, req.body),
  );

  typedApp.post(
    '/tasks/:id/complete',
    {
      config: { access: needs('tasks.write') },
      schema: {
        tags: ['tasks'],
        summary: 'Mark the task done',
        params: idParam,
        body: taskStatusRequest,
        response: { 200: taskSchema, ...errorResponses },
      },
    },
    async (req) => tasks.setTaskStatus(db, actorOf(req), req.params.id, req.body.version, 'done'),
  );

  typedApp.post(
    '/tasks/:id/reopen',
    {
      config: { access: needs('tasks.write') },
      schema: {
        tags: ['tasks'],
        summary: 'Open a done or cancelled task again',
        params: idParam,
        body: taskStatusRequest,
        response: { 200: taskSchema, ...errorResponses },
      },
    },
    async (req) => tasks.setTaskStatus(db, actorOf(req), req.params.id, req.body.version, 'open'),
  );

  typedApp.post(
    '/tasks/:id/cancel',
    {
      config: { access: needs('tasks.write') },
      schema: {
        tags: ['tasks'],
        summary: 'Cancel the task (kept, no longer due)',
        params: idParam,
        body: taskStatusRequest,
        response: { 200: taskSchema, ...errorResponses },
      },
    },
    async (req) => tasks.setTaskStatus(db, actorOf(req), req.params.id, req.body.version, 'cancelled'),
  );

  typedApp.post(
    '/tasks/:id/reassign',
    {
      config: { access: needs('tasks.write') },
      schema: {
        tags: ['tasks'],
        summary: 'Give the task to someone else within reach',
        params: idParam,
        body: reassignTaskRequest,
        response: { 200: taskSchema, ...errorResponses },
      },
    },
    async (req) => tasks.reassignTask(db, actorOf(req), req.params.id, req.body, ipOf(req)),
  );
}
