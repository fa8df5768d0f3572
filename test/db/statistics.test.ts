import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ANALYSIS_LIMIT, refreshPlannerStatistics } from '../../src/db/statistics.ts';
import { createTestDb } from '../helpers/db.ts';

/**
 * SQLite's sampled statistics (src/db/statistics.ts): a sampled ANALYZE sees at most
 * ANALYSIS_LIMIT rows of one workspace and took workspace_id for a near-unique column, so the
 * planner sorted whole workspaces; after every refresh an index led by workspace_id says how
 * many rows a workspace really has, and the planner walks the primary key for a keyset page.
 */
describe('planner statistics (SQLite)', () => {
  it('an index led by workspace_id counts the rows of a workspace, not the sample', async () => {
    const db = await createTestDb('sqlite');
    try {
      const now = Date.now();
      await sql`insert into workspaces (name, created_at) values ('one', ${now}), ('two', ${now})`.execute(db.kysely);
      const rows = 6 * ANALYSIS_LIMIT;
      // Five in six rows in the first workspace, the rest in the second; one audit row per minute.
      await sql`
        with recursive n(i) as (select 1 union all select i + 1 from n where i < ${rows})
        insert into audit_log (workspace_id, action, created_at)
        select case when i % 6 = 0 then 2 else 1 end, 'sign_in', ${now} - i * 60000 from n`.execute(db.kysely);

      const statOf = async () =>
        (
          await sql<{ stat: string }>`select stat from sqlite_stat1 where idx = 'audit_ws_time'`.execute(db.kysely)
        ).rows[0]?.stat.split(' ');

      // Only the tables named (an import's commit names the ones it wrote).
      await sql`delete from sqlite_stat1`.execute(db.kysely);
      await refreshPlannerStatistics(db, 'bulk', ['audit_log']);
      const analyzed = await sql<{ tbl: string }>`select distinct tbl from sqlite_stat1`.execute(db.kysely);
      assert.deepEqual(
        analyzed.rows.map((row) => row.tbl),
        ['audit_log'],
      );
      const [total, perWorkspace, perTime] = (await statOf())!;
      assert.equal(Number(total), rows);
      assert.equal(Number(perWorkspace), rows / 2, 'the rows spread over the two workspaces, not the ~1,000 sampled');
      assert.ok(Number(perTime) <= Number(perWorkspace), 'a further column narrows, never widens');

      // The planner of this connection reads them: a keyset page of one workspace walks the
      // primary key in order rather than sorting the workspace's rows found by the index.
      const plan = await sql<{ detail: string }>`
        explain query plan
        select id from audit_log where workspace_id = 1 and id > 10 order by id limit 100`.execute(db.kysely);
      const details = plan.rows.map((row) => row.detail).join('\n');
      assert.doesNotMatch(details, /TEMP B-TREE FOR ORDER BY/, details);

      // A refresh that re-samples (the periodic optimize) corrects again; a second pass changes nothing.
      await refreshPlannerStatistics(db, 'periodic');
      assert.equal(Number((await statOf())![1]), rows / 2);
    } finally {
      await db.dispose();
    }
  });
});
