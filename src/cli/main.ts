#!/usr/bin/env node
// First: `serve` re-executes itself with V8's young generation capped before anything else loads.
import './young-generation.ts';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, sqliteFileIn, type Db } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { startKeylinePostgres } from '../db/embedded-postgres.ts';
import { backupPath, backupSqlite } from '../db/backup.ts';
import { buildApp } from '../server/app.ts';
import { loadDemo } from '../demo/load.ts';
import { refreshPlannerStatistics } from '../db/statistics.ts';
import { SCALE_SET_OPTIONS, buildScaleSet } from './scale-set.ts';
import { countWorkspaces, createWorkspace } from '../modules/workspace/service.ts';
import { DEMO_PASSWORD } from '../demo/company.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { emailTaken, insertUser } from '../modules/users/repository.ts';
import { email } from '../contracts/common.ts';
import { startHousekeeping } from '../server/housekeeping.ts';
import { installGracefulShutdown } from '../server/shutdown.ts';

const USAGE = `keyline <command> [options]

Commands:
  serve                 migrate, load the demo company into an empty database (unless
                        KEYLINE_DEMO=off), and serve the API and web app on PORT (3000)
  migrate               apply pending database migrations
  demo [--scale N] [--seed N]
                        load the demo company into an empty database
  demo --scale-set [--accounts N] [--contacts-per-account N] [--opportunities N]
       [--activities N] [--reps N]
                        build the benchmark company (default 100,000 accounts, 300,000
                        contacts, 1,000,000 opportunities, 5,000,000 activities, 2,000
                        reps) into an empty database; prints time and peak memory
  create-admin --email E --name N [--password P] [--workspace NAME]
                        add an administrator to the (only) workspace, or create a
                        workspace named NAME with this administrator
  backup [--out FILE]   consistent copy of the SQLite database while it is in use,
                        written to KEYLINE_DATA_DIR/backups/ unless --out is given

Environment: PORT, KEYLINE_DATA_DIR, DATABASE_URL, KEYLINE_DB, KEYLINE_DEMO (see README).`;

async function open(config: Config): Promise<Db> {
  if (!config.embeddedPostgres)
    return openDatabase({
      databaseUrl: config.databaseUrl,
      sqliteFile: sqliteFileIn(config.dataDir),
      synchronous: config.sqliteSynchronous,
      busyWaitMs: config.sqliteBusyWaitMs,
    });
  const server = await startKeylinePostgres(config.dataDir);
  console.error(
    `keyline: embedded PostgreSQL ${server.version} on 127.0.0.1:${server.port}, data in ${path.join(config.dataDir, 'postgres')}`,
  );
  const db = openDatabase({ databaseUrl: server.url });
  // Closing the database stops its server too, after the pool: every command ends with close().
  return { ...db, close: () => db.close().finally(() => server.stop()) };
}

/**
 * An embedded database that is about to be upgraded is copied first, and the log says where:
 * a failed or unwanted upgrade is undone by starting the old version on that copy.
 */
const backupBeforeMigrating = (db: Db, config: Config) => async (pending: string[]) => {
  if (!db.sqlite) return;
  const out = backupPath(config.dataDir, `before-${pending[0]}`);
  await backupSqlite(db.sqlite, out);
  console.log(`keyline: backed up the database to ${out} before applying ${pending.join(', ')}`);
};

async function serve(config: Config) {
  const db = await open(config);
  const applied = await migrateToLatest(db, { beforeMigrating: backupBeforeMigrating(db, config) });
  const app = await buildApp(db, config);
  if (applied.length) app.log.info({ applied }, 'migrations applied');
  if (config.demo && (await countWorkspaces(db.kysely)) === 0) {
    const demo = await loadDemo(db);
    app.log.info(demo, `demo company loaded; sign in as admin@demo.keyline.dev / ${DEMO_PASSWORD}`);
  }
  // Statistics left by a crash or an older version may be missing or stale (src/db/statistics.ts).
  await refreshPlannerStatistics(db, 'start');
  installGracefulShutdown(app, db, startHousekeeping(db, config, app.log));
  await app.listen({ port: config.port, host: config.host });
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      const db = await open(config);
      const applied = await migrateToLatest(db, { beforeMigrating: backupBeforeMigrating(db, config) });
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      return db.close();
    }
    case 'demo': {
      const { values } = parseArgs({
        args: rest,
        options: {
          scale: { type: 'string' },
          seed: { type: 'string' },
          'scale-set': { type: 'boolean' },
          ...Object.fromEntries(SCALE_SET_OPTIONS.map((name) => [name, { type: 'string' as const }])),
        },
      });
      const db = await open(config);
      await migrateToLatest(db);
      if (values['scale-set']) {
        await buildScaleSet(db, values as Record<string, string | undefined>);
        return db.close();
      }
      const demo = await loadDemo(db, {
        ...(values.scale ? { scale: Number(values.scale) } : {}),
        ...(values.seed ? { seed: Number(values.seed) } : {}),
      });
      console.log(
        `demo company loaded: ${demo.units} org units, ${demo.users} users, ${demo.accounts} accounts, ${demo.contacts} contacts, ${demo.opportunities} opportunities; password for every demo user: ${DEMO_PASSWORD}`,
      );
      return db.close();
    }
    case 'create-admin': {
      const { values } = parseArgs({
        args: rest,
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          password: { type: 'string' },
          workspace: { type: 'string' },
        },
      });
      if (!values.email || !values.name) throw new Error('create-admin needs --email and --name');
      // The same rule as the API's email fields, so the CLI cannot create what the app would refuse.
      const checked = email.safeParse(values.email);
      if (!checked.success)
        throw new Error(`--email ${checked.error.issues[0]?.message ?? 'is not a valid email address'}`);
      if (!values.name.trim()) throw new Error('--name must not be empty');
      const password = values.password ?? randomBytes(12).toString('base64url');
      if (password.length < 8) throw new Error('--password must be at least 8 characters');
      const db = await open(config);
      await migrateToLatest(db);
      await createAdmin(db, { email: checked.data, name: values.name.trim(), password, workspace: values.workspace });
      console.log(`administrator ${values.email} created${values.password ? '' : `; password: ${password}`}`);
      return db.close();
    }
    case 'backup': {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } } });
      if (config.databaseUrl || config.embeddedPostgres)
        throw new Error('backup copies the embedded SQLite database; for PostgreSQL use pg_dump');
      const out = path.resolve(values.out ?? backupPath(config.dataDir));
      if (fs.existsSync(out))
        throw new Error(`${out} exists already; choose another --out (a backup never overwrites a file)`);
      const db = await open(config);
      await backupSqlite(db.sqlite!, out);
      await db.close();
      // The server opens KEYLINE_DATA_DIR/keyline.db: say how to get there from this file.
      const restore =
        path.basename(out) === 'keyline.db'
          ? `stop Keyline, then start it with KEYLINE_DATA_DIR=${path.dirname(out)}`
          : `stop Keyline, copy ${out} to <a data directory>/keyline.db, and start it with KEYLINE_DATA_DIR=<that directory>`;
      console.log(`backup written to ${out}\nrestore: ${restore}`);
      return;
    }
    default:
      console.log(USAGE);
      if (command && command !== 'help' && command !== '--help') process.exitCode = 2;
  }
}

async function createAdmin(
  db: Db,
  admin: { email: string; name: string; password: string; workspace: string | undefined },
) {
  const kysely = db.kysely;
  if (admin.workspace) {
    await createWorkspace(kysely, {
      name: admin.workspace,
      admin: { email: admin.email, name: admin.name, password: admin.password },
    });
    return;
  }
  const workspaces = await kysely.selectFrom('workspaces').select('id').execute();
  if (workspaces.length !== 1) {
    throw new Error(
      workspaces.length === 0
        ? 'no workspace yet: pass --workspace NAME to create one'
        : 'several workspaces: pass --workspace NAME to create a new one',
    );
  }
  const wsId = workspaces[0]!.id;
  const root = await kysely
    .selectFrom('org_units')
    .select('id')
    .where('workspace_id', '=', wsId)
    .where('parent_id', 'is', null)
    .executeTakeFirstOrThrow();
  if (await emailTaken(kysely, admin.email)) throw new Error(`${admin.email} is already in use`);
  const now = Date.now();
  await insertUser(kysely, {
    workspaceId: wsId,
    orgUnitId: root.id,
    email: admin.email,
    name: admin.name,
    role: 'admin',
    title: null,
    phone: null,
    passwordHash: await hashPassword(admin.password),
    locale: 'zh-CN',
    canExport: true,
    now,
  });
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`keyline: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
