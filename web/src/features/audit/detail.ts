import type { Locale } from '../../../../src/domain/roles.ts';

/**
 * Words for what audit events carry in their detail, per language. Every key a writer in
 * src/modules puts in a detail has its words here (test/web/audit-detail.test.ts scans the writers),
 * and coded values ("handover", "wrong_password") read as words: the log never shows
 * "via=handover · handoverId=2".
 */
const KEYS = {
  via: ['途径', 'via'],
  handoverId: ['交接单', 'handover'],
  rows: ['行数', 'rows'],
  selected: ['所选', 'selected'],
  format: ['格式', 'format'],
  filter: ['筛选条件', 'filter'],
  fileName: ['文件', 'file'],
  errorsSkipped: ['跳过的错误行', 'rows with errors skipped'],
  created: ['新建', 'created'],
  updated: ['更新', 'updated'],
  skipped: ['跳过', 'skipped'],
  reason: ['原因', 'reason'],
  by: ['限流依据', 'limited by'],
  assigneeId: ['执行人', 'assignee'],
  from: ['原值', 'from'],
  to: ['新值', 'to'],
  name: ['名称', 'name'],
  parentId: ['上级单元', 'parent unit'],
  stageId: ['阶段', 'stage'],
  position: ['位置', 'position'],
  probability: ['赢率', 'probability'],
  probabilities: ['赢率变化', 'probabilities changed'],
  template: ['模板', 'template'],
  released: ['退回', 'released'],
  toUserId: ['领取/分配给', 'to'],
  fromUnitId: ['来自单元', 'from unit'],
  previousOwnerId: ['原负责人', 'previous owner'],
  assigned: ['已分配', 'assigned'],
  conflicted: ['冲突', 'conflicts'],
  unmatched: ['未匹配', 'unmatched'],
  userId: ['负责人', 'owner'],
  named: ['指名客户', 'named account'],
  criteria: ['依据', 'criteria'],
  override: ['手工分级', 'tier set by hand'],
  computed: ['计算分级', 'computed tier'],
  email: ['邮箱', 'email'],
  role: ['角色', 'role'],
  orgUnitId: ['单元', 'unit'],
  canExport: ['可导出', 'may export'],
  period: ['期间', 'period'],
  weekStart: ['周起始', 'week of'],
  report: ['报表', 'report'],
  scope: ['范围', 'scope'],
  amount: ['金额', 'amount'],
  commit: ['确保', 'commit'],
  possible: ['可能', 'possible'],
  forecast: ['预测', 'forecast'],
  deals: ['商机数', 'deals'],
  accounts: ['客户', 'accounts'],
  opportunities: ['商机', 'opportunities'],
  territories: ['区域', 'territories'],
  active: ['启用', 'active'],
  province: ['省份', 'province'],
  city: ['城市', 'city'],
  district: ['区县', 'district'],
  industry: ['行业', 'industry'],
  timeZone: ['时区', 'time zone'],
  q: ['搜索', 'search'],
  tier: ['分级', 'tier'],
  ownerId: ['负责人', 'owner'],
  status: ['状态', 'status'],
  processId: ['销售流程', 'process'],
  closeFrom: ['预计成交从', 'close from'],
  closeTo: ['预计成交至', 'close to'],
  minProbability: ['最低赢率', 'minimum probability'],
  overdue: ['跟进逾期', 'follow-up overdue'],
  archived: ['已归档', 'archived'],
  inPool: ['在公海', 'in the pool'],
  valueType: ['价值类型', 'value type'],
  sizeClass: ['项目规模', 'deal size'],
  line: ['业务线', 'business line'],
  accountId: ['客户', 'account'],
  opportunityId: ['商机', 'opportunity'],
  kind: ['类型', 'kind'],
  outcome: ['结论', 'outcome'],
  splits: ['业绩分配', 'credit split'],
  installments: ['回款计划', 'payment plan'],
  userIds: ['人员', 'people'],
  percent: ['比例', 'share'],
  // The workspace rules (workspace.rules records each changed setting with its from and to).
  tierAShareBp: ['A 类累计占比（基点）', 'A cumulative share (bp)'],
  tierBShareBp: ['A+B 类累计占比（基点）', 'A+B cumulative share (bp)'],
  tierWindowMonths: ['分级统计期（月）', 'tier window (months)'],
  forecastCommitWeight: ['确保权重', 'commit weight'],
  forecastPossibleWeight: ['可能权重', 'possible weight'],
  forecastUnforecastRate: ['未预测部分每周比例', 'unforecast share per week'],
  gapP1: ['P1', 'P1'],
  gapP2: ['P2', 'P2'],
  gapP3: ['P3', 'P3'],
  followUpDays: ['跟进间隔（天）', 'follow-up interval (days)'],
  poolReleaseDays: ['退回公海（天）', 'pool release (days)'],
  claimLimit: ['私有客户上限', 'private account limit'],
  qualifyingActivityTypes: ['有效跟进类型', 'qualifying follow-up types'],
  largeDealThreshold: ['大单金额（分）', 'large deal threshold (fen)'],
  taxRatePercent: ['税率', 'tax rate'],
  defaultQuotaBasis: ['默认目标口径', 'default quota basis'],
  activityNewAccountsTarget: ['每周新客户目标', 'new accounts target per week'],
  activityVisitsTarget: ['每周拜访目标', 'visits target per week'],
  collectionFirstPeriodShare: ['首期回款比例', 'first-period collection share'],
  collectionRealisationPercent: ['回款实现系数', 'collection realisation factor'],
  stalledFactorPercent: ['停滞系数（%）', 'stall factor (%)'],
  valueGrowthBp: ['增长型阈值（基点）', 'growth threshold (bp)'],
  valueShrinkBp: ['负增长阈值（基点）', 'shrinking threshold (bp)'],
  salesMode: ['销售模式', 'sales mode'],
  keyAccountUnitId: ['转交大客户部', 'sent to key-account team'],
  A: ['A 类', 'A'],
  B: ['B 类', 'B'],
  C: ['C 类', 'C'],
  replaced: ['作废的旧地址', 'earlier addresses revoked'],
  tasks: ['待办任务', 'open tasks'],
  visits: ['计划拜访', 'planned visits'],
  ids: ['所选记录', 'selected records'],
  accountIds: ['客户', 'accounts'],
} as const satisfies Record<string, readonly [string, string]>;

/** Coded values writers put in details (reasons, channels, formats, roles). */
const VALUES = {
  handover: ['离职交接', 'handover'],
  unknown_email: ['邮箱不存在', 'unknown email'],
  wrong_password: ['密码错误', 'wrong password'],
  inactive: ['账号已停用', 'account inactive'],
  address: ['IP 地址', 'IP address'],
  pair: ['邮箱与地址', 'email and address'],
  account: ['账号', 'account'],
  xlsx: ['Excel', 'Excel'],
  csv: ['CSV', 'CSV'],
  admin: ['系统管理员', 'administrator'],
  executive: ['销售总监', 'sales director'],
  manager: ['销售经理', 'sales manager'],
  rep: ['客户经理', 'account manager'],
  weekly: ['周检查', 'weekly look'],
  day15: ['15 天检查', '15-day check'],
  day30: ['30 天判断', '30-day judgement'],
  reviewed: ['已检查', 'reviewed'],
  advanced: ['已推进', 'advanced'],
  disqualified: ['已淘汰', 'disqualified'],
  confirmed: ['客户确认', 'confirmed'],
  not_confirmed: ['客户未确认', 'not confirmed'],
  feedback: ['客户反馈', 'feedback'],
  territory: ['区域销售', 'territory'],
  key_account: ['大客户销售', 'key account'],
} as const satisfies Record<string, readonly [string, string]>;

export type AuditDetailKey = keyof typeof KEYS;
export const AUDIT_DETAIL_KEYS = Object.keys(KEYS) as AuditDetailKey[];

const at = (locale: Locale) => (locale === 'en-US' ? 1 : 0);
export const detailKeyLabel = (locale: Locale, key: string): string | null =>
  Object.hasOwn(KEYS, key) ? KEYS[key as AuditDetailKey][at(locale)] : null;
const valueLabel = (locale: Locale, value: string): string =>
  Object.hasOwn(VALUES, value) ? VALUES[value as keyof typeof VALUES][at(locale)] : value;

/**
 * The event's detail as one line: "行数：120 · 格式：Excel · 筛选条件：分级 A、搜索 华为" — an export
 * must show what was taken (docs/method.md § The four problems: a departing rep's bulk export is visible here).
 * Ids read as "#12"; empty values are left out.
 */
export function detailLine(detail: unknown, locale: Locale = 'zh-CN'): string {
  if (detail === null || typeof detail !== 'object') return detail == null ? '' : String(detail);
  const zh = locale === 'zh-CN';
  const [colon, sep, listSep] = zh ? ['：', ' · ', '、'] : [': ', ' · ', ', '];
  const key = (k: string) => detailKeyLabel(locale, k) ?? k;
  const value = (detailKey: string, raw: unknown): string => {
    if (typeof raw === 'boolean') return zh ? (raw ? '是' : '否') : raw ? 'yes' : 'no';
    if (typeof raw === 'number' && /Id$/.test(detailKey)) return `#${raw}`;
    if (typeof raw === 'string') return valueLabel(locale, raw);
    if (Array.isArray(raw)) return raw.map((x) => value(detailKey.replace(/s$/, ''), x)).join(listSep);
    if (raw !== null && typeof raw === 'object')
      return entries(raw)
        .map(([ik, iv]) => `${key(ik)} ${value(ik, iv)}`)
        .join(listSep);
    return String(raw);
  };
  return entries(detail)
    .map(([k, v]) => `${key(k)}${colon}${value(k, v)}`)
    .join(sep);
}

const entries = (item: object) =>
  Object.entries(item).filter(
    ([, value]) =>
      value !== undefined &&
      value !== null &&
      value !== '' &&
      !(typeof value === 'object' && Object.keys(value as object).length === 0),
  );
