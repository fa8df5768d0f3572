/**
 * Sales processes in Settings (SPEC §5.1): an administrator copies the seven-steps template (七步法),
 * raises one stage's win probability, adds an evidence item that needs a note, and after a reload
 * finds both saved. Runs the real server on the demo company and the built web app (npm run build:web).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, shot, signIn, TIMEOUT, visibleText, pickOption } from './browser.ts';

const app = browserSuite();
const ADMIN = { email: 'admin@demo.keyline.dev', password: 'keyline-demo' };

interface Stage { id: number; name: string; probability: number; evidence: { key: string; label: string; requires: string }[] }

describe('Sales processes in the browser', () => {
  test('copy the seven-steps template, edit a stage, reload and find it saved', async () => {
    const page = await app.page();
    await signIn(page, app.url, ADMIN.email, ADMIN.password);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));

    await page.goto(`${app.url}/settings/processes`);
    await page.getByTestId('processes-table').waitFor();
    assert.match(await visibleText(page.getByTestId('process-history-note')), /不会改写历史/);

    const name = `七步法测试${Date.now().toString(36)}`;
    await page.getByTestId('process-copy').click();
    await page.getByTestId('template-seven_steps').click();
    assert.match(await visibleText(page.getByTestId('template-preview')), /目标客户 · 0%[\s\S]*销售实现 · 100%/);
    await page.locator('.ant-modal #name').fill(name);
    await page.getByTestId('process-copy-submit').click();
    const editor = page.getByTestId('process-editor');
    await editor.waitFor();

    // The second stage (潜在客户, 10%) lies between 0% and 20%.
    const items = editor.locator('.ant-collapse-item');
    assert.equal(await items.count(), 7);
    await page.getByTestId('stage-header-1').click();
    const stage = items.nth(1);
    assert.match(await visibleText(stage.getByText(/必须介于相邻阶段之间/)), /0%–20%/);
    await stage.getByRole('spinbutton').first().fill('15');
    await stage.getByTestId('evidence-add').click();
    const item = stage.getByTestId('evidence-item').last();
    await item.getByPlaceholder('证据名称').fill('Decision maker met 决策人已见面');
    await item.locator('.ant-select').click();
    await pickOption(page, '需要填写说明');
    await stage.getByTestId('stage-save').click();
    await page.getByText(/阶段“潜在客户”已保存/).waitFor({ timeout: TIMEOUT });

    // A probability outside its neighbours is refused beside the field.
    await stage.getByRole('spinbutton').first().fill('25');
    await stage.getByTestId('stage-save').click();
    await stage.locator('.ant-form-item-explain-error', { hasText: /neighbouring|相邻/ }).waitFor({ timeout: TIMEOUT });

    await page.reload();
    await page.getByTestId('processes-table').getByText(name).click();
    await editor.waitFor();
    await page.getByTestId('stage-header-1').click();
    const again = editor.locator('.ant-collapse-item').nth(1);
    assert.equal(await again.getByRole('spinbutton').first().inputValue(), '15');
    const saved = again.getByTestId('evidence-item').last();
    assert.equal(await saved.getByPlaceholder('证据名称').inputValue(), 'Decision maker met 决策人已见面');
    assert.equal(await saved.getByLabel('标识').inputValue(), 'decision_maker_met');
    assert.match(await visibleText(saved.locator('.ant-select')), /需要填写说明/);
    assert.match(await visibleText(page.getByTestId('stage-header-1')), /15%/);

    const list = await (await page.request.get(`${app.url}/api/v1/sales-processes?includeInactive=true`)).json() as { items: { id: number; name: string }[] };
    const id = list.items.find((p) => p.name === name)?.id;
    assert.ok(id, 'the copied process is listed');
    const full = await (await page.request.get(`${app.url}/api/v1/sales-processes/${id}`)).json() as { stages: Stage[] };
    assert.equal(full.stages[1]!.probability, 15);
    assert.deepEqual(full.stages[1]!.evidence.at(-1), { key: 'decision_maker_met', label: 'Decision maker met 决策人已见面', requires: 'note' });

    await page.getByTestId('stage-header-1').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot(page, 'sales-process-editor', false);
    // The one 400 is the refused probability above.
    assert.deepEqual(app.errors.filter((e) => !/status of 400/.test(e)), []);
    await page.close();
  });

  test('the opportunities list keeps saved views, like the accounts list', async () => {
    const page = await app.page();
    await signIn(page, app.url, ADMIN.email, ADMIN.password);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await page.goto(`${app.url}/opportunities/list?status=open&q=${encodeURIComponent('项目')}`);
    await page.getByTestId('saved-views').waitFor();
    const view = `进行中视图${Date.now().toString(36)}`;
    await page.getByRole('button', { name: /保存视图/ }).click();
    await page.locator('.ant-modal input').fill(view);
    await page.locator('.ant-modal .ant-btn-primary').click();
    await page.getByText('视图已保存').waitFor({ timeout: TIMEOUT });

    await page.goto(`${app.url}/opportunities/list`);
    await page.getByTestId('saved-views').click();
    await pickOption(page, view);
    await page.waitForURL((u) => u.searchParams.get('status') === 'open' && u.searchParams.get('q') === '项目');
    // The search box shows the view's text once the list re-renders with it.
    const search = page.getByTestId('opp-search').locator('input');
    for (let i = 0; i < 50 && (await search.inputValue()) !== '项目'; i++) await page.waitForTimeout(100);
    assert.equal(await search.inputValue(), '项目');
    await page.close();
  });
});
