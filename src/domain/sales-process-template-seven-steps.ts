import type { ProcessTemplate } from './sales-process-templates.ts';
import { ev, text } from './sales-process-template-text.ts';

/** The seven steps with evidence: purpose, milestone, evidence and actions for every step. */
export const SEVEN: ProcessTemplate = {
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
