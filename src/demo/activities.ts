import type { Insertable, Kysely } from 'kysely';
import type { ActivityTable, Database, TaskTable } from '../db/schema.ts';
import { addDays, dateIn, mondayOf, startOfDay } from '../domain/calendar.ts';
import { checkpointDates } from '../domain/checkpoints.ts';
import type { ActivityType } from '../domain/activities.ts';
import { loadRules } from '../modules/workspace/service.ts';
import { Random } from './random.ts';
import { batches } from '../db/batches.ts';
import { BENEFITS, EVIDENCE, NEXT_STEPS, OBJECTIVES, OUTCOMES, SUBJECTS, TODAY_TASKS } from './activity-words.ts';

/**
 * A year of the follow-up rhythm for the demo company (docs/rhythm.md), after its accounts,
 * deals, pools and handover exist:
 *  - done activities per account at its tier's pace (A weekly, B fortnightly, C monthly), the
 *    newest qualifying one at the follow-up the account already records, so the pool and the
 *    cadence numbers agree with the activities behind them (most on time, some overdue);
 *  - visit plans with reviews on recent visits (objectives met, partly or not), their next
 *    steps as tasks; planned visits in the next two weeks, some with a plan;
 *  - tasks due today for every seller, some overdue, some later;
 *  - 15-day checks, 30-day judgements and weekly looks on the older open deals.
 * Every table is written with multi-row INSERTs in batches of 500 rows (src/db/batches.ts), so
 * the whole year costs a few statements per thousand rows. Deterministic from the seed.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Days between qualifying follow-ups, roughly as each tier asks (docs/rhythm.md § Cadence). */
const PACE: Record<string, [number, number]> = { A: [4, 8], B: [8, 16], C: [15, 32] };
const QUALIFYING_MIX: ActivityType[] = [
  'visit',
  'visit',
  'visit',
  'call',
  'call',
  'call',
  'meeting',
  'demo',
  'technical_exchange',
];

interface AccountRow {
  id: number;
  owner_id: number;
  tier: string;
  created_at: number;
  last_follow_up_at: number | null;
}

/** An instant on `date` in working hours (09:00–17:30 of the workspace zone), never after `latest`. */
function workingTime(rng: Random, date: string, timeZone: string, latest: number): number {
  const at = startOfDay(date, timeZone) + 9 * HOUR + rng.int(0, 17) * 30 * 60_000;
  return Math.min(at, latest);
}

export async function seedDemoActivities(db: Kysely<Database>, workspaceId: number, seed: number, now: number) {
  const rng = new Random(seed + 10);
  const { calendar, settings } = await loadRules(db, workspaceId);
  const { timeZone } = calendar;
  const today = dateIn(now, timeZone);
  const qualifying = new Set<string>(settings.qualifyingActivityTypes);
  const [owned, contacts, deals, sellers] = await Promise.all([
    db
      .selectFrom('accounts')
      .innerJoin('users', 'users.id', 'accounts.owner_id')
      .select([
        'accounts.id',
        'accounts.owner_id',
        'accounts.tier',
        'accounts.created_at',
        'accounts.last_follow_up_at',
      ])
      .where('accounts.workspace_id', '=', workspaceId)
      .where('accounts.in_pool', '=', 0)
      .where('accounts.archived_at', 'is', null)
      .where('users.active', '=', 1)
      .orderBy('accounts.id')
      .execute(),
    db
      .selectFrom('contacts')
      .select(['id', 'account_id'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('opportunities')
      .select(['id', 'account_id', 'owner_id', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'open')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('users')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('active', '=', 1)
      .where('role', 'in', ['rep', 'manager'])
      .orderBy('id')
      .execute(),
  ]);
  // The join on users leaves only owned accounts.
  const accounts: AccountRow[] = owned.map((row) => ({ ...row, owner_id: row.owner_id! }));
  const contactsOf = new Map<number, number[]>();
  for (const contact of contacts)
    contactsOf.set(contact.account_id, [...(contactsOf.get(contact.account_id) ?? []), contact.id]);
  const dealsOf = new Map<number, number[]>();
  for (const deal of deals) dealsOf.set(deal.account_id, [...(dealsOf.get(deal.account_id) ?? []), deal.id]);

  const activities: Insertable<ActivityTable>[] = [];
  const yearAgo = now - 365 * DAY;
  const activity = (
    account: AccountRow,
    type: ActivityType,
    status: 'done' | 'planned',
    startAt: number,
  ): Insertable<ActivityTable> => {
    const accountDeals = dealsOf.get(account.id) ?? [];
    return {
      workspace_id: workspaceId,
      account_id: account.id,
      opportunity_id: accountDeals.length && rng.next() < 0.4 ? rng.pick(accountDeals) : null,
      owner_id: account.owner_id,
      type,
      status,
      start_at: startAt,
      end_at: type === 'visit' || type === 'meeting' ? startAt + rng.int(1, 3) * HOUR : null,
      subject: rng.pick(SUBJECTS[type]),
      notes: null,
      outcome: status === 'done' ? rng.pick(OUTCOMES) : null,
      location: null,
      archived_at: null,
      created_by: account.owner_id,
      created_at: status === 'done' ? startAt + HOUR : now - rng.int(1, 5) * DAY,
      updated_at: status === 'done' ? startAt + HOUR : now - rng.int(0, 1) * DAY,
      version: 1,
    };
  };

  for (const account of accounts) {
    if (account.last_follow_up_at === null) continue;
    const [minGap, maxGap] = PACE[account.tier] ?? PACE.C!;
    const since = Math.max(yearAgo, Number(account.created_at));
    // Backwards from the follow-up the account records: its newest qualifying activity, on that day.
    let day = dateIn(Number(account.last_follow_up_at), timeZone);
    let latest = Math.min(Number(account.last_follow_up_at), now - HOUR);
    while (startOfDay(day, timeZone) >= since) {
      const type = rng.pick(QUALIFYING_MIX);
      activities.push(activity(account, type, 'done', workingTime(rng, day, timeZone, latest)));
      // Emails and WeChat messages between visits: they do not count as follow-ups.
      if (rng.next() < 0.35) {
        const between = addDays(day, -rng.int(1, Math.max(1, minGap - 1)));
        if (startOfDay(between, timeZone) >= since)
          activities.push(
            activity(account, rng.next() < 0.5 ? 'email' : 'wechat', 'done', workingTime(rng, between, timeZone, now)),
          );
      }
      day = addDays(day, -rng.int(minGap, maxGap));
      latest = now;
    }
    // A planned visit in the next two weeks on about one account in three.
    if (rng.next() < 0.35)
      activities.push(
        activity(account, 'visit', 'planned', workingTime(rng, addDays(today, rng.int(0, 13)), timeZone, Infinity)),
      );
  }
  const inserted = [];
  for (const batch of batches(activities))
    inserted.push(
      ...(await db
        .insertInto('activities')
        .values(batch)
        .returning(['id', 'account_id', 'start_at', 'owner_id', 'type', 'status', 'opportunity_id'])
        .execute()),
    );

  // Who was there: one contact of the account on visits, meetings, demos and exchanges.
  const attendees = inserted
    .filter((row) => row.type !== 'call' && row.type !== 'email' && row.type !== 'wechat')
    .flatMap((row) => {
      const ids = contactsOf.get(row.account_id) ?? [];
      return ids.length ? [{ activity_id: row.id, contact_id: rng.pick(ids), workspace_id: workspaceId }] : [];
    });
  for (const batch of batches(attendees)) await db.insertInto('activity_contacts').values(batch).execute();

  // Plans and reviews: a third of the visits of the last 90 days, and half of those planned.
  const plans = [];
  const tasks: Insertable<TaskTable>[] = [];
  for (const row of inserted) {
    if (row.type !== 'visit') continue;
    const startAt = Number(row.start_at);
    const done = row.status === 'done';
    if (done ? startAt < now - 90 * DAY || rng.next() > 0.33 : rng.next() > 0.5) continue;
    const objectives = Array.from({ length: rng.int(1, 3) }, () => ({ text: rng.pick(OBJECTIVES) }));
    const plan = {
      objectives,
      bestTime: '工作日上午，半小时以内',
      objections: [{ objection: '价格高于竞品', answer: '按三年总成本比较' }],
      materials: '方案书、案例集',
      openIssues: null,
      spin: { situation: ['现有设备运行几年了？'], problem: ['停机主要因为什么？'], implication: [], needPayoff: [] },
      fab: [{ feature: null, advantage: null, benefit: rng.pick(BENEFITS) }],
    };
    const planned = {
      activity_id: row.id,
      workspace_id: workspaceId,
      planned_by: row.owner_id,
      plan: JSON.stringify(plan),
    };
    if (!done) {
      plans.push({
        ...planned,
        objective_count: objectives.length,
        review: null,
        achieved: null,
        partly: null,
        missed: null,
        reviewed_by: null,
        reviewed_at: null,
        created_at: now - DAY,
        updated_at: now - DAY,
      });
      continue;
    }
    const results = objectives.map(() => {
      const roll = rng.next();
      return roll < 0.6 ? 'achieved' : roll < 0.85 ? 'partly' : 'not';
    });
    const nextSteps = Array.from({ length: rng.int(0, 2) }, () => ({
      title: rng.pick(NEXT_STEPS),
      dueDate: addDays(dateIn(startAt, timeZone), rng.int(3, 14)),
    }));
    const review = {
      objectives: results.map((result) => ({ result, note: result === 'achieved' ? null : '客户内部意见尚未统一' })),
      customerView: '客户对方案总体满意',
      improve: '提前准备竞品对比',
      nextSteps,
    };
    const reviewedAt = startAt + 3 * HOUR;
    plans.push({
      ...planned,
      objective_count: objectives.length,
      review: JSON.stringify(review),
      achieved: results.filter((r) => r === 'achieved').length,
      partly: results.filter((r) => r === 'partly').length,
      missed: results.filter((r) => r === 'not').length,
      reviewed_by: row.owner_id,
      reviewed_at: reviewedAt,
      created_at: startAt - 2 * DAY,
      updated_at: reviewedAt,
    });
    nextSteps.forEach((step, index) => {
      const overdue = step.dueDate < today;
      // Most next steps that are due were done; a few were left open (and are overdue now).
      const finished = overdue && rng.next() < 0.8;
      tasks.push({
        workspace_id: workspaceId,
        title: step.title,
        notes: null,
        assignee_id: row.owner_id,
        created_by: row.owner_id,
        due_date: step.dueDate,
        status: finished ? 'done' : 'open',
        source: 'visit_review',
        source_key: `review:${row.id}:${index}`,
        account_id: row.account_id,
        opportunity_id: row.opportunity_id,
        activity_id: row.id,
        completed_at: finished ? startOfDay(step.dueDate, timeZone) + 10 * HOUR : null,
        completed_by: finished ? row.owner_id : null,
        created_at: reviewedAt,
        updated_at: finished ? startOfDay(step.dueDate, timeZone) + 10 * HOUR : reviewedAt,
        version: finished ? 2 : 1,
      });
    });
  }
  for (const batch of batches(plans)) await db.insertInto('visit_plans').values(batch).execute();

  // Every seller's desk: something due today, sometimes something overdue, something next week.
  const ownAccounts = new Map<number, number[]>();
  for (const account of accounts)
    ownAccounts.set(account.owner_id, [...(ownAccounts.get(account.owner_id) ?? []), account.id]);
  for (const seller of sellers) {
    const mine = ownAccounts.get(seller.id) ?? [];
    const due = [
      ...Array.from({ length: rng.int(1, 3) }, () => today),
      ...(rng.next() < 0.5 ? [addDays(today, -rng.int(1, 5))] : []),
      addDays(today, rng.int(2, 9)),
    ];
    for (const dueDate of due)
      tasks.push({
        workspace_id: workspaceId,
        title: rng.pick(TODAY_TASKS),
        notes: null,
        assignee_id: seller.id,
        created_by: seller.id,
        due_date: dueDate,
        status: 'open',
        source: 'manual',
        source_key: null,
        account_id: mine.length ? rng.pick(mine) : null,
        opportunity_id: null,
        activity_id: null,
        completed_at: null,
        completed_by: null,
        created_at: now - 2 * DAY,
        updated_at: now - 2 * DAY,
        version: 1,
      });
  }
  for (const batch of batches(tasks)) await db.insertInto('tasks').values(batch).execute();

  // 1-15-30 on the older open deals: checked at 15 days, judged at 30, looked at weekly lately.
  const checkpointRows: Insertable<Database['checkpoint_reviews']>[] = [];
  const reviews: { kind: string; period: string; outcome: string; note: string | null; created_at: number }[] = [];
  const thisMonday = mondayOf(today);
  for (const deal of deals) {
    const entered = dateIn(Number(deal.created_at), timeZone);
    const dates = checkpointDates(entered);
    const at = (date: string) => startOfDay(date, timeZone) + 11 * HOUR;
    if (dates.day15 < today && rng.next() < 0.85)
      reviews.push({
        kind: 'day15',
        period: dates.day15,
        outcome: 'reviewed',
        note: null,
        created_at: at(dates.day15),
      });
    // The judgements falling this week are left to make, so the weekly review has some due beside the overdue ones.
    if (dates.day30 < today && rng.next() < 0.75 && dates.day30 < thisMonday)
      reviews.push({
        kind: 'day30',
        period: dates.day30,
        outcome: 'advanced',
        note: rng.pick(EVIDENCE),
        created_at: at(dates.day30),
      });
    for (let week = 1; week <= 3; week++) {
      const monday = addDays(thisMonday, -7 * week);
      if (monday > entered && rng.next() < 0.7)
        reviews.push({
          kind: 'weekly',
          period: monday,
          outcome: 'reviewed',
          note: null,
          created_at: at(addDays(monday, 4)),
        });
    }
    for (const review of reviews.splice(0))
      checkpointRows.push({
        ...review,
        workspace_id: workspaceId,
        opportunity_id: deal.id,
        reviewed_by: deal.owner_id,
      });
  }
  for (const batch of batches(checkpointRows)) await db.insertInto('checkpoint_reviews').values(batch).execute();

  // The accounts' last follow-up is their newest qualifying activity (its time of day now a working hour).
  await db
    .updateTable('accounts')
    .set((eb) => ({
      last_follow_up_at: eb
        .selectFrom('activities')
        .select((sub) => sub.fn.max('activities.start_at').as('newest'))
        .whereRef('activities.account_id', '=', 'accounts.id')
        .where('activities.status', '=', 'done')
        .where('activities.type', 'in', [...qualifying]),
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('activities')
        .select('account_id')
        .where('workspace_id', '=', workspaceId)
        .where('status', '=', 'done'),
    )
    .execute();
  return { activities: inserted.length, plans: plans.length, tasks: tasks.length, checkpoints: checkpointRows.length };
}
