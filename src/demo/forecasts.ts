import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  addDays,
  dateIn,
  mondayOf,
  periodOf,
  startOfDay,
  weeksLeft,
  type Calendar,
  type Period,
} from '../domain/calendar.ts';
import { revenueForecast } from '../domain/forecast.ts';
import { periodName } from '../domain/period-name.ts';
import { quotaFor } from '../modules/quotas/service.ts';
import { loadRules } from '../modules/workspace/service.ts';
import { Random } from './random.ts';

/**
 * Weekly forecast submissions of the last thirteen weeks (docs/targets.md § Weekly
 * submissions), so the forecast's history, accuracy and the director's dashboard have a story:
 * each seller's commit and possible deals as they stood that week — the deals won since then
 * were committed, amounts rounded as people estimate — with a week skipped now and then, and
 * the managers' adjusted figure for their units in the last weeks. Bulk inserts.
 */
const WEEKS = 13;

interface Deal {
  id: number;
  owner_id: number;
  status: string;
  amount: number;
  forecast_category: string;
  expected_close_date: string | null;
  closed_at: number | null;
}

export async function seedDemoForecasts(
  db: Kysely<Database>,
  workspaceId: number,
  seed: number,
  now: number,
): Promise<number> {
  const rng = new Random(seed + 16);
  const { settings, calendar } = await loadRules(db, workspaceId);
  const sellers = await db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'users.role', 'users.org_unit_id', 'org_units.path', 'org_units.parent_id'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.active', '=', 1)
    .where('users.role', 'in', ['rep', 'manager'])
    .execute();
  const deals = (await db
    .selectFrom('opportunities')
    .select(['id', 'owner_id', 'status', 'amount', 'forecast_category', 'expected_close_date', 'closed_at'])
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', ['open', 'won'])
    .execute()) as Deal[];
  const byOwner = new Map<number, Deal[]>();
  for (const deal of deals) byOwner.set(deal.owner_id, [...(byOwner.get(deal.owner_id) ?? []), deal]);

  const thisWeek = mondayOf(dateIn(now, calendar.timeZone));
  const quotas = new Map<string, number>();
  const quotaOf = async (userId: number, unitPath: string, period: Period) => {
    const key = `${userId}:${periodName(period)}`;
    if (!quotas.has(key))
      quotas.set(key, (await quotaFor(db, workspaceId, { kind: 'user', userId, unitPath }, period)).amount);
    return quotas.get(key)!;
  };
  const round = (fen: number) => Math.max(0, Math.round(fen / 1_000_00) * 1_000_00);
  const weights = {
    commitWeight: settings.forecastCommitWeight,
    possibleWeight: settings.forecastPossibleWeight,
    unforecastRate: settings.forecastUnforecastRate,
  };
  let count = 0;

  for (let week = WEEKS - 1; week >= 0; week--) {
    const weekStart = addDays(thisWeek, -7 * week);
    // A week belongs to the quarter that holds its Thursday (src/domain/calendar.ts).
    const quarter = periodOf('quarter', addDays(weekStart, 3), calendar);
    const at = startOfDay(weekStart, calendar.timeZone) + 9 * 3_600_000 + Math.floor(rng.next() * 4 * 86_400_000);
    const submittedAt = Math.min(at, now - 60_000);
    const rows: {
      row: Insertable<Database['forecast_submissions']>;
      deals: { opportunityId: number; category: string; amount: number }[];
    }[] = [];
    for (const seller of sellers) {
      if (rng.next() < (week === 0 ? 0.3 : 0.1)) continue; // not everyone has submitted this week yet; some forget a week
      const mine = byOwner.get(seller.id) ?? [];
      const picked = mine.flatMap((mineItem) => {
        if (mineItem.status === 'won')
          return mineItem.closed_at !== null &&
            mineItem.closed_at >= startOfDay(weekStart, calendar.timeZone) &&
            mineItem.closed_at < quarter.to
            ? [{ d: mineItem, category: 'commit' }]
            : [];
        const inQuarter =
          mineItem.expected_close_date !== null &&
          mineItem.expected_close_date >= quarter.start &&
          mineItem.expected_close_date < quarter.end;
        return inQuarter && (mineItem.forecast_category === 'commit' || mineItem.forecast_category === 'possible')
          ? [{ d: mineItem, category: mineItem.forecast_category }]
          : [];
      });
      const items = picked.map(({ d: deal, category }) => ({
        opportunityId: deal.id,
        category,
        amount: round(deal.amount * (0.8 + rng.next() * 0.3)),
      }));
      const commit = items.filter((i) => i.category === 'commit').reduce((a, i) => a + i.amount, 0);
      const possible = items.filter((i) => i.category === 'possible').reduce((a, i) => a + i.amount, 0);
      const realised = mine
        .filter(
          (mineItem) =>
            mineItem.status === 'won' &&
            mineItem.closed_at !== null &&
            mineItem.closed_at >= quarter.from &&
            mineItem.closed_at < startOfDay(weekStart, calendar.timeZone),
        )
        .reduce((a, d) => a + d.amount, 0);
      const quota = await quotaOf(seller.id, seller.path, quarter);
      const forecast = revenueForecast({
        quota,
        realised,
        commit,
        possible,
        weeksLeft: weeksLeft(quarter, weekStart),
        ...weights,
      });
      rows.push({
        row: {
          workspace_id: workspaceId,
          user_id: seller.id,
          org_unit_id: seller.org_unit_id,
          period: periodName(quarter),
          week_start: weekStart,
          commit_amount: commit,
          possible_amount: possible,
          quota,
          realised,
          forecast: forecast.forecast,
          note: null,
          submitted_at: submittedAt,
          superseded_at: null,
        },
        deals: items,
      });
    }
    if (rows.length === 0) continue;
    const ids = await db
      .insertInto('forecast_submissions')
      .values(rows.map((r) => r.row))
      .returning('id')
      .execute();
    const dealRows = rows.flatMap((row, index) =>
      row.deals.map((deal) => ({
        submission_id: ids[index]!.id,
        workspace_id: workspaceId,
        opportunity_id: deal.opportunityId,
        category: deal.category,
        amount: deal.amount,
      })),
    );
    for (let i = 0; i < dealRows.length; i += 500)
      await db
        .insertInto('forecast_submission_deals')
        .values(dealRows.slice(i, i + 500))
        .execute();
    count += rows.length;

    // The branch managers' own figure for their branch, the last three weeks: a little under the sum of the reps'.
    if (week <= 2)
      await adjustBranches(
        db,
        workspaceId,
        calendar,
        rows.map((r) => r.row),
        sellers,
        weekStart,
        periodName(quarter),
        submittedAt,
        rng,
      );
  }
  return count;
}

async function adjustBranches(
  db: Kysely<Database>,
  workspaceId: number,
  _cal: Calendar,
  rows: Insertable<Database['forecast_submissions']>[],
  sellers: { id: number; role: string; org_unit_id: number; path: string }[],
  weekStart: string,
  period: string,
  at: number,
  rng: Random,
) {
  const managers = sellers.filter((s) => s.role === 'manager');
  const values: Insertable<Database['forecast_adjustments']>[] = [];
  for (const manager of managers) {
    const inUnit = new Set(sellers.filter((s) => s.path.startsWith(manager.path)).map((s) => s.id));
    const sum = rows.filter((r) => inUnit.has(r.user_id)).reduce((a, r) => a + Number(r.forecast), 0);
    if (sum === 0 || values.some((v) => v.org_unit_id === manager.org_unit_id)) continue;
    values.push({
      workspace_id: workspaceId,
      org_unit_id: manager.org_unit_id,
      period,
      week_start: weekStart,
      amount: Math.round((sum * (0.85 + rng.next() * 0.1)) / 10_000_00) * 10_000_00,
      note: rng.next() < 0.5 ? '两个确保项目的签约时间可能推迟到下季度' : '按以往准确度打九折',
      adjusted_by: manager.id,
      created_at: at,
      updated_at: at,
      version: 1,
    });
  }
  if (values.length) await db.insertInto('forecast_adjustments').values(values).execute();
}
