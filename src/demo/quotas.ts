import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays, dateIn, daysBetween, periodAt, type Calendar } from '../domain/calendar.ts';
import { splitByWeights } from '../domain/quota.ts';
import { DEMO_LINES } from './lines.ts';
import { Random } from './random.ts';

/**
 * A year of quotas for the demo company (docs/targets.md § Quotas), so the funnel's health and
 * the reports have a story on first start: every rep gets an annual quota split 22/28/25/25 and
 * by business line as they have sold (shares in steps of 5 from what they won by line, so each
 * line's attainment differs), set so that what they have won so far puts them anywhere from
 * far behind to ahead of the year's pace. Units keep their members' sum — except each region,
 * which headquarters set 10% above its people, split by line as its people's quotas add up
 * (the difference shows on the quotas page).
 */
export async function seedDemoQuotas(
  db: Kysely<Database>,
  workspaceId: number,
  seed: number,
  now: number,
  cal: Calendar,
): Promise<number> {
  const rng = new Random(seed + 9);
  const year = periodAt('fiscalYear', now, cal);
  const elapsed = Math.max(
    0.15,
    daysBetween(year.start, dateIn(now, cal.timeZone)) / daysBetween(year.start, year.end),
  );
  const admin = await db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'admin')
    .orderBy('id')
    .executeTakeFirst();
  const reps = await db
    .selectFrom('users')
    .select(['id', 'org_unit_id'])
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'rep')
    .where('active', '=', 1)
    .orderBy('id')
    .execute();
  const won = new Map(
    (
      await db
        .selectFrom('opportunities')
        .select((eb) => ['owner_id', eb.fn.sum<number>('amount').as('amount')])
        .where('workspace_id', '=', workspaceId)
        .where('status', '=', 'won')
        .where('expected_close_date', '>=', year.start)
        .where('expected_close_date', '<', addDays(year.end, 0))
        .groupBy('owner_id')
        .execute()
    ).map((r) => [r.owner_id, Number(r.amount)]),
  );
  // What each rep has won by line, all time: the mix their quota follows.
  const mix = new Map<number, number[]>();
  for (const row of await db
    .selectFrom('opportunities')
    .select((eb) => ['owner_id', 'business_line', eb.fn.sum<number>('amount').as('amount')])
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'won')
    .groupBy(['owner_id', 'business_line'])
    .execute()) {
    const index = DEMO_LINES.findIndex((line) => line.key === row.business_line);
    if (index < 0) continue;
    const weights = mix.get(row.owner_id) ?? DEMO_LINES.map(() => 0);
    weights[index] = Number(row.amount);
    mix.set(row.owner_id, weights);
  }
  const split = (weights: readonly number[], step: number) =>
    JSON.stringify(
      splitByWeights(100 / step, weights)
        .map((parts, index) => ({ key: DEMO_LINES[index]!.key, share: parts * step }))
        .filter((category) => category.share > 0),
    );
  const lineAmounts = new Map<number, number[]>();
  const base = {
    workspace_id: workspaceId,
    fiscal_year: year.fiscalYear,
    quarter_ratios: '[22,28,25,25]',
    basis: 'tax_inclusive',
    created_at: now,
    updated_at: now,
    updated_by: admin?.id ?? null,
    version: 1,
  };
  const rows: (typeof base & { subject_type: string; subject_id: number; amount: number; categories: string })[] = [];
  const byUnit = new Map<number, number>();
  // Attainment against the year's pace: a third behind, most around it, a few well ahead.
  const paces = [0.45, 0.6, 0.75, 0.9, 1.0, 1.05, 1.15, 1.3];
  for (const rep of reps) {
    const pace = rng.pick(paces);
    // A rep who has won nothing yet is given the company's usual mix.
    const weights = mix.get(rep.id) ?? [40, 45, 15];
    const wonSoFar = won.get(rep.id) ?? 0;
    const raw = wonSoFar > 0 ? wonSoFar / (pace * elapsed) : rng.int(80, 240) * 10_000_00;
    const amount = Math.max(50_000_000, Math.round(raw / 10_000_00) * 10_000_00);
    rows.push({
      ...base,
      subject_type: 'user',
      subject_id: rep.id,
      amount,
      categories: split(weights, 5),
    });
    byUnit.set(rep.org_unit_id, (byUnit.get(rep.org_unit_id) ?? 0) + amount);
    const shares = (JSON.parse(rows.at(-1)!.categories) as { key: string; share: number }[]).map(
      (category) => [category.key, (amount * category.share) / 100] as const,
    );
    const have = lineAmounts.get(rep.org_unit_id) ?? DEMO_LINES.map(() => 0);
    for (const [key, part] of shares) have[DEMO_LINES.findIndex((line) => line.key === key)]! += part;
    lineAmounts.set(rep.org_unit_id, have);
  }
  const units = await db
    .selectFrom('org_units')
    .select(['id', 'path', 'type'])
    .where('workspace_id', '=', workspaceId)
    .execute();
  for (const region of units.filter((u) => u.type === 'region')) {
    const inRegion = units.filter((u) => u.path.startsWith(region.path));
    const members = inRegion.reduce((sum, u) => sum + (byUnit.get(u.id) ?? 0), 0);
    const regionLines = inRegion.reduce(
      (sum, u) => sum.map((x, i) => x + (lineAmounts.get(u.id)?.[i] ?? 0)),
      DEMO_LINES.map(() => 0),
    );
    if (members > 0)
      rows.push({
        ...base,
        subject_type: 'unit',
        subject_id: region.id,
        amount: Math.round((members * 1.1) / 10_000_00) * 10_000_00,
        categories: split(regionLines, 1),
      });
  }
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('quotas')
      .values(rows.slice(i, i + 200))
      .execute();
  const history = rows.map((quota) => ({
    workspace_id: workspaceId,
    entity_type: quota.subject_type === 'user' ? 'quota_user' : 'quota_unit',
    entity_id: quota.subject_id,
    field: `FY${quota.fiscal_year}`,
    old_value: null,
    new_value: JSON.stringify({
      amount: quota.amount,
      quarterRatios: [22, 28, 25, 25],
      categories: JSON.parse(quota.categories) as unknown,
      basis: quota.basis,
    }),
    reason: '年度目标下达',
    actor_user_id: admin?.id ?? null,
    created_at: now - 60 * 86_400_000,
  }));
  for (let i = 0; i < history.length; i += 200)
    await db
      .insertInto('record_history')
      .values(history.slice(i, i + 200))
      .execute();
  return rows.length;
}
