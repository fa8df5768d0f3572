/**
 * No reason code reaches the screen raw ("原因：won", issue 11): every code the server writes into
 * the change history is listed (src/domain/history-reasons.ts) and has words in both languages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { HISTORY_REASON_CODES, LEGACY_HISTORY_REASONS } from '../../src/domain/history-reasons.ts';
import { HISTORY_REASON_KEYS } from '../../web/src/features/timeline/reasons.ts';
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

test('every reason code written into the history in src/modules is a listed one', () => {
  const written = new Map<string, string>();
  for (const file of files(path.join(ROOT, 'src/modules'))) {
    const text = fs.readFileSync(file, 'utf8');
    // `reason: 'won'`, `reason ?? 'override'`, `sql.lit('pool_release').as('reason')`
    for (const match of text.matchAll(
      /reason(?:: | \?\? \([^)]*\? )'([a-z_ ]+)'|sql\.lit\('([a-z_]+)'\)\.as\('reason'\)/g,
    ))
      written.set(match[1] ?? match[2]!, path.relative(ROOT, file));
  }
  assert.ok(written.size >= 8, `found the writers: ${[...written.keys()].join(', ')}`);
  const unlisted = [...written]
    .filter(([code]) => !(HISTORY_REASON_CODES as readonly string[]).includes(code))
    .map(([c, f]) => `${c} (${f})`);
  assert.deepEqual(unlisted, [], 'add them to src/domain/history-reasons.ts');
});

test('every reason code reads as words in both languages, old spellings too', () => {
  for (const code of [...HISTORY_REASON_CODES, ...Object.keys(LEGACY_HISTORY_REASONS)]) {
    const key = HISTORY_REASON_KEYS[LEGACY_HISTORY_REASONS[code] ?? (code as keyof typeof HISTORY_REASON_KEYS)];
    const zh = (zhCN as Record<string, string>)[key];
    const en = (enUS as Record<string, string>)[key];
    assert.ok(zh && /^[^a-z_]+$/.test(zh), `${code}: Chinese words, not a code (${zh})`);
    assert.ok(en && en !== code && !en.includes('_'), `${code}: English words (${en})`);
  }
});
