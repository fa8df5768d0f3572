import { ACCOUNT_STATUSES, COMPANY_SIZES, INDUSTRIES, LEAD_SOURCES, TIERS } from './accounts.ts';
import { LOSS_REASONS, OPPORTUNITY_STATUSES } from './opportunity.ts';
import { LOSS_REASON_LABELS, OPPORTUNITY_STATUS_LABELS } from './opportunity-labels.ts';
import {
  INDUSTRY_LABELS,
  LEAD_SOURCE_LABELS,
  SIZE_LABELS,
  STATUS_LABELS,
  TIER_LABELS,
  type Labels,
} from './coded-labels.ts';
import { headerKey } from './import-headers.ts';

/**
 * The words an import accepts for a coded value (docs/archive.md § Import and export): a code, its label in
 * either language (coded-labels.ts), the aliases that mean the same, and the related trade words the
 * value-mapping step only suggests; the user's answers of that step, and the suggestion itself.
 */

/** Words that are the same thing as a label: accepted as they are (食品 is the label of older exports). */
const INDUSTRY_ALIASES: Record<string, string[]> = { food: ['食品', 'Food'] };
/** Words that only suggest a code: the value-mapping step pre-selects it and the user confirms. */
const INDUSTRY_RELATED: Record<string, string[]> = {
  manufacturing: ['制造', '工业', '加工制造', 'industrial'],
  automotive: ['汽车零部件', '汽车配件', '整车', '汽配', '新能源汽车', 'auto', 'auto parts', 'automobile'],
  electronics: ['电子电气', '半导体', '电子元器件', '电气', '集成电路', 'semiconductor', 'electrical'],
  energy: [
    '新能源',
    '电力',
    '光伏',
    '风电',
    '储能',
    '石油',
    '石化',
    '燃气',
    'power',
    'utilities',
    'oil and gas',
    'solar',
  ],
  chemicals: ['化学', '化学品', '化工材料', '塑料', '橡胶', 'chemical'],
  pharma: ['制药', '生物医药', '药业', '生物', 'pharmaceutical', 'biotech'],
  food: ['饮料', '食品加工', '酒业', '乳业', 'beverage', 'f&b'],
  metals: ['钢铁', '有色金属', '金属', '冶炼', 'steel', 'metal'],
  machinery: ['装备制造', '机械设备', '设备', '机床', 'equipment'],
  logistics: ['运输', '仓储', '快递', '交通运输', 'transport', 'transportation', 'shipping'],
  construction: ['建材', '建筑材料', '房地产', '工程', '地产', 'building materials', 'real estate'],
  government: ['政府机关', '事业单位', '公共事业', '政务', 'public sector'],
  education: ['学校', '高校', '培训', 'school', 'university'],
  healthcare: ['医院', '医疗器械', '卫生', '医疗健康', 'hospital', 'medical devices', 'health'],
  finance: ['银行', '保险', '证券', '金融服务', 'bank', 'banking', 'insurance'],
  retail: ['商贸', '零售连锁', '电商', '批发', 'trade', 'e-commerce', 'wholesale'],
  telecom: ['电信', '运营商', '通讯', '互联网', 'telecommunications', 'internet'],
  other: ['其它', '未知', 'others', 'unknown'],
};
/** Extra words people write for a status. */
const STATUS_ALIASES: Record<string, string[]> = {
  prospect: ['潜在', '意向客户', '潜客'],
  customer: ['客户', '已成交', '成交'],
  dormant: ['休眠'],
  lost: ['流失', '已流失'],
};
const SIZE_ALIASES: Record<string, string[]> = {
  lt50: ['50人以下', 'Under 50', '<50', '小于50人'],
  '50to200': ['50-200人', '50-200', '50–200'],
  '200to1000': ['200-1000人', '200-1000', '200–1,000'],
  '1000to5000': ['1000-5000人', '1000-5000', '1,000–5,000'],
  gt5000: ['5000人以上', 'Over 5,000', '>5000', '5000+'],
};
/** The labels of older exports. */
const LEAD_SOURCE_ALIASES: Record<string, string[]> = {
  phone_prospecting: ['电话陌拜'],
  industrial_park: ['Industrial park'],
  association: ['Association'],
  event: ['Event'],
  reference_visit: ['样板参观', 'Reference visit'],
  purchased_list: ['购买名录'],
  inbound_call: ['来电咨询'],
};
const LEAD_SOURCE_RELATED: Record<string, string[]> = {
  phone_prospecting: ['陌拜', '电话营销', 'cold call'],
  industrial_park: ['工业园区', '扫街'],
  customer_referral: ['转介绍', '客户介绍', 'referral'],
  staff_referral: ['内部推荐'],
  existing_customer_module: ['老客户', '老客户增购'],
  partner: ['渠道', '代理商', 'channel', 'reseller'],
  association: ['协会'],
  event: ['活动', '会议', '研讨会', 'seminar'],
  exhibition: ['展览', 'trade show'],
  reference_visit: ['参观'],
  online: ['官网', '网站', '线上', '互联网', 'website'],
  purchased_list: ['名录'],
  competitor_customer: ['竞品客户'],
  inbound_call: ['来电', '400电话'],
};

/**
 * A coded value from a cell: the code itself or its Chinese or English label, ignoring case
 * and spaces. Answers the code, or undefined when nothing matches.
 */
export function parseCoded<T extends string>(
  value: string,
  codes: readonly T[],
  labels: Labels,
  aliases: Record<string, string[]> = NO_ALIASES,
): T | undefined {
  return wordsOf(codes, labels, aliases).get(headerKey(value)) as T | undefined;
}

const NO_ALIASES: Record<string, string[]> = {};

/**
 * Every word of a vocabulary (its keys) → its code, the first code in order winning a word two
 * share; built once per vocabulary, not once per cell (an import reads several coded cells a row).
 */
const vocabularies = new WeakMap<readonly string[], WeakMap<Labels, WeakMap<object, Map<string, string>>>>();
function wordsOf(codes: readonly string[], labels: Labels, aliases: Record<string, string[]>): Map<string, string> {
  let byLabels = vocabularies.get(codes);
  if (!byLabels) vocabularies.set(codes, (byLabels = new WeakMap()));
  let byAliases = byLabels.get(labels);
  if (!byAliases) byLabels.set(labels, (byAliases = new WeakMap()));
  let words = byAliases.get(aliases);
  if (words) return words;
  words = new Map();
  for (const code of codes) {
    const label = labels[code];
    for (const word of [code, label?.zh, label?.en, ...(aliases[code] ?? [])]) {
      if (!word) continue;
      const key = headerKey(word);
      if (!words.has(key)) words.set(key, code);
    }
  }
  byAliases.set(aliases, words);
  return words;
}

/** Words people write for how a deal ended. */
const DEAL_STATUS_ALIASES: Record<string, string[]> = {
  open: ['跟进中', '进行', '开放', 'in progress', 'active'],
  won: ['成交', '赢', '已成交', '签约', 'closed won'],
  lost: ['输单', '丢失', '失败', 'closed lost'],
  abandoned: ['放弃', '取消', 'cancelled', 'canceled'],
};

/** The coded fields of an imported row (accounts; deals' status and loss reason): their codes, labels and the other words accepted. */
export const CODED_FIELDS = ['industry', 'size', 'leadSource', 'status', 'dealStatus', 'lossReason'] as const;
export type CodedField = (typeof CODED_FIELDS)[number];
type Words = Record<string, string[]>;
const VOCABULARY: Record<CodedField, { codes: readonly string[]; labels: Labels; aliases: Words; related: Words }> = {
  industry: { codes: INDUSTRIES, labels: INDUSTRY_LABELS, aliases: INDUSTRY_ALIASES, related: INDUSTRY_RELATED },
  size: { codes: COMPANY_SIZES, labels: SIZE_LABELS, aliases: SIZE_ALIASES, related: {} },
  leadSource: {
    codes: LEAD_SOURCES,
    labels: LEAD_SOURCE_LABELS,
    aliases: LEAD_SOURCE_ALIASES,
    related: LEAD_SOURCE_RELATED,
  },
  status: { codes: ACCOUNT_STATUSES, labels: STATUS_LABELS, aliases: STATUS_ALIASES, related: {} },
  dealStatus: {
    codes: OPPORTUNITY_STATUSES,
    labels: OPPORTUNITY_STATUS_LABELS,
    aliases: DEAL_STATUS_ALIASES,
    related: {},
  },
  lossReason: { codes: LOSS_REASONS, labels: LOSS_REASON_LABELS, aliases: {}, related: {} },
};
export const codesOf = (field: CodedField): readonly string[] => VOCABULARY[field].codes;
export const labelsOf = (field: CodedField): Labels => VOCABULARY[field].labels;
export const isCodedField = (field: string): field is CodedField => (CODED_FIELDS as readonly string[]).includes(field);

export const parseIndustry = (v: string) => parseCoded(v, INDUSTRIES, INDUSTRY_LABELS, INDUSTRY_ALIASES);
export const parseStatus = (v: string) => parseCoded(v, ACCOUNT_STATUSES, STATUS_LABELS, STATUS_ALIASES);
export const parseSize = (v: string) => parseCoded(v, COMPANY_SIZES, SIZE_LABELS, SIZE_ALIASES);
export const parseLeadSource = (v: string) => parseCoded(v, LEAD_SOURCES, LEAD_SOURCE_LABELS, LEAD_SOURCE_ALIASES);
export const parseTier = (v: string) => parseCoded(v, TIERS, TIER_LABELS);

/**
 * The user's answers in the import's value-mapping step: per coded field, a value as written
 * (compared like headers: case, spaces and punctuation ignored) → the code it stands for.
 */
export type ValueMapping = Partial<Record<MappableField, Record<string, string>>>;

/**
 * The workspace's own words an import asks about like coded values: sales processes and their
 * stages, by name. The value-mapping step maps a name as written to a name the workspace uses.
 */
export const WORKSPACE_WORD_FIELDS = ['process', 'stage'] as const;
export type WorkspaceWordField = (typeof WORKSPACE_WORD_FIELDS)[number];
export type MappableField = CodedField | WorkspaceWordField;
export const MAPPABLE_FIELDS: readonly MappableField[] = [...CODED_FIELDS, ...WORKSPACE_WORD_FIELDS];
export const isMappableField = (field: string): field is MappableField =>
  (MAPPABLE_FIELDS as readonly string[]).includes(field);

/** A cell's code: the user's mapping of that value first, then the vocabulary. */
export function parseCodedField(field: CodedField, value: string, mapping: ValueMapping = {}): string | undefined {
  const mapped = mapping[field]?.[headerKey(value)];
  if (mapped !== undefined && VOCABULARY[field].codes.includes(mapped)) return mapped;
  const { codes, labels, aliases } = VOCABULARY[field];
  return parseCoded(value, codes, labels, aliases);
}

/** A value mapping with its keys compared the way cells are (see ValueMapping). */
export function normaliseValueMapping(mapping: ValueMapping): ValueMapping {
  const out: ValueMapping = {};
  for (const field of MAPPABLE_FIELDS) {
    const entries = mapping[field];
    if (entries) out[field] = Object.fromEntries(Object.entries(entries).map(([raw, code]) => [headerKey(raw), code]));
  }
  return out;
}

/**
 * The code an unrecognised value most likely stands for, to pre-select in the value-mapping
 * step: a word of the vocabulary (label, alias or related trade word) equal to the value, else
 * the longest word the value contains (汽车零部件制造 → automotive), else the closest word that
 * contains the value (新能源 → energy's 新能源 before automotive's 新能源汽车); undefined when
 * nothing overlaps.
 */
export function suggestCode(field: CodedField, value: string): string | undefined {
  const key = headerKey(value);
  if (!key) return undefined;
  const { codes, labels, aliases, related } = VOCABULARY[field];
  let best: { code: string; score: number } | undefined;
  for (const code of codes) {
    const label = labels[code];
    for (const word of [label?.zh, label?.en, ...(aliases[code] ?? []), ...(related[code] ?? [])]) {
      if (!word) continue;
      const wordKey = headerKey(word);
      // One-character words (电, 网) would match almost anything.
      if (wordKey.length < 2) continue;
      const score =
        wordKey === key
          ? 3000
          : key.includes(wordKey)
            ? 2000 + wordKey.length
            : wordKey.includes(key)
              ? 1000 - wordKey.length
              : 0;
      if (score > (best?.score ?? 0)) best = { code, score };
    }
  }
  return best?.code;
}
