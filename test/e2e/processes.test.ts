/**
 * Sales processes in Settings (docs/sales-process.md § Sales processes and stages): an administrator copies the seven-steps template (七步法),
 * raises one stage's win probability, adds an evidence item that needs a note, and after a reload
 * finds both saved; copies the small-project template, adds a stage, drags a stage into a new
 * place (giving it a fitting probability), removes one, is told which opportunity blocks removing
 * another, and after a reload finds the new order. Runs the real server on the demo company and
 * the built web app (npm run build:web).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { apiCall, browserSuite, settled, shot, signIn, TIMEOUT, visibleText, pickOption } from './browser.ts';

const app = browserSuite();
const ADMIN = { email: 'admin@demo.keyline.dev', password: 'keyline-demo' };

interface Stage {
  id: number;
  name: string;
  probability: number;
  evidence: { key: string; label: string; requires: string }[];
}

/** Drags with real pointer events in small steps, as dnd-kit's pointer sensor expects. */
async function drag(page: Page, from: Locator, to: Locator) {
  const fromBox = await from.boundingBox();
  const toBox = await to.boundingBox();
  assert.ok(fromBox && toBox, 'handle and target are on screen');
  await page.mouse.move(fromBox.x + fromBox.width / 2, fromBox.y + fromBox.height / 2);
  await page.mouse.down();
  await page.mouse.move(fromBox.x + fromBox.width / 2 + 4, fromBox.y + fromBox.height / 2 + 8, { steps: 4 });
  await page.mouse.move(toBox.x + toBox.width / 2, toBox.y + toBox.height / 2, { steps: 20 });
  await page.mouse.up();
}

/** The stage headers of the open editor, as "n. name p%". */
async function stageHeaders(editor: Locator): Promise<string[]> {
  const texts = await editor.locator('[data-testid^="stage-header-"]').allInnerTexts();
  return texts.map((text) =>
    text
      .replace(/\s+/g, ' ')
      .replace(/ \d+ 项证据| 成交阶段/g, '')
      .trim(),
  );
}

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
    // Said in Chinese from the problem's { min, max }, not the server's English (issue 11).
    await stage
      .locator('.ant-form-item-explain-error', { hasText: /^应介于 0–20 之间$/ })
      .waitFor({ timeout: TIMEOUT });

    await page.reload();
    await page.getByTestId('processes-table').getByText(name).click();
    await editor.waitFor();
    await page.getByTestId('stage-header-1').click();
    const again = editor.locator('.ant-collapse-item').nth(1);
    assert.equal(await again.getByRole('spinbutton').first().inputValue(), '15');
    const saved = again.getByTestId('evidence-item').last();
    assert.equal(await saved.getByPlaceholder('证据名称').inputValue(), 'Decision maker met 决策人已见面');
    // The machine's key is kept but never shown (issue 11: `need_confirmed` on screen).
    assert.ok(!(await editor.innerText()).includes('decision_maker_met'), 'no evidence key on screen');
    assert.equal(await saved.getByLabel('标识').count(), 0, 'no key field');
    assert.match(await visibleText(saved.locator('.ant-select')), /需要填写说明/);
    assert.match(await visibleText(page.getByTestId('stage-header-1')), /15%/);

    const list = (await (await page.request.get(`${app.url}/api/v1/sales-processes?includeInactive=true`)).json()) as {
      items: { id: number; name: string }[];
    };
    const id = list.items.find((p) => p.name === name)?.id;
    assert.ok(id, 'the copied process is listed');
    const full = (await (await page.request.get(`${app.url}/api/v1/sales-processes/${id}`)).json()) as {
      stages: Stage[];
    };
    assert.equal(full.stages[1]!.probability, 15);
    assert.deepEqual(full.stages[1]!.evidence.at(-1), {
      key: 'decision_maker_met',
      label: 'Decision maker met 决策人已见面',
      requires: 'note',
    });

    await page.getByTestId('stage-header-1').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot(page, 'sales-process-editor', false);
    // The one 400 is the refused probability above.
    assert.deepEqual(
      app.errors.filter((e) => !/status of 400/.test(e)),
      [],
    );
    await page.close();
  });

  test('add a stage, drag one into a new place, remove one, reload and find the order saved', async () => {
    const page = await app.page();
    await signIn(page, app.url, ADMIN.email, ADMIN.password);
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await page.goto(`${app.url}/settings/processes`);
    await page.getByTestId('processes-table').waitFor();

    const name = `小项目测试${Date.now().toString(36)}`;
    await page.getByTestId('process-copy').click();
    await page.getByTestId('template-small').click();
    await page.locator('.ant-modal #name').fill(name);
    await page.getByTestId('process-copy-submit').click();
    const editor = page.getByTestId('process-editor');
    await editor.waitFor();
    assert.deepEqual(await stageHeaders(editor), ['1. 意向 20%', '2. 方案 35%', '3. 谈判 70%', '4. 成交 100%']);
    // Close the open first stage so every header is on screen.
    await page.getByTestId('stage-header-0').click();
    await editor.locator('.ant-collapse-item-active').waitFor({ state: 'detached' });

    // Add a stage before the won stage: its probability lies between 70% and 100%.
    await page.getByTestId('stage-add').click();
    const adding = await settled(page.locator('.ant-modal').filter({ has: page.getByTestId('stage-add-form') }));
    assert.match(await visibleText(adding), /70%–100%/);
    await adding.getByTestId('stage-add-name').fill('合同审批');
    await adding.getByRole('spinbutton').first().fill('80');
    await page.getByTestId('stage-add-submit').click();
    await page.getByText('已添加阶段“合同审批”').waitFor({ timeout: TIMEOUT });
    // The new stage opens for the rest of its settings; close it again.
    await editor.locator('.ant-collapse-item-active').filter({ hasText: '合同审批' }).waitFor();
    await page.getByTestId('stage-header-3').click();
    await editor.locator('.ant-collapse-item-active').waitFor({ state: 'detached' });
    assert.deepEqual(await stageHeaders(editor), [
      '1. 意向 20%',
      '2. 方案 35%',
      '3. 谈判 70%',
      '4. 合同审批 80%',
      '5. 成交 100%',
    ]);

    // Drag 意向 onto 方案: in its new place it needs a probability of 35%–70%.
    await drag(page, page.getByTestId('stage-drag-0'), page.getByTestId('stage-header-1'));
    const fit = await settled(page.locator('.ant-modal').filter({ has: page.getByTestId('stage-fit-save') }));
    assert.match(await visibleText(fit), /须介于 35% 和 70% 之间/);
    await fit.getByRole('spinbutton').fill('40');
    await page.getByTestId('stage-fit-save').click();
    await page.getByText('阶段顺序已保存').waitFor({ timeout: TIMEOUT });
    await page.getByTestId('stage-header-0').filter({ hasText: '方案' }).waitFor();
    assert.deepEqual(await stageHeaders(editor), [
      '1. 方案 35%',
      '2. 意向 40%',
      '3. 谈判 70%',
      '4. 合同审批 80%',
      '5. 成交 100%',
    ]);

    // Remove 合同审批, confirming first.
    await page.getByTestId('stage-menu-3').click();
    await page.locator('.ant-dropdown:visible').getByText('删除阶段').click();
    await settled(page.locator('.ant-modal').filter({ hasText: '删除阶段“合同审批”？' }));
    await page.getByTestId('stage-remove-confirm').click();
    await page.getByText('已删除阶段“合同审批”').waitFor({ timeout: TIMEOUT });

    // A stage an opportunity is in cannot be removed: the dialog says which one to move first.
    const processes = await apiCall<{ items: { id: number; name: string }[] }>(page, 'GET', '/sales-processes');
    const id = processes.items.find((p) => p.name === name)!.id;
    const account = (await apiCall<{ items: { id: number }[] }>(page, 'GET', '/accounts?limit=1')).items[0]!;
    const oppName = `阶段占用测试${Date.now().toString(36)}`;
    await apiCall(page, 'POST', '/opportunities', {
      accountId: account.id,
      name: oppName,
      processId: id,
      amount: 100_000_00,
      expectedCloseDate: '2027-06-30',
    });
    await page.getByTestId('stage-menu-0').click();
    await page.locator('.ant-dropdown:visible').getByText('删除阶段').click();
    await settled(page.locator('.ant-modal').filter({ hasText: '删除阶段“方案”？' }));
    await page.getByTestId('stage-remove-confirm').click();
    const inUse = await visibleText(page.getByTestId('stage-in-use').locator('xpath=..'));
    assert.match(inUse, /有 1 个商机处于这个阶段（进行中 1 个，已关闭 0 个）/);
    assert.match(inUse, new RegExp(oppName));
    await page.keyboard.press('Escape');

    await page.reload();
    await page.getByTestId('processes-table').getByText(name).click();
    await editor.waitFor();
    assert.deepEqual(await stageHeaders(editor), ['1. 方案 35%', '2. 意向 40%', '3. 谈判 70%', '4. 成交 100%']);
    const full = await apiCall<{ stages: Stage[] }>(page, 'GET', `/sales-processes/${id}`);
    assert.deepEqual(
      full.stages.map((s) => [s.name, s.probability]),
      [
        ['方案', 35],
        ['意向', 40],
        ['谈判', 70],
        ['成交', 100],
      ],
    );
    await page.getByTestId('stage-header-0').click();
    await editor.locator('.ant-collapse-item-active').waitFor({ state: 'detached' });
    await shot(page, 'sales-process-stages', false);
    // The only refusals are the first test's probability (400) and the stage in use here (409).
    assert.deepEqual(
      app.errors.filter((e) => !/status of 40[09]/.test(e)),
      [],
    );
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
