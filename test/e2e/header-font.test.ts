/**
 * The header's Chinese names (workspace, user) and the language switch's 简体中文 are drawn with a
 * CJK font in both languages. Headless Chromium on a machine without a CJK system font drew them
 * as empty boxes in English sessions (the bundled font's slice arrived after the text was laid
 * out): the font each node is drawn with is read through the DevTools protocol. Screenshots of
 * the header in both languages.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, signIn } from './browser.ts';

const app = browserSuite();
const LOCALES = ['zh-CN', 'en-US'] as const;

async function signedIn(locale: (typeof LOCALES)[number]) {
  const page = await app.page({ viewport: { width: 1440, height: 900 }, locale });
  await signIn(page, app.url, 'admin@demo.keyline.dev', 'keyline-demo');
  await page.waitForURL(`${app.url}/`);
  await page.request.patch(`${app.url}/api/v1/auth/me`, { data: { locale } });
  return page;
}

describe('The header’s CJK text', () => {
  after(() => assert.deepEqual(app.errors, [], 'no console or page errors'));

  for (const locale of LOCALES)
    test(`the header's Chinese names and language label are drawn with a CJK font (${locale})`, async () => {
      const page = await signedIn(locale);
      // Another page than the first: the names were drawn (as boxes) on the home page before.
      await page.goto(`${app.url}/contacts`);
      await page.getByTestId('user-name').waitFor();
      await page.evaluate('document.fonts.ready');
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('DOM.enable');
      await cdp.send('CSS.enable');
      const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
      const nodes = ['[data-testid="workspace-name"]', '[data-testid="user-name"]'];
      if (locale === 'zh-CN') nodes.push('[data-testid="language-switch"] > span:not(.ant-btn-icon)');
      for (const selector of nodes) {
        const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
        assert.ok(nodeId, `${selector} in the header`);
        const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
        const text = await page.locator(selector).first().innerText();
        assert.match(text, /\p{Script=Han}/u, `${selector} is Chinese in the demo (${text})`);
        // The bundled web font, or a system CJK font where the machine has one: never a Latin
        // font's empty boxes (Liberation Sans drew the six characters of the workspace's name).
        for (const font of fonts)
          assert.ok(
            font.isCustomFont || /CJK|SC|Hei|PingFang|YaHei|Song|Ming|Gothic/i.test(font.familyName),
            `${selector} "${text}" drawn with ${font.familyName} (${font.glyphCount} glyphs)`,
          );
      }
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({
        path: `test-results/screenshots/header-${locale}.png`,
        clip: { x: 0, y: 0, width: 1440, height: 56 },
      });
      await page.close();
    });
});
