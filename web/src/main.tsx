import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import './app/global.css';
// Chinese glyphs for machines without a CJK system font (theme.ts lists it after the system
// fonts): split by unicode-range, so a browser fetches a slice only for characters that no
// earlier font in the list has — on Windows, macOS and most Chinese Linux desktops, never.
import '@fontsource-variable/noto-sans-sc';

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
);
