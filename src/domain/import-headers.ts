import { importFields, type ColumnMapping, type ImportField, type ImportKind, type Lang } from './import-fields.ts';

/**
 * The headers of each import kind's columns in Chinese and English (exports and templates write them)
 * and the aliases people use in their own spreadsheets, and the column mapping suggested from a file's
 * headers (docs/archive.md § Import and export). Pure data and functions.
 */

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
