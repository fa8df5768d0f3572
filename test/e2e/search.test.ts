/**
 * Global search in a real browser (docs/search.md): a rep presses "/" anywhere, types part of a
 * contact's name and sees grouped results, moves with the arrow keys and opens one with Enter;
 * pinyin initials find the same person; a text nothing matches says what to try; in English on
 * a phone (in both languages) the header's button opens the same search full width.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pinyin } from 'pinyin-pro';
import { apiCall, browserSuite, shot, signIn, visibleText, useEnglish } from './browser.ts';

const app = browserSuite();
const REP = { email: 'rep@demo.keyline.dev', password: 'keyline-demo' };

describe('Global search in the browser', () => {
  test('"/" opens it, Chinese and pinyin initials find a contact, arrows and Enter open the record, empty state', async () => {
    const page = await app.page({ viewport: { width: 1440, height: 900 } });
    await signIn(page, app.url, REP.email, REP.password);
    await page.waitForURL(`${app.url}/`);
    const { items } = await apiCall<{ items: { name: string; accountId: number }[] }>(
      page,
      'GET',
      '/contacts?limit=1&sort=name',
    );
    const contact = items[0]!;

    // The header (and its key handler) is on screen before "/" is pressed.
    await page.getByTestId('search-input').waitFor();
    await page.locator('body').press('/');
    const box = page.getByTestId('search-input');
    // "/" puts the cursor in the search box.
    await page.locator('[data-testid="search-input"]:focus').waitFor();
    assert.match(await visibleText(page.getByTestId('search-panel')), /拼音首字母/);
    await box.fill(contact.name);
    const contacts = page.getByTestId('search-group-contacts');
    assert.match(await visibleText(contacts), new RegExp(`联系人 · \\d+`));
    await contacts.getByText(contact.name, { exact: true }).first().waitFor();
    await shot(page, 'search-zh', false);

    const initials = pinyin(contact.name, { pattern: 'first', toneType: 'none', type: 'array' }).join('');
    await box.fill(initials);
    await page.getByTestId('search-group-contacts').getByText(contact.name, { exact: true }).first().waitFor();
    await shot(page, 'search-zh-initials', false);

    // The first hit is chosen; Enter opens it (the contacts group's first: its account page).
    // The initials' results also show the name: wait for the answer to the name itself.
    await box.fill(contact.name);
    await page.locator(`[data-testid="search-panel"][data-results-for="${contact.name}"]`).waitFor();
    const labels = await page.getByRole('option').allInnerTexts();
    const at = labels.findIndex((label) => label.startsWith(contact.name));
    assert.ok(at >= 0, `the contact is among the options: ${labels.join(' | ')}`);
    for (let i = 0; i < at; i++) await box.press('ArrowDown');
    await box.press('Enter');
    await page.waitForURL(new RegExp(`/accounts/${contact.accountId}$`));

    await page.keyboard.press('Control+k');
    await box.fill('完全不存在的名字');
    await page.getByTestId('search-panel').getByText('没有找到「完全不存在的名字」', { exact: false }).waitFor();
    await shot(page, 'search-zh-empty', false);
    await box.press('Escape');
  });

  test('in Chinese on a phone: pinyin initials, the results full width', async () => {
    const page = await app.page({ viewport: { width: 390, height: 844 }, phone: true, locale: 'zh-CN' });
    await signIn(page, app.url, REP.email, REP.password);
    await page.waitForURL(`${app.url}/`);
    const { items } = await apiCall<{ items: { name: string }[] }>(page, 'GET', '/contacts?limit=1&sort=name');
    const name = items[0]!.name;
    const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' }).join('');
    await page.getByTestId('search-open').click();
    const box = page.getByTestId('search-input');
    await box.fill(initials);
    const contacts = page.getByTestId('search-group-contacts');
    assert.match(await visibleText(contacts), /联系人 · \d+/);
    await contacts.getByText(name, { exact: true }).first().waitFor();
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    )) as number;
    assert.ok(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
    await shot(page, 'search-zh-phone', false);
    await page.close();
  });

  test('in English on a phone', async () => {
    const page = await app.page({ viewport: { width: 390, height: 844 } });
    await signIn(page, app.url, REP.email, REP.password);
    await page.waitForURL(`${app.url}/`);
    await useEnglish(page);
    const { items } = await apiCall<{ items: { name: string }[] }>(page, 'GET', '/accounts?limit=1&sort=name');
    const part = Array.from(items[0]!.name).slice(0, 2).join('');

    await page.getByTestId('search-open').click();
    const box = page.getByTestId('search-input');
    await box.fill(part);
    const accounts = page.getByTestId('search-group-accounts');
    assert.match(await visibleText(accounts), /Accounts · \d+/);
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    )) as number;
    assert.ok(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
    await shot(page, 'search-en-phone', false);
    await box.fill('zzzzqqqq');
    await page.getByTestId('search-panel').getByText('Nothing matches', { exact: false }).waitFor();
    await shot(page, 'search-en-phone-empty', false);
    await page.keyboard.press('Escape');
    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: '简体中文' }).click();
  });
});
