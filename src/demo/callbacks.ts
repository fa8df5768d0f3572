import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { addDays, dateIn, periodOf, startOfDay } from '../domain/calendar.ts';
import type { Actor } from '../domain/policy.ts';
import type { CallbackOutcome } from '../contracts/callbacks.ts';
import { answerCallback, drawCallbacks, listCallbacks } from '../modules/callbacks/service.ts';
import { loadRules } from '../modules/workspace/service.ts';
import { DEMO_DOMAIN } from './company.ts';
import { Random } from './random.ts';

const HOUR = 3_600_000;
const SUBJECTS = ['需求调研', '方案交流', '商务拜访', '回访使用情况', '高层拜访', '技术交流'];
/** What the demo's customers said: the auditor's words of the unconfirmed and the feedback answers. */
const NOT_CONFIRMED = [
  '客户说这段时间没有人来拜访过',
  '前台没有来访登记，联系人不记得这次见面',
  '客户说只通过电话，没见面',
];
const FEEDBACK = ['拜访属实，希望尽快收到报价', '拜访属实，对交付周期有顾虑', '见过面，希望下次带技术人员来'];

/**
 * A completed callback audit of last month (docs/rhythm.md § Callback audit): the admin draws
 * the month through the service, as a manager would, and the auditor answers every callback —
 * most confirmed, a few not (each flagged to the rep's manager), a few with feedback.
 *
 * It draws from the visits the demo logged last month; when none were loaded before it (the
 * rhythm's demo activities come from another file), it logs a few visits per rep itself, on
 * accounts they own with a contact of each, so the audit never stands on nothing.
 */
export async function seedDemoCallbacks(db: Db, workspaceId: number, seed: number, now: number): Promise<number> {
  const rng = new Random(seed + 22);
  const { calendar } = await loadRules(db.kysely, workspaceId);
  const thisMonth = periodOf('month', dateIn(now, calendar.timeZone), calendar);
  const lastMonth = periodOf('month', addDays(thisMonth.start, -1), calendar);
  const period = lastMonth.start.slice(0, 7);

  const logged = await db.kysely
    .selectFrom('activities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('type', '=', 'visit')
    .where('status', '=', 'done')
    .where('start_at', '>=', lastMonth.from)
    .where('start_at', '<', lastMonth.to)
    .executeTakeFirstOrThrow();
  if (Number(logged.n) === 0) await logVisits(db, workspaceId, rng, lastMonth, calendar.timeZone);

  const admin = await db.kysely
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'users.org_unit_id', 'org_units.path'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.role', '=', 'admin')
    .orderBy('users.id')
    .executeTakeFirstOrThrow();
  const actorOf = (user: { id: number; org_unit_id: number; path: string }, role: Actor['role']): Actor => ({
    workspaceId,
    userId: user.id,
    role,
    orgUnitId: user.org_unit_id,
    unitPath: user.path,
    now,
    exportGranted: false,
  });
  // Drawn as the month closed, answered over the next days (never later than now).
  const drawnAt = Math.min(now, thisMonth.from + HOUR);
  const drawn = await drawCallbacks(db, { ...actorOf(admin, 'admin'), now: drawnAt }, { period }, null);
  if (drawn.created === 0) return 0;

  const auditorRow = await db.kysely
    .selectFrom('callbacks')
    .innerJoin('users', 'users.id', 'callbacks.auditor_id')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'users.org_unit_id', 'org_units.path'])
    .where('callbacks.workspace_id', '=', workspaceId)
    .where('callbacks.period', '=', period)
    .executeTakeFirstOrThrow();
  const auditor = actorOf(auditorRow, 'auditor');
  const { items } = await listCallbacks(db, auditor, {
    period,
    limit: 500,
    offset: 0,
    sort: { column: 'visitAt', desc: false },
  });
  // The documented manager sign-in (上海分公司) finds one of their reps' visits not confirmed to drill into.
  const shanghaiReps = new Set(
    (
      await db.kysely
        .selectFrom('users as rep')
        .innerJoin('org_units', 'org_units.id', 'rep.org_unit_id')
        .innerJoin('users as manager', 'manager.workspace_id', 'rep.workspace_id')
        .innerJoin('org_units as unit', 'unit.id', 'manager.org_unit_id')
        .select('rep.id')
        .where('rep.workspace_id', '=', workspaceId)
        .where('manager.email', '=', `manager@${DEMO_DOMAIN}`)
        .where(sql<boolean>`org_units.path like unit.path || '%'`)
        .execute()
    ).map((r) => r.id),
  );
  const flagged = items.find((c) => shanghaiReps.has(c.rep.id))?.id;
  for (const [index, callback] of items.entries()) {
    const roll = rng.next();
    // Every fifth call not confirmed, and a few with feedback: a handful of each, whatever the scale.
    const outcome: CallbackOutcome =
      index % 5 === 3 || callback.id === flagged ? 'not_confirmed' : roll < 0.15 ? 'feedback' : 'confirmed';
    const feedback =
      outcome === 'not_confirmed' ? rng.pick(NOT_CONFIRMED) : outcome === 'feedback' ? rng.pick(FEEDBACK) : null;
    await answerCallback(
      db,
      { ...auditor, now: Math.min(now, drawnAt + (index + 1) * 2 * HOUR) },
      callback.id,
      { version: callback.version, outcome, feedback },
      null,
    );
  }
  return items.length;
}

/** Visits of last month for each active rep: 6 to 12 on working days, on accounts they own, each with a contact. */
async function logVisits(
  db: Db,
  workspaceId: number,
  rng: Random,
  month: { start: string; end: string },
  timeZone: string,
) {
  const accounts = await db.kysely
    .selectFrom('accounts')
    .innerJoin('users', 'users.id', 'accounts.owner_id')
    .select(['accounts.id', 'accounts.owner_id'])
    .where('accounts.workspace_id', '=', workspaceId)
    .where('accounts.in_pool', '=', 0)
    .where('accounts.archived_at', 'is', null)
    .where('users.role', '=', 'rep')
    .where('users.active', '=', 1)
    .orderBy('accounts.id')
    .execute();
  const contacts = await db.kysely
    .selectFrom('contacts')
    .select(['id', 'account_id'])
    .where('workspace_id', '=', workspaceId)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
  const byOwner = new Map<number, number[]>();
  for (const account of accounts)
    byOwner.set(account.owner_id!, [...(byOwner.get(account.owner_id!) ?? []), account.id]);
  const days: string[] = [];
  for (let day = month.start; day < month.end; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(day);
  }
  for (const [ownerId, owned] of byOwner) {
    const count = rng.int(6, 12);
    for (let i = 0; i < count; i++) {
      const accountId = rng.pick(owned);
      const at = startOfDay(rng.pick(days), timeZone) + rng.pick([9.5, 10, 14, 15.5]) * HOUR;
      const { id } = await db.kysely
        .insertInto('activities')
        .values({
          workspace_id: workspaceId,
          account_id: accountId,
          owner_id: ownerId,
          type: 'visit',
          status: 'done',
          start_at: at,
          end_at: at + HOUR,
          subject: rng.pick(SUBJECTS),
          created_by: ownerId,
          created_at: at + 2 * HOUR,
          updated_at: at + 2 * HOUR,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // A logged visit is a follow-up (docs/rhythm.md § Activities): later-dated wins, as logging it would.
      await db.kysely
        .updateTable('accounts')
        .set({ last_follow_up_at: at })
        .where('id', '=', accountId)
        .where((eb) => eb.or([eb('last_follow_up_at', 'is', null), eb('last_follow_up_at', '<', at)]))
        .execute();
      const contact = contacts.find((c) => c.account_id === accountId);
      if (contact)
        await db.kysely
          .insertInto('activity_contacts')
          .values({ activity_id: id, contact_id: contact.id, workspace_id: workspaceId })
          .execute();
    }
  }
}
