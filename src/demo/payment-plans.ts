import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays, dateIn } from '../domain/calendar.ts';
import { loadRules } from '../modules/workspace/service.ts';
import { Random } from './random.ts';

/**
 * Payment plans for the demo's large deals (docs/targets.md § Expected collections), so the
 * funnel's expected collections have a story: most deals won in the last year are paid in three
 * installments (30% a month after signing, 40% at four months, the rest at eight), and some open
 * ones already have a plan in two halves from their expected close. Bulk inserts.
 */
export async function seedDemoPaymentPlans(
  db: Kysely<Database>,
  workspaceId: number,
  seed: number,
  now: number,
): Promise<number> {
  const rng = new Random(seed + 22);
  const { settings, calendar } = await loadRules(db, workspaceId);
  const today = dateIn(now, calendar.timeZone);
  const deals = await db
    .selectFrom('opportunities')
    .select(['id', 'owner_id', 'status', 'amount', 'expected_close_date'])
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', ['open', 'won'])
    .where('amount', '>=', settings.largeDealThreshold)
    .where('expected_close_date', 'is not', null)
    .where('expected_close_date', '>=', addDays(today, -365))
    .orderBy('id')
    .execute();
  const plans: Insertable<Database['payment_plans']>[] = [];
  const installments: Insertable<Database['payment_installments']>[] = [];
  for (const deal of deals) {
    const amount = Number(deal.amount);
    const signed = deal.expected_close_date!;
    const split =
      deal.status === 'won'
        ? rng.next() < 0.8
          ? [
              [30, 30, '首付款'],
              [40, 120, '到货款'],
              [30, 240, '验收款'],
            ]
          : null
        : rng.next() < 0.35
          ? [
              [50, 30, '首付款'],
              [50, 180, '验收款'],
            ]
          : null;
    if (!split) continue;
    plans.push({ workspace_id: workspaceId, opportunity_id: deal.id, updated_by: deal.owner_id, updated_at: now });
    let left = amount;
    split.forEach(([percent, days, note], index) => {
      // Whole yuan, the last installment taking what remains, so the plan adds up to the deal.
      const part = index === split.length - 1 ? left : Math.round((amount * Number(percent)) / 100 / 100) * 100;
      left -= part;
      installments.push({
        workspace_id: workspaceId,
        opportunity_id: deal.id,
        due_date: addDays(signed, Number(days)),
        amount: part,
        note: String(note),
      });
    });
  }
  for (let i = 0; i < plans.length; i += 500)
    await db
      .insertInto('payment_plans')
      .values(plans.slice(i, i + 500))
      .execute();
  for (let i = 0; i < installments.length; i += 500)
    await db
      .insertInto('payment_installments')
      .values(installments.slice(i, i + 500))
      .execute();
  return plans.length;
}
