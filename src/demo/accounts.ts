import type { Industry } from '../domain/accounts.ts';
import { makeCreditCode } from '../domain/credit-code.ts';
import type { Random } from './random.ts';

/**
 * Demo customers: manufacturers and institutions across the three sales regions, with
 * contacts in realistic org charts, their buying roles, and a purchase history of won
 * opportunities (so the ABC tiers have something to rank). Pure data: load-accounts.ts writes it.
 */
export interface Place {
  province: string;
  city: string;
  districts: string[];
  /** Which branch sells there (a key of the demo org tree). */
  branch: string;
}

export const PLACES: Place[] = [
  { province: '上海市', city: '上海市', districts: ['浦东新区', '闵行区', '嘉定区', '松江区', '宝山区'], branch: 'sh' },
  { province: '浙江省', city: '杭州市', districts: ['滨江区', '萧山区', '余杭区'], branch: 'hz' },
  { province: '浙江省', city: '宁波市', districts: ['北仑区', '鄞州区'], branch: 'hz' },
  { province: '江苏省', city: '南京市', districts: ['江宁区', '浦口区'], branch: 'nj' },
  { province: '江苏省', city: '苏州市', districts: ['工业园区', '昆山市', '吴江区'], branch: 'sh' },
  { province: '江苏省', city: '无锡市', districts: ['新吴区', '惠山区'], branch: 'nj' },
  { province: '广东省', city: '广州市', districts: ['黄埔区', '番禺区', '南沙区'], branch: 'gz' },
  { province: '广东省', city: '佛山市', districts: ['顺德区', '南海区'], branch: 'gz' },
  { province: '广东省', city: '深圳市', districts: ['南山区', '宝安区', '龙岗区'], branch: 'sz' },
  { province: '广东省', city: '东莞市', districts: ['松山湖', '长安镇'], branch: 'sz' },
  { province: '北京市', city: '北京市', districts: ['海淀区', '朝阳区', '亦庄经开区', '顺义区'], branch: 'bj' },
  { province: '天津市', city: '天津市', districts: ['滨海新区', '西青区'], branch: 'tj' },
  { province: '河北省', city: '石家庄市', districts: ['长安区', '高新区'], branch: 'bj' },
];

const BRAND = [
  '华',
  '恒',
  '鑫',
  '博',
  '联',
  '中',
  '远',
  '宏',
  '瑞',
  '金',
  '海',
  '天',
  '汇',
  '盛',
  '达',
  '科',
  '通',
  '德',
  '泰',
  '安',
  '永',
  '新',
  '精',
  '创',
  '明',
  '辰',
  '宇',
  '航',
  '正',
  '立',
];
const INDUSTRY_WORDS: Record<Industry, string[]> = {
  manufacturing: ['精密制造', '智能装备', '工业'],
  automotive: ['汽车零部件', '汽车部件', '新能源汽车'],
  electronics: ['电子', '半导体', '光电'],
  energy: ['能源', '电力设备', '新能源'],
  chemicals: ['化工', '新材料'],
  pharma: ['制药', '生物医药'],
  food: ['食品', '乳业'],
  metals: ['钢铁', '铝业', '金属制品'],
  machinery: ['机械', '重工', '液压'],
  logistics: ['物流', '供应链'],
  construction: ['建设', '建材'],
  government: [],
  education: [],
  healthcare: [],
  finance: [],
  retail: ['商贸'],
  telecom: ['通信'],
  other: ['实业'],
};
const INSTITUTIONS: { industry: Industry; names: string[] }[] = [
  {
    industry: 'government',
    names: ['{city}经济技术开发区管理委员会', '{city}工业和信息化局', '{city}智能制造促进中心'],
  },
  { industry: 'education', names: ['{city}职业技术学院', '{city}理工大学智能制造学院'] },
  { industry: 'healthcare', names: ['{city}第一人民医院', '{city}中心医院'] },
];
const LEGAL = ['有限公司', '股份有限公司', '科技有限公司', '集团有限公司'];
const CORPORATE_INDUSTRIES = (Object.keys(INDUSTRY_WORDS) as Industry[]).filter((i) => INDUSTRY_WORDS[i].length > 0);

/** A well-known-looking anchor account per branch, so searches in the guide find something. */
export const ANCHOR_ACCOUNTS: { name: string; industry: Industry; place: number; district: string }[] = [
  { name: '深圳市华为技术有限公司', industry: 'electronics', place: 8, district: '龙岗区' },
  { name: '上海电气集团股份有限公司', industry: 'energy', place: 0, district: '闵行区' },
  { name: '广州白云电器设备股份有限公司', industry: 'energy', place: 6, district: '番禺区' },
  { name: '北京京东方科技集团股份有限公司', industry: 'electronics', place: 10, district: '朝阳区' },
  { name: '杭州海康威视数字技术股份有限公司', industry: 'electronics', place: 1, district: '滨江区' },
  { name: '天津一汽丰田汽车有限公司', industry: 'automotive', place: 11, district: '西青区' },
  { name: '苏州汇川技术有限公司', industry: 'machinery', place: 4, district: '吴江区' },
  { name: '南京钢铁股份有限公司', industry: 'metals', place: 3, district: '浦口区' },
];

const TITLES = {
  top: ['总经理', '董事长', '厂长'],
  exec: ['副总经理', '技术副总', '生产副总'],
  finance: ['财务总监', '财务经理'],
  tech: ['技术总监', '设备部经理', '信息化部经理', '总工程师'],
  user: ['生产主管', '车间主任', '设备工程师', '工艺工程师'],
  buy: ['采购经理', '采购主管'],
  assistant: ['总经理助理', '行政主管'],
};
const INTERESTS = [
  '喜欢打羽毛球',
  '爱好钓鱼',
  '关注新能源政策',
  '喜欢喝普洱茶',
  '马拉松爱好者',
  '对精益生产很有研究',
  '孩子在读高三',
  '喜欢聊历史',
  '常去深圳出差',
  '是足球迷',
];

export interface DemoContact {
  name: string;
  title: string;
  department: string;
  /** Index in the account's contact list of the person this one reports to. */
  reportsTo: number | null;
  mobile: string;
  email: string;
  wechat: string | null;
  notes: string | null;
  birthday: string | null;
  role: {
    role: 'decision_maker' | 'finance' | 'supporter' | 'technical' | 'user';
    attitude: 'supports' | 'neutral' | 'opposes';
    influence: 'high' | 'medium' | 'low';
    relationship: number;
  } | null;
}

export interface DemoPurchase {
  name: string;
  amount: number;
  status: 'won' | 'open' | 'lost';
  /** Days before now the opportunity closed (won/lost) or is expected to (open: negative = future). */
  daysAgo: number;
}

export interface DemoAccount {
  name: string;
  creditCode: string | null;
  industry: Industry;
  province: string;
  city: string;
  district: string;
  branch: string;
  size: string;
  leadSource: string;
  status: 'prospect' | 'customer' | 'dormant' | 'lost';
  /** Days since the last qualifying follow-up (null: never followed up). */
  lastFollowUpDaysAgo: number | null;
  createdDaysAgo: number;
  keyAccount: boolean;
  named: boolean;
  contacts: DemoContact[];
  purchases: DemoPurchase[];
}

const LEAD_SOURCES = [
  'phone_prospecting',
  'industrial_park',
  'customer_referral',
  'staff_referral',
  'partner',
  'exhibition',
  'event',
  'online',
  'inbound_call',
  'association',
];
const SIZES = ['50to200', '200to1000', '200to1000', '1000to5000', 'gt5000'];
export const DEMO_PRODUCTS = [
  'MES 系统',
  '工业机器人工作站',
  '视觉检测系统',
  '产线自动化改造',
  '设备联网平台',
  'AGV 物流系统',
  '能源管理系统',
  '数字化工厂咨询',
  '智能仓储',
  '预测性维护',
];

export function generateDemoAccounts(
  rng: Random,
  count: number,
  people: { next(): { name: string; handle: string } },
): DemoAccount[] {
  const accounts: DemoAccount[] = [];
  const usedNames = new Set<string>();
  const phone = () =>
    `1${rng.pick(['36', '37', '39', '50', '52', '86', '89'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
  const code = () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    let code = '91' + String(rng.int(110000, 659999));
    while (code.length < 17) code += alphabet[rng.int(0, alphabet.length - 1)];
    return makeCreditCode(code);
  };
  const nameFor = (place: Place, industry: Industry): string => {
    const inst = INSTITUTIONS.find((x) => x.industry === industry);
    const cityShort = place.city.replace(/市$/, '');
    let name = '';
    for (let attempt = 0; attempt < 20; attempt++) {
      name = inst
        ? rng.pick(inst.names).replace('{city}', cityShort)
        : `${rng.next() < 0.6 ? cityShort : ''}${rng.pick(BRAND)}${rng.pick(BRAND)}${rng.pick(INDUSTRY_WORDS[industry])}${rng.pick(LEGAL)}`;
      if (!usedNames.has(name)) return name;
    }
    return `${name}（${usedNames.size}）`;
  };

  for (let i = 0; i < count; i++) {
    const anchor = ANCHOR_ACCOUNTS[i];
    const place = PLACES[anchor ? anchor.place : rng.int(0, PLACES.length - 1)]!;
    const industry: Industry = anchor
      ? anchor.industry
      : rng.next() < 0.1
        ? rng.pick(['government', 'education', 'healthcare'] as const)
        : rng.pick(CORPORATE_INDUSTRIES);
    const name = anchor ? anchor.name : nameFor(place, industry);
    usedNames.add(name);
    // Pareto-shaped purchase history: a few big customers, many small ones, many prospects.
    const roll = rng.next();
    const big = anchor !== undefined || roll < 0.08;
    const customer = big || roll < 0.55;
    const purchases: DemoPurchase[] = [];
    if (customer) {
      const count = big ? rng.int(3, 7) : rng.int(1, 3);
      for (let purchaseIndex = 0; purchaseIndex < count; purchaseIndex++) {
        const base = big ? rng.int(300_000, 2_500_000) : rng.int(20_000, 250_000);
        purchases.push({
          name: rng.pick(DEMO_PRODUCTS),
          amount: Math.round(base / 1000) * 1000 * 100,
          status: 'won',
          daysAgo: rng.int(5, 700),
        });
      }
    }
    if (rng.next() < 0.5)
      purchases.push({
        name: `${rng.pick(DEMO_PRODUCTS)}项目`,
        amount: rng.int(50, 3000) * 1000 * 100,
        status: 'open',
        daysAgo: -rng.int(10, 200),
      });
    if (rng.next() < 0.15)
      purchases.push({
        name: rng.pick(DEMO_PRODUCTS),
        amount: rng.int(50, 800) * 1000 * 100,
        status: 'lost',
        daysAgo: rng.int(20, 300),
      });
    const lastWon = Math.min(...purchases.filter((p) => p.status === 'won').map((p) => p.daysAgo), 9999);
    const status = !customer ? 'prospect' : lastWon > 365 ? (rng.next() < 0.5 ? 'dormant' : 'lost') : 'customer';

    // Contacts: a top person, a few reporting to them, some reporting further down.
    const nContacts = big ? rng.int(5, 9) : customer ? rng.int(2, 5) : rng.int(1, 3);
    const contacts: DemoContact[] = [];
    const domain = `${['hx', 'hl', 'zk', 'jt', 'rd', 'tx', 'hy'][i % 7]}${i}.com.cn`;
    const make = (title: string, department: string, reportsTo: number | null, role: DemoContact['role']) => {
      const person = people.next();
      contacts.push({
        name: person.name,
        title,
        department,
        reportsTo,
        mobile: phone(),
        email: `${person.handle.split('.')[0]}@${domain}`,
        wechat: rng.next() < 0.6 ? `wx_${person.handle.replace('.', '_')}` : null,
        notes: rng.next() < 0.4 ? rng.pick(INTERESTS) : null,
        birthday:
          rng.next() < 0.3
            ? `19${rng.int(65, 92)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`
            : null,
        role,
      });
    };
    const att = () => rng.pick(['supports', 'supports', 'neutral', 'neutral', 'opposes'] as const);
    const rel = (min: number) => Math.min(5, rng.int(min, min + 3));
    make(
      rng.pick(TITLES.top),
      '总经办',
      null,
      rng.next() < 0.8 ? { role: 'decision_maker', attitude: att(), influence: 'high', relationship: rel(1) } : null,
    );
    const roles: [string[], string, DemoContact['role']][] = [
      [
        TITLES.tech,
        '技术部',
        { role: 'technical', attitude: att(), influence: rng.pick(['high', 'medium'] as const), relationship: rel(2) },
      ],
      [TITLES.finance, '财务部', { role: 'finance', attitude: att(), influence: 'medium', relationship: rel(1) }],
      [TITLES.user, '生产部', { role: 'user', attitude: att(), influence: 'low', relationship: rel(2) }],
      [TITLES.assistant, '总经办', { role: 'supporter', attitude: 'supports', influence: 'low', relationship: rel(2) }],
      [TITLES.buy, '采购部', { role: 'finance', attitude: att(), influence: 'medium', relationship: rel(1) }],
      [TITLES.exec, '总经办', null],
      [TITLES.user, '设备部', { role: 'user', attitude: att(), influence: 'medium', relationship: rel(1) }],
      [TITLES.tech, '信息部', { role: 'technical', attitude: att(), influence: 'medium', relationship: rel(1) }],
    ];
    for (let contactIndex = 1; contactIndex < nContacts; contactIndex++) {
      const [titles, dept, role] = roles[(contactIndex - 1) % roles.length]!;
      // Deeper contacts report to the second-level person of their area when there is one.
      const reportsTo = contactIndex >= 4 && contacts.length > 1 ? rng.int(1, Math.min(3, contacts.length - 1)) : 0;
      make(rng.pick(titles), dept, reportsTo, role && rng.next() < 0.85 ? role : null);
    }

    accounts.push({
      name,
      creditCode: industry === 'government' || rng.next() < 0.1 ? null : code(),
      industry,
      province: place.province,
      city: place.city,
      district: anchor ? anchor.district : rng.pick(place.districts),
      branch: place.branch,
      size: big ? rng.pick(['1000to5000', 'gt5000']) : rng.pick(SIZES),
      leadSource: rng.pick(LEAD_SOURCES),
      status,
      // Most accounts are looked after; about one in eight has been left alone long enough for the pool.
      lastFollowUpDaysAgo: big ? rng.int(0, 20) : rng.next() < 0.12 ? rng.int(31, 90) : rng.int(0, 28),
      createdDaysAgo: rng.int(90, 900),
      keyAccount: big,
      named: big && rng.next() < 0.5,
      contacts,
      purchases,
    });
  }
  return accounts;
}
