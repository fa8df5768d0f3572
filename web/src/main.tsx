import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import './app/global.css';
// Chinese glyphs for machines without a CJK system font (theme.ts lists it after the system
// fonts): split by unicode-range, so a browser fetches a slice only for characters that no
// earlier font in the list has — on Windows, macOS and most Chinese Linux desktops, never.
import '@fontsource-variable/noto-sans-sc';

// The language switch's "简体中文" is on every screen from the first: its font slice is fetched
// before the first render (at most a second). Drawn before the slice was in, Chromium kept the
// word's empty boxes even after it arrived and the switch was drawn again (headless, no CJK
// system font). The header's names are fetched once known (app/shell/useGlyphs.ts).
const firstGlyphs = document.fonts.load('15px "Noto Sans SC Variable"', '简体中文').catch(() => undefined);
const atMost = new Promise((resolve) => setTimeout(resolve, 1000));

void Promise.race([firstGlyphs, atMost]).then(() =>
  // Errors React recovered from still mean a bug: log them with their cause, which the
  // default report leaves out.
  createRoot(document.getElementById('root')!, {
    onRecoverableError: (error, info) => {
      const cause = (error as { cause?: unknown }).cause;
      console.error('React recovered from an error:', cause ?? error, info.componentStack ?? '');
    },
  }).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
