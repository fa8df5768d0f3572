import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.ts';

/**
 * The day an open deal's plan runs out, as the needs-attention list tests it
 * (src/modules/opportunities/repository/attention.ts, docs/sales-process.md § Problem deals): ''
 * for no next step or no date, else the date — so "without a plan" is one comparison, `< today`,
 * that an index on this expression answers as a range. The list writes the same expression.
 */
export const planDue = (table = '') =>
  `(case when trim(coalesce(${table}next_step, '')) = '' then '' else coalesce(${table}next_step_date, '') end)`;

/**
 * The needs-attention list at a million deals (issue 8): its page sorted every open deal of the
 * workspace and its counts numbered them all (10–17 s a statement on SQLite, PostgreSQL's pool
 * held past its wait). The plans are held by test/sql/plans.test.ts; the figures are in README
 * § Benchmarks.
 * - opportunities_ws_open_entered: the page in its default order (stage_entered_at, id), walked
 *   and stopped at the page; the unit, stage, flag and plan day after it let each row be tested
 *   from the index, so only the rows shown are read from the table (PostgreSQL tests them only
 *   in an index-only scan, which needs the plan's columns themselves: INCLUDE);
 * - opportunities_ws_unit_stage_entered: the stalled count, unit by unit and stage by stage, a
 *   range of stage_entered_at below each stage's own bound;
 * - opportunities_ws_unit_plan: the count without a plan, unit by unit, a range of planDue;
 * - opportunities_ws_advantage_lost (partial: only deals marked so, which are few): the page and
 *   the count of that problem. The list writes `advantage_lost = 1` as a literal for it to apply.
 */
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const planColumns = engine === 'postgres' ? sql.raw(' include (next_step, next_step_date)') : sql.raw('');
  const due = sql.raw(planDue());
  await sql`create index opportunities_ws_open_entered on opportunities
    (workspace_id, status, stage_entered_at, id, org_unit_id, stage_id, advantage_lost, ${due})${planColumns}`.execute(
    db,
  );
  await sql`create index opportunities_ws_unit_stage_entered on opportunities
    (workspace_id, org_unit_id, status, stage_id, stage_entered_at)`.execute(db);
  await sql`create index opportunities_ws_unit_plan on opportunities (workspace_id, org_unit_id, status, ${due})${planColumns}`.execute(
    db,
  );
  await sql`create index opportunities_ws_advantage_lost on opportunities
    (workspace_id, status, stage_entered_at, id, org_unit_id) where advantage_lost = 1`.execute(db);
}
