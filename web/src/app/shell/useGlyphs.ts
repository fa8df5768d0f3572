import { useEffect, useState } from 'react';

/** The bundled CJK font (main.tsx), split by unicode-range into slices fetched as text needs them. */
const CJK_FONT = '"Noto Sans SC Variable"';
/** A slow network shows the text in whatever font there is rather than wait longer. */
const WAIT_MS = 1000;

/**
 * Whether the bundled CJK font's slices for the given text (the header's workspace and user
 * names, the language labels) are in, or the wait is over. Headless Chromium on a machine
 * without a CJK font drew a Chinese name in an English session as empty boxes: laid out before
 * its slice arrived, the text kept the boxes after it was in (document.fonts.check said so)
 * and even when mounted again. Text first laid out once the slice is in is drawn with it
 * (test/e2e/header-font.test.ts reads the font each header name is drawn with).
 */
export function useGlyphs(text: string): boolean {
  const [ready, setReady] = useState(() => document.fonts.check(`15px ${CJK_FONT}`, text));
  useEffect(() => {
    if (ready) return;
    let live = true;
    const done = () => {
      if (live) setReady(true);
    };
    void document.fonts.load(`15px ${CJK_FONT}`, text).then(done, done);
    const timer = setTimeout(done, WAIT_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [ready, text]);
  return ready;
}
