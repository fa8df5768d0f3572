import { ACCOUNT_STATUSES, COMPANY_SIZES, INDUSTRIES, LEAD_SOURCES, TIERS } from './accounts.ts';

/**
 * The columns of the customer archive that can be imported and exported (docs/archive.md § Import and export), with
 * their Chinese and English headers, the aliases people use for them in their own
 * spreadsheets, and readable labels of the coded values. Pure data and functions.
 */
export const IMPORT_KINDS = ['accounts', 'contacts'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type Lang = 'zh-CN' | 'en-US';

export const ACCOUNT_IMPORT_FIELDS = [
  'name',
  'creditCode',
  'industry',
  'province',
  'city',
  'district',
  'address',
  'size',
  'website',
  'phone',
  'leadSource',
  'status',
  'ownerEmail',
  'notes',
] as const;
export const CONTACT_IMPORT_FIELDS = [
  'accountName',
  'accountCreditCode',
  'name',
  'title',
  'department',
  'reportsTo',
  'mobile',
  'phone',
  'email',
  'wechat',
  'birthday',
  'notes',
] as const;
export type AccountImportField = (typeof ACCOUNT_IMPORT_FIELDS)[number];
export type ContactImportField = (typeof CONTACT_IMPORT_FIELDS)[number];
export type ImportField = AccountImportField | ContactImportField;

export const importFields = (kind: ImportKind): readonly ImportField[] =>
  kind === 'accounts' ? ACCOUNT_IMPORT_FIELDS : CONTACT_IMPORT_FIELDS;

/** Field → column index in the file (0-based); unmapped fields are absent or null. */
export type ColumnMapping = Partial<Record<ImportField, number | null>>;

/**
 * Required fields: an account needs a name; a contact needs a name and a way to find its
 * account (the account's name or its credit code). Answers the missing ones.
 */
export function missingRequired(kind: ImportKind, mapping: ColumnMapping): string[] {
  const has = (f: ImportField) => typeof mapping[f] === 'number';
  const missing: string[] = [];
  if (!has('name')) missing.push('name');
  if (kind === 'contacts' && !has('accountName') && !has('accountCreditCode'))
    missing.push('accountName|accountCreditCode');
  return missing;
}

/** Headers in exports, and the first aliases the import recognises. */
const HEADERS: Record<ImportKind, Record<string, { zh: string; en: string; aliases: string[] }>> = {
  accounts: {
    name: {
      zh: '客户名称',
      en: 'Name',
      aliases: [
        '公司名称',
        '企业名称',
        '单位名称',
        '客户',
        '名称',
        'company',
        'company name',
        'account',
        'account name',
        'customer',
        'customer name',
      ],
    },
    creditCode: {
      zh: '统一社会信用代码',
      en: 'Credit code',
      aliases: [
        '信用代码',
        '社会信用代码',
        '税号',
        '纳税人识别号',
        'unified social credit code',
        'uscc',
        'tax id',
        'credit code',
      ],
    },
    industry: { zh: '行业', en: 'Industry', aliases: ['所属行业', 'sector'] },
    province: { zh: '省份', en: 'Province', aliases: ['省', '省/直辖市', 'state', 'region'] },
    city: { zh: '城市', en: 'City', aliases: ['市', '地市'] },
    district: { zh: '区县', en: 'District', aliases: ['区', '县', '区/县', 'county'] },
    address: { zh: '地址', en: 'Address', aliases: ['详细地址', '公司地址', '办公地址', 'street', 'street address'] },
    size: {
      zh: '规模',
      en: 'Size',
      aliases: ['企业规模', '人数', '员工人数', 'company size', 'employees', 'headcount'],
    },
    website: { zh: '网址', en: 'Website', aliases: ['网站', '官网', '公司网址', 'url', 'web', 'homepage'] },
    phone: { zh: '电话', en: 'Phone', aliases: ['公司电话', '总机', '联系电话', 'telephone', 'tel', 'phone number'] },
    leadSource: { zh: '线索来源', en: 'Lead source', aliases: ['来源', '客户来源', 'source', 'lead source'] },
    status: { zh: '状态', en: 'Status', aliases: ['客户状态', 'account status'] },
    ownerEmail: {
      zh: '负责人邮箱',
      en: 'Owner email',
      aliases: ['负责人', '客户经理邮箱', '销售邮箱', 'owner', 'owner e-mail', 'account owner', 'sales rep email'],
    },
    notes: { zh: '备注', en: 'Notes', aliases: ['说明', 'remarks', 'comment', 'comments', 'note'] },
  },
  contacts: {
    accountName: {
      zh: '客户名称',
      en: 'Account',
      aliases: [
        '公司名称',
        '企业名称',
        '单位名称',
        '公司',
        '单位',
        '所属客户',
        'company',
        'company name',
        'account name',
        'customer',
      ],
    },
    accountCreditCode: {
      zh: '统一社会信用代码',
      en: 'Account credit code',
      aliases: ['信用代码', '客户信用代码', '社会信用代码', 'credit code', 'unified social credit code', 'uscc'],
    },
    name: { zh: '姓名', en: 'Name', aliases: ['联系人', '联系人姓名', '名字', 'contact', 'contact name', 'full name'] },
    title: { zh: '职务', en: 'Title', aliases: ['职位', '头衔', 'job title', 'position', 'role'] },
    department: { zh: '部门', en: 'Department', aliases: ['所在部门', 'dept'] },
    // Another contact of the same account, by name (src/domain/import-reports-to.ts).
    reportsTo: {
      zh: '直属上级',
      en: 'Reports to',
      aliases: [
        '上级',
        '直接上级',
        '汇报对象',
        '汇报给',
        '上级领导',
        'manager',
        'line manager',
        'supervisor',
        'boss',
        'reports to',
      ],
    },
    mobile: {
      zh: '手机',
      en: 'Mobile',
      aliases: ['手机号', '手机号码', '移动电话', 'mobile phone', 'cell', 'cellphone'],
    },
    phone: {
      zh: '电话',
      en: 'Phone',
      aliases: ['座机', '办公电话', '固定电话', 'telephone', 'tel', 'office phone', 'work phone'],
    },
    email: { zh: '邮箱', en: 'Email', aliases: ['电子邮箱', '电子邮件', '邮件', 'e-mail', 'mail', 'email address'] },
    wechat: { zh: '微信', en: 'WeChat', aliases: ['微信号', 'wechat id', 'weixin'] },
    birthday: { zh: '生日', en: 'Birthday', aliases: ['出生日期', '生日日期', 'date of birth', 'dob', 'birth date'] },
    notes: {
      zh: '备注',
      en: 'Notes',
      aliases: ['兴趣爱好', '爱好', '说明', 'remarks', 'interests', 'comment', 'note'],
    },
  },
};

export function fieldHeader(kind: ImportKind, field: string, lang: Lang): string {
  const header = HEADERS[kind][field];
  if (!header) return field;
  return lang === 'zh-CN' ? header.zh : header.en;
}

/** Header text → comparison key: no spaces, punctuation, asterisks (marking required) or case. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s*_\-—:：()（）[\]【】/.'"]/g, '');
}

/**
 * A mapping for the headers of a file: first the user's remembered mapping for this kind
 * (field → header text, so it still fits when the columns move), then the known headers and
 * aliases in Chinese and English. Each column is used at most once.
 */
export function suggestMapping(
  kind: ImportKind,
  headers: string[],
  remembered?: Partial<Record<string, string>> | null,
): ColumnMapping {
  const keys = headers.map(headerKey);
  const used = new Set<number>();
  const mapping: ColumnMapping = {};
  const take = (field: ImportField, idx: number) => {
    if (idx < 0 || used.has(idx) || typeof mapping[field] === 'number') return;
    mapping[field] = idx;
    used.add(idx);
  };
  const fields = importFields(kind);
  if (remembered) {
    for (const field of fields) {
      const header = remembered[field];
      if (header) take(field, keys.indexOf(headerKey(header)));
    }
  }
  // Exact names first (so "电话" goes to phone before an alias claims it), then aliases.
  for (const field of fields) {
    const header = HEADERS[kind][field]!;
    take(
      field,
      keys.findIndex(
        (k, i) => !used.has(i) && (k === headerKey(header.zh) || k === headerKey(header.en) || k === headerKey(field)),
      ),
    );
  }
  for (const field of fields) {
    const aliases = HEADERS[kind][field]!.aliases.map(headerKey);
    take(
      field,
      keys.findIndex((k, i) => !used.has(i) && aliases.includes(k)),
    );
  }
  for (const field of fields) if (mapping[field] === undefined) mapping[field] = null;
  return mapping;
}

/** The remembered form of a mapping: field → header text. */
export function mappingByHeader(mapping: ColumnMapping, headers: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, idx] of Object.entries(mapping))
    if (typeof idx === 'number' && headers[idx] !== undefined) out[field] = headers[idx];
  return out;
}

// ── Readable labels of coded values (exports show them; imports accept them) ──────────────

export type Labels = Record<string, { zh: string; en: string }>;

export const INDUSTRY_LABELS: Labels = {
  manufacturing: { zh: '制造业', en: 'Manufacturing' },
  automotive: { zh: '汽车', en: 'Automotive' },
  electronics: { zh: '电子', en: 'Electronics' },
  energy: { zh: '能源', en: 'Energy' },
  chemicals: { zh: '化工', en: 'Chemicals' },
  pharma: { zh: '医药', en: 'Pharmaceuticals' },
  food: { zh: '食品', en: 'Food' },
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
/** Extra words people write for a status. */
const STATUS_ALIASES: Record<string, string[]> = {
  prospect: ['潜在', '意向客户', '潜客'],
  customer: ['客户', '已成交', '成交'],
  dormant: ['休眠'],
  lost: ['流失', '已流失'],
};
export const SIZE_LABELS: Labels = {
  lt50: { zh: '50人以下', en: 'Under 50' },
  '50to200': { zh: '50-200人', en: '50–200' },
  '200to1000': { zh: '200-1000人', en: '200–1,000' },
  '1000to5000': { zh: '1000-5000人', en: '1,000–5,000' },
  gt5000: { zh: '5000人以上', en: 'Over 5,000' },
};
export const LEAD_SOURCE_LABELS: Labels = {
  phone_prospecting: { zh: '电话陌拜', en: 'Phone prospecting' },
  industrial_park: { zh: '工业园区扫街', en: 'Industrial park' },
  customer_referral: { zh: '客户转介绍', en: 'Customer referral' },
  staff_referral: { zh: '员工推荐', en: 'Staff referral' },
  existing_customer_module: { zh: '老客户新模块', en: 'Existing customer, new module' },
  partner: { zh: '合作伙伴', en: 'Partner' },
  association: { zh: '行业协会', en: 'Association' },
  event: { zh: '市场活动', en: 'Event' },
  exhibition: { zh: '展会', en: 'Exhibition' },
  reference_visit: { zh: '样板参观', en: 'Reference visit' },
  online: { zh: '网络', en: 'Online' },
  purchased_list: { zh: '购买名录', en: 'Purchased list' },
  competitor_customer: { zh: '竞争对手客户', en: "Competitor's customer" },
  inbound_call: { zh: '来电咨询', en: 'Inbound call' },
};
export const TIER_LABELS: Labels = { A: { zh: 'A类', en: 'A' }, B: { zh: 'B类', en: 'B' }, C: { zh: 'C类', en: 'C' } };

export const label = (labels: Labels, code: string | null, lang: Lang): string => {
  if (code === null) return '';
  const label = labels[code];
  return label ? (lang === 'zh-CN' ? label.zh : label.en) : code;
};

/**
 * A coded value from a cell: the code itself or its Chinese or English label, ignoring case
 * and spaces. Answers the code, or undefined when nothing matches.
 */
export function parseCoded<T extends string>(
  value: string,
  codes: readonly T[],
  labels: Labels,
  aliases: Record<string, string[]> = {},
): T | undefined {
  const key = headerKey(value);
  for (const code of codes) {
    const label = labels[code];
    const words = [code, label?.zh, label?.en, ...(aliases[code] ?? [])].filter((w): w is string => !!w).map(headerKey);
    if (words.includes(key)) return code;
  }
  return undefined;
}

export const parseIndustry = (v: string) => parseCoded(v, INDUSTRIES, INDUSTRY_LABELS);
export const parseStatus = (v: string) => parseCoded(v, ACCOUNT_STATUSES, STATUS_LABELS, STATUS_ALIASES);
export const parseSize = (v: string) => parseCoded(v, COMPANY_SIZES, SIZE_LABELS);
export const parseLeadSource = (v: string) => parseCoded(v, LEAD_SOURCES, LEAD_SOURCE_LABELS);
export const parseTier = (v: string) => parseCoded(v, TIERS, TIER_LABELS);
