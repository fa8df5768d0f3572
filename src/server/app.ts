import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Db } from '../db/database.ts';
import type { Config } from '../config.ts';
import { installAuthHooks } from './auth-hooks.ts';
import { installErrorHandler } from './errors.ts';
import { PROBLEM_MEDIA_TYPE, toProblem } from './problem.ts';
import { openApiTransform } from './openapi.ts';
import { refuseNulCharacters } from './text-input.ts';
import { installProbes } from './probes.ts';
import authRoutes from '../modules/auth/routes.ts';
import userRoutes from '../modules/users/routes.ts';
import orgRoutes from '../modules/org/routes.ts';
import workspaceRoutes from '../modules/workspace/routes.ts';
import auditRoutes from '../modules/audit/routes.ts';
import accountRoutes from '../modules/accounts/routes.ts';
import salesProcessRoutes from '../modules/sales-processes/routes.ts';
import opportunityRoutes from '../modules/opportunities/routes.ts';
import deskRoutes from '../modules/desk/routes.ts';
import attachmentRoutes from '../modules/attachments/routes.ts';
import opportunityInsightRoutes from '../modules/opportunity-insight/routes.ts';
import contactRoutes from '../modules/contacts/routes.ts';
import savedViewRoutes from '../modules/saved-views/routes.ts';
import importRoutes from '../modules/imports/routes.ts';
import exportRoutes from '../modules/exports/routes.ts';
import tierRoutes from '../modules/tiers/routes.ts';
import rulesRoutes from '../modules/rules/routes.ts';
import territoryRoutes from '../modules/territories/routes.ts';
import poolRoutes from '../modules/pool/routes.ts';
import handoverRoutes from '../modules/handovers/routes.ts';
import timelineRoutes from '../modules/timeline/routes.ts';
import planningRoutes from '../modules/planning/routes.ts';
import taskRoutes from '../modules/tasks/routes.ts';
import calendarRoutes from '../modules/calendar/routes.ts';
import quotaRoutes from '../modules/quotas/routes.ts';
import funnelRoutes from '../modules/funnel/routes.ts';
import collectionRoutes from '../modules/collections/routes.ts';
import notificationRoutes from '../modules/notifications/routes.ts';
import forecastRoutes from '../modules/forecasts/routes.ts';
import analysesRoutes from '../modules/analyses/routes.ts';
import activityRoutes from '../modules/activities/routes.ts';
import groupRoutes from '../modules/groups/routes.ts';
import checkpointRoutes from '../modules/checkpoints/routes.ts';
import cadenceRoutes from '../modules/cadence/routes.ts';
import callbackRoutes from '../modules/callbacks/routes.ts';
import searchRoutes from '../modules/search/routes.ts';
import weeklyReportRoutes from '../modules/weekly-reports/routes.ts';
import type { Access } from './access.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    config: Config;
    /** Every API route with its access declaration; the permission tests walk this list. */
    apiRoutes: ApiRoute[];
    /** The server's clock, read once per request into `Actor.now`; tests may fix it. */
    clock: () => number;
  }
}

export interface ApiRoute {
  method: string;
  url: string;
  access: Access;
  /** The zod schemas of the body and query string, for tests that walk every id a request may carry. */
  schema: { body?: unknown; querystring?: unknown };
}

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Downloads (user files, exports, error reports): no scripts, no plug-ins, no same-origin access even if opened. */
const DOWNLOAD_POLICY = "sandbox; default-src 'none'";
const isDownload = (disposition: unknown) => typeof disposition === 'string' && /^\s*attachment\b/i.test(disposition);

/** Every area's routes, mounted under /api/v1. Add new areas here. */
const API_V1 = [
  authRoutes,
  workspaceRoutes,
  orgRoutes,
  userRoutes,
  auditRoutes,
  accountRoutes,
  contactRoutes,
  savedViewRoutes,
  tierRoutes,
  rulesRoutes,
  territoryRoutes,
  poolRoutes,
  handoverRoutes,
  importRoutes,
  exportRoutes,
  salesProcessRoutes,
  opportunityRoutes,
  deskRoutes,
  opportunityInsightRoutes,
  attachmentRoutes,
  timelineRoutes,
  planningRoutes,
  taskRoutes,
  calendarRoutes,
  quotaRoutes,
  funnelRoutes,
  collectionRoutes,
  notificationRoutes,
  forecastRoutes,
  analysesRoutes,
  activityRoutes,
  groupRoutes,
  checkpointRoutes,
  cadenceRoutes,
  callbackRoutes,
  searchRoutes,
  weeklyReportRoutes,
];

export async function buildApp(
  db: Db,
  config: Config,
  opts: { logger?: boolean; clock?: () => number } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel },
    trustProxy: process.env.KEYLINE_TRUST_PROXY === 'true',
    bodyLimit: 2 * 1024 * 1024,
  });
  app.decorate('db', db);
  app.decorate('config', config);
  app.decorate('clock', opts.clock ?? Date.now);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Every route must say who may call it (src/server/access.ts); one that does not is a bug.
  const apiRoutes: ApiRoute[] = [];
  app.decorate('apiRoutes', apiRoutes);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const access = route.config?.access;
    if (access === undefined)
      throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access)`);
    const schema = { body: route.schema?.body, querystring: route.schema?.querystring };
    for (const method of [route.method].flat())
      if (method !== 'HEAD') apiRoutes.push({ method, url: route.url, access, schema });
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Keyline API',
        version: '1',
        description:
          'Sales management for key-account, project-based B2B selling. Sign in with POST /api/v1/auth/login; ' +
          'the session cookie authenticates later calls. Errors are RFC 9457 problem+json with the offending fields in `errors`.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'keyline_session' } } },
      security: [{ session: [] }],
    },
    transform: openApiTransform,
  });
  installErrorHandler(app);
  installAuthHooks(app, db, config);
  refuseNulCharacters(app);

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  installProbes(app, db);

  await app.register(
    async (api) => {
      for (const routes of API_V1) await api.register(routes);
    },
    { prefix: '/api/v1' },
  );

  // Every answer: no sniffing, no framing (clickjacking), no referrer to other sites, and a
  // content policy that allows only this origin's scripts (antd's CSS-in-JS needs inline styles;
  // charts and downloads use data:/blob: images). A file users uploaded or a download built from
  // their data is never a page of this origin: it keeps its own sandbox policy.
  // A callback hook, not an async one: it runs on every answer, and a promise per hook per
  // request is measurable beside a list's sub-millisecond SQL (README § Benchmarks).
  app.addHook('onSend', (req, reply, _payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header(
      'content-security-policy',
      isDownload(reply.getHeader('content-disposition')) ? DOWNLOAD_POLICY : CONTENT_SECURITY_POLICY,
    );
    // API answers carry workspace data: no shared or browser cache keeps them, unless the route chose its own rule.
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done();
  });

  // The web app: files from web/dist, and index.html for every other non-API path (client routing).
  const hasWeb = fs.existsSync(path.join(config.webDir, 'index.html'));
  // The build writes .br and .gz copies (web/build/precompress.ts): the one the browser accepts is
  // sent, with Vary. The plugin's own cache header (max-age=0) is off: the rules below decide.
  if (hasWeb)
    await app.register(fastifyStatic, { root: config.webDir, serve: false, preCompressed: true, cacheControl: false });
  app.setNotFoundHandler(async (req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/')) {
      return reply
        .code(404)
        .type(PROBLEM_MEDIA_TYPE)
        .send(toProblem('no_route', `No route ${req.method} ${url}`));
    }
    if (!hasWeb) return reply.code(503).type('text/plain').send('The web app is not built. Run: npm run build:web');
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply.code(404).send();
    const file = path.join(config.webDir, path.normalize(url));
    if (file.startsWith(config.webDir) && url !== '/' && fs.existsSync(file) && fs.statSync(file).isFile()) {
      // Hashed asset names never change content: cache them for a year. Other files (index.html,
      // the favicon) keep their names across releases: the browser asks again each time.
      reply.header('cache-control', url.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.sendFile(path.relative(config.webDir, file));
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
  return app;
}
