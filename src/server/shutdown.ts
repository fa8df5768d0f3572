import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';

/** Past this, a request still running is cut off and the process exits 1 (an orchestrator kills at ~30 s). */
const SHUTDOWN_GRACE_MS = 25_000;

/**
 * Graceful shutdown on SIGTERM (what a process manager or orchestrator sends) and SIGINT:
 * readiness turns 503, the listener stops accepting, idle keep-alive connections close,
 * requests in flight finish, the periodic jobs stop after the one running, the database
 * closes, and the process exits 0. Behind a load balancer nothing is lost: new requests go
 * to the other processes.
 */
export function installGracefulShutdown(app: FastifyInstance, db: Db, stopHousekeeping: () => Promise<void>): void {
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.draining = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      app.log.error(`requests still running after ${SHUTDOWN_GRACE_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      await app.close();
      await stopHousekeeping();
      await db.close();
      app.log.info('shut down cleanly');
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
