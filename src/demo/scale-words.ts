/**
 * The word lists the scale set (src/demo/scale-set.ts) draws names and codes from, in the
 * database: each list becomes rows of a temporary lookup table the set-based inserts join by
 * index. Cities are all place prefixes companyNameKey drops (src/domain/company-name.ts), so
 * an account's name_key is its brand and trade, computed in SQL exactly as the app would.
 */
import { ACTIVITY_TYPES } from '../domain/activities.ts';
import { COMPANY_SIZES, LEAD_SOURCES } from '../domain/accounts.ts';

export const CITIES = [
  ['上海', '上海市', '浦东新区'],
  ['北京', '北京市', '海淀区'],
  ['天津', '天津市', '滨海新区'],
  ['重庆', '重庆市', '两江新区'],
  ['深圳', '广东省', '南山区'],
  ['广州', '广东省', '黄埔区'],
  ['杭州', '浙江省', '滨江区'],
  ['南京', '江苏省', '江宁区'],
  ['苏州', '江苏省', '工业园区'],
  ['武汉', '湖北省', '东湖高新区'],
  ['成都', '四川省', '高新区'],
  ['西安', '陕西省', '雁塔区'],
] as const;

/** Two characters make a brand: 40 × 40 of them. */
const BRAND_FIRST = '华中东南北新金宏恒瑞泰盛嘉德元天宝鑫博达安康永丰宇昌隆海星汇长信立云创凯辰航科锐';
const BRAND_SECOND = '锐通达成润泰源远鸿联晟辉航越宁川峰力拓威驰胜美诚信华光亿腾洋和兴盈智捷昊鼎晨';

/** Trade words with the industry they stand for. */
export const TRADES = [
  ['精密机械', 'machinery'],
  ['汽车零部件', 'automotive'],
  ['电子科技', 'electronics'],
  ['新能源', 'energy'],
  ['化工', 'chemicals'],
  ['生物医药', 'pharma'],
  ['食品', 'food'],
  ['金属制品', 'metals'],
  ['智能制造', 'manufacturing'],
  ['物流', 'logistics'],
  ['建设工程', 'construction'],
  ['医疗器械', 'healthcare'],
] as const;

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '志强',
  '建华',
  '晓东',
  '海燕',
  '国庆',
  '文博',
  '子涵',
  '雨桐',
  '浩然',
  '思远',
];
const TITLES = [
  '总经理',
  '副总经理',
  '技术总监',
  '采购经理',
  '财务总监',
  '生产部长',
  '设备主管',
  '信息化经理',
  'IT 工程师',
  '质量经理',
];
const DEPARTMENTS = ['总经办', '技术部', '采购部', '财务部', '生产部', '设备部', '信息部', '质量部'];
/** What a deal sells, with the products JSON the opportunity keeps. */
const PRODUCTS = [
  ['MES 二期', 'MES'],
  ['视觉检测', '视觉检测'],
  ['产线改造', '产线自动化'],
  ['设备联网', '设备联网平台'],
  ['数字化工厂', 'MES'],
  ['仓储 WMS', 'WMS'],
  ['能耗管理', '能源管理'],
  ['质量追溯', '质量追溯'],
  ['APS 排产', 'APS'],
  ['机器人工作站', '工业机器人'],
];
const NEXT_STEPS = ['技术交流会', '方案汇报', '高层拜访', '商务谈判', '参观样板工厂', '提交报价'];
const SUBJECTS = ['需求调研', '技术交流', '方案汇报', '商务沟通', '回访', '现场勘察', '报价说明', '项目复盘'];
const OUTCOMES = ['客户认可方案，约定下周报价', '需补充案例材料', '预算待审批', '技术路线已确认', '客户暂无新需求'];
const CLOSE_REASONS = ['price', 'competitor', 'no_decision', 'relationship'];
const COMPETITORS = ['西门子', 'ABB', '施耐德电气', '罗克韦尔'];

/** Every list by name; a list's rows are numbered from 0. */
export const SCALE_WORDS: Record<string, readonly string[]> = {
  city: CITIES.map((c) => c[0]),
  province: CITIES.map((c) => c[1]),
  cityName: CITIES.map((c) => `${c[0]}市`),
  district: CITIES.map((c) => c[2]),
  brandFirst: [...BRAND_FIRST],
  brandSecond: [...BRAND_SECOND],
  trade: TRADES.map((t) => t[0]),
  industry: TRADES.map((t) => t[1]),
  size: COMPANY_SIZES,
  leadSource: LEAD_SOURCES,
  surname: [...SURNAMES],
  given: GIVEN,
  title: TITLES,
  department: DEPARTMENTS,
  product: PRODUCTS.map((p) => p[0]!),
  products: PRODUCTS.map((p) => JSON.stringify([p[1]!])),
  nextStep: NEXT_STEPS,
  activityType: ACTIVITY_TYPES,
  subject: SUBJECTS,
  outcome: OUTCOMES,
  closeReason: CLOSE_REASONS,
  competitor: COMPETITORS,
};

export const wordCount = (list: string): number => SCALE_WORDS[list]!.length;
