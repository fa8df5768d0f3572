/**
 * Each role's home page in a real browser (issue 11: a desk worth opening every morning), in both
 * languages on a 1440-pixel screen and a 390-pixel phone, on the demo company: a rep's day, week,
 * quarter and own desk; a manager's team quarter, reviews due, missing weekly reports, callbacks and
 * compliance; the director's and the admin's dashboard; the auditor's callbacks. Each card's count
 * is checked against the API of the list its link opens, and the links keep their filters.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apiCall, browserSuite, settled, shot, signIn, visibleText } from './browser.ts';

const app = browserSuite();
const PASSWORD = 'keyline-demo';
const LOCALES = ['zh-CN', 'en-US'] as const;
const SCREENS = [
  { name: '1440', viewport: { width: 1440, height: 900 }, phone: false },
  { name: '390', viewport: { width: 390, height: 844 }, phone: true },
] as const;
type Locale = (typeof LOCALES)[number];
type Screen = (typeof SCREENS)[number];

async function home(email: string, locale: Locale, screen: Screen): Promise<Page> {
  const page = await app.page({ viewport: screen.viewport, phone: screen.phone, locale });
  await signIn(page, app.url, email, PASSWORD);
  await page.waitForURL(`${app.url}/`);
  const saved = await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
  assert.equal(saved.status(), 200);
  await page.reload();
  await page.getByTestId('home-greeting').waitFor();
  return page;
}

/** A badge's number (the card's total) once the card has loaded. */
async function total(page: Page, testId: string): Promise<number> {
  return Number(await visibleText(page.getByTestId(`${testId}-total`)));
}

async function noSidewaysScroll(page: Page) {
  const wide = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  assert.ok(Number(wide) <= 1, `the page scrolls sideways by ${String(wide)} px`);
}

async function noComingSoon(page: Page, locale: Locale) {
  const text = await page.locator('main, .ant-layout-content').first().innerText();
  assert.doesNotMatch(text, locale === 'zh-CN' ? /即将推出|业务模块/ : /Coming soon|The areas of Keyline/);
}

describe("Each role's home page", () => {
  for (const locale of LOCALES)
    for (const screen of SCREENS) {
      const tag = `${locale}-${screen.name}`;

      test(`a rep's home: today, the week, the quarter and their own desk (${tag})`, async () => {
        const page = await home('rep@demo.keyline.dev', locale, screen);
        const me = await apiCall<{ user: { id: number } }>(page, 'GET', '/auth/me');
        for (const card of ['home-today', 'home-week', 'home-quarter', 'desk-attention', 'desk-overdue'])
          await settled(page.getByTestId(card));
        // The desk holds the rep's own deals and accounts, as the lists count them.
        const attention = await apiCall<{ total: number }>(
          page,
          'GET',
          `/opportunities/attention?ownerId=${me.user.id}&limit=1`,
        );
        assert.equal(await total(page, 'desk-attention'), attention.total);
        const overdue = await apiCall<{ total: number }>(
          page,
          'GET',
          `/accounts?ownerId=${me.user.id}&overdue=true&archived=false&limit=1`,
        );
        assert.equal(await total(page, 'desk-overdue'), overdue.total);
        // The week's reports as the weekly-report page has them.
        const report = await apiCall<{ planSubmittedAt: number | null }>(page, 'GET', '/weekly-reports');
        assert.match(
          await visibleText(page.getByTestId('home-week-plan')),
          report.planSubmittedAt
            ? locale === 'zh-CN'
              ? /已提交/
              : /submitted/
            : locale === 'zh-CN'
              ? /未提交/
              : /not submitted/,
        );
        // The quarter is the rep's own.
        const forecast = await apiCall<{ scope: { name: string }; quota: number }>(page, 'GET', '/forecasts');
        assert.match(forecast.scope.name, /王芳/);
        if (forecast.quota === 0) await page.getByTestId('home-quarter-no-quota').waitFor();
        await settled(page.getByTestId('desk-closing'));
        await noComingSoon(page, locale);
        if (screen.phone) await noSidewaysScroll(page);
        await shot(page, `home-rep-${tag}`);

        // "View all" on the deals closing this month keeps the filter: the rep's own, this month, no long shots.
        const more = page.getByTestId('desk-closing').locator('.ant-card-extra a');
        if ((await more.count()) > 0) {
          const href = (await more.getAttribute('href'))!;
          const query = new URLSearchParams(href.split('?')[1]);
          assert.equal(query.get('ownerId'), String(me.user.id));
          assert.equal(query.get('minProbability'), '11');
          assert.match(query.get('closeTo') ?? '', /^\d{4}-\d{2}-(28|29|30|31)$/);
          const listed = await apiCall<{ total: number }>(page, 'GET', `/opportunities?${query.toString()}&limit=1`);
          assert.equal(await total(page, 'desk-closing'), listed.total);
          await more.click();
          await page.waitForURL(/\/opportunities\/list\?/);
          await page.getByTestId('min-probability-filter').waitFor();
        }
        assert.deepEqual(app.errors, []);
        await page.close();
      });

      test(`a manager's home: the team's quarter, reviews due, missing reports, callbacks, compliance (${tag})`, async () => {
        const page = await home('manager@demo.keyline.dev', locale, screen);
        await settled(page.getByTestId('director-dashboard'));
        for (const card of ['home-review', 'home-reports', 'home-callbacks', 'home-cadence', 'desk-attention'])
          await settled(page.getByTestId(card));
        const review = await apiCall<{ total: number }>(page, 'GET', '/weekly-review?due=checkpoints&limit=1');
        assert.equal(await total(page, 'home-review'), review.total);
        const callbacks = await apiCall<{ total: number }>(page, 'GET', '/callbacks?state=not_confirmed&limit=1');
        assert.equal(await total(page, 'home-callbacks'), callbacks.total);
        const team = await apiCall<{ items: unknown[]; missing: { plan: number; summary: number } }>(
          page,
          'GET',
          '/weekly-reports/team',
        );
        if (team.missing.plan > 0)
          assert.match(
            await visibleText(page.getByTestId('home-reports-plan')),
            new RegExp(`${team.missing.plan}\\s?(人|people|person)`),
          );
        const compliance = await apiCall<{ totals: { accounts: number; compliance: number | null } }>(
          page,
          'GET',
          '/cadence/compliance',
        );
        if (compliance.totals.accounts > 0)
          assert.match(
            await visibleText(page.getByTestId('home-cadence-rate')),
            new RegExp(`${compliance.totals.compliance ?? 0}%`),
          );
        // The review card opens the 1-15-30 review narrowed to the checkpoints due.
        const reviewLink = page.getByTestId('home-review').locator('.ant-card-extra a');
        if ((await reviewLink.count()) > 0)
          assert.equal(await reviewLink.getAttribute('href'), '/weekly-review?due=checkpoints');
        await noComingSoon(page, locale);
        if (screen.phone) await noSidewaysScroll(page);
        await shot(page, `home-manager-${tag}`);
        assert.deepEqual(app.errors, []);
        await page.close();
      });

      test(`the director's and the admin's home: the director's dashboard (${tag})`, async () => {
        for (const who of ['director', 'admin'] as const) {
          const page = await home(`${who}@demo.keyline.dev`, locale, screen);
          await settled(page.getByTestId('director-dashboard'));
          assert.equal(await page.getByTestId('desk').count(), 0, 'no desk of records to work: they own none');
          await noComingSoon(page, locale);
          if (screen.phone) await noSidewaysScroll(page);
          await shot(page, `home-${who}-${tag}`);
          await page.close();
        }
        assert.deepEqual(app.errors, []);
      });

      test(`the auditor's home: the callbacks to make and today (${tag})`, async () => {
        const page = await home('auditor@demo.keyline.dev', locale, screen);
        await settled(page.getByTestId('home-auditor-callbacks'));
        await settled(page.getByTestId('home-today'));
        const open = await apiCall<{ total: number }>(page, 'GET', '/callbacks?state=open&limit=1');
        assert.equal(await total(page, 'home-auditor-callbacks'), open.total);
        if (open.total === 0)
          assert.match(
            await visibleText(page.getByTestId('home-auditor-callbacks')),
            locale === 'zh-CN' ? /经理抽样后/ : /draws the sample/,
          );
        await noComingSoon(page, locale);
        if (screen.phone) await noSidewaysScroll(page);
        await shot(page, `home-auditor-${tag}`);
        assert.deepEqual(app.errors, []);
        await page.close();
      });
    }
});
