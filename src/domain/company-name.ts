/**
 * Duplicate warnings on account names (docs/archive.md "similar names warn"): Chinese company
 * names differ mostly in place prefixes and legal-form suffixes, so the comparison key drops
 * those, and punctuation, spaces and case.
 */
const LEGAL_FORMS = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '集团公司',
  '集团',
  '股份',
  '总公司',
  '分公司',
  '公司',
  'co., ltd.',
  'co.,ltd.',
  'co. ltd',
  'co ltd',
  'ltd.',
  'ltd',
  'limited',
  'inc.',
  'inc',
  'corporation',
  'corp.',
  'corp',
  'group',
  'gmbh',
  'llc',
];
const PLACE_PREFIX =
  /^(中国|北京市?|上海市?|天津市?|重庆市?|深圳市?|广州市?|杭州市?|南京市?|苏州市?|武汉市?|成都市?|西安市?|[\u4e00-\u9fa5]{2,3}省)/;

export function companyNameKey(name: string): string {
  let key = name.normalize('NFKC').toLowerCase().trim();
  key = key.replace(/[（(][^)）]*[)）]/g, ''); // "(中国)", "（上海）"
  for (let changed = true; changed;) {
    changed = false;
    for (const form of LEGAL_FORMS) {
      if (key.endsWith(form) && key.length > form.length) {
        key = key.slice(0, -form.length).trim();
        changed = true;
      }
    }
  }
  key = key.replace(PLACE_PREFIX, '');
  return key.replace(/[\s.,，。·\-_'"&/]/g, '') || name.trim().toLowerCase();
}

/** Similarity of two keys in [0, 1]: Dice coefficient over character bigrams (works for CJK). */
export function nameSimilarity(left: string, right: string): number {
  if (left === right) return 1;
  return bigramDice(bigrams(left), bigrams(right));
}

/** A key's character pairs with their counts; computed once per name when many are compared. */
export interface Bigrams {
  counts: Map<string, number>;
  /** Number of pairs (key length − 1). */
  n: number;
}

export function bigrams(key: string): Bigrams {
  const counts = new Map<string, number>();
  for (let i = 0; i < key.length - 1; i++) counts.set(key.slice(i, i + 2), (counts.get(key.slice(i, i + 2)) ?? 0) + 1);
  return { counts, n: Math.max(0, key.length - 1) };
}

export function bigramDice(left: Bigrams, right: Bigrams): number {
  // A one-character key ("A公司") says too little to call anything similar.
  if (left.n < 1 || right.n < 1) return 0;
  let overlap = 0;
  for (const [bigram, count] of left.counts) overlap += Math.min(count, right.counts.get(bigram) ?? 0);
  return (2 * overlap) / (left.n + right.n);
}

/** Names this similar are worth a warning before creating another account. */
export const SIMILAR_NAME_THRESHOLD = 0.7;
