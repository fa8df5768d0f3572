import type { Lang } from './import-fields.ts';

/** Readable labels of coded values in both languages: exports write them, imports accept them, the app shows them. */
export type Labels = Record<string, { zh: string; en: string }>;

/*
 * One vocabulary: these are the words the web app shows for each code (a test in test/web holds
 * the app's messages to them), the words exports write and the words imports accept first. Other
 * words people write — older labels, common trade names — are aliases: accepted as well, and
 * offered as suggestions in the import's value-mapping step.
 */
export const INDUSTRY_LABELS: Labels = {
  manufacturing: { zh: '制造业', en: 'Manufacturing' },
  automotive: { zh: '汽车', en: 'Automotive' },
  electronics: { zh: '电子', en: 'Electronics' },
  energy: { zh: '能源', en: 'Energy' },
  chemicals: { zh: '化工', en: 'Chemicals' },
  pharma: { zh: '医药', en: 'Pharmaceuticals' },
  food: { zh: '食品饮料', en: 'Food and beverage' },
  metals: { zh: '冶金', en: 'Metals' },
  machinery: { zh: '机械', en: 'Machinery' },
  logistics: { zh: '物流', en: 'Logistics' },
  construction: { zh: '建筑', en: 'Construction' },
  government: { zh: '政府', en: 'Government' },
  education: { zh: '教育', en: 'Education' },
  healthcare: { zh: '医疗', en: 'Healthcare' },
  finance: { zh: '金融', en: 'Finance' },
  retail: { zh: '零售', en: 'Retail' },
  telecom: { zh: '通信', en: 'Telecom' },
  other: { zh: '其他', en: 'Other' },
};
export const STATUS_LABELS: Labels = {
  prospect: { zh: '潜在客户', en: 'Prospect' },
  customer: { zh: '成交客户', en: 'Customer' },
  dormant: { zh: '休眠客户', en: 'Dormant' },
  lost: { zh: '流失客户', en: 'Lost' },
};
export const SIZE_LABELS: Labels = {
  lt50: { zh: '50 人以下', en: 'Under 50 staff' },
  '50to200': { zh: '50–200 人', en: '50–200 staff' },
  '200to1000': { zh: '200–1000 人', en: '200–1,000 staff' },
  '1000to5000': { zh: '1000–5000 人', en: '1,000–5,000 staff' },
  gt5000: { zh: '5000 人以上', en: 'Over 5,000 staff' },
};
export const LEAD_SOURCE_LABELS: Labels = {
  phone_prospecting: { zh: '电话开拓', en: 'Phone prospecting' },
  industrial_park: { zh: '工业园区扫街', en: 'Industrial park canvassing' },
  customer_referral: { zh: '客户转介绍', en: 'Customer referral' },
  staff_referral: { zh: '员工推荐', en: 'Staff referral' },
  existing_customer_module: { zh: '老客户新模块', en: 'Existing customer, new module' },
  partner: { zh: '合作伙伴', en: 'Partner' },
  association: { zh: '行业协会', en: 'Industry association' },
  event: { zh: '市场活动', en: 'Marketing event' },
  exhibition: { zh: '展会', en: 'Exhibition' },
  reference_visit: { zh: '样板客户参观', en: 'Reference-site visit' },
  online: { zh: '网络', en: 'Online' },
  purchased_list: { zh: '购买名单', en: 'Purchased list' },
  competitor_customer: { zh: '竞争对手客户', en: "Competitor's customer" },
  inbound_call: { zh: '客户来电', en: 'Inbound call' },
};
export const TIER_LABELS: Labels = { A: { zh: 'A类', en: 'A' }, B: { zh: 'B类', en: 'B' }, C: { zh: 'C类', en: 'C' } };

export const label = (labels: Labels, code: string | null, lang: Lang): string => {
  if (code === null) return '';
  const label = labels[code];
  return label ? (lang === 'zh-CN' ? label.zh : label.en) : code;
};
