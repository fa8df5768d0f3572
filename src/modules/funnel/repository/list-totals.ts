import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { shapedQueries } from '../../../db/fixed-query.ts';

/** What the opportunity list's totals row and the board's column totals may read from the kept totals (src/modules/funnel/list-totals.ts). */
export interface KeptTotalsKey {
  status: 'open' | 'won';
  processId?: number | undefined;
  stageId?: number | undefined;
  ownerId?: number | undefined;
  /** The subtree's path ("/1/4/"); undefined: the whole workspace. */
  unitPath?: string | undefined;
  /** Expected close months ("2026-10"), both ends included: whole months only, as the totals are kept. */
  closeMonthFrom?: string | undefined;
  closeMonthTo?: string | undefined;
  /** The business line ('' — no line); undefined: every line. */
  line?: string | undefined;
}

const keptSumColumns = [
  sql<number | string | null>`sum(kept.deals)`.as('n'),
  sql<number | string | null>`sum(kept.amount)`.as('amount'),
  sql<number | string | null>`sum(kept.amount * stage.probability)`.as('weighted'),
];

/**
 * The sums of the kept totals a key describes — the per-owner rows for an owner, else the
 * per-subtree rows — in one row, or one row per stage.
 */
function keptSumsQuery(db: Kysely<Database>, workspaceId: number, key: KeptTotalsKey, byStage: boolean) {
  const { unitPath } = key;
  // Both tables' keys start (workspace, process, …): without a process asked for, the
  // workspace's processes listed let the key's next column (owner, unit) be read as a range —
  // else PostgreSQL read every kept row of the workspace for the admin's list (38,000 rows,
  // 4–12 ms at the scale set, against 0.07 ms).
  const keptProcesses =
    key.processId !== undefined
      ? { operator: '=' as const, of: key.processId }
      : {
          operator: 'in' as const,
          of: db
            .selectFrom('sales_processes as kept_process')
            .select('kept_process.id')
            .where('kept_process.workspace_id', '=', workspaceId),
        };
  if (key.ownerId !== undefined)
    return db
      .selectFrom('funnel_totals as kept')
      .innerJoin('process_stages as stage', 'stage.id', 'kept.stage_id')
      .$if(unitPath !== undefined, (query) =>
        query.innerJoin('org_units as unit', 'unit.id', 'kept.org_unit_id').where('unit.path', 'like', `${unitPath}%`),
      )
      .where('kept.workspace_id', '=', workspaceId)
      .where('kept.owner_id', '=', key.ownerId)
      .where('kept.status', '=', key.status)
      .where('kept.process_id', keptProcesses.operator, keptProcesses.of)
      .$if(key.stageId !== undefined, (query) => query.where('kept.stage_id', '=', key.stageId!))
      .$if(key.closeMonthFrom !== undefined, (query) => query.where('kept.close_month', '>=', key.closeMonthFrom!))
      .$if(key.closeMonthTo !== undefined, (query) => query.where('kept.close_month', '<=', key.closeMonthTo!))
      .$if(key.line !== undefined, (query) => query.where('kept.business_line', '=', key.line!))
      .$if(byStage, (query) => query.select('kept.stage_id').groupBy('kept.stage_id'))
      .select(keptSumColumns);
  return (
    db
      .selectFrom('funnel_unit_totals as kept')
      .innerJoin('process_stages as stage', 'stage.id', 'kept.stage_id')
      .where('kept.workspace_id', '=', workspaceId)
      // A deal counts at its unit and every unit above: a subtree's top unit holds its total,
      // the workspace's is the sum over its top units.
      .where('kept.unit_id', 'in', (eb) => {
        const units = eb
          .selectFrom('org_units')
          .select('org_units.id')
          .where('org_units.workspace_id', '=', workspaceId);
        return unitPath === undefined
          ? units.where('org_units.parent_id', 'is', null)
          : units.where('org_units.path', '=', unitPath);
      })
      .where('kept.status', '=', key.status)
      .where('kept.process_id', keptProcesses.operator, keptProcesses.of)
      .$if(key.stageId !== undefined, (query) => query.where('kept.stage_id', '=', key.stageId!))
      .$if(key.closeMonthFrom !== undefined, (query) => query.where('kept.close_month', '>=', key.closeMonthFrom!))
      .$if(key.closeMonthTo !== undefined, (query) => query.where('kept.close_month', '<=', key.closeMonthTo!))
      .$if(key.line !== undefined, (query) => query.where('kept.business_line', '=', key.line!))
      .$if(byStage, (query) => query.select('kept.stage_id').groupBy('kept.stage_id'))
      .select(keptSumColumns)
  );
}

/**
 * Compiled once per shape (src/db/fixed-query.ts, shapedQueries): the opportunity list and the
 * board read it on every request of an admin or a manager, and Kysely building it cost a
 * twentieth of the admin's list. The unit's path stays in the shape (a manager has one).
 */
const keptSums = shapedQueries(
  (db: Kysely<Database>, workspaceId: number, key: KeptTotalsKey, byStage: boolean) =>
    [keptSumsQuery(db, workspaceId, key, byStage)] as const,
  (stand, workspaceId, key, byStage) => [
    stand(workspaceId),
    {
      ...key,
      processId: stand(key.processId),
      stageId: stand(key.stageId),
      ownerId: stand(key.ownerId),
      closeMonthFrom: stand(key.closeMonthFrom),
      closeMonthTo: stand(key.closeMonthTo),
      line: stand(key.line),
    },
    byStage,
  ],
);

async function keptSumsOf(db: Kysely<Database>, workspaceId: number, key: KeptTotalsKey, byStage: boolean) {
  const [query] = await keptSums(db, workspaceId, key, byStage);
  return (await db.executeQuery(query)).rows;
}

/** Count, amount and amount × stage probability of the deals a key describes, from the kept totals. */
export async function keptListTotals(db: Kysely<Database>, workspaceId: number, key: KeptTotalsKey) {
  const [row] = await keptSumsOf(db, workspaceId, key, false);
  return row ?? { n: 0, amount: 0, weighted: 0 };
}

/** The same per stage (the board's columns); a stage without deals has no row. */
export async function keptStageTotals(db: Kysely<Database>, workspaceId: number, key: KeptTotalsKey) {
  const rows = await keptSumsOf(db, workspaceId, key, true);
  return rows.map((row) => ({ ...row, stage_id: Number(row.stage_id) }));
}
