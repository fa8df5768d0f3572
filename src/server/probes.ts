import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { PROBLEM_MEDIA_TYPE, toProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set when shutdown begins: readiness answers 503 so a load balancer stops sending work. */
    draining: boolean;
  }
}

/** How long readiness waits for the database before it says "not ready". */
const READY_TIMEOUT_MS = 2000;

/**
 * The two probes a load balancer or orchestrator needs (README § Deployment):
 * - `/api/health` (liveness): the process answers HTTP. It does not touch the database, so a
 *   database outage does not get every Keyline process restarted — restarting would not help.
 * - `/api/ready` (readiness): this process can serve requests now — the database answers and
 *   the process is not shutting down. 503 problem+json otherwise, with Retry-After.
 */
export function installProbes(app: FastifyInstance, db: Db): void {
  app.decorate('draining', false);
  const hidden = { config: { access: 'public' as const }, schema: { hide: true } };

  app.get('/api/health', hidden, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok', engine: db.engine };
  });

  app.get('/api/ready', hidden, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const notReady = (code: 'unavailable' | 'shutting_down', detail: string) =>
      reply.code(503).header('retry-after', '5').type(PROBLEM_MEDIA_TYPE).send(toProblem(code, detail));
    if (app.draining) return notReady('shutting_down', 'This process is shutting down');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        sql`select 1`.execute(db.kysely),
        new Promise(
          (_, reject) =>
            (timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS)),
        ),
      ]);
    } catch (err) {
      req.log.warn({ err }, 'readiness: database unavailable');
      return notReady('unavailable', 'The database cannot be reached right now');
    } finally {
      clearTimeout(timer);
    }
    return { status: 'ready', engine: db.engine };
  });
}
