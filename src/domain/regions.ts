/**
 * Region names (docs/organisation.md territories, §3.1 account region). Provinces, cities and districts
 * are typed by people and imported from spreadsheets, so the same place arrives as 上海市,
 * 上海, ＳＨＡＮＧＨＡＩ or Shanghai. Territory matching compares keys, never raw text; and
 * the 34 province-level divisions have one stored (full) name so lists, filters and rules agree.
 */

/** [full name as stored, short name, English names] — the 34 province-level divisions. */
const DIVISIONS: readonly (readonly [string, string, ...string[]])[] = [
  ['北京市', '北京', 'Beijing'],
  ['天津市', '天津', 'Tianjin'],
  ['上海市', '上海', 'Shanghai'],
  ['重庆市', '重庆', 'Chongqing'],
  ['河北省', '河北', 'Hebei'],
  ['山西省', '山西', 'Shanxi'],
  ['辽宁省', '辽宁', 'Liaoning'],
  ['吉林省', '吉林', 'Jilin'],
  ['黑龙江省', '黑龙江', 'Heilongjiang'],
  ['江苏省', '江苏', 'Jiangsu'],
  ['浙江省', '浙江', 'Zhejiang'],
  ['安徽省', '安徽', 'Anhui'],
  ['福建省', '福建', 'Fujian'],
  ['江西省', '江西', 'Jiangxi'],
  ['山东省', '山东', 'Shandong'],
  ['河南省', '河南', 'Henan'],
  ['湖北省', '湖北', 'Hubei'],
  ['湖南省', '湖南', 'Hunan'],
  ['广东省', '广东', 'Guangdong'],
  ['海南省', '海南', 'Hainan'],
  ['四川省', '四川', 'Sichuan'],
  ['贵州省', '贵州', 'Guizhou'],
  ['云南省', '云南', 'Yunnan'],
  ['陕西省', '陕西', 'Shaanxi'],
  ['甘肃省', '甘肃', 'Gansu'],
  ['青海省', '青海', 'Qinghai'],
  ['台湾省', '台湾', 'Taiwan'],
  ['内蒙古自治区', '内蒙古', 'Inner Mongolia', 'Nei Mongol'],
  ['广西壮族自治区', '广西', 'Guangxi'],
  ['西藏自治区', '西藏', 'Tibet', 'Xizang'],
  ['宁夏回族自治区', '宁夏', 'Ningxia'],
  ['新疆维吾尔自治区', '新疆', 'Xinjiang'],
  ['香港特别行政区', '香港', 'Hong Kong'],
  ['澳门特别行政区', '澳门', 'Macau', 'Macao'],
];

/** The stored names of the province-level divisions (the account form's and the rule form's choices). */
export const PROVINCES: readonly string[] = DIVISIONS.map((d) => d[0]);

/** Every usual spelling of a province-level division (full, short, English) that `canonicalProvince` takes: the documented choices. */
export const PROVINCE_SPELLINGS: readonly string[] = DIVISIONS.flat();

/** Full-width → half-width (NFKC), no spaces, lower case: how two spellings are compared. */
export function foldText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** Trimmed, full-width letters and digits made half-width, inner runs of spaces made one: how a name is stored. */
export function tidyText(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ');
}

// Longest first: 广西壮族自治区 must lose 壮族自治区, not only 区.
const PROVINCE_SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '省', '市'];
const ENGLISH_SUFFIXES = /(province|municipality|autonomousregion|specialadministrativeregion|sar)$/;

/** Strips one administrative suffix, keeping at least two characters (沙市 stays 沙市). */
function stripSuffix(text: string, suffixes: readonly string[]): string {
  for (const suffix of suffixes)
    if (text.endsWith(suffix) && text.length - suffix.length >= 2) return text.slice(0, -suffix.length);
  return text;
}

const CANONICAL = new Map<string, string>();
for (const [full, short, ...english] of DIVISIONS)
  for (const name of [full, short, ...english]) CANONICAL.set(foldText(name), full);

/**
 * The stored name of a province-level division written in any usual way — full (上海市),
 * short (上海), with a wrong suffix (广西省), full-width or in English (Shanghai) — or null.
 */
export function canonicalProvince(text: string): string | null {
  const folded = foldText(text);
  if (folded === '') return null;
  return (
    CANONICAL.get(folded) ??
    CANONICAL.get(stripSuffix(folded, PROVINCE_SUFFIXES)) ??
    CANONICAL.get(folded.replace(ENGLISH_SUFFIXES, '')) ??
    null
  );
}

/**
 * City and district suffixes. A minority autonomous prefecture or county drops its peoples
 * too (恩施土家族苗族自治州 → 恩施, 长阳土家族自治县 → 长阳); otherwise one suffix goes
 * (浦东新区 → 浦东, 苏州市 → 苏州, 昆山市 → 昆山). Never 州 alone: 苏州 is a name.
 */
const AUTONOMOUS = /^(.{2,}?)(?:[^族]{1,3}族)*自治[州县旗]$/;
const LOCALITY_SUFFIXES = ['特别行政区', '新区', '地区', '林区', '市', '区', '县', '盟', '旗'];

const cache = new Map<string, string>();
function memo(kind: string, text: string, compute: (folded: string) => string): string {
  const key = `${kind}\u0001${text}`;
  let value = cache.get(key);
  if (value === undefined) {
    // Matching a pool of thousands of accounts asks for the same few names again and again.
    if (cache.size > 20_000) cache.clear();
    value = compute(foldText(text));
    cache.set(key, value);
  }
  return value;
}

/** What two province names are compared by: the same for every spelling of one division. */
export function provinceKey(text: string): string {
  return memo('p', text, (folded) => {
    const full = canonicalProvince(folded);
    return full !== null ? foldText(full) : stripSuffix(folded, PROVINCE_SUFFIXES);
  });
}

/** What two city or district names are compared by: 上海市 = 上海, 浦东新区 = 浦东. */
export function localityKey(text: string): string {
  return memo('l', text, (folded) => {
    const match = AUTONOMOUS.exec(folded);
    return match ? match[1]! : stripSuffix(folded, LOCALITY_SUFFIXES);
  });
}

/**
 * The spellings of a city or district a stored column is compared against, so a filter finds
 * 苏州 and 苏州市 alike (an exact IN list stays index-friendly): the name as typed, its key, and
 * the key with each suffix localityKey strips. A name stored with an autonomous-prefecture
 * suffix (恩施土家族苗族自治州) is found by that full name only.
 */
export function localitySpellings(text: string): string[] {
  const key = localityKey(text);
  // Latin names (Suzhou) take no Chinese suffix.
  const suffixed = /^[ -~]*$/.test(key) ? [] : LOCALITY_SUFFIXES.map((x) => key + x);
  const all = [tidyText(text), key, ...suffixed];
  return [...new Set(all.filter((x) => x !== '' && (x === all[0] || localityKey(x) === key)))];
}

/**
 * An account's province as stored: the full name of a known division (上海 → 上海市); any
 * other text is kept as given, tidied, since accounts and imports take free text.
 */
export function storedProvince(text: string | null | undefined): string | null {
  if (text === null || text === undefined || text.trim() === '') return null;
  return canonicalProvince(text) ?? tidyText(text);
}
