import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Engine } from '../../src/db/dialect.ts';
import { insertSession } from '../../src/modules/auth/repository.ts';
import { sessionIdOf } from '../../src/modules/auth/service.ts';
import { createTestDb, type TestDb } from './db.ts';
import { Conformance } from './openapi/conformance.ts';
import { PASSWORD } from './seed-workspace.ts';

/*
 * The test app and requests to it. The seeded workspace is seed-workspace.ts's, the further
 * records seed-extras.ts's; both are exported from here too, where the suites import them.
 */
export { PASSWORD, seedWorkspace, type Fixture } from './seed-workspace.ts';
export { seedExtras, type Extras } from './seed-extras.ts';

interface Answer {
  method: string;
  url: string;
  status: number;
  contentType: string | undefined;
  body: string | undefined;
}

/** Every answer of a documented API route, checked against the document when the app closes. */
function recordAnswers(app: FastifyInstance): Answer[] {
  const answers: Answer[] = [];
  app.addHook('onSend', async (req, reply, payload) => {
    const url = req.routeOptions.url;
    if (url?.startsWith('/api/v1/')) {
      const type = reply.getHeader('content-type');
      answers.push({
        method: req.method,
        url,
        status: reply.statusCode,
        contentType: typeof type === 'string' ? type : undefined,
        body: typeof payload === 'string' ? payload : undefined,
      });
    }
    return payload;
  });
  return answers;
}

export interface TestApp {
  engine: Engine;
  db: TestDb;
  app: FastifyInstance;
  config: Config;
  close(): Promise<void>;
}

/** `clock` fixes the server's time for the requests (Actor.now). */
export async function createTestApp(
  engine: Engine,
  overrides: Partial<Config> = {},
  opts: { clock?: () => number } = {},
): Promise<TestApp> {
  const db = await createTestDb(engine);
  // The suites change users, units and rules in the database directly and expect the next
  // request to see it, some with a fixed clock: their sessions are read on every request. The
  // per-process session cache is tested where it is asked for (test/api/session-cache.test.ts).
  const config = {
    ...loadConfig({ KEYLINE_DATA_DIR: '/tmp/keyline-unused', LOG_LEVEL: 'silent' }),
    sessionCacheMs: 0,
    ...overrides,
  };
  const app = await buildApp(db, config, { logger: false, ...opts });
  const answers = recordAnswers(app);
  await app.ready();
  return {
    engine,
    db,
    app,
    config,
    async close() {
      // Every answer any test provoked must be what /api/openapi.json documents.
      const conformance = await Conformance.of(app);
      await app.close();
      await db.dispose();
      const wrong = [
        ...new Set(answers.flatMap((a) => conformance.check(a.method, a.url, a.status, a.contentType, a.body))),
      ];
      if (wrong.length) throw new Error(`answers that /api/openapi.json does not document:\n${wrong.join('\n')}`);
    },
  };
}

/** A signed-in session made directly (no password hashing), resolved by the same code as a real one. */
export async function sessionCookie(testApp: TestApp, workspaceId: number, userId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  await insertSession(testApp.db.kysely, {
    id: sessionIdOf(token),
    workspaceId,
    userId,
    now,
    expiresAt: now + testApp.config.sessionAbsoluteMs,
    ip: null,
    userAgent: 'test',
  });
  return `keyline_session=${token}`;
}

export async function loginCookie(testApp: TestApp, email: string, password = PASSWORD): Promise<string> {
  const res = await testApp.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed for ${email}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((x) => x.name === 'keyline_session');
  return `keyline_session=${cookie!.value}`;
}

export type Call = (
  method: InjectOptions['method'],
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<LightMyRequestResponse>;

/** A request function bound to a cookie (or none). */
export function client(testApp: TestApp, cookie?: string): Call {
  return (method, url, body, headers = {}) =>
    testApp.app.inject({
      method,
      url,
      headers: { ...(cookie ? { cookie } : {}), ...headers },
      ...(body !== undefined ? { payload: body as InjectOptions['payload'] } : {}),
    });
}

export const json = <T = Record<string, unknown>>(res: LightMyRequestResponse): T => res.json() as T;
