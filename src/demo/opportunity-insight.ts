import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  QUALIFICATION_FACTS,
  qualificationScore,
  weakenedFacts,
  type Qualification,
  type QualificationAnswer,
  type QualificationFact,
} from '../domain/buying-phase.ts';
import { decideStrategy, type StrategyAnswers, type StrategyQuestion } from '../domain/win-strategy.ts';
import { Random } from './random.ts';

const DAY = 86_400_000;
/** docs/sales-process.md § The opportunity: large from 200,000 (fen). Key opportunities get their own buying roles. */
const LARGE = 200_000_00;
const KEY = 500_000_00;

const NOTES: Record<QualificationFact, Record<QualificationAnswer, string>> = {
  pain: {
    yes: '产线良率低、人工质检成本高，客户已量化损失',
    partly: '客户承认有问题，但尚未量化影响',
    no: '客户认为现有系统够用',
  },
  power: { yes: '已与总经理直接沟通并得到认可', partly: '只接触到技术总监，决策人尚未见面', no: '决策链不清楚' },
  vision: { yes: '客户认可我们的方案架构', partly: '技术部认可，业务部门仍有疑虑', no: '客户倾向竞品方案' },
  value: { yes: '双方确认投资回报期约 18 个月', partly: '价值测算已提交，待财务确认', no: '尚未讨论价值' },
  control: {
    yes: '客户按我们建议的节奏推进选型',
    partly: '参与了需求编写，招标时间由采购部决定',
    no: '选型流程由竞品主导',
  },
  criteria: { yes: '技术规格书采纳了我们的关键指标', partly: '部分评分指标对我们有利', no: '评标标准偏向竞品' },
};

const COMPETITORS: readonly { name: string; strengths: string; weaknesses: string }[] = [
  { name: '西门子', strengths: '品牌影响力强，PLC 与驱动装机量大', weaknesses: '价格高，本地服务响应慢' },
  { name: '罗克韦尔', strengths: '北美标准体系完整，汽车行业案例多', weaknesses: '价格高，中文支持有限' },
  { name: '施耐德', strengths: '配电与能效产品线齐全', weaknesses: '软件平台本地化不足' },
  { name: '和利时', strengths: '国产化政策优势，DCS 经验丰富', weaknesses: '离散制造案例少' },
  { name: '中控技术', strengths: '流程行业份额领先，服务网点多', weaknesses: '高端离散行业经验不足' },
  { name: '汇川技术', strengths: '性价比高，伺服与变频产品强', weaknesses: 'MES 等软件能力较弱' },
  { name: '研华科技', strengths: '工控硬件与边缘计算产品丰富', weaknesses: '整体解决方案能力有限' },
  { name: '宝信软件', strengths: '钢铁行业经验深厚，集团背景', weaknesses: '跨行业复制慢，报价偏高' },
];

const SWOT = {
  strengths: [
    '一期项目口碑好，客户满意度高',
    '本地服务团队 2 小时响应',
    '同行业标杆案例 3 个',
    '售前顾问熟悉客户工艺',
    '产品已与客户现有 ERP 集成',
  ],
  weaknesses: ['价格高于主要竞品约 10%', '交付团队排期紧张', '与采购部关系较弱', '缺少该细分行业案例'],
  opportunities: [
    '客户明年扩建二期产线',
    '国产化替代政策推动',
    '客户新任 CIO 重视数字化',
    '竞品在该客户的交付出现问题',
  ],
  threats: ['竞品低价进入', '客户预算可能削减', '集团总部可能统一采购', '决策周期可能拖到明年'],
};

const REVIEWS: readonly { completedStep: string; evidence: string; nextAction: string; jointPlan: string }[] = [
  {
    completedStep: '完成技术交流，客户确认产线痛点',
    evidence: '交流会纪要；客户提供的良率数据',
    nextAction: '两周内安排高层拜访',
    jointPlan: '经理陪同拜访总经理，准备投资回报测算',
  },
  {
    completedStep: '方案汇报完成，技术部认可',
    evidence: '方案评审意见邮件',
    nextAction: '推动客户立项并确认预算',
    jointPlan: '售前补充同行业案例，邀请客户参观样板工厂',
  },
  {
    completedStep: '拿到招标技术规格书初稿',
    evidence: '规格书初稿（含我方关键指标）',
    nextAction: '与采购部确认评标办法',
    jointPlan: '经理约采购总监沟通商务条款，避免只比价格',
  },
  {
    completedStep: '客户口头承诺优先选择我方',
    evidence: '技术总监微信确认',
    nextAction: '提交正式报价与实施计划',
    jointPlan: '报价控制在预算内，实施团队提前锁定',
  },
];

/** A biased coin per wizard question: most opportunities have a need we can serve. */
const LIKELY: Record<StrategyQuestion, number> = {
  urgentNeed: 0.8,
  accountMattersForFuture: 0.6,
  worthWaiting: 0.5,
  canDeliver: 0.9,
  smallerPiece: 0.5,
  incumbent: 0.3,
  threeToOne: 0.3,
  canChangeCriteria: 0.55,
  strategic: 0.6,
};

/** An answer leaning to "yes" the further the opportunity has come. */
function answerFor(rng: Random, probability: number): QualificationAnswer {
  const score = rng.next() * 0.7 + (probability / 100) * 0.5;
  return score > 0.6 ? 'yes' : score > 0.3 ? 'partly' : 'no';
}
const weaker = (a: QualificationAnswer): QualificationAnswer => (a === 'yes' ? 'partly' : 'no');
const fact = (f: QualificationFact, answer: QualificationAnswer) => ({ answer, note: NOTES[f][answer] });

/**
 * The insight of the demo's open opportunities (docs/sales-process.md § The opportunity, §5.3, §5.5, §5.6), deterministic
 * for a seed: qualification for most, a few of them weakened (advantage lost), SWOT and
 * competitors for the large ones, a decided win strategy with its path for about half,
 * pipeline reviews by the branch manager, and the buying roles of the key opportunities
 * copied from their account's. One transaction; a handful of statements per opportunity.
 */
export async function seedDemoOpportunityInsight(
  db: Kysely<Database>,
  workspaceId: number,
  seed: number,
  now = Date.now(),
): Promise<{ qualified: number; weakened: number; strategies: number; reviews: number; roles: number }> {
  const rng = new Random(seed + 55);
  const opps = await db
    .selectFrom('opportunities as o')
    .innerJoin('org_units as u', 'u.id', 'o.org_unit_id')
    .innerJoin('accounts as a', 'a.id', 'o.account_id')
    .leftJoin('process_stages as s', 's.id', 'o.stage_id')
    .select([
      'o.id',
      'o.account_id',
      'o.owner_id',
      'o.amount',
      'o.version',
      'u.path',
      'a.named_account',
      's.probability',
      's.name as stage_name',
    ])
    .where('o.workspace_id', '=', workspaceId)
    .where('o.status', '=', 'open')
    .orderBy('o.id')
    .execute();
  const managers = await db
    .selectFrom('users')
    .innerJoin('org_units', 'org_units.id', 'users.org_unit_id')
    .select(['users.id', 'org_units.path'])
    .where('users.workspace_id', '=', workspaceId)
    .where('users.role', '=', 'manager')
    .where('users.active', '=', 1)
    .execute();
  // The nearest manager above the opportunity: the branch manager where there is one.
  const managerOver = (path: string) =>
    managers.filter((m) => path.startsWith(m.path)).sort((x, y) => y.path.length - x.path.length)[0];
  const accountRoles = await db
    .selectFrom('buying_roles')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('opportunity_id', 'is', null)
    .where('account_id', 'in', [
      ...new Set(opps.filter((o) => o.amount >= KEY || o.named_account === 1).map((o) => o.account_id)),
      0,
    ])
    .orderBy('id')
    .execute();

  const history: Insertable<Database['record_history']>[] = [];
  const reviews: Insertable<Database['opportunity_reviews']>[] = [];
  const roles: Insertable<Database['buying_roles']>[] = [];
  const updates: {
    id: number;
    version: number;
    set: Partial<Record<'qualification' | 'swot' | 'competitors' | 'win_strategy', string>> & {
      advantage_lost?: number;
    };
  }[] = [];
  let qualified = 0;
  let weakenedCount = 0;
  let strategies = 0;

  for (const opportunity of opps) {
    const probability = opportunity.probability ?? 10;
    const large = opportunity.amount >= LARGE;
    const set: (typeof updates)[number]['set'] = {};
    if (rng.next() < 0.8) {
      qualified++;
      const facts: Qualification = {};
      for (const qualificationFact of QUALIFICATION_FACTS)
        if (rng.next() < 0.9) facts[qualificationFact] = fact(qualificationFact, answerFor(rng, probability));
      const assessedAt = now - rng.int(1, 20) * DAY;
      let weakened: QualificationFact[] = [];
      if (rng.next() < 0.1) {
        // The previous assessment was better on one or two facts: the advantage is lost (docs/sales-process.md).
        const answered = QUALIFICATION_FACTS.filter((f) => facts[f] && facts[f].answer !== 'no');
        if (answered.length) {
          const before: Qualification = { ...facts };
          for (const answeredFact of answered.slice(0, rng.int(1, 2)))
            facts[answeredFact] = fact(answeredFact, weaker(facts[answeredFact]!.answer));
          weakened = weakenedFacts(before, facts);
          history.push({
            workspace_id: workspaceId,
            entity_type: 'opportunity',
            entity_id: opportunity.id,
            field: 'qualification',
            old_value: String(qualificationScore(before)),
            new_value: String(qualificationScore(facts)),
            reason: `weakened: ${weakened.join(', ')}`,
            actor_user_id: opportunity.owner_id,
            created_at: assessedAt,
          });
          weakenedCount++;
          set.advantage_lost = 1;
        }
      }
      set.qualification = JSON.stringify({ facts, weakened, assessedAt, assessedBy: opportunity.owner_id });
    }
    if (large) {
      const pick = (xs: string[], count: number) => {
        const rest = [...xs];
        return Array.from(
          { length: Math.min(count, rest.length) },
          () => rest.splice(rng.int(0, rest.length - 1), 1)[0]!,
        );
      };
      set.swot = JSON.stringify({
        strengths: pick(SWOT.strengths, rng.int(2, 3)),
        weaknesses: pick(SWOT.weaknesses, rng.int(1, 2)),
        opportunities: pick(SWOT.opportunities, rng.int(1, 2)),
        threats: pick(SWOT.threats, rng.int(1, 2)),
      });
      const first = rng.int(0, COMPETITORS.length - 1);
      const competitorCount = rng.int(1, 3);
      set.competitors = JSON.stringify(
        Array.from({ length: competitorCount }, (_, k) => COMPETITORS[(first + k * 3) % COMPETITORS.length]!).map(
          (competitor, index) => ({
            ...competitor,
            status:
              index === 0
                ? rng.pick(['leading', 'close'] as const)
                : rng.pick(['close', 'behind', 'behind', 'out'] as const),
          }),
        ),
      );
    }
    if (rng.next() < 0.5) {
      const answers: StrategyAnswers = {};
      let decision = decideStrategy(answers);
      while (!decision.done) {
        answers[decision.next] = rng.next() < LIKELY[decision.next];
        decision = decideStrategy(answers);
      }
      set.win_strategy = JSON.stringify({
        strategy: decision.strategy,
        path: decision.path,
        answers,
        decidedAt: now - rng.int(3, 40) * DAY,
        decidedBy: opportunity.owner_id,
      });
      strategies++;
    }
    const manager = managerOver(opportunity.path);
    if (manager && large && rng.next() < 0.3) {
      const first = rng.int(0, REVIEWS.length - 1);
      for (let k = 0, count = rng.int(1, 2); k < count; k++) {
        const review = REVIEWS[(first + k) % REVIEWS.length]!;
        reviews.push({
          workspace_id: workspaceId,
          opportunity_id: opportunity.id,
          reviewer_id: manager.id,
          completed_step: `${opportunity.stage_name ?? ''}：${review.completedStep}`,
          evidence: review.evidence,
          next_action: review.nextAction,
          joint_plan: review.jointPlan,
          created_at: now - (count - k) * 7 * DAY - rng.int(0, 2) * DAY,
        });
      }
    }
    if (opportunity.amount >= KEY || opportunity.named_account === 1) {
      for (const role of accountRoles.filter((x) => x.account_id === opportunity.account_id)) {
        const { id: _id, ...copy } = role;
        roles.push({ ...copy, opportunity_id: opportunity.id, created_at: now, updated_at: now, version: 1 });
      }
    }
    if (Object.keys(set).length) updates.push({ id: opportunity.id, version: opportunity.version, set });
  }

  await db.transaction().execute(async (trx) => {
    for (const update of updates) {
      await trx
        .updateTable('opportunities')
        .set(update.set)
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', update.id)
        .execute();
    }
    const chunk = <T>(xs: T[]) =>
      Array.from({ length: Math.ceil(xs.length / 200) }, (_, i) => xs.slice(i * 200, i * 200 + 200));
    for (const batch of chunk(history)) await trx.insertInto('record_history').values(batch).execute();
    for (const batch of chunk(reviews)) await trx.insertInto('opportunity_reviews').values(batch).execute();
    for (const batch of chunk(roles)) await trx.insertInto('buying_roles').values(batch).execute();
  });
  return { qualified, weakened: weakenedCount, strategies, reviews: reviews.length, roles: roles.length };
}
