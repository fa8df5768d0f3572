/**
 * The lint rule that keeps the web app's dates in the workspace's zone (eslint.config.js, issue 11):
 * every way of turning an instant into a date or time with the browser's zone is refused in a
 * page, and allowed only in web/src/i18n/dates.ts, which formats in the workspace's zone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });
const PAGE = path.join(ROOT, 'web/src/features/example/ExamplePage.tsx');
const HELPER = path.join(ROOT, 'web/src/i18n/dates.ts');

async function zoneProblems(code: string, filePath = PAGE): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const fatal = result!.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`the sample does not parse: ${fatal.message}`);
  return result!.messages.filter((m) => /useDates\(\)/.test(m.message)).map((m) => `${m.line}: ${m.message}`);
}

const BROWSER_ZONE = {
  'dayjs value import': "import dayjs from 'dayjs';\nexport const shown = dayjs(1).toString();\n",
  'dayjs plugin import': "import utc from 'dayjs/plugin/utc';\nexport const plugin = utc;\n",
  'new Date': 'export const shown = String(new Date(1));\n',
  toLocaleDateString: 'export const shown = (d: { toLocaleDateString(): string }) => d.toLocaleDateString();\n',
  toLocaleTimeString: 'export const shown = (d: { toLocaleTimeString(): string }) => d.toLocaleTimeString();\n',
  getHours: 'export const hour = (d: { getHours(): number }) => d.getHours();\n',
  getDate: 'export const day = (d: { getDate(): number }) => d.getDate();\n',
  'Intl.DateTimeFormat': "export const shown = new Intl.DateTimeFormat('zh-CN').format(1);\n",
  'Intl.DateTimeFormat without new': "export const shown = Intl.DateTimeFormat('zh-CN').format(1);\n",
  'a picker value formatted by hand':
    "export const day = (d: { format(p: string): string }) => d.format('YYYY-MM-DD');\n",
  'a time formatted by hand': "export const time = (d: { format(p: string): string }) => d.format('HH:mm');\n",
};

for (const [name, code] of Object.entries(BROWSER_ZONE)) {
  test(`a page may not format a date itself: ${name}`, async () => {
    const problems = await zoneProblems(code);
    assert.equal(problems.length, 1, `expected one zone problem, got ${JSON.stringify(problems)}`);
  });
}

test('what pages do instead passes: useDates, type-only dayjs, numbers and message formats', async () => {
  const code = [
    "import type { Dayjs } from 'dayjs';",
    "import { useDates } from '../../i18n/useDates.ts';",
    'export function useShown(at: number, picked: Dayjs) {',
    '  const dates = useDates();',
    "  return [dates.format(at, 'dateTime'), dates.pickedDay(picked), (1234).toLocaleString('zh-CN'), Date.now()];",
    '}',
    "export const money = new Intl.NumberFormat('zh-CN').format(12);",
    '',
  ].join('\n');
  assert.deepEqual(await zoneProblems(code), []);
});

test('the helper module itself may use dayjs and Intl', async () => {
  const code = [
    "import dayjs from 'dayjs';",
    "export const shown = dayjs(1).format('YYYY-MM-DD');",
    "export const label = new Intl.DateTimeFormat('zh-CN', { timeZone: 'UTC' }).format(1);",
    '',
  ].join('\n');
  assert.deepEqual(await zoneProblems(code, HELPER), []);
});
