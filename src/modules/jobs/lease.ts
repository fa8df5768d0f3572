import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

const PROCESS_ID = `${process.pid}-${randomBytes(3).toString('hex')}`;

/**
 * Runs `fn` only if this process wins the lease on `name` and the job is due. The lease is a
 * conditional UPDATE on job_leases, so among several server processes sharing a database
 * exactly one runs a job at a time, and a crashed holder's lease simply expires.
 */
export async function runExclusive(
  db: Kysely<Database>,
  name: string,
  opts: { everyMs: number; leaseMs?: number; now?: number; force?: boolean },
  fn: () => Promise<string>,
): Promise<{ ran: boolean; result?: string }> {
  const now = opts.now ?? Date.now();
  const leaseMs = opts.leaseMs ?? 10 * 60_000;
  await db
    .insertInto('job_leases')
    .values({ name, locked_until: 0, locked_by: null, last_run_at: null, last_result: null })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  let take = db
    .updateTable('job_leases')
    .set({ locked_until: now + leaseMs, locked_by: PROCESS_ID })
    .where('name', '=', name)
    .where('locked_until', '<', now);
  if (!opts.force)
    take = take.where((eb) => eb.or([eb('last_run_at', 'is', null), eb('last_run_at', '<=', now - opts.everyMs)]));
  const got = await take.executeTakeFirst();
  if (Number(got.numUpdatedRows) !== 1) return { ran: false };
  let result: string;
  try {
    result = await fn();
  } catch (err) {
    result = `error: ${err instanceof Error ? err.message : String(err)}`;
  }
  await db
    .updateTable('job_leases')
    .set({ locked_until: 0, locked_by: null, last_run_at: now, last_result: result.slice(0, 2000) })
    .where('name', '=', name)
    .where('locked_by', '=', PROCESS_ID)
    .execute();
  return { ran: true, result };
}
