/** Both interface languages must cover exactly the same strings, none left empty. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import { enUS } from '../../web/src/i18n/en-US.ts';
import { formatMessage, placeholderNames } from '../../web/src/i18n/format.ts';

const dictionaries = { 'zh-CN': zhCN as Record<string, string>, 'en-US': enUS as Record<string, string> };

test('zh-CN and en-US have exactly the same keys', () => {
  const zh = Object.keys(zhCN).sort();
  const en = Object.keys(enUS).sort();
  assert.deepEqual(
    zh.filter((k) => !en.includes(k)),
    [],
    'keys missing from en-US',
  );
  assert.deepEqual(
    en.filter((k) => !zh.includes(k)),
    [],
    'keys missing from zh-CN',
  );
  assert.ok(zh.length > 100, `expected a full dictionary, found ${zh.length} keys`);
});

test('no string is empty or only whitespace', () => {
  for (const [locale, dict] of Object.entries(dictionaries)) {
    const empty = Object.entries(dict)
      .filter(([, v]) => typeof v !== 'string' || v.trim() === '')
      .map(([k]) => k);
    assert.deepEqual(empty, [], `empty strings in ${locale}`);
  }
});

test('each translation uses the same {placeholders} as its Chinese original', () => {
  const mismatched = Object.keys(zhCN).filter(
    (k) => placeholderNames(dictionaries['zh-CN'][k]!).join() !== placeholderNames(dictionaries['en-US'][k]!).join(),
  );
  assert.deepEqual(mismatched, []);
});

test('English strings contain no Chinese except the language names', () => {
  const cjk = /[\u4e00-\u9fff]/;
  const leaked = Object.entries(enUS)
    .filter(([k, v]) => cjk.test(v) && k !== 'lang.zh-CN')
    .map(([k]) => k);
  assert.deepEqual(leaked, []);
});

/** Placeholders that hold a count: a noun after one of them needs its plural forms. */
const COUNTS =
  /\{(n|count|days|total|done|max|min|held|limit|remaining|accounts|changed|pool|assigned|months|created|updated|skipped|rows|key)\}\s+(?:[a-z-]+\s+){0,2}?([a-z]+)\b/g;

test('English says a count with the noun in the right form: never "1 evidence items" (issue 11)', () => {
  // A count right before a noun is written {n, plural, one {# item} other {# items}}.
  const wrong = Object.entries(enUS)
    .filter(([, value]) =>
      [...value.matchAll(COUNTS)].some((m) => /s$/.test(m[2]!) && !['is', 'was', 'has', 'does'].includes(m[2]!)),
    )
    .map(([k, v]) => `${k}: ${v}`);
  assert.deepEqual(wrong, []);
  for (const [key, message] of Object.entries(enUS)) {
    const counted = [...message.matchAll(/\{(\w+), plural,/g)].map((m) => m[1]!);
    const vars = Object.fromEntries(placeholderNames(message).map((p) => [p, 1]));
    if (counted.length)
      assert.doesNotMatch(formatMessage('en-US', message, vars), /plural|[{}#]/, `${key}: a well-formed plural`);
  }
});

test("the message formatter picks the form by the language's rules and fills the count", () => {
  const template = '{n, plural, one {# evidence item} other {# evidence items}} · {who}';
  assert.equal(formatMessage('en-US', template, { n: 1, who: '王芳' }), '1 evidence item · 王芳');
  assert.equal(formatMessage('en-US', template, { n: 0, who: 'x' }), '0 evidence items · x');
  assert.equal(formatMessage('en-US', template, { n: 12, who: 'x' }), '12 evidence items · x');
  assert.equal(formatMessage('zh-CN', '{n} 项证据', { n: 1 }), '1 项证据');
  assert.deepEqual(placeholderNames(template), ['n', 'who']);
});

test("the app's words for coded values are the words imports accept and exports write", async () => {
  const { INDUSTRY_LABELS, SIZE_LABELS, STATUS_LABELS, LEAD_SOURCE_LABELS } =
    await import('../../src/domain/coded-labels.ts');
  const vocabularies = {
    'accounts.industry': INDUSTRY_LABELS,
    'accounts.size': SIZE_LABELS,
    'accounts.status': STATUS_LABELS,
    'accounts.leadSource': LEAD_SOURCE_LABELS,
  };
  const differing: string[] = [];
  for (const [prefix, labels] of Object.entries(vocabularies))
    for (const [code, words] of Object.entries(labels)) {
      const key = `${prefix}.${code}`;
      if (dictionaries['zh-CN'][key] !== words.zh)
        differing.push(`${key} zh: ${dictionaries['zh-CN'][key]} ≠ ${words.zh}`);
      if (dictionaries['en-US'][key] !== words.en)
        differing.push(`${key} en: ${dictionaries['en-US'][key]} ≠ ${words.en}`);
    }
  assert.deepEqual(differing, []);
});
