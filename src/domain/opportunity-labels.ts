import type { Labels } from './coded-labels.ts';

/**
 * Readable labels of the opportunity vocabularies (src/domain/opportunity.ts, buying-phase.ts)
 * for exports; the wording matches the web app's messages, so a downloaded sheet reads like
 * the screen it came from.
 */
export const OPPORTUNITY_STATUS_LABELS: Labels = {
  open: { zh: '进行中', en: 'Open' },
  won: { zh: '赢单', en: 'Won' },
  lost: { zh: '丢单', en: 'Lost' },
  abandoned: { zh: '放弃', en: 'Abandoned' },
};
export const SIZE_CLASS_LABELS: Labels = {
  small: { zh: '小项目', en: 'Small project' },
  large: { zh: '大项目', en: 'Large project' },
};
export const FORECAST_CATEGORY_LABELS: Labels = {
  commit: { zh: '确保', en: 'Commit' },
  possible: { zh: '可能', en: 'Possible' },
  pipeline: { zh: '管道', en: 'Pipeline' },
  omitted: { zh: '不计入', en: 'Omitted' },
};
export const BUYING_PHASE_LABELS: Labels = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  aware: { zh: '认识', en: 'Aware' },
  decide: { zh: '决定', en: 'Decide' },
  criteria: { zh: '制定标准', en: 'Criteria' },
  evaluate: { zh: '评价', en: 'Evaluate' },
  select: { zh: '选择/定标', en: 'Select' },
  reevaluate: { zh: '再评价', en: 'Re-evaluate' },
};
export const LOSS_REASON_LABELS: Labels = {
  price: { zh: '价格', en: 'Price' },
  product_fit: { zh: '产品不匹配', en: 'Product fit' },
  relationship: { zh: '客户关系', en: 'Relationship' },
  competitor: { zh: '竞争对手', en: 'Competitor' },
  no_decision: { zh: '客户未决策', en: 'No decision' },
  budget_cut: { zh: '预算削减', en: 'Budget cut' },
  timing: { zh: '时机', en: 'Timing' },
  other: { zh: '其他', en: 'Other' },
};
