/**
 * The scale set (issue 8, README § Benchmarks): a whole company at benchmark size — by default
 * 100,000 accounts, 300,000 contacts, 1,000,000 opportunities with their stage history and
 * team, 5,000,000 activities, 2,000 reps in 200 teams — built by set-based INSERT … SELECT
 * over a numbers source (src/demo/scale-sql.ts), the same SQL on both engines: on SQLite in one
 * transaction; on PostgreSQL the records in one, then their search index and the activities in
 * one each on two connections at once (a backend uses one core; the machine has two). It obeys
 * the app's rules: owners sell in their units, stages and probabilities come from the
 * workspace's processes, the history walks each deal's path to its stage, and the kept
 * aggregates (funnel totals, last follow-ups, tiers, the search index through its triggers) are
 * rebuilt at the end, so every page reads consistent numbers.
 */
import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { createWorkspace, countWorkspaces } from '../modules/workspace/service.ts';
import { recomputeWorkspace } from '../modules/tiers/recompute.ts';
import { rebuildFunnel } from '../modules/funnel/upkeep.ts';
import { refreshPlannerStatistics } from '../db/statistics.ts';
import { DEMO_PASSWORD, DEMO_WORKSPACE } from './company.ts';
import { DAY, createLookups, run } from './scale-sql.ts';
import { insertAccounts, insertContacts } from './scale-accounts.ts';
import { insertActivities, insertDeals } from './scale-deals.ts';
import { indexLoaded, withoutSearchTriggers } from './scale-search.ts';
import { dropForBulkLoad } from './scale-bulk.ts';
import { insertPeople } from './scale-people.ts';

export interface ScaleSetSize {
  accounts: number;
  contactsPerAccount: number;
  opportunities: number;
  activities: number;
  reps: number;
}

export const SCALE_SET: ScaleSetSize = {
  accounts: 100_000,
  contactsPerAccount: 3,
  opportunities: 1_000_000,
  activities: 5_000_000,
  reps: 2_000,
};

export interface ScaleSetSummary extends ScaleSetSize {
  workspaceId: number;
  units: number;
  users: number;
  rows: Record<string, number>;
  /** Seconds per step, in order. */
  steps: [string, number][];
  seconds: number;
}

/** What the generation shares between its steps. */
export interface ScaleContext {
  db: Kysely<Database>;
  engine: Db['engine'];
  workspaceId: number;
  now: number;
  /** The first day of the lookup calendar (UTC midnight); day d of an instant t is (t - firstDay) / DAY. */
  firstDay: number;
  size: ScaleSetSize;
}

/** The tables loaded without their secondary indexes and foreign keys (src/demo/scale-bulk.ts); contacts keep their indexes, which the load reads. */
const BULK_TABLES = [
  'accounts',
  'contacts',
  'opportunities',
  'opportunity_stage_history',
  'opportunity_team',
  'record_history',
  'activities',
  'activity_contacts',
] as const;

/** Appended to the workspace's name until the build's last step: a set interrupted keeps it. */
export const BUILDING = ' (scale set being built)';

/** undefined: no workspace; '': one, not a scale set left half-built; else the name of one left half-built. */
async function buildingWorkspace(db: Db): Promise<string | undefined> {
  if ((await countWorkspaces(db.kysely)) === 0) return undefined;
  const half = await db.kysely
    .selectFrom('workspaces')
    .select('name')
    .where('name', 'like', `%${BUILDING}`)
    .executeTakeFirst();
  return half?.name ?? '';
}

/**
 * Builds the scale set into an empty database; `log` hears each step as it finishes. Until the
 * last step the workspace's name ends in BUILDING: on PostgreSQL the records are committed
 * before their search index and activities (built at once on two connections), and on both
 * engines the funnel totals, tiers and statistics come after the load's commit, so a build
 * interrupted leaves a set that says so, and this refuses to load into it.
 */
export async function loadScaleSet(
  db: Db,
  size: ScaleSetSize = SCALE_SET,
  log: (line: string) => void = () => undefined,
): Promise<ScaleSetSummary> {
  const building = await buildingWorkspace(db);
  if (building !== undefined)
    throw new Error(
      building
        ? `a scale set build was interrupted in this database (workspace "${building}"): drop the database (PostgreSQL) or delete its data directory (SQLite) and build again`
        : 'the database already holds a workspace; the scale set loads only into an empty database',
    );
  const started = performance.now();
  const steps: [string, number][] = [];
  let mark = started;
  const step = (name: string) => {
    const now = performance.now();
    steps.push([name, (now - mark) / 1000]);
    log(`${name}: ${((now - mark) / 1000).toFixed(1)} s`);
    mark = now;
  };
  /** A step of a branch that runs beside another: timed from the branch's own previous step. */
  const branch = (label: string) => {
    let since = performance.now();
    return (name: string) => {
      const now = performance.now();
      steps.push([`${name} (${label})`, (now - since) / 1000]);
      log(`${name} (${label}): ${((now - since) / 1000).toFixed(1)} s`);
      since = now;
    };
  };
  const now = Date.now();
  const firstDay = Math.floor(now / DAY) * DAY - 1600 * DAY;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // Named as being built until the last step renames it (the marker a half-built set keeps).
  const ws = await createWorkspace(
    db.kysely,
    { name: DEMO_WORKSPACE + BUILDING, admin: { email: 'admin@demo.keyline.dev', name: '周敏', passwordHash } },
    now,
  );
  const restore = bulkLoadMode(db);
  const pg = db.engine === 'postgres';
  /** Sort and hash memory for the indexes built and the foreign keys checked after the load (src/demo/scale-bulk.ts). */
  const begin = async (conn: Kysely<Database>) => {
    await run(conn, 'begin');
    if (pg) {
      await run(conn, "set local maintenance_work_mem = '256MB'");
      await run(conn, "set local work_mem = '64MB'");
    }
  };
  let counts: { units: number; users: number };
  try {
    counts = await db.kysely.connection().execute(async (conn) => {
      const ctx: ScaleContext = { db: conn, engine: db.engine, workspaceId: ws.workspaceId, now, firstDay, size };
      await createLookups(conn, firstDay, 2000);
      let open = false;
      try {
        await begin(conn);
        open = true;
        const people = await insertPeople(conn, ctx, ws.rootUnitId, passwordHash);
        step('org units and users');
        const rebuildIndexes = await dropForBulkLoad(ctx, BULK_TABLES, { keepIndexesOf: ['contacts'] });
        await withoutSearchTriggers(ctx, async () => {
          await insertAccounts(ctx);
          step(`${size.accounts} accounts`);
          await insertContacts(ctx);
          step(`${size.accounts * size.contactsPerAccount} contacts`);
          await insertDeals(ctx, step);
        });
        if (!pg) {
          await indexLoaded(ctx);
          step('search index');
          await insertActivities(ctx, step, rebuildIndexes);
          await run(conn, 'commit');
          open = false;
          step('commit');
          return people;
        }
        // PostgreSQL: one backend works on one core. The records committed, the search index is
        // built on a second connection while this one loads the activities and builds the keys.
        await run(conn, 'commit');
        open = false;
        step('commit');
        const beside = branch('beside the activities');
        const besideSearch = branch('beside the search index');
        const settled = await Promise.allSettled([
          db.kysely.connection().execute(async (other) => {
            await begin(other);
            try {
              await indexLoaded({ ...ctx, db: other });
              await run(other, 'commit');
            } catch (err) {
              await run(other, 'rollback').catch(() => undefined);
              throw err;
            }
            beside('search index');
          }),
          (async () => {
            await begin(conn);
            open = true;
            await insertActivities(ctx, besideSearch, rebuildIndexes);
            await run(conn, 'commit');
            open = false;
          })(),
        ]);
        for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
        step('search index, activities and keys');
        return people;
      } catch (err) {
        if (open) await run(conn, 'rollback').catch(() => undefined);
        throw err;
      } finally {
        await run(conn, 'drop table if exists scale_days');
        await run(conn, 'drop table if exists scale_reps');
        await run(conn, 'drop table if exists scale_stages');
        await run(conn, 'drop table if exists scale_processes');
        await run(conn, 'drop table if exists scale_n');
      }
    });
  } finally {
    restore();
  }
  // What the nightly jobs and the kept totals would hold had the company grown through the app;
  // on PostgreSQL each on a connection of its own, at once.
  if (pg) {
    const funnel = branch('beside the tiers');
    const tiers = branch('beside the funnel totals');
    await Promise.all([
      rebuildFunnel(db.kysely, ws.workspaceId).then(() => funnel('funnel totals')),
      recomputeWorkspace(db, ws.workspaceId, null, now).then(() => tiers('tiers')),
    ]);
    step('funnel totals and tiers');
  } else {
    await rebuildFunnel(db.kysely, ws.workspaceId);
    step('funnel totals');
    await recomputeWorkspace(db, ws.workspaceId, null, now);
    step('tiers');
  }
  await refreshPlannerStatistics(db, 'bulk');
  step('planner statistics');
  await db.kysely.updateTable('workspaces').set({ name: DEMO_WORKSPACE }).where('id', '=', ws.workspaceId).execute();
  const rows: Record<string, number> = {};
  for (const table of [
    'accounts',
    'contacts',
    'opportunities',
    'opportunity_stage_history',
    'opportunity_team',
    'activities',
    'activity_contacts',
    'record_history',
    'funnel_totals',
    'search_grams',
  ] as const) {
    const row = await db.kysely
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    rows[table] = Number(row.n);
  }
  return {
    ...size,
    workspaceId: ws.workspaceId,
    ...counts,
    rows,
    steps,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * SQLite: a rollback journal instead of the WAL (a fresh database's new pages need no copy,
 * where the WAL would write every page twice), no fsync, a 256 MB page cache. Put back after.
 */
function bulkLoadMode(db: Db): () => void {
  const sqlite = db.sqlite;
  if (!sqlite) return () => undefined;
  const synchronous = sqlite.pragma('synchronous', { simple: true }) as number;
  const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number;
  const journal = sqlite.pragma('journal_mode', { simple: true }) as string;
  sqlite.pragma('journal_mode = DELETE');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  return () => {
    sqlite.pragma(`cache_size = ${cacheSize}`);
    sqlite.pragma(`synchronous = ${synchronous}`);
    sqlite.pragma(`journal_mode = ${journal}`);
  };
}
