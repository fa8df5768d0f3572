/** Both interface languages must cover exactly the same strings, none left empty. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import { enUS } from '../../web/src/i18n/en-US.ts';

const dictionaries = { 'zh-CN': zhCN as Record<string, string>, 'en-US': enUS as Record<string, string> };

test('zh-CN and en-US have exactly the same keys', () => {
  const zh = Object.keys(zhCN).sort();
  const en = Object.keys(enUS).sort();
  assert.deepEqual(zh.filter((k) => !en.includes(k)), [], 'keys missing from en-US');
  assert.deepEqual(en.filter((k) => !zh.includes(k)), [], 'keys missing from zh-CN');
  assert.ok(zh.length > 100, `expected a full dictionary, found ${zh.length} keys`);
});

test('no string is empty or only whitespace', () => {
  for (const [locale, dict] of Object.entries(dictionaries)) {
    const empty = Object.entries(dict).filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
    assert.deepEqual(empty, [], `empty strings in ${locale}`);
  }
});

test('each translation uses the same {placeholders} as its Chinese original', () => {
  const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const mismatched = Object.keys(zhCN).filter((k) => names(dictionaries['zh-CN'][k]!).join() !== names(dictionaries['en-US'][k]!).join());
  assert.deepEqual(mismatched, []);
});

test('English strings contain no Chinese except the language names', () => {
  const cjk = /[\u4e00-\u9fff]/;
  const leaked = Object.entries(enUS).filter(([k, v]) => cjk.test(v) && k !== 'lang.zh-CN').map(([k]) => k);
  assert.deepEqual(leaked, []);
});

test('the import page says its counts in English that reads right for 1 (no "Import 1 rows")', () => {
  // No plural mechanism: a count stands apart from the noun ("Import rows: 1").
  const countThenPlural = /\{(n|done|total|created|updated|skipped)\}\s+[a-z]+s\b/;
  const wrong = Object.entries(enUS).filter(([k, v]) => k.startsWith('imports.') && countThenPlural.test(v)).map(([k, v]) => `${k}: ${v}`);
  assert.deepEqual(wrong, []);
});
