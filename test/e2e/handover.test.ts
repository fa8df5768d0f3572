/**
 * Handover and public pool in a real browser (docs/archive.md): the Shanghai manager hands a
 * departing rep's accounts to a colleague and completes it; the pool page as manager and rep,
 * and a manager assigning a pool account to a rep.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { httpLogin } from '../helpers/server.ts';
import { browserSuite, shot, signIn, visibleText } from './browser.ts';

const app = browserSuite();
const MANAGER = { email: 'manager@demo.keyline.dev', password: 'keyline-demo' };
const REP = { email: 'rep@demo.keyline.dev', password: 'keyline-demo' };

async function api<T>(cookie: string, apiPath: string): Promise<T> {
  const res = await fetch(`${app.url}/api/v1${apiPath}`, { headers: { cookie } });
  if (!res.ok) throw new Error(`${apiPath}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('Handover and pool in the browser', () => {
  test('a manager hands over a departing rep and completes it', async () => {
    const cookie = await httpLogin(app.url, MANAGER.email, MANAGER.password);
    // A rep of the manager's branch who owns accounts, other than the demo sign-in rep.
    const reps = await api<{ items: { id: number; name: string; email: string }[] }>(
      cookie,
      '/users?role=rep&active=true&limit=200',
    );
    let leaver: { id: number; name: string } | undefined;
    for (const rep of reps.items.filter((x) => !x.email.startsWith('rep@'))) {
      const owned = await api<{ total: number }>(cookie, `/accounts?ownerId=${rep.id}&limit=1`);
      if (owned.total > 0) {
        leaver = rep;
        break;
      }
    }
    assert.ok(leaver, 'a rep with accounts exists in the demo');
    const page = await app.page();
    await signIn(page, app.url, MANAGER.email, MANAGER.password);
    await page.waitForURL(`${app.url}/`);
    await page.goto(`${app.url}/handovers`);
    await page.getByTestId('departing-user').click();
    await page.keyboard.type(leaver.name);
    await page.locator('.ant-select-item-option').filter({ hasText: leaver.name }).first().click();
    const drafts = async () =>
      (await api<{ items: { fromUser: { id: number } }[] }>(cookie, '/handovers?status=draft&limit=200')).items.filter(
        (h) => h.fromUser.id === leaver!.id,
      ).length;
    await page.getByTestId('start-handover').click();
    // Picking a person asks first: nothing is created until the confirmation.
    await page.locator('.ant-popconfirm').getByText(leaver.name).waitFor();
    assert.equal(await drafts(), 0, 'no handover record before the confirmation');
    await shot(page, 'handover-0-confirm');
    await page.locator('.ant-popconfirm').getByRole('button', { name: '发起交接' }).click();
    await page.waitForURL(/\/handovers\/\d+$/);
    assert.equal(await drafts(), 1);
    assert.match(await visibleText(page.locator('h3').filter({ hasText: leaver.name })), new RegExp(leaver.name));
    await page.getByTestId('handover-items').locator('tbody tr.ant-table-row').first().waitFor();
    await shot(page, 'handover-1-inventory');
    // Deal rows say what the successor takes on: status, stage and probability, amount.
    const dealState = page.getByTestId('handover-deal-state').first();
    await dealState.waitFor();
    assert.match(await visibleText(dealState), /(进行中|赢单|丢单|放弃)[\s\S]*¥/);

    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    await page.getByTestId('handover-next').click();
    await page.waitForFunction('window.scrollY === 0');
    await page.getByTestId('bulk-successor').click();
    await page.keyboard.type('王芳');
    await page.locator('.ant-select-item-option').filter({ hasText: '王芳' }).first().click();
    await page.getByTestId('bulk-apply').click();
    await page.getByText('已保存').first().waitFor();
    await page
      .getByTestId('handover-items')
      .getByText('未指定')
      .first()
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
    await shot(page, 'handover-2-successors');

    await page.getByTestId('handover-next').click();
    const notes = page.locator('[data-testid^="note-"]');
    const count = await notes.count();
    for (let i = 0; i < count; i++) {
      const card = notes.nth(i);
      await card.locator('textarea').nth(0).fill('合作稳定，二期项目实施中。');
      await card.locator('textarea').nth(1).fill('验收报告待签字，尾款月底前跟进。');
      await card.locator('textarea').nth(2).fill('采购总监：每周沟通一次。');
      await card.getByRole('button', { name: /保存说明/ }).click();
      await card.getByText('已填写').waitFor();
    }
    await shot(page, 'handover-3-notes');

    await page.getByTestId('handover-next').click();
    assert.match(await visibleText(page.getByText('可以完成交接')), /可以完成交接/);
    await shot(page, 'handover-4-review');
    await page.getByTestId('handover-complete').click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /完成交接并停用账号/ })
      .click();
    assert.match(await visibleText(page.locator('.ant-result-title')), new RegExp(`${leaver.name} 的交接已完成`));
    await shot(page, 'handover-5-completed');

    const users = await api<{ items: { id: number; active: boolean }[] }>(cookie, `/users?limit=500`);
    assert.equal(users.items.find((u) => u.id === leaver!.id)!.active, false);
    assert.equal((await api<{ total: number }>(cookie, `/accounts?ownerId=${leaver.id}&limit=1`)).total, 0);
    await page.close();
  });

  test("the pool page: the manager's view and a rep claiming with confirmation", async () => {
    const page = await app.page();
    await signIn(page, app.url, MANAGER.email, MANAGER.password);
    await page.waitForURL(`${app.url}/`);
    await page.goto(`${app.url}/accounts/pool`);
    await page.getByTestId('pool-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('pool-events').locator('tbody tr.ant-table-row').first().waitFor();
    await shot(page, 'pool-manager');
    await page.close();

    const repPage = await app.page();
    await signIn(repPage, app.url, REP.email, REP.password);
    await repPage.waitForURL(`${app.url}/`);
    await repPage.goto(`${app.url}/accounts/pool`);
    const allowance = await visibleText(repPage.getByTestId('pool-allowance'));
    const before = Number(/还可领取 (\d+)/.exec(allowance)![1]);
    const row = repPage.getByTestId('pool-table').locator('tbody tr.ant-table-row').first();
    const name = (await row.locator('td:not(.ant-table-selection-column)').first().innerText()).trim();
    await row.getByRole('button', { name: /领\s*取/ }).click();
    await shot(repPage, 'pool-rep-confirm', false);
    await repPage
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /领\s*取/ })
      .click();
    await repPage
      .getByText(`已领取“${name.split('\n')[0]}”`)
      .first()
      .waitFor();
    const after = Number(/还可领取 (\d+)/.exec(await visibleText(repPage.getByTestId('pool-allowance')))![1]);
    assert.equal(after, before - 1);
    await shot(repPage, 'pool-rep');
    assert.deepEqual(app.errors, []);
    await repPage.close();
  });

  test('a manager assigns a pool account to a rep: the row leaves the pool and the log shows it', async () => {
    const page = await app.page();
    await signIn(page, app.url, MANAGER.email, MANAGER.password);
    await page.waitForURL(`${app.url}/`);
    await page.goto(`${app.url}/accounts/pool`);
    const row = page.getByTestId('pool-table').locator('tbody tr.ant-table-row').first();
    const button = row.locator('[data-testid^="assign-"]');
    const id = Number((await button.getAttribute('data-testid'))!.slice('assign-'.length));
    const name = (await row.locator('td:not(.ant-table-selection-column)').first().innerText()).trim().split('\n')[0]!;
    await button.click();
    await page.getByTestId('pool-assign-user').click();
    await page.keyboard.type('王芳');
    await page.locator('.ant-select-item-option').filter({ hasText: '王芳' }).first().click();
    // The reason is required: without it nothing is sent.
    await page.getByTestId('pool-assign-ok').click();
    await page.locator('#reason_help, .ant-form-item-explain-error').first().waitFor();
    await page.getByTestId('pool-assign-reason').fill('熟悉汽车行业');
    await shot(page, 'pool-assign', false);
    await page.getByTestId('pool-assign-ok').click();
    await page.getByText(`已将「${name}」分配给 王芳`).first().waitFor();
    await page.getByTestId(`assign-${id}`).waitFor({ state: 'detached' });
    const events = page.getByTestId('pool-events').locator('tbody tr.ant-table-row');
    await events.filter({ hasText: name }).filter({ hasText: '经理分配' }).first().waitFor();
    const logged = await visibleText(events);
    for (const part of ['经理分配', name, '王芳', '熟悉汽车行业'])
      assert.ok(logged.includes(part), `newest pool event names ${part}: ${logged}`);
    const cookie = await httpLogin(app.url, MANAGER.email, MANAGER.password);
    const account = await api<{ ownerName: string | null; inPool: boolean }>(cookie, `/accounts/${id}`);
    assert.deepEqual([account.ownerName, account.inPool], ['王芳', false]);
    await shot(page, 'pool-assigned');
    assert.deepEqual(app.errors, []);
    await page.close();
  });
});
