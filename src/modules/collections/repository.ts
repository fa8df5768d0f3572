import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { dealsWhere, type DealFilter } from '../funnel/repository/filters.ts';

/** Payment plans and what they bring in a period (docs/targets.md § Expected collections). */

export async function planOf(db: Kysely<Database>, workspaceId: number, opportunityId: number) {
  const [header, installments] = await Promise.all([
    db
      .selectFrom('payment_plans')
      .select(['version', 'updated_at'])
      .where('workspace_id', '=', workspaceId)
      .where('opportunity_id', '=', opportunityId)
      .executeTakeFirst(),
    db
      .selectFrom('payment_installments')
      .select(['due_date', 'amount', 'note'])
      .where('workspace_id', '=', workspaceId)
      .where('opportunity_id', '=', opportunityId)
      .orderBy('due_date')
      .orderBy('id')
      .execute(),
  ]);
  return { header, installments: installments.map((i) => ({ ...i, amount: Number(i.amount) })) };
}

export async function insertPlan(
  db: Kysely<Database>,
  values: { workspace_id: number; opportunity_id: number; updated_by: number; updated_at: number },
) {
  await db.insertInto('payment_plans').values(values).execute();
}

/** Bumps the plan's version when it is still the one read; false when it is not. */
export async function touchPlan(
  db: Kysely<Database>,
  key: { workspaceId: number; opportunityId: number; version: number },
  by: number,
  at: number,
): Promise<boolean> {
  const result = await db
    .updateTable('payment_plans')
    .set((eb) => ({ version: eb('version', '+', 1), updated_by: by, updated_at: at }))
    .where('workspace_id', '=', key.workspaceId)
    .where('opportunity_id', '=', key.opportunityId)
    .where('version', '=', key.version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function replaceInstallments(
  db: Kysely<Database>,
  workspaceId: number,
  opportunityId: number,
  installments: readonly { dueDate: string; amount: number; note: string | null }[],
) {
  await db
    .deleteFrom('payment_installments')
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', '=', opportunityId)
    .execute();
  if (installments.length)
    await db
      .insertInto('payment_installments')
      .values(
        installments.map((installment) => ({
          workspace_id: workspaceId,
          opportunity_id: opportunityId,
          due_date: installment.dueDate,
          amount: installment.amount,
          note: installment.note,
        })),
      )
      .execute();
}

export async function deletePlan(db: Kysely<Database>, workspaceId: number, opportunityId: number) {
  await replaceInstallments(db, workspaceId, opportunityId, []);
  await db
    .deleteFrom('payment_plans')
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', '=', opportunityId)
    .execute();
}

type Dates = { from: string | null; to: string | null };

/**
 * The large deals of a scope and process that have a payment plan, with their installments
 * due in the period: the open ones the funnel counts for it (openDates), and the won ones with
 * an installment due in it or won in it (wonDates). Plans are entered by hand, so few.
 */
export async function plannedDeals(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number,
  filter: DealFilter,
  ranges: { openDates: Dates; wonDates: Dates; due: { from: string; to: string } },
  threshold: number,
) {
  const dueInPeriod = sql<number>`coalesce(sum(case when payment_installments.due_date >= ${ranges.due.from} and payment_installments.due_date < ${ranges.due.to} then payment_installments.amount else 0 end), 0)`;
  const select = (status: 'open' | 'won', dates: Dates) =>
    dealsWhere(db, workspaceId, processId, filter, status, dates)
      .where('opportunities.amount', '>=', threshold)
      .innerJoin('payment_plans', (join) =>
        join
          .onRef('payment_plans.opportunity_id', '=', 'opportunities.id')
          .on('payment_plans.workspace_id', '=', workspaceId),
      )
      .leftJoin('payment_installments', (join) =>
        join
          .onRef('payment_installments.opportunity_id', '=', 'opportunities.id')
          .on('payment_installments.workspace_id', '=', workspaceId),
      )
      .select([
        'opportunities.id',
        'opportunities.name',
        'opportunities.stage_id',
        'opportunities.amount',
        'opportunities.expected_close_date',
        dueInPeriod.as('due_in_period'),
      ])
      .groupBy([
        'opportunities.id',
        'opportunities.name',
        'opportunities.stage_id',
        'opportunities.amount',
        'opportunities.expected_close_date',
      ]);
  // Won: any time before, as long as an installment falls due in the period or it was won in it.
  const [open, won] = await Promise.all([
    select('open', ranges.openDates).execute(),
    select('won', { from: null, to: ranges.wonDates.to })
      .having((eb) =>
        eb.or([
          eb(dueInPeriod, '>', 0),
          eb.and([
            eb('opportunities.expected_close_date', '>=', ranges.wonDates.from ?? '0'),
            eb('opportunities.expected_close_date', '<', ranges.wonDates.to ?? '9'),
          ]),
        ]),
      )
      .execute(),
  ]);
  const shape = (status: 'open' | 'won') => (row: (typeof open)[number]) => ({
    id: row.id,
    name: row.name,
    status,
    stageId: row.stage_id,
    amount: Number(row.amount),
    closeDate: row.expected_close_date,
    dueInPeriod: Number(row.due_in_period),
  });
  return { open: open.map(shape('open')), won: won.map(shape('won')) };
}

/** Amount of the large deals won in the period (by their close date), plan or not. */
export async function wonLargeAmount(
  db: Kysely<Database>,
  workspaceId: number,
  processId: number,
  filter: DealFilter,
  wonDates: Dates,
  threshold: number,
): Promise<number> {
  const row = await dealsWhere(db, workspaceId, processId, filter, 'won', wonDates)
    .where('opportunities.amount', '>=', threshold)
    .select((eb) => eb.fn.sum<number>('opportunities.amount').as('amount'))
    .executeTakeFirst();
  return Number(row?.amount ?? 0);
}
