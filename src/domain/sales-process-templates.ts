import type { BuyingPhase } from './buying-phase.ts';

/**
 * The four sales-process templates that ship (docs/sales-process.md § Sales processes and stages). Texts in both languages: a
 * workspace copies a template in its language and may then edit everything.
 */
export type Text = { zh: string; en: string };
export type EvidenceRequirement = 'check' | 'note' | 'attachment';

export interface EvidenceTemplate {
  key: string;
  label: Text;
  /** What the item needs beyond a tick: nothing, a note, or an attachment. */
  requires: EvidenceRequirement;
}

export interface StageTemplate {
  key: string;
  name: Text;
  probability: number;
  purpose: Text;
  milestone: Text;
  evidence: EvidenceTemplate[];
  actions: Text[];
  roles: string[];
  expectedDays: number;
  buyingPhase: BuyingPhase | null;
  /** The last stage: reaching it means won. */
  won?: boolean;
}

export interface ProcessTemplate {
  key: 'small' | 'large' | 'seven_steps' | 'p0_p7';
  name: Text;
  description: Text;
  stages: StageTemplate[];
}

const text = (zh: string, en: string): Text => ({ zh, en });
const ev = (key: string, zh: string, en: string, requires: EvidenceRequirement = 'check'): EvidenceTemplate => ({
  key,
  label: text(zh, en),
  requires,
});

const SMALL: ProcessTemplate = {
  key: 'small',
  name: text('小项目', 'Small project'),
  description: text(
    '周期短（1–4 周）、金额小、简化合同，只需价格审批',
    'Short cycle (1–4 weeks), small amounts, simplified contract, price approval only',
  ),
  stages: [
    {
      key: 'intent',
      name: text('意向', 'Intent'),
      probability: 20,
      purpose: text('确认需求和预算', 'Confirm the need and the budget'),
      milestone: text('客户有明确意向', 'The customer states a clear intent'),
      evidence: [
        ev('need_confirmed', '客户确认了需求', 'Customer confirmed the need', 'note'),
        ev('budget_known', '已了解预算', 'Budget known'),
      ],
      actions: [text('拜访关键人，了解需求与预算', 'Visit the key person; learn need and budget')],
      roles: ['sales_lead'],
      expectedDays: 7,
      buyingPhase: 'decide',
    },
    {
      key: 'proposal',
      name: text('方案', 'Proposal'),
      probability: 35,
      purpose: text('提交方案与报价', 'Deliver the proposal and the quote'),
      milestone: text('客户认可方案', 'The customer accepts the proposal'),
      evidence: [
        ev('proposal_sent', '方案与报价已提交', 'Proposal and quote sent', 'attachment'),
        ev('proposal_accepted', '客户认可方案', 'Customer accepted the proposal', 'note'),
      ],
      actions: [text('按客户标准讲解方案', "Present the proposal against the customer's criteria")],
      roles: ['sales_lead', 'presales'],
      expectedDays: 7,
      buyingPhase: 'evaluate',
    },
    {
      key: 'negotiation',
      name: text('谈判', 'Negotiation'),
      probability: 70,
      purpose: text('商务谈判，价格审批', 'Negotiate; get the price approved'),
      milestone: text('合同签订', 'Contract signed'),
      evidence: [
        ev('price_approved', '价格已审批', 'Price approved'),
        ev('contract_signed', '合同已签订', 'Contract signed', 'attachment'),
      ],
      actions: [text('处理价格异议，推动签约', 'Handle price objections; push for signature')],
      roles: ['sales_lead', 'commercial'],
      expectedDays: 7,
      buyingPhase: 'select',
    },
    {
      key: 'won',
      name: text('成交', 'Won'),
      probability: 100,
      purpose: text('交付与回款', 'Deliver and collect'),
      milestone: text('成交', 'Won'),
      evidence: [],
      actions: [text('安排交付，跟进回款', 'Arrange delivery; follow the collection')],
      roles: ['implementation', 'finance'],
      expectedDays: 0,
      buyingPhase: 'reevaluate',
      won: true,
    },
  ],
};

const LARGE: ProcessTemplate = {
  key: 'large',
  name: text('大项目', 'Large project'),
  description: text(
    '周期 3–9 个月，标准合同，有立项流程',
    '3–9 month cycle, standard contract, project sign-off process',
  ),
  stages: [
    {
      key: 'potential',
      name: text('潜在', 'Potential'),
      probability: 10,
      purpose: text('确认机会，判断能否参与竞争', 'Confirm the opportunity; can we compete?'),
      milestone: text('机会确认', 'Opportunity confirmed'),
      evidence: [
        ev('pain_found', '找到客户痛点', 'Customer pain found', 'note'),
        ev('first_visit', '完成首次拜访', 'First visit done'),
      ],
      actions: [text('组建销售团队', 'Form the sales team')],
      roles: ['sales_lead'],
      expectedDays: 21,
      buyingPhase: 'aware',
    },
    {
      key: 'intent',
      name: text('意向', 'Intent'),
      probability: 20,
      purpose: text('发展关系，确定采购标准', 'Develop relationships; settle buying criteria'),
      milestone: text('获得高层支持', 'Executive support obtained'),
      evidence: [
        ev('budget_known', '已了解预算', 'Budget known', 'note'),
        ev('relationships', '与关键人建立关系', 'Relationships with key people established'),
      ],
      actions: [text('参与编写需求，影响采购标准', 'Take part in writing the requirements')],
      roles: ['sales_lead', 'presales'],
      expectedDays: 30,
      buyingPhase: 'decide',
    },
    {
      key: 'approved',
      name: text('立项', 'Approved project'),
      probability: 30,
      purpose: text('确定解决方案方向', 'Define the solution'),
      milestone: text('客户立项', 'The customer approved the project'),
      evidence: [
        ev('project_approved', '客户已立项', 'Project approved by the customer', 'attachment'),
        ev('needs_confirmed', '客户确认需求', 'Customer confirmed the needs', 'note'),
      ],
      actions: [text('弄清真实决策流程，做 SWOT', 'Map the real decision process; SWOT')],
      roles: ['sales_lead', 'presales', 'executive_sponsor'],
      expectedDays: 30,
      buyingPhase: 'criteria',
    },
    {
      key: 'accepted',
      name: text('认可', 'Solution accepted'),
      probability: 50,
      purpose: text('展示超出需求的实力', 'Show strength beyond the needs'),
      milestone: text('方案获得认可', 'Solution accepted'),
      evidence: [
        ev('solution_presented', '方案已演示', 'Solution presented', 'attachment'),
        ev('verbal_commitment', '口头承诺', 'Verbal commitment', 'note'),
      ],
      actions: [text('技术交流，高层拜访', 'Technical exchange; executive visit')],
      roles: ['sales_lead', 'presales', 'consultant'],
      expectedDays: 45,
      buyingPhase: 'evaluate',
    },
    {
      key: 'negotiation',
      name: text('谈判', 'Negotiation'),
      probability: 70,
      purpose: text('最终合同与实施计划', 'Final contract and implementation plan'),
      milestone: text('合同签订', 'Contract signed'),
      evidence: [ev('contract_signed', '合同已签订', 'Contract signed', 'attachment')],
      actions: [text('商务谈判，法务审核', 'Commercial negotiation; legal review')],
      roles: ['sales_lead', 'commercial', 'legal'],
      expectedDays: 30,
      buyingPhase: 'select',
    },
    {
      key: 'won',
      name: text('成交', 'Won'),
      probability: 100,
      purpose: text('实施与回款', 'Implement and collect'),
      milestone: text('成交', 'Won'),
      evidence: [],
      actions: [text('成立项目组，交接实施', 'Set up the project team; hand over to implementation')],
      roles: ['implementation', 'finance'],
      expectedDays: 0,
      buyingPhase: 'reevaluate',
      won: true,
    },
  ],
};

const SEVEN: ProcessTemplate = {
  key: 'seven_steps',
  name: text('七步法（有证据）', 'Seven steps with evidence'),
  description: text(
    '最完整的指导：每一步都有目的、里程碑、证据和行动',
    'The fullest guidance: purpose, milestone, evidence and actions for every step',
  ),
  stages: [
    {
      key: 'target',
      name: text('目标客户', 'Target'),
      probability: 0,
      purpose: text(
        '调查机会，收集信息做初步评估',
        'Survey the opportunity; gather information for a first assessment',
      ),
      milestone: text('已记录', 'Recorded'),
      evidence: [
        ev('form_filled', '商机表已填写', 'Opportunity form filled'),
        ev('tactics_noted', '已记录策略', 'Tactics noted', 'note'),
      ],
      actions: [
        text(
          '分配负责人；匹配市场；找到潜在支持者——谁说要买？谁的问题我们能解决？',
          'Assign; fit to market; identify a potential supporter — who said they want to buy? who has a problem we can solve?',
        ),
      ],
      roles: ['sales_lead'],
      expectedDays: 7,
      buyingPhase: 'satisfied',
    },
    {
      key: 'potential',
      name: text('潜在客户', 'Potential'),
      probability: 10,
      purpose: text('确认机会；我们能否参与竞争？', 'Confirm the opportunity; can we compete?'),
      milestone: text('机会确认', 'Opportunity confirmed'),
      evidence: [
        ev('pain_found', '找到客户痛点', 'Customer pain found', 'note'),
        ev('first_visit', '完成首次拜访', 'First visit done'),
        ev('strategy_understood', '了解客户战略与目标', "Customer's strategy and goals understood", 'note'),
      ],
      actions: [
        text(
          '组建销售团队——它值多少？我们的资源如何解决他们的问题？',
          'Form the sales team — what is it worth? how do our resources solve their problem?',
        ),
      ],
      roles: ['sales_lead', 'presales'],
      expectedDays: 14,
      buyingPhase: 'aware',
    },
    {
      key: 'intent',
      name: text('意向客户', 'Intent'),
      probability: 20,
      purpose: text('发展关系；确定采购标准', 'Develop relationships; settle buying criteria'),
      milestone: text('获得高层支持', 'Executive support obtained'),
      evidence: [
        ev('budget_known', '已了解预算', 'Budget known', 'note'),
        ev('relationships', '已建立关系', 'Relationships established'),
      ],
      actions: [
        text(
          '让采购标准有利于我们——参与编写需求',
          'Shape criteria in our favour — take part in writing the requirements',
        ),
      ],
      roles: ['sales_lead', 'presales', 'executive_sponsor'],
      expectedDays: 21,
      buyingPhase: 'decide',
    },
    {
      key: 'approved',
      name: text('立项客户', 'Approved'),
      probability: 30,
      purpose: text('定义方案；先展示', 'Define the solution; show it first'),
      milestone: text('方案确立', 'Solution established'),
      evidence: [
        ev('needs_confirmed', '客户确认需求', 'Customer confirmed the needs', 'note'),
        ev('vision_shown', '已向决策人展示愿景', 'Vision shown to the decision maker'),
      ],
      actions: [text('加快互动；摸清真实决策流程；SWOT', 'Speed up interaction; map the real decision process; SWOT')],
      roles: ['sales_lead', 'presales', 'consultant'],
      expectedDays: 21,
      buyingPhase: 'criteria',
    },
    {
      key: 'solution',
      name: text('解决方案', 'Solution'),
      probability: 50,
      purpose: text('展示超出需求的实力', 'Show strength beyond the needs'),
      milestone: text('方案已呈现', 'Solution presented'),
      evidence: [
        ev('verbal_commitment', '口头承诺', 'Verbal commitment', 'note'),
        ev('needs_met', '需求已满足', 'Needs met'),
      ],
      actions: [
        text(
          '按客户标准提交方案；技术演示；把痛点与高层联系起来',
          "Deliver the proposal against the customer's criteria; technical presentation; tie the pain to the executives",
        ),
      ],
      roles: ['sales_lead', 'presales', 'consultant', 'executive_sponsor'],
      expectedDays: 21,
      buyingPhase: 'evaluate',
    },
    {
      key: 'negotiation',
      name: text('商务谈判', 'Negotiation'),
      probability: 70,
      purpose: text('最终合同；实施计划', 'Final contract; implementation plan'),
      milestone: text('赢单', 'Won'),
      evidence: [ev('contract_signed', '合同已签订', 'Contract signed', 'attachment')],
      actions: [
        text(
          '庆祝；成立项目组并确定负责人——签约是销售的开始',
          'Celebrate; set up the project team and owner — signing is the start of the sale',
        ),
      ],
      roles: ['sales_lead', 'commercial', 'legal', 'finance'],
      expectedDays: 14,
      buyingPhase: 'select',
    },
    {
      key: 'realised',
      name: text('销售实现', 'Realised'),
      probability: 100,
      purpose: text('更新机会地图', 'Update the opportunity map'),
      milestone: text('交付安装完成', 'Delivered and installed'),
      evidence: [ev('implementation', '实施进行中', 'Implementation under way')],
      actions: [text('更新客户数据库；创造下一个机会', 'Update the customer database; create the next opportunity')],
      roles: ['implementation'],
      expectedDays: 0,
      buyingPhase: 'reevaluate',
      won: true,
    },
  ],
};

const stageTemplate = (
  key: string,
  zh: string,
  en: string,
  probability: number,
  buyingPhase: BuyingPhase | null,
  evidence: EvidenceTemplate[],
  expectedDays: number,
  roles: string[],
  won = false,
): StageTemplate => ({
  key,
  name: text(zh, en),
  probability,
  purpose: text(zh, en),
  milestone: text(zh, en),
  evidence,
  actions: [],
  roles,
  expectedDays,
  buyingPhase,
  ...(won ? { won } : {}),
});

const P0P7: ProcessTemplate = {
  key: 'p0_p7',
  name: text('P0–P7 结构化销售流程', 'P0–P7 structured process'),
  description: text('与客户决策周期对齐的八步流程', "Eight steps aligned with the customer's decision cycle"),
  stages: [
    stageTemplate(
      'p0',
      'P0 市场规划与客户开发',
      'P0 Market planning and customer development',
      10,
      'satisfied',
      [ev('account_profiled', '客户档案已建立', 'Account profiled')],
      14,
      ['sales_lead'],
    ),
    stageTemplate(
      'p1',
      'P1 发现需求，锁定目标',
      'P1 Discover needs, lock the target',
      20,
      'aware',
      [ev('need_found', '发现明确需求', 'A clear need found', 'note')],
      14,
      ['sales_lead'],
    ),
    stageTemplate(
      'p2',
      'P2 方案建议与立项，客户关系',
      'P2 Proposal and project approval, customer relations',
      25,
      'decide',
      [ev('project_approved', '客户已立项', 'Project approved', 'note')],
      21,
      ['sales_lead', 'presales'],
    ),
    stageTemplate(
      'p3',
      'P3 设计交流，赢得中层',
      'P3 Design exchange, win middle management',
      30,
      'criteria',
      [ev('middle_support', '中层支持', 'Middle management supports us', 'note')],
      21,
      ['sales_lead', 'presales', 'consultant'],
    ),
    stageTemplate(
      'p4',
      'P4 需求调研，高层突破',
      'P4 Requirements survey, executive breakthrough',
      50,
      'criteria',
      [ev('executive_met', '高层已会面', 'Executive met', 'note')],
      21,
      ['sales_lead', 'executive_sponsor'],
    ),
    stageTemplate(
      'p5',
      'P5 方案评估，项目承诺',
      'P5 Solution evaluation, project commitment',
      75,
      'evaluate',
      [ev('commitment', '客户承诺', 'Customer commitment', 'note')],
      21,
      ['sales_lead', 'presales'],
    ),
    stageTemplate(
      'p6',
      'P6 协议谈判，签约',
      'P6 Agreement negotiation, signing',
      90,
      'select',
      [ev('contract_signed', '合同已签订', 'Contract signed', 'attachment')],
      14,
      ['sales_lead', 'commercial', 'legal'],
    ),
    stageTemplate(
      'p7',
      'P7 实施、结项、升级与扩展',
      'P7 Implementation, closing, upgrade and expansion',
      100,
      'reevaluate',
      [],
      0,
      ['implementation'],
      true,
    ),
  ],
};

export const PROCESS_TEMPLATES: readonly ProcessTemplate[] = [SMALL, LARGE, SEVEN, P0P7];
