/**
 * The sales-process journey in a real browser (docs/sales-process.md): a rep opens the board of the small-project
 * process (小项目), drags their opportunity from the first stage to the next, gives the evidence in the
 * dialog (a tick and a note), and finds the move with its evidence in the opportunity's stage history.
 * Runs the real server on the demo company and the built web app (npm run build:web).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { browserSuite, pickOption, settled, shot, signIn, visibleText, apiCall } from './browser.ts';

const app = browserSuite();
const REP = { email: 'rep@demo.keyline.dev', password: 'keyline-demo' };

interface Stage {
  id: number;
  name: string;
  position: number;
  evidence: { key: string; label: string; requires: string }[];
}

/** The demo rep signed in, with the small-project process and its first two stages. */
async function repOnSmallProcess() {
  const page = await app.page({ viewport: { width: 1440, height: 900 } });
  await signIn(page, app.url, REP.email, REP.password);
  await page.waitForURL(`${app.url}/`);
  const me = await apiCall<{ user: { id: number } }>(page, 'GET', '/auth/me');
  const processes = await apiCall<{ items: { id: number; templateKey: string | null }[] }>(
    page,
    'GET',
    '/sales-processes',
  );
  const small = processes.items.find((p) => p.templateKey === 'small')!;
  const [first, second] = [
    ...(await apiCall<{ stages: (Stage & { probability: number })[] }>(page, 'GET', `/sales-processes/${small.id}`))
      .stages,
  ].sort((x, y) => x.position - y.position);
  assert.ok(first && second);
  return { page, me, small, first, second };
}

/** Drags with real pointer events in small steps, as dnd-kit's pointer sensor expects. */
async function drag(page: Page, from: ReturnType<Page['locator']>, to: ReturnType<Page['locator']>) {
  const fromBox = await from.boundingBox();
  const toBox = await to.boundingBox();
  assert.ok(fromBox && toBox, 'card and column are on screen');
  await page.mouse.move(fromBox.x + fromBox.width / 2, fromBox.y + 20);
  await page.mouse.down();
  await page.mouse.move(fromBox.x + fromBox.width / 2 + 10, fromBox.y + 25, { steps: 4 });
  await page.mouse.move(toBox.x + toBox.width / 2, toBox.y + 120, { steps: 20 });
  await page.mouse.up();
}

describe('Opportunities in the browser', () => {
  test('drag a card to the next stage, give the evidence, see it in the stage history', async () => {
    const page = await app.page({ viewport: { width: 1440, height: 900 } });
    await signIn(page, app.url, REP.email, REP.password);
    await page.waitForURL(`${app.url}/`);
    const me = await apiCall<{ user: { id: number; name: string } }>(page, 'GET', '/auth/me');

    // The small-project process and its first two stages.
    const processes = await apiCall<{ items: { id: number; name: string; templateKey: string | null }[] }>(
      page,
      'GET',
      '/sales-processes',
    );
    const small =
      processes.items.find((p) => p.templateKey === 'small') ?? processes.items.find((p) => p.name.includes('小项目'));
    assert.ok(small, 'the demo has the 小项目 process');
    const process = await apiCall<{ stages: Stage[] }>(page, 'GET', `/sales-processes/${small.id}`);
    const [first, second] = [...process.stages].sort((x, y) => x.position - y.position);
    assert.ok(first && second);

    // A card of the rep's in the first column: a fresh one with a unique name, on an account of theirs.
    const mine = await apiCall<{ items: { accountId: number }[] }>(
      page,
      'GET',
      `/opportunities?ownerId=${me.user.id}&limit=1`,
    );
    const accounts = await apiCall<{ items: { id: number; ownerId: number | null }[] }>(
      page,
      'GET',
      '/accounts?limit=100',
    );
    const accountId = mine.items[0]?.accountId ?? accounts.items.find((a) => a.ownerId === me.user.id)?.id;
    assert.ok(accountId, 'the rep has an account');
    const name = `E2E 阶段推进 ${Date.now().toString(36)}`;
    const opp = await apiCall<{ id: number; stageId: number }>(page, 'POST', '/opportunities', {
      accountId,
      name,
      processId: small.id,
      amount: 8_800_000,
      expectedCloseDate: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10),
    });
    assert.equal(opp.stageId, first.id, 'a new opportunity starts in the first stage');

    // The board of 小项目, narrowed to the card by the search filter (in the URL).
    await page.goto(`${app.url}/opportunities/board?processId=${small.id}`);
    const columns = page.getByTestId('board-column');
    await columns.first().waitFor();
    assert.equal(await columns.count(), process.stages.length, 'one column per stage');
    assert.equal(await columns.first().getAttribute('data-stage-name'), first.name);
    await shot(page, 'opportunity-board', false);

    const search = page.getByTestId('opp-search').locator('input');
    await search.fill(name);
    await search.press('Enter');
    await page.waitForURL(/q=E2E/);
    const firstCol = page.locator(`[data-testid="board-column"][data-stage-id="${first.id}"]`);
    const secondCol = page.locator(`[data-testid="board-column"][data-stage-id="${second.id}"]`);
    const card = firstCol.locator(`[data-opp-id="${opp.id}"]`);
    // The search narrows the board to the one card (the count waits for the filtered answer).
    await firstCol.getByTestId('column-count').filter({ hasText: /^1$/ }).waitFor();
    assert.equal(await visibleText(card.getByTestId('opp-card-link')), name);

    // Drag to the next stage: the evidence dialog lists the first stage's items.
    await drag(page, card, secondCol);
    const dialog = page.locator('.ant-modal').filter({ has: page.getByTestId('evidence-dialog-body') });
    await settled(dialog);
    for (const evidenceItem of first.evidence)
      assert.ok((await dialog.innerText()).includes(evidenceItem.label), `the dialog lists "${evidenceItem.label}"`);

    // Confirming with nothing given: the server's 422 lists what is missing, in the dialog.
    await page.getByTestId('move-confirm').click();
    await page.getByTestId('evidence-missing').waitFor();
    assert.match(
      await visibleText(page.getByTestId('evidence-missing')),
      new RegExp(`还缺 ${first.evidence.length} 项证据`),
    );

    // Tick every item; write the note where one is asked for.
    const note = '客户 CIO 在 11 月 20 日的会上确认了需求';
    for (const evidenceItem of first.evidence) {
      if (evidenceItem.requires === 'note') await page.getByTestId(`evidence-note-${evidenceItem.key}`).fill(note);
      const box = page.getByTestId(`evidence-${evidenceItem.key}`);
      if (!(await box.isChecked())) await box.check();
    }
    assert.ok(
      first.evidence.some((e) => e.requires === 'note'),
      'the first stage asks for a note',
    );
    await shot(page, 'evidence-dialog', false);
    await page.getByTestId('move-confirm').click();
    await dialog.waitFor({ state: 'hidden' });

    // The card is in the next column now, and the server agrees.
    await secondCol.locator(`[data-opp-id="${opp.id}"]`).waitFor();
    assert.equal(await firstCol.locator(`[data-opp-id="${opp.id}"]`).count(), 0);
    const after = await apiCall<{ stageId: number; stageName: string }>(page, 'GET', `/opportunities/${opp.id}`);
    assert.equal(after.stageId, second.id);

    // The opportunity page: stage and probability in the header, the move and its evidence in the stage history.
    await secondCol.locator(`[data-opp-id="${opp.id}"]`).getByTestId('opp-card-link').click();
    await page.waitForURL(`${app.url}/opportunities/${opp.id}`);
    assert.match(await visibleText(page.getByTestId('opp-stage')), new RegExp(second.name));
    // What the new stage asks for: its evidence, to be given when leaving it.
    const panel = await visibleText(page.getByTestId('stage-panel'));
    for (const evidenceItem of second.evidence)
      assert.ok(panel.includes(evidenceItem.label), `the stage panel lists "${evidenceItem.label}"`);
    await page.getByRole('tab', { name: '阶段历史' }).click();
    const entries = page.getByTestId('stage-history-entry');
    await entries.first().waitFor();
    assert.equal(await entries.count(), 2);
    const left = entries.filter({ hasText: first.name });
    const leftText = await visibleText(left);
    assert.match(leftText, /推进/);
    assert.ok(leftText.includes(note), 'the note given as evidence is shown');
    for (const evidenceItem of first.evidence)
      assert.ok(leftText.includes(evidenceItem.label), `the evidence "${evidenceItem.label}" is listed`);
    assert.match(await visibleText(entries.first()), /当前阶段/);
    await page.waitForTimeout(400); // the tab's ink bar slides in
    await shot(page, 'opportunity-page');

    // The timeline tells the same move: from which stage to which, with the evidence given.
    await page.getByRole('tab', { name: '动态' }).click();
    const move = page.getByTestId('event-stage_moved').first();
    const moveText = await visibleText(move);
    assert.ok(
      moveText.includes(first.name) && moveText.includes(second.name),
      `the move ${first.name} → ${second.name}: ${moveText}`,
    );
    assert.match(moveText, new RegExp(`提交证据 ${first.evidence.length} 项`));
    await shot(page, 'opportunity-timeline');

    // The one 422 is the refused move above (the browser logs every error answer).
    assert.deepEqual(
      app.errors.filter((e) => !/status of 422/.test(e)),
      [],
    );
    await page.close();
  });

  test("a past close date is red on an open card only: a won deal's close date is history", async () => {
    const { page, me, small } = await repOnSmallProcess();
    type Row = {
      id: number;
      version: number;
      name: string;
      status: string;
      expectedCloseDate: string | null;
      closedAt: number | null;
      ownerId: number;
    };
    const list = async (status: string) =>
      (await apiCall<{ items: Row[] }>(page, 'GET', `/opportunities?processId=${small.id}&status=${status}&limit=100`))
        .items;
    const today = new Date().toISOString().slice(0, 10);
    const won = (await list('won')).find((o) => o.expectedCloseDate !== null && o.expectedCloseDate < today);
    assert.ok(won, 'the demo rep has a won small-project deal closed in the past');
    const open = (await list('open')).find((o) => o.ownerId === me.user.id);
    assert.ok(open, 'the demo rep owns an open deal');
    await apiCall(page, 'PATCH', `/opportunities/${open.id}`, {
      version: open.version,
      expectedCloseDate: '2026-01-05',
    });

    // Each card alone on the board (the search filter), its close date read as the user sees it.
    // The won column holds the deals won in a window of days (by default the last 30): the won deal's day is in it.
    const day = (at: number) => new Date(at).toISOString().slice(0, 10);
    const closeDateOf = async (opp: Row) => {
      const window = opp.closedAt
        ? `&closeFrom=${day(opp.closedAt - 86_400_000)}&closeTo=${day(opp.closedAt + 86_400_000)}`
        : '';
      await page.goto(
        `${app.url}/opportunities/board?processId=${small.id}&q=${encodeURIComponent(opp.name)}${window}`,
      );
      const card = page.locator(`[data-testid="opp-card"][data-opp-id="${opp.id}"]`);
      const date = card.getByTestId('opp-card-close');
      await date.waitFor();
      return {
        text: await visibleText(date),
        danger: await date.evaluate((el) => el.classList.contains('ant-typography-danger')),
      };
    };
    const openDate = await closeDateOf(open);
    assert.match(openDate.text, /2026-01-05/);
    assert.equal(openDate.danger, true, 'an open deal past its close date is flagged');
    const wonDate = await closeDateOf(won);
    assert.match(wonDate.text, new RegExp(won.expectedCloseDate!));
    assert.equal(wonDate.danger, false, 'a won deal closed in the past is not flagged as overdue');
    // The drag test before this one leaves its expected 422 (evidence missing) in the page log.
    assert.deepEqual(
      app.errors.filter((e) => !/status of 422/.test(e)),
      [],
    );
  });

  test("record a stage's evidence as it is collected, see the progress, and find it in the move dialog", async () => {
    const { page, me, small, first, second } = await repOnSmallProcess();
    const noted = first.evidence.find((e) => e.requires === 'note');
    const other = first.evidence.find((e) => e !== noted);
    assert.ok(noted && other, 'the first stage asks for a note and something else');
    const accounts = await apiCall<{ items: { id: number; ownerId: number | null }[] }>(
      page,
      'GET',
      '/accounts?limit=100',
    );
    const accountId = accounts.items.find((a) => a.ownerId === me.user.id)?.id;
    assert.ok(accountId, 'the rep owns an account');
    const opp = await apiCall<{ id: number }>(page, 'POST', '/opportunities', {
      accountId,
      name: `E2E 随做随记 ${Date.now().toString(36)}`,
      processId: small.id,
      amount: 5_600_000,
      expectedCloseDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    });

    // The stage panel: nothing recorded yet; writing the note ticks the item, saving records it.
    await page.goto(`${app.url}/opportunities/${opp.id}`);
    const panel = page.getByTestId('stage-panel');
    await panel
      .getByTestId('evidence-progress')
      .filter({ hasText: `0/${first.evidence.length}` })
      .waitFor();
    const note = '客户 CIO 在技术交流会上确认了需求';
    await panel.getByTestId(`evidence-note-${noted.key}`).fill(note);
    assert.equal(await panel.getByTestId(`evidence-${noted.key}`).isChecked(), true, 'writing the note ticks the item');
    await panel.getByTestId('evidence-save').click();
    await panel
      .getByTestId('evidence-progress')
      .filter({ hasText: `1/${first.evidence.length} 已提交` })
      .waitFor();
    assert.equal(
      await visibleText(page.getByTestId('path-evidence')),
      `证据 1/${first.evidence.length}`,
      'the stage path shows it too',
    );
    assert.equal(await panel.getByTestId('evidence-save').count(), 0, 'nothing left to save');
    const saved = await apiCall<{
      evidence: { key: string; note: string | null }[];
      evidenceStatus: { given: number; required: number };
    }>(page, 'GET', `/opportunities/${opp.id}`);
    assert.deepEqual(
      saved.evidence.map((e) => [e.key, e.note]),
      [[noted.key, note]],
    );
    await shot(page, 'opportunity-stage-evidence', false);

    // The move dialog starts from what was recorded: the item ticked with its note, the rest still to give.
    await page.getByTestId('move-stage').click();
    await page.getByRole('menuitem', { name: `${second.name} · ${second.probability}%` }).click();
    const dialog = page.locator('.ant-modal').filter({ has: page.getByTestId('evidence-dialog-body') });
    await settled(dialog);
    await dialog.getByTestId('evidence-prefilled').waitFor();
    assert.equal(await dialog.getByTestId(`evidence-${noted.key}`).isChecked(), true);
    assert.equal(await dialog.getByTestId(`evidence-note-${noted.key}`).inputValue(), note);
    assert.equal(await dialog.getByTestId(`evidence-${other.key}`).isChecked(), false);
    await dialog.getByTestId(`evidence-${other.key}`).check();
    await dialog.getByTestId('move-confirm').click();
    await dialog.waitFor({ state: 'hidden' });

    // In the next stage the gathering starts over; the stage history keeps what the move gave.
    await page.getByTestId('opp-stage').filter({ hasText: second.name }).waitFor();
    await panel
      .getByTestId('evidence-progress')
      .filter({ hasText: `0/${second.evidence.length}` })
      .waitFor();
    const history = await apiCall<{
      items: { stageId: number; exitEvidence: { key: string; note?: string | null }[] }[];
    }>(page, 'GET', `/opportunities/${opp.id}/stage-history`);
    assert.equal(
      history.items.find((h) => h.stageId === first.id)!.exitEvidence.find((e) => e.key === noted.key)?.note,
      note,
    );
    assert.deepEqual(
      app.errors.filter((e) => !/status of 422/.test(e)),
      [],
    );
    await page.close();
  });

  test('a manager sees what needs attention, reads the qualification and walks the win-strategy wizard', async () => {
    const page = await app.page({ viewport: { width: 1440, height: 900 } });
    await signIn(page, app.url, 'manager@demo.keyline.dev', 'keyline-demo');
    await page.waitForURL(`${app.url}/`);

    // Export of the filtered list (docs/archive.md § Import and export): the downloaded CSV holds the rows the list counts.
    const won = await apiCall<{ total: number }>(page, 'GET', '/opportunities?status=won&limit=1');
    await page.goto(`${app.url}/opportunities/list?status=won&sort=-amount`);
    await page.getByTestId('export-opportunities').hover();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'CSV（UTF-8）' }).click(),
    ]);
    const csv = fs
      .readFileSync(await download.path(), 'utf8')
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    assert.ok(won.total > 0, 'the demo has won opportunities');
    assert.equal(csv.length - 1, won.total);
    assert.ok(
      csv.slice(1).every((line) => line.includes(',赢单,')),
      'only won ones',
    );

    // Needs attention: the three counts are the server's.
    const attention = await apiCall<{
      total: number;
      counts: { stalled: number; no_plan: number; advantage_lost: number };
      items: { id: number }[];
    }>(page, 'GET', '/opportunities/attention?limit=20');
    await page.goto(`${app.url}/opportunities/list?tab=attention`);
    for (const problem of ['stalled', 'no_plan', 'advantage_lost'] as const) {
      await page
        .getByTestId(`attention-${problem}`)
        .filter({ hasText: String(attention.counts[problem]) })
        .waitFor();
    }
    await page
      .locator('.ant-pagination-total-text')
      .filter({ hasText: `共 ${attention.total} 条` })
      .waitFor();
    await shot(page, 'opportunity-attention');

    // A pipeline review of a planless deal: the next action with a date becomes its next step, and "no plan" goes.
    const planless = (
      await apiCall<{ items: { id: number; problems: string[] }[] }>(
        page,
        'GET',
        '/opportunities/attention?problem=no_plan&limit=1',
      )
    ).items[0]!;
    await page.goto(`${app.url}/opportunities/${planless.id}?tab=reviews`);
    await page.locator('#nextAction').fill('陪同客户参观样板工厂');
    await page.locator('#nextActionDate').click();
    await page.locator('.ant-picker-dropdown .ant-picker-cell-today').click();
    await page.locator('#rootCause').click();
    await page.locator('.ant-select-dropdown .ant-select-item-option').filter({ hasText: '执行不力' }).click();
    await page.getByRole('button', { name: '记录盘问' }).click();
    await page.getByText('已记录盘问，并更新了商机的下一步').waitFor();
    const planned = await apiCall<{ nextStep: string | null; problems: string[] }>(
      page,
      'GET',
      `/opportunities/${planless.id}`,
    );
    assert.equal(planned.nextStep, '陪同客户参观样板工厂');
    assert.ok(!planned.problems.includes('no_plan'), planned.problems.join());
    await page
      .locator('.ant-list-item')
      .filter({ hasText: '陪同客户参观样板工厂' })
      .filter({ hasText: '执行不力' })
      .waitFor();
    await shot(page, 'opportunity-review');

    // Marking the advantage lost asks why (the weekly review reads it); the reason is in the history.
    const open = await apiCall<{ items: { id: number }[] }>(
      page,
      'GET',
      '/opportunities/attention?problem=no_plan&limit=20',
    );
    let unmarked: number | undefined;
    for (const opportunity of open.items) {
      const detail = await apiCall<{ advantageMarked: boolean; permissions: { manage: boolean } }>(
        page,
        'GET',
        `/opportunities/${opportunity.id}`,
      );
      if (!detail.advantageMarked && detail.permissions.manage) {
        unmarked = opportunity.id;
        break;
      }
    }
    assert.ok(unmarked, 'the manager has an unmarked deal');
    await page.goto(`${app.url}/opportunities/${unmarked}`);
    await page.getByTestId('opp-more').click();
    await page.getByRole('menuitem', { name: '标记为优势丧失' }).click();
    const marking = page.locator('.ant-modal').filter({ has: page.getByTestId('advantage-reason') });
    await settled(marking);
    await marking.locator('.ant-modal-footer .ant-btn-primary').click();
    await marking.getByText('必填').waitFor();
    await page.getByTestId('advantage-reason').fill('客户新任总经理倾向竞品方案');
    await marking.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByText('已标记为优势丧失').first().waitFor();
    const history = await apiCall<{ items: { field: string; reason: string | null }[] }>(
      page,
      'GET',
      `/opportunities/${unmarked}/history`,
    );
    assert.ok(
      history.items.some((h) => h.field === 'advantage_lost' && h.reason === '客户新任总经理倾向竞品方案'),
      JSON.stringify(history.items),
    );

    // New opportunity from the board: the process of the board is preselected.
    await page.goto(`${app.url}/opportunities/board`);
    await page.getByTestId('board-column').first().waitFor();
    const boardProcess = await visibleText(page.getByTestId('process-picker'));
    await page.getByTestId('new-opportunity').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '新建商机' });
    await settled(modal);
    assert.ok((await modal.innerText()).includes(boardProcess), "the board's process is preselected");
    await shot(page, 'opportunity-new', false);
    await modal.getByRole('button', { name: /取\s*消/ }).click();

    // An opportunity with a saved strategy: the wizard starts from its answers; starting over asks question 1.
    const list = await apiCall<{ items: { id: number }[] }>(
      page,
      'GET',
      '/opportunities?status=open&limit=50&sort=-amount',
    );
    let target: number | undefined;
    for (const opportunity of list.items) {
      const insight = await apiCall<{ strategy: unknown; qualificationScore: number }>(
        page,
        'GET',
        `/opportunities/${opportunity.id}/insight`,
      );
      if (insight.strategy && insight.qualificationScore > 0) {
        target = opportunity.id;
        break;
      }
    }
    assert.ok(target, 'the demo has an opportunity with a qualification and a win strategy');
    const insight = await apiCall<{ qualificationScore: number }>(page, 'GET', `/opportunities/${target}/insight`);
    await page.goto(`${app.url}/opportunities/${target}?tab=qualification`);
    assert.equal(await visibleText(page.getByTestId('qual-score')), String(insight.qualificationScore));
    await page.waitForTimeout(400); // the tab's ink bar slides in
    await shot(page, 'opportunity-qualification');
    await page.goto(`${app.url}/opportunities/${target}?tab=strategy`);
    await page.getByTestId('strategy-result').waitFor();
    await page.getByRole('button', { name: /重新回答/ }).click();
    await page.getByTestId('strategy-question').filter({ hasText: '第 1 问' }).waitFor();
    await page.getByTestId('strategy-no').click();
    await page.getByTestId('strategy-question').filter({ hasText: '对未来的收入重要吗' }).waitFor();
    await page.getByTestId('strategy-yes').click();
    assert.match(await visibleText(page.getByTestId('strategy-result')), /发展/);
    await shot(page, 'opportunity-strategy');
    await page.close();
  });

  test('a customer buying again starts at a later stage, with the evidence of the stage skipped', async () => {
    const { page, me, small, first, second } = await repOnSmallProcess();
    const accounts = await apiCall<{ items: { id: number; name: string; ownerId: number | null }[] }>(
      page,
      'GET',
      '/accounts?limit=100',
    );
    const account = accounts.items.find((a) => a.ownerId === me.user.id);
    assert.ok(account, 'the rep owns an account');

    await page.goto(`${app.url}/opportunities/board?processId=${small.id}`);
    await page.getByTestId('new-opportunity').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '新建商机' });
    await settled(modal);
    await page.getByTestId('new-opp-account').click();
    await page.keyboard.type(account.name);
    await pickOption(page, account.name);
    const name = `E2E 老客户复购 ${Date.now().toString(36)}`;
    await modal.locator('#name').fill(name);
    await modal.locator('#amount').fill('66000');
    await page.getByTestId('new-opp-stage').click();
    await pickOption(page, `${second.name} · ${second.probability}%`);

    // Starting at the second stage skips the first: its checklist appears, the same as in the move dialog.
    const entry = page.getByTestId('entry-evidence');
    const listed = await visibleText(entry);
    for (const evidenceItem of first.evidence)
      assert.ok(listed.includes(evidenceItem.label), `the dialog lists "${evidenceItem.label}"`);
    await modal.locator('.ant-modal-footer .ant-btn-primary').click();
    await entry.getByTestId('evidence-missing').waitFor();
    assert.match(
      await visibleText(entry.getByTestId('evidence-missing')),
      new RegExp(`还缺 ${first.evidence.length} 项证据`),
    );

    const note = '老客户二期扩产，需求已在年度会上确认';
    for (const evidenceItem of first.evidence) {
      if (evidenceItem.requires === 'note') await entry.getByTestId(`evidence-note-${evidenceItem.key}`).fill(note);
      const box = entry.getByTestId(`evidence-${evidenceItem.key}`);
      if (!(await box.isChecked())) await box.check();
    }
    await shot(page, 'opportunity-new-later-stage', false);
    await modal.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.waitForURL(/\/opportunities\/\d+$/);
    assert.match(await visibleText(page.getByTestId('opp-stage')), new RegExp(second.name));
    await page.getByRole('tab', { name: '阶段历史' }).click();
    const entries = page.getByTestId('stage-history-entry');
    await entries.first().waitFor();
    assert.equal(await entries.count(), 2, 'the first stage, left with its evidence, and the stage entered');
    assert.ok((await visibleText(entries.filter({ hasText: first.name }))).includes(note));

    // Closing as won is a move to the won stage: the close dialog hands over to the evidence dialog.
    await page.getByTestId('opp-more').click();
    await page.getByRole('menuitem', { name: '关闭商机…' }).click();
    const closing = page.locator('.ant-modal').filter({ hasText: '关闭商机' });
    await settled(closing);
    await closing.locator('.ant-radio-button-wrapper').filter({ hasText: '赢单' }).click();
    await closing.getByRole('button', { name: '下一步：提交证据' }).click();
    const toWon = page.locator('.ant-modal').filter({ has: page.getByTestId('evidence-dialog-body') });
    await settled(toWon);
    assert.match(await visibleText(toWon), /成交/);
    assert.deepEqual(
      app.errors.filter((e) => !/status of 422/.test(e)),
      [],
    );
    await page.close();
  });

  test('a presales engineer on the team contributes, but does not drag, move, close or change the figures', async () => {
    const page = await app.page({ viewport: { width: 1440, height: 900 } });
    await signIn(page, app.url, 'presales@demo.keyline.dev', 'keyline-demo');
    await page.waitForURL(`${app.url}/`);
    const me = await apiCall<{ user: { id: number } }>(page, 'GET', '/auth/me');
    const open = await apiCall<{ items: { id: number; name: string; ownerId: number; processId: number }[] }>(
      page,
      'GET',
      '/opportunities?status=open&limit=50&sort=-amount',
    );
    const opportunity = open.items.find((x) => x.ownerId !== me.user.id);
    assert.ok(opportunity, "the demo puts presales on the team of others' deals");
    const detail = await apiCall<{ permissions: Record<string, boolean> }>(
      page,
      'GET',
      `/opportunities/${opportunity.id}`,
    );
    assert.deepEqual(detail.permissions, { edit: false, contribute: true, manage: false });

    await page.goto(
      `${app.url}/opportunities/board?processId=${opportunity.processId}&q=${encodeURIComponent(opportunity.name)}`,
    );
    const card = page.locator(`[data-opp-id="${opportunity.id}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-movable'), 'false');
    assert.equal(await card.getByTestId('card-menu').count(), 0, 'no "move to" menu');

    await page.goto(`${app.url}/opportunities/${opportunity.id}`);
    await page.getByTestId('opp-title').waitFor();
    assert.equal(await page.getByTestId('move-stage').count(), 0);
    assert.equal(await page.getByTestId('opp-more').count(), 0, 'no close or reopen');
    await page.getByTestId('edit-next-step').waitFor();
    await page.getByTestId('opp-edit').click();
    const drawer = page.locator('.ant-drawer');
    await settled(drawer);
    await drawer.getByTestId('edit-lead-only').waitFor();
    assert.equal(await drawer.locator('#amount').isDisabled(), true, "the amount is the owner's");
    assert.equal(await drawer.locator('#description').isDisabled(), false, "the description is anyone's on the team");
    assert.deepEqual(
      app.errors.filter((e) => !/status of 422/.test(e)),
      [],
    );
    await page.close();
  });
});
