/**
 * The audit log shows an event's action and detail as words in both languages (an export's filter
 * and row count, a deactivation by handover) — never "via=handover · handoverId=2" (issue 11).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { detailKeyLabel, detailLine } from '../../web/src/features/audit/detail.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import { enUS } from '../../web/src/i18n/en-US.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((dirent) =>
      dirent.isDirectory()
        ? files(path.join(dir, dirent.name))
        : dirent.name.endsWith('.ts')
          ? [path.join(dir, dirent.name)]
          : [],
    );
const writers = files(path.join(ROOT, 'src/modules'))
  .map((f) => ({ file: path.relative(ROOT, f), text: fs.readFileSync(f, 'utf8') }))
  .filter((f) => f.text.includes('recordAudit('));

test('an export reads as its row count, format and the filter used, empty filters left out', () => {
  const detail = { filter: { q: '华为', tier: 'A', ownerId: undefined, industry: '' }, rows: 120, format: 'xlsx' };
  assert.equal(detailLine(detail, 'zh-CN'), '筛选条件：搜索 华为、分级 A · 行数：120 · 格式：Excel');
  assert.equal(detailLine(detail, 'en-US'), 'filter: search 华为, tier A · rows: 120 · format: Excel');
  assert.equal(detailLine({ filter: {}, rows: 0, format: 'csv' }, 'en-US'), 'rows: 0 · format: CSV');
});

test('a deactivation by handover reads as words, ids as numbers', () => {
  assert.equal(detailLine({ via: 'handover', handoverId: 2 }, 'zh-CN'), '途径：离职交接 · 交接单：#2');
  assert.equal(detailLine({ via: 'handover', handoverId: 2 }, 'en-US'), 'via: handover · handover: #2');
  assert.equal(detailLine({ reason: 'wrong_password' }, 'zh-CN'), '原因：密码错误');
  assert.equal(detailLine({ canExport: true }, 'zh-CN'), '可导出：是');
  assert.equal(detailLine(null), '');
  assert.equal(detailLine('plain'), 'plain');
});

test('every key a writer puts in an audit detail has words in both languages', () => {
  const keys = new Map<string, string>();
  for (const { file, text } of writers) {
    for (const match of text.matchAll(/detail: \{([^}]*)\}/g)) {
      // Top-level keys of the literal: `a`, `b: x`, not the spreads (`...r`) or nested literals' keys.
      for (const part of match[1]!.split(',')) {
        const key = /^\s*(\w+)\s*(?::|$)/.exec(part)?.[1];
        if (key && !part.trim().startsWith('...')) keys.set(key, file);
      }
    }
  }
  assert.ok(keys.size > 20, `found the writers' keys: ${[...keys.keys()].join(', ')}`);
  const missing = [...keys]
    .filter(([k]) => !detailKeyLabel('zh-CN', k) || !detailKeyLabel('en-US', k))
    .map(([k, f]) => `${k} (${f})`);
  assert.deepEqual(missing, [], 'add words for them in web/src/features/audit/detail.ts');
  for (const key of keys.keys())
    assert.match(detailKeyLabel('zh-CN', key)!, /[\u4e00-\u9fff]/, `${key}: Chinese words`);
});

test('every audit action a writer records has a name in both languages', () => {
  const actions = new Set<string>();
  for (const { text } of writers)
    for (const match of text.matchAll(/action: (?:[^'`\n]*\? )?'([\w.]+)'/g)) actions.add(match[1]!);
  assert.ok(actions.size > 20);
  const say = (dict: Record<string, string>, a: string) => dict[`audit.action.${a}`];
  const missing = [...actions].filter((a) => !say(zhCN, a) || !say(enUS as Record<string, string>, a));
  assert.deepEqual(missing, []);
});
