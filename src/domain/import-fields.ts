import { ACCOUNT_STATUSES, COMPANY_SIZES, INDUSTRIES, LEAD_SOURCES, TIERS } from './accounts.ts';
import { LOSS_REASONS, OPPORTUNITY_STATUSES } from './opportunity.ts';
import { LOSS_REASON_LABELS, OPPORTUNITY_STATUS_LABELS } from './opportunity-labels.ts';

/**
 * The columns of the customer archive that can be imported and exported (docs/archive.md § Import and export), with
 * their Chinese and English headers, the aliases people use for them in their own
 * spreadsheets, and readable labels of the coded values. Pure data and functions.
 */
export const IMPORT_KINDS = ['accounts', 'contacts', 'purchases', 'opportunities'] as const;
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
  // A named (key) account: it goes to the key-account team when created (docs/organisation.md § Sales modes).
  'named',
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
/** Purchase history from another system: what an account bought, when, for how much. */
export const PURCHASE_IMPORT_FIELDS = [
  'accountName',
  'accountCreditCode',
  'purchasedOn',
  'amount',
  'product',
  'notes',
] as const;
/**
 * Open and closed deals from another system (docs/sales-process.md § Import of opportunities): the
 * account (name or credit code), the deal, its process and stage by name in either language, the
 * owner by email or name, and how it ended.
 */
export const OPPORTUNITY_IMPORT_FIELDS = [
  'accountName',
  'accountCreditCode',
  'name',
  'process',
  'stage',
  'amount',
  'expectedCloseDate',
  'owner',
  'dealStatus',
  'lossReason',
  'competitor',
  'leadSource',
  'products',
  'description',
] as const;
export type AccountImportField = (typeof ACCOUNT_IMPORT_FIELDS)[number];
export type OpportunityImportField = (typeof OPPORTUNITY_IMPORT_FIELDS)[number];
export type ContactImportField = (typeof CONTACT_IMPORT_FIELDS)[number];
export type PurchaseImportField = (typeof PURCHASE_IMPORT_FIELDS)[number];
export type ImportField = AccountImportField | ContactImportField | PurchaseImportField | OpportunityImportField;

const FIELDS_OF: Record<ImportKind, readonly ImportField[]> = {
  accounts: ACCOUNT_IMPORT_FIELDS,
  contacts: CONTACT_IMPORT_FIELDS,
  purchases: PURCHASE_IMPORT_FIELDS,
  opportunities: OPPORTUNITY_IMPORT_FIELDS,
};
export const importFields = (kind: ImportKind): readonly ImportField[] => FIELDS_OF[kind];

/** Field → column index in the file (0-based); unmapped fields are absent or null. */
export type ColumnMapping = Partial<Record<ImportField, number | null>>;

/**
 * Required fields: an account needs a name; a contact needs a name and a way to find its
 * account (the account's name or its credit code). Answers the missing ones.
 */
export function missingRequired(kind: ImportKind, mapping: ColumnMapping): string[] {
  const has = (f: ImportField) => typeof mapping[f] === 'number';
  const missing: string[] = [];
  if (kind !== 'purchases' && !has('name')) missing.push('name');
  if (kind !== 'accounts' && !has('accountName') && !has('accountCreditCode'))
    missing.push('accountName|accountCreditCode');
  if (kind === 'purchases')
    for (const field of ['purchasedOn', 'amount'] as const) if (!has(field)) missing.push(field);
  if (kind === 'opportunities')
    for (const field of ['amount', 'expectedCloseDate'] as const) if (!has(field)) missing.push(field);
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
    named: {
      zh: '指名客户',
      en: 'Named account',
      aliases: ['指名', '是否指名', '是否指名客户', '指名大客户', 'named', 'key account', 'named key account'],
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
  purchases: {
    accountName: {
      zh: '客户名称',
      en: 'Account',
      aliases: [
        '公司名称',
        '企业名称',
        '单位名称',
        '客户',
        '购买方',
        'company',
        'company name',
        'account name',
        'customer',
      ],
    },
    accountCreditCode: {
      zh: '统一社会信用代码',
      en: 'Account credit code',
      aliases: ['信用代码', '客户信用代码', '社会信用代码', '税号', 'credit code', 'uscc', 'tax id'],
    },
    purchasedOn: {
      zh: '采购日期',
      en: 'Date',
      aliases: [
        '日期',
        '购买日期',
        '成交日期',
        '签约日期',
        '下单日期',
        '订单日期',
        'purchase date',
        'order date',
        'date',
      ],
    },
    amount: {
      zh: '金额（元）',
      en: 'Amount (yuan)',
      aliases: ['金额', '采购金额', '合同金额', '订单金额', '成交金额', 'amount', 'value', 'order value', 'total'],
    },
    product: {
      zh: '产品',
      en: 'Product',
      aliases: ['产品名称', '项目', '项目名称', '商品', '品名', 'item', 'product name', 'project'],
    },
    notes: { zh: '备注', en: 'Notes', aliases: ['说明', 'remarks', 'comment', 'note'] },
  },
  opportunities: {
    accountName: {
      zh: '客户名称',
      en: 'Account',
      aliases: ['公司名称', '企业名称', '单位名称', '客户', 'company', 'company name', 'account name', 'customer'],
    },
    accountCreditCode: {
      zh: '统一社会信用代码',
      en: 'Account credit code',
      aliases: ['信用代码', '客户信用代码', '社会信用代码', '税号', 'credit code', 'uscc', 'tax id'],
    },
    name: {
      zh: '商机名称',
      en: 'Opportunity',
      aliases: ['项目名称', '商机', '项目', '机会名称', 'opportunity name', 'deal', 'deal name', 'project'],
    },
    process: { zh: '销售流程', en: 'Sales process', aliases: ['流程', 'process', 'pipeline'] },
    stage: { zh: '阶段', en: 'Stage', aliases: ['销售阶段', '商机阶段', 'sales stage', 'deal stage'] },
    amount: {
      zh: '金额（元）',
      en: 'Amount (yuan)',
      aliases: ['金额', '预计金额', '商机金额', '合同金额', 'amount', 'value', 'deal value', 'deal amount'],
    },
    expectedCloseDate: {
      zh: '预计成交日期',
      en: 'Expected close date',
      aliases: ['预计签约日期', '成交日期', '结束日期', '关闭日期', 'close date', 'closing date', 'expected close'],
    },
    owner: {
      zh: '负责人',
      en: 'Owner',
      aliases: ['负责人邮箱', '销售', '销售代表', '客户经理', 'owner email', 'deal owner', 'sales rep'],
    },
    dealStatus: { zh: '状态', en: 'Status', aliases: ['商机状态', '结果', 'deal status', 'outcome'] },
    lossReason: { zh: '丢单原因', en: 'Loss reason', aliases: ['输单原因', '原因', 'lost reason', 'reason'] },
    competitor: { zh: '赢单方', en: 'Competitor', aliases: ['竞争对手', '中标方', 'winner', 'won by'] },
    leadSource: { zh: '线索来源', en: 'Lead source', aliases: ['来源', '商机来源', 'source'] },
    products: { zh: '产品', en: 'Products', aliases: ['产品名称', '商品', 'product', 'product names'] },
    description: { zh: '描述', en: 'Description', aliases: ['备注', '说明', 'notes', 'remarks', 'note'] },
  },
};

/** The header row of an empty file to fill in, in one language (the template download). */
export const templateHeaders = (kind: ImportKind, lang: Lang): string[] =>
  importFields(kind).map((field) => fieldHeader(kind, field, lang));

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
  lt50: { zh: '50 人以下', en: 'Under 50 staff' },
  '50to200': { zh: '50–200 人', en: '50–200 staff' },
  '200to1000': { zh: '200–1000 人', en: '200–1,000 staff' },
  '1000to5000': { zh: '1000–5000 人', en: '1,000–5,000 staff' },
  gt5000: { zh: '5000 人以上', en: 'Over 5,000 staff' },
};
const SIZE_ALIASES: Record<string, string[]> = {
  lt50: ['50人以下', 'Under 50', '<50', '小于50人'],
  '50to200': ['50-200人', '50-200', '50–200'],
  '200to1000': ['200-1000人', '200-1000', '200–1,000'],
  '1000to5000': ['1000-5000人', '1000-5000', '1,000–5,000'],
  gt5000: ['5000人以上', 'Over 5,000', '>5000', '5000+'],
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
