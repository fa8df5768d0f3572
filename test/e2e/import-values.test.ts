/**
 * The import's value-mapping step reads in the reader's language (docs/archive.md § Import and export, issue 11):
 * every vocabulary it asks about — industry, size, lead source, account status, the deal's status and loss
 * reason, and the workspace's processes and stages — offers its choices in the page's language, the shipped
 * template names of processes and stages too (an English reader saw 方案 in the dropdown). Each dropdown is
 * opened and read, in Chinese and in English, with screenshots.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apiCall, browserSuite, shot, signIn, useEnglish } from './browser.ts';
import { codesOf, labelsOf, type CodedField } from '../../src/domain/import-vocabulary.ts';
import { shippedTranslations } from '../../src/domain/shipped-texts.ts';
import type { ImportJob } from '../../src/contracts/imports.ts';

const app = browserSuite();
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };
const CHINESE = /[\u4e00-\u9fff]/;
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

type Lang = 'zh-CN' | 'en-US';

async function upload(page: Page, kindLabel: RegExp, fileName: string, csv: string) {
  await page.locator('.ant-radio-button-wrapper', { hasText: kindLabel }).click();
  await page
    .locator('input[type="file"]')
    .first()
    .setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-validate').waitFor();
}

/** The job the page is on (its id is in the address once the file is read). */
async function currentJob(page: Page): Promise<ImportJob> {
  const jobs = await apiCall<{ items: { id: number }[] }>(page, 'GET', '/imports?limit=1');
  return apiCall<ImportJob>(page, 'GET', `/imports/${jobs.items[0]!.id}`);
}

/** One line of the value-mapping table as a person reads it: the value, what is picked, and every choice offered. */
async function readLine(page: Page, value: string, picture?: string) {
  const line = page.getByTestId('import-values').locator('tbody tr.ant-table-row', { hasText: value });
  const select = line.locator('.ant-select');
  const picked = (await select.innerText()).trim();
  await select.click();
  const dropdown = page.locator('.ant-select-dropdown:visible');
  await dropdown.waitFor();
  const options = (await dropdown.locator('.ant-select-item-option').allInnerTexts()).map((text) => text.trim());
  if (picture) await shot(page, picture, false);
  await page.keyboard.press('Escape');
  await dropdown.waitFor({ state: 'hidden' });
  // The first choice is "leave unmatched"; the rest are the vocabulary.
  return { picked, choices: options.slice(1) };
}

const labelsIn = (field: CodedField, lang: Lang) =>
  codesOf(field).map((code) => (lang === 'zh-CN' ? labelsOf(field)[code]!.zh : labelsOf(field)[code]!.en));

/** The workspace names offered for a process or stage, as a reader of this language sees them. */
function namesIn(choices: readonly string[], lang: Lang) {
  const table = shippedTranslations()[lang === 'zh-CN' ? 'zh' : 'en'];
  return choices.map((name) => table.get(name) ?? name);
}

async function accountName(page: Page): Promise<string> {
  const accounts = await apiCall<{ items: { name: string; ownerId: number | null }[] }>(
    page,
    'GET',
    '/accounts?limit=20&sort=name',
  );
  return accounts.items.find((account) => account.ownerId !== null)!.name;
}

const FILES: Record<Lang, { accounts: (stamp: string) => string; deals: (account: string, stamp: string) => string }> =
  {
    'zh-CN': {
      accounts: (stamp) =>
        [
          '客户名称,行业,规模,线索来源,状态',
          `E2E 取值甲 ${stamp},建材,10-49人,展销会,活跃`,
          `E2E 取值乙 ${stamp},新能源,,,`,
          `E2E 取值丙 ${stamp},汽车零部件,,,`,
        ].join('\n'),
      deals: (account, stamp) =>
        [
          '客户名称,商机名称,销售流程,阶段,金额（元）,预计成交日期,状态,丢单原因',
          `${account},E2E 取值商机 ${stamp} 一,小项目,方案阶段,90000,${isoDay(45)},进行中,`,
          `${account},E2E 取值商机 ${stamp} 二,小单,意向,90000,${isoDay(45)},进行中,`,
          `${account},E2E 取值商机 ${stamp} 三,小项目,意向,50000,${isoDay(-10)},黄了,`,
          `${account},E2E 取值商机 ${stamp} 四,小项目,意向,50000,${isoDay(-10)},丢单,太贵`,
        ].join('\n'),
    },
    'en-US': {
      accounts: (stamp) =>
        [
          'Name,Industry,Size,Lead source,Status',
          `E2E values one ${stamp},Auto parts,10-49 people,Trade show,Active`,
          `E2E values two ${stamp},Building materials,,,`,
        ].join('\n'),
      deals: (account, stamp) =>
        [
          'Account,Opportunity,Sales process,Stage,Amount (yuan),Expected close date,Status,Loss reason',
          `${account},E2E value deal ${stamp} one,Small project,Proposal stage,90000,${isoDay(45)},Open,`,
          `${account},E2E value deal ${stamp} two,Small deal,Intent,90000,${isoDay(45)},Open,`,
          `${account},E2E value deal ${stamp} three,Small project,Intent,50000,${isoDay(-10)},Gone,`,
          `${account},E2E value deal ${stamp} four,Small project,Intent,50000,${isoDay(-10)},Lost,Too expensive`,
        ].join('\n'),
    },
  };

/** What each language's files hold that the vocabulary does not, and what the page should pick for it. */
const EXPECTED: Record<
  Lang,
  {
    accounts: [CodedField, string, string | null][];
    deals: [CodedField | 'process' | 'stage', string, string | null][];
  }
> = {
  'zh-CN': {
    accounts: [
      ['industry', '建材', '建筑'],
      ['industry', '新能源', '能源'],
      ['industry', '汽车零部件', '汽车'],
      ['size', '10-49人', null],
      ['leadSource', '展销会', null],
      ['status', '活跃', null],
    ],
    deals: [
      ['stage', '方案阶段', '方案'],
      ['process', '小单', null],
      ['dealStatus', '黄了', null],
      ['lossReason', '太贵', null],
    ],
  },
  'en-US': {
    accounts: [
      ['industry', 'Auto parts', 'Automotive'],
      ['industry', 'Building materials', 'Construction'],
      ['size', '10-49 people', null],
      ['leadSource', 'Trade show', 'Exhibition'],
      ['status', 'Active', null],
    ],
    deals: [
      ['stage', 'Proposal stage', 'Proposal'],
      ['process', 'Small deal', null],
      ['dealStatus', 'Gone', null],
      ['lossReason', 'Too expensive', null],
    ],
  },
};

const UNMATCHED: Record<Lang, RegExp> = { 'zh-CN': /^不对应/, 'en-US': /^No match/ };

async function checkLanguage(lang: Lang) {
  const page = await app.page({ viewport: { width: 1440, height: 1000 }, timeout: 15_000 });
  await signIn(page, app.url, MANAGER.email, MANAGER.password);
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  if (lang === 'en-US') await useEnglish(page);
  const suffix = lang === 'zh-CN' ? 'zh' : 'en';
  const stamp = Date.now().toString(36);
  const account = await accountName(page);

  // Accounts: industry, size, lead source and status.
  await page.goto(`${app.url}/accounts/import`);
  await upload(page, lang === 'zh-CN' ? /^客户$/ : /^Accounts$/, 'values.csv', FILES[lang].accounts(stamp));
  await page.getByTestId('import-validate').click();
  await page.getByTestId('import-values').waitFor();
  await shot(page, `import-values-1-accounts-${suffix}`);
  const lines = await page.getByTestId('import-values').locator('tbody tr.ant-table-row').count();
  assert.equal(lines, EXPECTED[lang].accounts.length, 'one line per unknown value');
  for (const [index, [field, value, suggestion]] of EXPECTED[lang].accounts.entries()) {
    const seen = await readLine(page, value, index === 0 ? `import-values-2-industry-open-${suffix}` : undefined);
    assert.deepEqual(seen.choices, labelsIn(field, lang), `${field} ${value}: the whole vocabulary, in ${lang}`);
    if (suggestion) assert.equal(seen.picked, suggestion, `${value} suggests ${suggestion}`);
    else assert.match(seen.picked, UNMATCHED[lang], `${value}: nothing picked`);
  }

  // Opportunities: the process and stage names of the workspace, the deal's status and loss reason.
  await page.goto(`${app.url}/accounts/import`);
  await upload(page, lang === 'zh-CN' ? /^商机$/ : /^Opportunities$/, 'deals.csv', FILES[lang].deals(account, stamp));
  await page.getByTestId('import-validate').click();
  await page.getByTestId('import-values').waitFor();
  await shot(page, `import-values-3-deals-${suffix}`);
  const job = await currentJob(page);
  assert.deepEqual(
    job.unknownValues.map((unknown) => [unknown.field, unknown.value]).sort(),
    EXPECTED[lang].deals.map(([field, value]) => [field, value]).sort(),
  );
  for (const [field, value, suggestion] of EXPECTED[lang].deals) {
    const seen = await readLine(page, value, field === 'stage' ? `import-values-4-stage-open-${suffix}` : undefined);
    if (field === 'process' || field === 'stage') {
      const offered = job.unknownValues.find((unknown) => unknown.field === field)!.choices!;
      assert.deepEqual(seen.choices, namesIn(offered, lang), `${field}: the workspace's names in ${lang}`);
      if (lang === 'en-US')
        assert.ok(!seen.choices.some((name) => CHINESE.test(name)), `${field}: no Chinese: ${seen.choices.join(', ')}`);
    } else assert.deepEqual(seen.choices, labelsIn(field, lang), `${field}: the vocabulary in ${lang}`);
    if (suggestion) assert.equal(seen.picked, suggestion, `${value} suggests ${suggestion}`);
    else assert.match(seen.picked, UNMATCHED[lang], `${value}: nothing picked`);
  }
  if (lang === 'en-US') await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale: 'zh-CN' } });
  assert.deepEqual(app.errors, []);
  await page.close();
}

describe('The value-mapping step in the reader’s language', () => {
  test('in Chinese: every vocabulary’s choices read in Chinese, 建材/新能源/汽车零部件 get suggestions', () =>
    checkLanguage('zh-CN'));
  test('in English: every vocabulary’s choices read in English, shipped stage and process names too', () =>
    checkLanguage('en-US'));
});
