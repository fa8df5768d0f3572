/**
 * The weekly plan and summary in a real browser (docs/rhythm.md § Weekly plan and summary): a rep
 * writes this week's plan and last week's summary — a problem without a proposed solution is
 * refused beside it — and their manager sees who has not submitted, reads the report and
 * comments. Chinese on a desktop, English on a 390 px phone, with screenshots.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, settled, shot, signIn } from './browser.ts';

const app = browserSuite();
const REP = { email: 'rep@demo.keyline.dev', password: 'keyline-demo' };
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };

describe('Weekly plan and summary in the browser', () => {
  for (const view of [
    { lang: 'zh', locale: 'zh-CN', viewport: { width: 1440, height: 900 }, phone: false },
    { lang: 'en', locale: 'en-US', viewport: { width: 390, height: 844 }, phone: true },
  ] as const) {
    test(`a rep submits the week's plan and summary, the manager reads and comments (${view.lang})`, async () => {
      // A loaded machine (the suite shares two cores) renders slowly: wait longer than the default.
      const open = async (who: { email: string; password: string }) => {
        const page = await app.page({
          viewport: view.viewport,
          locale: view.locale,
          phone: view.phone,
          timeout: 30_000,
        });
        await signIn(page, app.url, who.email, who.password);
        await page.waitForURL(`${app.url}/`);
        await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale: view.locale } });
        return page;
      };
      const rep = await open(REP);
      await rep.goto(`${app.url}/weekly-reports`);
      const plan = rep.getByTestId('weekly-plan');
      await plan.getByTestId('weekly-targets').fill(view.lang === 'zh' ? '拜访 5 家 A 类客户' : 'See five A accounts');
      await plan.getByTestId('weekly-submit').click();
      await plan.locator('.ant-tag-green').waitFor();

      const summary = rep.getByTestId('weekly-summary');
      await summary
        .getByTestId('weekly-done')
        .fill(view.lang === 'zh' ? '完成两次技术交流' : 'Two technical exchanges');
      await summary.getByTestId('weekly-add-problem').click();
      // The other language's run wrote this week's report already: the new problem is the last row.
      const problem = summary.locator('[data-testid^="weekly-problem-"]').last();
      await problem
        .locator('input')
        .first()
        .fill(view.lang === 'zh' ? '报价审批慢' : 'Quote approval is slow');
      await summary.getByTestId('weekly-submit').click();
      // No solution: the server names problems.<i>.solution, and the sentence stands under it.
      const error = problem.locator('.ant-form-item-explain-error');
      assert.match(await error.innerText(), view.lang === 'zh' ? /解决/ : /solution/i);
      await shot(rep, `weekly-solution-required-${view.lang}`, view.phone ? false : true);
      await problem
        .locator('input')
        .nth(1)
        .fill(view.lang === 'zh' ? '申请区域经理授权' : 'Delegate approval to area managers');
      await summary.getByTestId('weekly-submit').click();
      await summary.locator('.ant-tag-green').waitFor();
      await shot(rep, `weekly-mine-${view.lang}`);

      const manager = await open(MANAGER);
      await manager.goto(`${app.url}/weekly-reports?tab=team`);
      await manager.getByTestId('weekly-missing').waitFor();
      await manager.getByTestId('weekly-team-table').locator('tr.ant-table-row').first().waitFor();
      await shot(manager, `weekly-team-${view.lang}`);
      await manager.getByTestId('weekly-team-table').getByText('王芳').click();
      const drawer = await settled(manager.getByTestId('weekly-comment').first());
      await drawer.fill(
        view.lang === 'zh' ? '审批的建议很好，周三一起找总监' : 'Good proposal; let us see the director on Wednesday',
      );
      await manager.getByTestId('weekly-comment-send').first().click();
      await manager
        .getByTestId('weekly-comments')
        .first()
        .getByText(view.lang === 'zh' ? '审批的建议很好' : 'Good proposal')
        .waitFor();
      await shot(manager, `weekly-team-report-${view.lang}`, false);
    });
  }

  test('no console errors but the refusals the tests provoked', () => {
    assert.deepEqual(
      app.errors.filter((e) => !/status of 400/.test(e)),
      [],
    );
  });
});
