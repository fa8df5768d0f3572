import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { batches } from '../db/batches.ts';
import { addDays, dateIn, mondayOf, startOfDay } from '../domain/calendar.ts';
import { loadRules } from '../modules/workspace/service.ts';
import { DEMO_DOMAIN } from './company.ts';
import { Random } from './random.ts';

/**
 * Weekly plans and summaries of the last weeks (docs/rhythm.md § Weekly plan and summary), so
 * the 周报 page and the manager's team tab have a story: every active rep's plan submitted on the
 * Monday and summary on the Friday of each past week, problems each with its proposed solution,
 * the nearest manager's comments on some, now and then a summary never written — and this week,
 * a couple of reps who have not submitted: the documented rep (王芳) has a plan saved as a draft,
 * a colleague of hers in 上海 nothing yet. Dates in the workspace zone; a few multi-row INSERTs.
 */
const PAST_WEEKS = 6;
const HOUR = 3_600_000;

const VISITS = [
  '拜访 4 家 A 类客户，重点推进二期改造项目',
  '走访 3 家老客户做季度回顾，新开发 2 家潜在客户',
  '安排 2 次技术交流会，陪同售前做现场调研',
  '拜访采购部和设备部，确认下季度预算',
];
const TARGETS = [
  '完成 2 份方案提交，推动 1 个项目进入商务谈判',
  '新增商机 2 个，回款 30 万元',
  '拿到 1 份采购计划时间表，约到技术总监面谈',
  '签署 1 份试用协议，完成 3 次客户回访',
];
const DEAL_NOTES = ['本周提交修订报价', '约技术负责人确认方案', '推动立项审批', '安排样板工厂参观'];
const DONE = [
  '完成 5 次拜访、2 次技术交流，提交 1 份方案',
  '拜访 4 家客户，完成 1 次产品演示，回款 20 万元',
  '完成季度业务回顾 3 次，新增商机 1 个',
  '陪同售前完成现场调研，客户认可方案方向',
];
const PROGRESS = [
  '重点项目进入方案评审阶段，客户技术部门基本认可',
  '二期改造项目已提交预算申请，预计下月立项',
  '试用协议条款已谈妥，等待客户法务审核',
  '与采购总监关系明显改善，已约下周面谈',
];
/** A problem and the solution the rep proposes with it: the method never takes one without the other. */
const PROBLEMS = [
  { problem: '报价审批周期长，客户等了一周', solution: '申请区域经理对 50 万以下报价直接授权' },
  { problem: '客户对交付周期有顾虑', solution: '请生产部确认排产，给客户书面交付计划' },
  { problem: '竞品低价进入，客户要求降价 10%', solution: '突出节能收益，用三年总成本对比代替单价谈判' },
  { problem: '技术负责人变动，新负责人不熟悉方案', solution: '安排售前一对一技术交流，带上样板客户案例' },
  { problem: '客户预算被压缩，项目可能延期', solution: '拆成两期实施，一期先做见效最快的产线' },
];
const HELP = ['需要售前支持一次现场调研', '希望经理陪同拜访客户总经理', '需要样板工厂参观名额', null, null];
const COMMENTS = [
  '授权的建议可以，我这周和总监沟通',
  '交付问题提前说得好，周三例会上一起过一下',
  '总成本对比的思路很好，把测算表发我看看',
  '方案讲解我可以陪你去一次',
  '拆分实施是对的，注意一期要能体现效果',
  '本周拜访量不错，重点项目要盯紧决策人',
];

export async function seedDemoWeeklyReports(
  db: Kysely<Database>,
  workspaceId: number,
  seed: number,
  now: number,
): Promise<number> {
  const rng = new Random(seed + 23);
  const { calendar } = await loadRules(db, workspaceId);
  const zone = calendar.timeZone;
  const people = await db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'users.email', 'users.role', 'org_units.path'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.active', '=', 1)
    .where('users.role', 'in', ['rep', 'manager'])
    .orderBy('users.id')
    .execute();
  const reps = people.filter((p) => p.role === 'rep');
  const managers = people.filter((p) => p.role === 'manager');
  // Who comments: the manager of the nearest unit at or above the rep's that has one.
  const managerOf = (path: string) =>
    managers.filter((m) => path.startsWith(m.path)).sort((a, b) => b.path.length - a.path.length)[0];
  const deals = await db
    .selectFrom('opportunities')
    .select(['id', 'owner_id'])
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'open')
    .orderBy('id')
    .execute();
  const dealsOf = new Map<number, number[]>();
  for (const deal of deals) dealsOf.set(deal.owner_id, [...(dealsOf.get(deal.owner_id) ?? []), deal.id]);

  // This week's couple who have not submitted: the documented rep (a draft) and a 上海 colleague (nothing).
  const demoRep = reps.find((r) => r.email === `rep@${DEMO_DOMAIN}`);
  const shanghai = managers.find((m) => m.email === `manager@${DEMO_DOMAIN}`);
  const colleague = reps.find((r) => r !== demoRep && shanghai && r.path.startsWith(shanghai.path));

  const thisWeek = mondayOf(dateIn(now, zone));
  // An instant of a day of the week at a local hour, never after now (a Monday morning demo load).
  const at = (weekStart: string, day: number, hour: number) =>
    Math.min(startOfDay(addDays(weekStart, day), zone) + Math.round(hour * HOUR), now - 10 * 60_000);
  const rows: Insertable<Database['weekly_reports']>[] = [];
  const notes: { key: string; authorId: number; body: string; createdAt: number }[] = [];
  for (let week = PAST_WEEKS; week >= 0; week--) {
    const weekStart = addDays(thisWeek, -7 * week);
    for (const rep of reps) {
      const current = week === 0;
      if (current && rep === colleague) continue;
      const draft = current && rep === demoRep;
      const planAt = at(weekStart, 0, 9 + rng.next());
      const own = dealsOf.get(rep.id) ?? [];
      const planDeals = own.slice(0, rng.int(0, 2)).map((id) => ({ opportunityId: id, note: rng.pick(DEAL_NOTES) }));
      // A past week's summary, written on its Friday evening; now and then one never written.
      const summary = !current && rng.next() > 0.06;
      const problems = summary
        ? Array.from({ length: rng.int(0, 2) }, () => rng.pick(PROBLEMS)).filter((p, i, all) => all.indexOf(p) === i)
        : [];
      const summaryAt = at(weekStart, 4, 17.5 + rng.next());
      rows.push({
        workspace_id: workspaceId,
        user_id: rep.id,
        week_start: weekStart,
        plan_visits: rng.pick(VISITS),
        plan_targets: rng.pick(TARGETS),
        plan_deals: JSON.stringify(planDeals),
        plan_submitted_at: draft ? null : planAt,
        summary_done: summary ? rng.pick(DONE) : null,
        summary_progress: summary ? rng.pick(PROGRESS) : null,
        summary_problems: JSON.stringify(problems),
        summary_help: summary ? rng.pick(HELP) : null,
        summary_submitted_at: summary ? summaryAt : null,
        created_at: planAt,
        updated_at: summary ? summaryAt : planAt,
        version: summary ? 2 : 1,
      });
      const manager = managerOf(rep.path);
      // The manager answers most summaries that raise a problem, and a few others, on the Monday after.
      if (manager && summary && rng.next() < (problems.length ? 0.7 : 0.15))
        notes.push({
          key: `${rep.id}:${weekStart}`,
          authorId: manager.id,
          body: rng.pick(COMMENTS),
          createdAt: at(weekStart, 7, 10 + rng.next()),
        });
    }
  }
  // Ids by person and week: the order RETURNING gives rows back is not promised.
  const ids = new Map<string, number>();
  for (const batch of batches(rows))
    for (const row of await db
      .insertInto('weekly_reports')
      .values(batch)
      .returning(['id', 'user_id', 'week_start'])
      .execute())
      ids.set(`${row.user_id}:${row.week_start}`, Number(row.id));
  for (const batch of batches(notes))
    await db
      .insertInto('weekly_report_comments')
      .values(
        batch.map((note) => ({
          workspace_id: workspaceId,
          report_id: ids.get(note.key)!,
          author_id: note.authorId,
          body: note.body,
          created_at: note.createdAt,
        })),
      )
      .execute();
  return rows.length;
}
