import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.ts';
import type { Config } from '../config.ts';
import { deleteExpiredSessions } from '../modules/auth/repository.ts';

/** Periodic chores. Each is idempotent, so several server processes may run them. */
export function startHousekeeping(db: Db, config: Config, log: FastifyBaseLogger): () => void {
  const run = () =>
    deleteExpiredSessions(db.kysely, Date.now(), config.sessionIdleMs).catch((err: unknown) => log.warn({ err }, 'session clean-up failed'));
  const timer = setInterval(run, 60 * 60_000);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
