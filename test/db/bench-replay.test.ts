import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { concurrentGroups, replayConcurrentlyOnPostgres, replayOnPostgres } from '../../bench/replay.ts';
import { keepFixedQueriesPrepared, POSTGRES_SESSION_OPTIONS } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { createWorkspace } from '../../src/modules/workspace/service.ts';
import { settingsAndCalendar } from '../../src/modules/workspace/repository.ts';
import { createTestDb, testEngines, type TestDb } from '../helpers/db.ts';

/**
 * The benches' PostgreSQL baseline (bench/replay.ts): a request's statements replayed as the
 * server runs them, so the request ÷ its SQL ratios compare like with like. A statement the server
 * runs unnamed must stay unnamed however often it is replayed — named, PostgreSQL may move it to a
 * generic plan after five runs, which the server's statement never gets (a rep's desk's closing
 * card: 330–580 ms replayed against 5–7 ms in the app, docs/benchmarks.md).
 */
if (testEngines().includes('postgres'))
  describe('the benches replay statements as the server runs them [postgres]', () => {
    let db: TestDb;
    let pool: pg.Pool;
    let workspaceId: number;
    before(async () => {
      db = await createTestDb('postgres');
      const created = await createWorkspace(
        db.kysely,
        { name: 'replay', admin: { email: 'admin@replay.test', name: 'Admin', passwordHash: 'x' } },
        Date.now(),
      );
      workspaceId = created.workspaceId;
      // One connection, like the server's pool's: each names the fixed queries it runs.
      pool = new pg.Pool({ connectionString: db.url, max: 1, options: POSTGRES_SESSION_OPTIONS });
      pool.on('connect', keepFixedQueriesPrepared);
    });
    after(async () => {
      await pool.end();
      await db.dispose();
    });

    it('named only where the server names it (its fixed queries); every other statement unnamed at each run', async () => {
      // The statements as the benches capture them: Kysely's log of what the app ran.
      const captured: CompiledQuery[] = [];
      const kysely = new Kysely<Database>({
        dialect: new PostgresDialect({ pool }),
        log: (event) => {
          if (event.level === 'query') captured.push(event.query);
        },
      });
      await settingsAndCalendar(kysely, workspaceId);
      const shaped = CompiledQuery.raw('select "name" from "workspaces" where "id" = $1', [workspaceId]);
      const replay = replayOnPostgres(pool, [...captured, shaped]);
      // More than the five custom plans after which PostgreSQL may pick a named statement's generic plan.
      for (let run = 0; run < 7; run++) await replay();
      const prepared = await pool.query<{ name: string; statement: string }>(
        'select name, statement from pg_prepared_statements order by name',
      );
      assert.equal(captured.length, 1);
      assert.deepEqual(
        prepared.rows.map((row) => row.statement),
        [captured[0]!.sql],
        `prepared on the connection: ${JSON.stringify(prepared.rows)}`,
      );
      assert.match(prepared.rows[0]!.name, /^keyline_fixed_/);
      // The replay with the request's concurrency runs them the same way (here one group of two).
      const atOnce = replayConcurrentlyOnPostgres(pool, [...captured, shaped], [[0, 1]]);
      for (let run = 0; run < 7; run++) await atOnce();
      const after = await pool.query<{ statement: string }>('select statement from pg_prepared_statements');
      assert.deepEqual(
        after.rows.map((row) => row.statement),
        [captured[0]!.sql],
      );
    });
  });

describe("the benches' replay groups the statements a request ran at once", () => {
  it('overlapping spans form one group, in start order; one that starts after the group ended starts the next', () => {
    // A session read, then two cards at once (the second starting while the first runs and a third
    // starting before the longer one ended), then the empty-card question alone.
    const spans = [
      { start: 0, end: 1 },
      { start: 2, end: 10 },
      { start: 3, end: 4 },
      { start: 5, end: 6 },
      { start: 11, end: 12 },
    ];
    assert.deepEqual(concurrentGroups(spans), [[0], [1, 2, 3], [4]]);
    assert.deepEqual(concurrentGroups([spans[2]!, spans[1]!]), [[1, 0]]);
    assert.deepEqual(concurrentGroups([]), []);
  });
});
