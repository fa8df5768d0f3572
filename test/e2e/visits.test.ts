/**
 * Visits in a real browser (docs/rhythm.md § Activities, § Visit plan and review): a rep logs a
 * visit from an account on a phone in two taps; plans a visit, where a FAB point without its
 * benefit is refused by the server beside the benefit's input; and reviews a visit objective by
 * objective, its next step becoming a task — in both languages, with screenshots.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apiCall, browserSuite, settled, shot, signIn } from './browser.ts';

const app = browserSuite();
const REP = { email: 'rep@demo.keyline.dev', password: 'keyline-demo' };
const LOCALES = ['zh-CN', 'en-US'] as const;
const PHONE = { width: 390, height: 844 };

async function signedInRep(locale: (typeof LOCALES)[number], phone: boolean) {
  // A loaded machine (the suite shares two cores) renders slowly: wait longer than the default.
  const page = await app.page({
    viewport: phone ? PHONE : { width: 1440, height: 900 },
    phone,
    locale,
    timeout: 30_000,
  });
  await signIn(page, app.url, REP.email, REP.password);
  await page.waitForURL(`${app.url}/`);
  await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
  return page;
}

/** One of the rep's own accounts (the demo gives every rep some). */
async function myAccount(page: Page, skip = 0) {
  const me = await apiCall<{ user: { id: number } }>(page, 'GET', '/auth/me');
  const accounts = await apiCall<{ items: { id: number; name: string }[] }>(
    page,
    'GET',
    `/accounts?ownerId=${me.user.id}&limit=5&sort=name`,
  );
  const account = accounts.items[skip];
  assert.ok(account, 'the demo rep owns accounts');
  return account;
}

const visitsOf = (page: Page, accountId: number) =>
  apiCall<{ items: { id: number; status: string; hasPlan: boolean; reviewed: boolean }[] }>(
    page,
    'GET',
    `/activities?accountId=${accountId}&limit=50`,
  );

describe('Visits in the browser', () => {
  for (const locale of LOCALES) {
    const lang = locale.slice(0, 2);

    test(`a rep logs a visit from an account on a phone in two taps (${locale}, 390 px)`, async () => {
      const page = await signedInRep(locale, true);
      const account = await myAccount(page, 0);
      const before = (await visitsOf(page, account.id)).items.length;
      await page.goto(`${app.url}/accounts/${account.id}`);
      await page.getByTestId('log-activity').tap();
      const save = await settled(page.getByTestId('activity-save'));
      await shot(page, `visits-log-phone-${lang}`, false);
      // A photo of the whiteboard, say: the file is uploaded and attached as the visit is saved.
      await page
        .locator('.ant-drawer input[type=file]')
        .setInputFiles({ name: 'visit-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('现场纪要') });
      await page.locator('.ant-drawer').getByText('visit-notes.txt').waitFor();
      await save.tap();
      await save.waitFor({ state: 'detached' });
      const after = await visitsOf(page, account.id);
      assert.equal(after.items.length, before + 1, 'one visit logged');
      assert.equal(after.items[0]?.status, 'done');
      const logged = await apiCall<{ attachments: { fileName: string }[] }>(
        page,
        'GET',
        `/activities/${after.items[0]!.id}`,
      );
      assert.deepEqual(
        logged.attachments.map((file) => file.fileName),
        ['visit-notes.txt'],
      );
      await shot(page, `visits-logged-phone-${lang}`, false);
    });

    test(`a rep plans a visit: the benefit of a FAB point is required (${locale})`, async () => {
      const page = await signedInRep(locale, locale === 'en-US');
      const account = await myAccount(page, 1);
      await page.goto(`${app.url}/accounts/${account.id}`);
      await page.getByTestId('plan-visit').click();
      await settled(page.getByTestId('plan-form'));
      await page
        .getByTestId('plan-objective-0')
        .fill(locale === 'zh-CN' ? '确认预算和采购时间' : 'Confirm budget and timing');
      await page.getByPlaceholder(locale === 'zh-CN' ? '特征（F）' : 'Feature (F)').fill('SaaS');
      await page.getByTestId('plan-save').click();
      // The server refuses plan.fab.0.benefit; its sentence stands under the benefit's input.
      const benefitItem = page.locator('.ant-form-item').filter({ has: page.getByTestId('plan-benefit-0') });
      const error = await benefitItem.locator('.ant-form-item-explain-error').innerText();
      assert.match(error, locale === 'zh-CN' ? /必填|填写/ : /required/i);
      await shot(page, `visits-plan-benefit-required-${lang}`, false);
      await page.getByTestId('plan-benefit-0').fill(locale === 'zh-CN' ? '上线快，三周见效' : 'Live in three weeks');
      await page.getByTestId('plan-save').click();
      await page.getByTestId('plan-form').waitFor({ state: 'hidden' });
      const planned = (await visitsOf(page, account.id)).items.find((a) => a.hasPlan && a.status === 'planned');
      assert.ok(planned, 'a planned visit with its plan');
    });

    test(`a rep reviews a planned visit objective by objective; the next step becomes a task (${locale})`, async () => {
      const page = await signedInRep(locale, false);
      const account = await myAccount(page, 2);
      const visit = await apiCall<{ id: number }>(page, 'POST', `/accounts/${account.id}/activities`, {
        type: 'visit',
        status: 'planned',
        startAt: Date.now() - 3_600_000,
        subject: `E2E ${lang}`,
        plan: {
          objectives: [{ text: '介绍方案' }, { text: '约技术交流' }],
          fab: [{ feature: '私有部署', benefit: '数据不出厂' }],
          spin: { situation: ['现在用什么系统？'], problem: [], implication: [], needPayoff: [] },
        },
      });
      await page.goto(`${app.url}/activities?planned=true&mine=true`);
      await page.getByTestId('activities-table').getByText(`E2E ${lang}`).click();
      await settled(page.getByTestId('visit-plan-view'));
      await page.getByTestId('visit-review').click();
      const form = await settled(page.getByTestId('review-form'));
      const results = locale === 'zh-CN' ? ['达成', '未达成'] : ['Achieved', 'Not achieved'];
      await form.getByTestId('review-objective-0').getByText(results[0]!, { exact: true }).click();
      await form.getByTestId('review-objective-1').getByText(results[1]!, { exact: true }).click();
      await page.getByTestId('review-save').click();
      // A missed objective needs its why: the server names review.objectives.1.note.
      await form.getByTestId('review-objective-1').locator('.ant-form-item-explain-error').waitFor();
      await form
        .getByTestId('review-objective-1')
        .locator('textarea')
        .fill(locale === 'zh-CN' ? '客户临时有会' : 'The CTO was called away');
      await page.getByTestId('review-add-step').click();
      await page
        .getByTestId('review-step-0')
        .locator('input')
        .first()
        .fill(locale === 'zh-CN' ? '发送技术资料' : 'Send the technical brief');
      await shot(page, `visits-review-form-${lang}`, false);
      await page.getByTestId('review-save').click();
      await form.waitFor({ state: 'hidden' });
      await page.getByTestId('plan-result-1').getByText(results[1]!).waitFor();
      await shot(page, `visits-plan-vs-result-${lang}`, false);
      const detail = await apiCall<{ reviewed: boolean; review: { nextSteps: { taskId: number | null }[] } }>(
        page,
        'GET',
        `/activities/${visit.id}`,
      );
      assert.ok(detail.reviewed);
      assert.ok(detail.review.nextSteps[0]?.taskId, 'the next step is a task');
    });
  }

  for (const locale of LOCALES) {
    test(`an admin chooses which activity types count as a qualifying follow-up (${locale})`, async () => {
      const page = await app.page({ viewport: { width: 1440, height: 900 }, locale, timeout: 30_000 });
      await signIn(page, app.url, 'admin@demo.keyline.dev', 'keyline-demo');
      await page.waitForURL(`${app.url}/`);
      await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
      await page.goto(`${app.url}/settings/rules`);
      const types = page.getByTestId('rules-qualifying');
      const email = types.getByText(locale === 'zh-CN' ? '邮件' : 'Email', { exact: true });
      const before = await apiCall<{ qualifyingActivityTypes: string[] }>(page, 'GET', '/workspace/rules');
      await email.click();
      const saved = page.waitForResponse(
        (res) => res.url().includes('/workspace/rules') && res.request().method() === 'PATCH',
      );
      await page.getByTestId('rules-save').click();
      assert.equal((await saved).status(), 200);
      const toggled = before.qualifyingActivityTypes.includes('email') ? [] : ['email'];
      const after = await apiCall<{ qualifyingActivityTypes: string[] }>(page, 'GET', '/workspace/rules');
      assert.equal(after.qualifyingActivityTypes.includes('email'), toggled.length === 1);
      // The form remounts on the new rule version before the saved toast shows: scroll the remounted one.
      await page.locator('.ant-message-success').waitFor();
      await types.scrollIntoViewIfNeeded();
      await shot(page, `visits-rules-qualifying-${locale.slice(0, 2)}`, false);
    });
  }

  test('no console errors but the refusals the tests provoked', () => {
    assert.deepEqual(
      app.errors.filter((e) => !/status of 400/.test(e)),
      [],
    );
  });
});
