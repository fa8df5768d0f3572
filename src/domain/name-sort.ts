/**
 * A sort key that orders names as ICU's Chinese collation does (pinyin for Han characters,
 * digits and Latin letters as PostgreSQL's `keyline_zh` collation puts them), for SQLite,
 * which has no ICU: `ORDER BY zh_sort_key(name)` there gives the order
 * `ORDER BY name COLLATE keyline_zh` gives on PostgreSQL (docs/DESIGN.md § Sorting names).
 *
 * Each character of the common ranges gets its rank under `Intl.Collator('zh')`, computed once
 * per process (~0.2 s). The key is every character's primary rank (case and width ignored),
 * then a separator, then every character's full rank — ICU's levels: "Aa" before "ab" before "Ab".
 * Characters outside the ranges sort after all others, by code point. Not reproduced: ICU's
 * few multi-character readings of polyphonic characters (重庆 read chóng-qìng sorts under C on
 * PostgreSQL, under Z here, where 重 alone reads zhòng).
 */
const RANGES: [number, number][] = [
  [0x20, 0x7e],
  [0x3000, 0x303f],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xff01, 0xff5e],
];
const OFFSET = 0x100;
const UNKNOWN = String.fromCharCode(0xd7f0);
const SEPARATOR = '\u0001';

let tables: { primary: Map<string, string>; full: Map<string, string> } | undefined;

function build() {
  const full = new Intl.Collator('zh');
  const base = new Intl.Collator('zh', { sensitivity: 'base' });
  const chars: string[] = [];
  for (const [from, to] of RANGES) for (let code = from; code <= to; code++) chars.push(String.fromCharCode(code));
  chars.sort(full.compare);
  const primary = new Map<string, string>();
  const fullRank = new Map<string, string>();
  let rank = 0;
  chars.forEach((char, index) => {
    if (index > 0 && base.compare(chars[index - 1]!, char) !== 0) rank++;
    primary.set(char, String.fromCharCode(OFFSET + rank));
    fullRank.set(char, String.fromCharCode(OFFSET + index));
  });
  return { primary, full: fullRank };
}

export function zhSortKey(name: string | null): string | null {
  if (name === null) return null;
  tables ??= build();
  let primaryKey = '';
  let fullKey = '';
  for (const char of name) {
    primaryKey += tables.primary.get(char) ?? UNKNOWN + char;
    fullKey += tables.full.get(char) ?? UNKNOWN + char;
  }
  return primaryKey + SEPARATOR + fullKey;
}
