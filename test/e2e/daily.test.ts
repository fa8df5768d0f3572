/**
 * What a rep meets every day, on a 1440-pixel screen and a 390-pixel phone, in both languages:
 * links with filters land on the list that honours them, the rep has a needs-attention view of
 * their own, and the board works by touch — a swipe scrolls, a long press drags.
 * Runs the real server on the demo company and the built web app (npm run build:web).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apiCall, browserSuite, settled, shot, signIn } from './browser.ts';

const app = browserSuite();
const REP = { email: 'rep@demo.keyline.dev', password: 'keyline-demo' };
const LOCALES = ['zh-CN', 'en-US'] as const;

async function signedInRep(
  options: { width: number; height: number; phone?: boolean },
  locale: (typeof LOCALES)[number],
) {
  const page = await app.page({
    viewport: { width: options.width, height: options.height },
    phone: options.phone ?? false,
    locale,
  });
  await signIn(page, app.url, REP.email, REP.password);
  await page.waitForURL(`${app.url}/`);
  // The interface language is the user's own setting, kept on the server.
  await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
  return page;
}

/** A finger on the screen, through the DevTools protocol: playwright has taps but no touch moves. */
async function touch(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const at = (type: 'touchStart' | 'touchMove' | 'touchEnd', pointX: number, pointY: number) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x: pointX, y: pointY }] });
  return {
    /** Down, (optionally held still), moved in steps, lifted. */
    async stroke(from: { x: number; y: number }, to: { x: number; y: number }, holdMs: number, steps = 12) {
      await at('touchStart', from.x, from.y);
      if (holdMs) await page.waitForTimeout(holdMs);
      for (let i = 1; i <= steps; i++) {
        await at('touchMove', from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
        await page.waitForTimeout(16);
      }
      await at('touchEnd', to.x, to.y);
    },
  };
}

describe("A rep's day in the browser", () => {
  for (const locale of LOCALES) {
    test(`links keep their filters and the rep has a needs-attention list (${locale}, 1440 px)`, async () => {
      const page = await signedInRep({ width: 1440, height: 900 }, locale);
      // An old-style link with filters: it used to redirect to the board and drop the query.
      await page.goto(`${app.url}/opportunities?status=won`);
      await page.waitForURL(/\/opportunities\/list\?status=won$/);
      const rows = page.locator('.ant-table-tbody tr.ant-table-row');
      await rows.first().waitFor();
      // The status column found by its heading: a selection column comes first where bulk actions are allowed.
      const headings = (await page.locator('.ant-table-thead th').allInnerTexts()).map((h) => h.trim());
      const statusColumn = headings.indexOf(locale === 'zh-CN' ? '状态' : 'Status') + 1;
      assert.ok(statusColumn > 0, `a status column: ${headings.join(',')}`);
      const statuses = await page
        .locator(`.ant-table-tbody tr.ant-table-row td:nth-child(${statusColumn})`)
        .allInnerTexts();
      assert.ok(statuses.length > 0 && new Set(statuses).size === 1, `only won deals: ${statuses.join(',')}`);
      // Without a query /opportunities is still the board.
      await page.goto(`${app.url}/opportunities`);
      await page.waitForURL(/\/opportunities\/board$/);

      // The desk's "closing soon" view-all link carries its whole filter, probability floor included.
      await page.goto(`${app.url}/`);
      const closing = page.getByTestId('desk-closing');
      await closing.waitFor();
      const more = closing.locator('.ant-card-extra a');
      const today = new Date().toISOString().slice(0, 10);
      const href =
        (await more.count()) > 0
          ? await more.getAttribute('href')
          : `/opportunities/list?status=open&closeFrom=${today}&minProbability=11`;
      assert.match(href ?? '', /^\/opportunities\/list\?.*minProbability=11/);
      await page.goto(`${app.url}${href}`);
      await page.getByTestId('min-probability-filter').waitFor();
      const shown = await apiCall<{ items: { probability: number }[] }>(
        page,
        'GET',
        `/opportunities?${href!.split('?')[1]}&limit=100`,
      );
      assert.ok(
        shown.items.every((o) => o.probability >= 11),
        'no long shots among the deals closing soon',
      );

      // A rep's own needs-attention view (it was managers only).
      await page.goto(
        `${app.url}${
          (await page
            .getByTestId('desk-attention')
            .locator('.ant-card-extra a')
            .getAttribute('href')
            .catch(() => null)) ?? '/opportunities/list?tab=attention'
        }`,
      );
      await page.getByTestId('attention-stalled').waitFor();
      assert.equal(await page.locator('.ant-tabs-tab-active').count(), 1);
      await shot(page, `daily-rep-attention-${locale}-1440`);
    });

    test(`the board on a phone: a swipe scrolls, a long press drags (${locale}, 390 px)`, async () => {
      const page = await signedInRep({ width: 390, height: 844, phone: true }, locale);
      const me = await apiCall<{ user: { id: number } }>(page, 'GET', '/auth/me');
      const processes = await apiCall<{ items: { id: number; templateKey: string | null }[] }>(
        page,
        'GET',
        '/sales-processes',
      );
      const small = processes.items.find((p) => p.templateKey === 'small')!;
      const stages = [
        ...(await apiCall<{ stages: { id: number; position: number }[] }>(page, 'GET', `/sales-processes/${small.id}`))
          .stages,
      ].sort((x, y) => x.position - y.position);
      const mine = await apiCall<{ items: { accountId: number }[] }>(
        page,
        'GET',
        `/opportunities?ownerId=${me.user.id}&limit=1`,
      );
      const name = `E2E 手机 ${locale} ${Date.now().toString(36)}`;
      const opp = await apiCall<{ id: number }>(page, 'POST', '/opportunities', {
        accountId: mine.items[0]!.accountId,
        name,
        processId: small.id,
        amount: 1_200_000,
        expectedCloseDate: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10),
      });

      await page.goto(`${app.url}/opportunities/board?processId=${small.id}`);
      const board = page.getByTestId('board');
      await board.getByTestId('opp-card').first().waitFor();
      // The columns run past the screen, and a track under the board says so: a phone's overlay
      // scrollbar shows only while scrolling.
      const track = page.getByTestId('board-scroll-track');
      await track.waitFor();
      const thumbAt = async () => {
        const trackBox = (await track.boundingBox())!;
        const th = (await page.getByTestId('board-scroll-thumb').boundingBox())!;
        return { x: th.x - trackBox.x, w: th.width / trackBox.width };
      };
      const before = await thumbAt();
      assert.ok(
        before.x < 1 && before.w > 0.1 && before.w < 0.5,
        `the thumb shows the first of several screens: ${JSON.stringify(before)}`,
      );
      await shot(page, `daily-board-phone-${locale}`, false);

      // A quick swipe across a card scrolls the board (cards took every touch with touch-action: none).
      const finger = await touch(page);
      const card = board.getByTestId('opp-card').first();
      const box = (await card.boundingBox())!;
      const scrollLeft = () => board.evaluate((el: { scrollLeft: number }) => el.scrollLeft);
      assert.equal(await scrollLeft(), 0);
      await finger.stroke({ x: box.x + box.width - 20, y: box.y + 30 }, { x: box.x + 20, y: box.y + 34 }, 0, 6);
      await page.waitForTimeout(300);
      assert.ok((await scrollLeft()) > 50, 'the swipe scrolled the board');
      assert.ok((await thumbAt()).x > before.x + 5, 'the track follows');
      await board.evaluate((el: { scrollLeft: number }) => {
        el.scrollLeft = 0;
      });

      // A long press then a move drags the rep's new card onto the next stage: the move dialog opens.
      await page.goto(`${app.url}/opportunities/board?processId=${small.id}&q=${encodeURIComponent(name)}`);
      const first = page.locator(`[data-testid="board-column"][data-stage-id="${stages[0]!.id}"]`);
      await first.getByTestId('column-count').filter({ hasText: /^1$/ }).waitFor();
      const mineCard = first.locator(`[data-opp-id="${opp.id}"]`);
      const mineBox = (await mineCard.boundingBox())!;
      const second = (await page
        .locator(`[data-testid="board-column"][data-stage-id="${stages[1]!.id}"]`)
        .boundingBox())!;
      assert.ok(second.x < 390, 'the next column peeks in from the right');
      await finger.stroke(
        { x: mineBox.x + mineBox.width / 2, y: mineBox.y + 12 },
        { x: Math.min(second.x + 24, 380), y: mineBox.y + 60 },
        400,
        16,
      );
      const dialog = page.locator('.ant-modal').filter({ has: page.getByTestId('evidence-dialog-body') });
      await settled(dialog);
      await shot(page, `daily-board-phone-drag-${locale}`, false);
      await page.keyboard.press('Escape');
      assert.deepEqual(app.errors, []);
    });

    test(`the needs-attention table fits a 1440-pixel screen: the owner column not cut off (${locale})`, async () => {
      const page = await signedInRep({ width: 1440, height: 900 }, locale);
      for (const [name, url] of [['attention', '/opportunities/list?tab=attention']] as const) {
        await page.goto(`${app.url}${url}`);
        const table = page.locator('.ant-table').first();
        await table.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
        // Whole: the table needs no sideways scroll (the owner column was past the edge).
        const cut = await table.evaluate(
          (el: {
            querySelector(text: string): { scrollWidth: number; clientWidth: number } | null;
            querySelectorAll(
              text: string,
            ): ArrayLike<{ scrollWidth: number; clientWidth: number; textContent: string | null; className: string }>;
          }) => {
            const content = el.querySelector('.ant-table-content') ?? el.querySelector('.ant-table-body');
            return { sideways: content ? content.scrollWidth - content.clientWidth : 0 };
          },
        );
        await shot(page, `daily-table-${name}-${locale}-1440`, false);
        assert.ok(cut.sideways <= 1, `${name}: the table scrolls sideways by ${cut.sideways}px`);
      }
    });

    test(`tap to call and mail on a phone (${locale}, 390 px)`, async () => {
      const page = await signedInRep({ width: 390, height: 844, phone: true }, locale);
      const withPhone = await apiCall<{
        items: { accountId: number; mobile: string | null; phone: string | null; email: string | null }[];
      }>(page, 'GET', '/contacts?limit=100');
      const contact = withPhone.items.find((x) => x.mobile ?? x.phone);
      assert.ok(contact, 'the rep sees a contact with a phone number');
      await page.goto(`${app.url}/accounts/${contact.accountId}?tab=contacts`);
      const tel = page.getByTestId('tel-link').first();
      await tel.waitFor();
      assert.match(String(await tel.getAttribute('href')), /^tel:\+?\d{5,}$/);
      await shot(page, `daily-contacts-phone-${locale}`, false);
    });
  }
});
